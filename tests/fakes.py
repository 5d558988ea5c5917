"""Fakes at the edges: a backend whose behaviour a test scripts, page by page."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ablage_desktop.engine.backends.base import Availability, Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.errors import OutOfMemory
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.models.manager import ModelManager
from ablage_desktop.engine.results.document import Box, OcrLine, OcrPage

PageHook = Callable[[PageImage], None]


class ScriptedBackend(Backend):
    """Recognises a page as '<file name>:<page number>'; a hook may delay or raise first."""

    def __init__(
        self, concurrency: int = 1, hook: PageHook | None = None, name: str = "scripted"
    ) -> None:
        super().__init__(name)
        self._concurrency = concurrency
        self._hook = hook
        self._lock = threading.Lock()
        self.calls: list[tuple[str, int]] = []
        self.active = 0
        self.max_active = 0
        self.closed = False

    @property
    def concurrency(self) -> int:
        return self._concurrency

    def recognize(self, page: PageImage, cancel: object = None) -> OcrPage:
        with self._lock:
            self.calls.append((page.document.name, page.index))
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            if self._hook is not None:
                self._hook(page)
            text = f"{page.document.name}:{page.index + 1}"
            return OcrPage(
                index=page.index,
                width=page.width,
                height=page.height,
                backend=self.name,
                seconds=0.0,
                text=text,
                lines=(OcrLine(text, 1.0, (0, 0, page.width, page.height)),),
            )
        finally:
            with self._lock:
                self.active -= 1

    def close(self) -> None:
        self.closed = True


def sleep_hook(seconds: float) -> PageHook:
    def hook(page: PageImage) -> None:
        time.sleep(seconds)

    return hook


# --- memory and models for the model manager -------------------------------------------------

GIB = 1 << 30
MIB = 1 << 20


class FakeProbe:
    """A scripted machine: fixed totals, and memory that fake models take and give back.

    ``recovery_lag`` makes freed VRAM show as used for that many more readings, like a driver
    that is slow to hand memory back.
    """

    def __init__(
        self,
        ram_total: int = 16 * GIB,
        vram_total: int | None = 24 * GIB,
        ram_base: int = 2 * GIB,
        vram_base: int = 0,
    ) -> None:
        self.ram_total = ram_total
        self.vram_total = vram_total
        self.ram_base = ram_base
        self.vram_base = vram_base
        self.held: dict[tuple[str, str], int] = {}
        self.lagging: list[list[int]] = []  # [bytes, readings left]
        self.recovery_lag = 0
        self.empty_cache_calls = 0
        self.snapshots = 0
        self._lock = threading.Lock()

    def take(self, device: str, owner: str, size: int) -> None:
        with self._lock:
            self.held[(device, owner)] = self.held.get((device, owner), 0) + size

    def give_back(self, device: str, owner: str) -> None:
        with self._lock:
            size = self.held.pop((device, owner), 0)
            if device == "gpu" and self.recovery_lag:
                self.lagging.append([size, self.recovery_lag])

    def used(self, device: str) -> int:
        with self._lock:
            held = sum(size for (dev, _), size in self.held.items() if dev == device)
            if device == "gpu":
                return self.vram_base + held + sum(size for size, _ in self.lagging)
            return self.ram_base + held

    def snapshot(self) -> MemorySnapshot:
        vram_used = self.used("gpu") if self.vram_total else None
        ram_used = self.used("cpu")
        with self._lock:
            self.snapshots += 1
            for item in self.lagging:
                item[1] -= 1
            self.lagging = [item for item in self.lagging if item[1] > 0]
        return MemorySnapshot(
            rss=ram_used - self.ram_base + 100 * MIB,
            ram_used=ram_used,
            ram_total=self.ram_total,
            ram_available=self.ram_total - ram_used,
            vram_allocated=vram_used,
            vram_reserved=vram_used,
            vram_used=vram_used,
            vram_total=self.vram_total,
        )

    def empty_cache(self) -> None:
        with self._lock:
            self.empty_cache_calls += 1


class Weights:
    """Stands for a model's tensors: an object the leak check can hold a weak reference to."""


class FakeModel(Backend):
    """A model that takes ``size`` bytes of the fake probe's memory while loaded."""

    def __init__(self, name: str, device: str, size: int, probe: FakeProbe, text: str) -> None:
        super().__init__(name)
        self.device = device
        self.probe = probe
        self.weights = Weights()
        self.text = text
        self.pictures: tuple[Box, ...] = ()
        self.fail_pages: list[BaseException] = []
        self.during_page: Callable[[], None] | None = None
        probe.take(device, name, size)

    def recognize(self, page: PageImage, cancel: object = None) -> OcrPage:
        if self.during_page is not None:
            self.during_page()
        if self.fail_pages:
            raise self.fail_pages.pop(0)
        return OcrPage(
            page.index, page.width, page.height, self.name, 0.0, self.text, pictures=self.pictures
        )

    def tracked_objects(self) -> tuple[object, ...]:
        return (self, self.weights)

    def close(self) -> None:
        self.probe.give_back(self.device, self.name)


@dataclass
class FakeModelScript:
    """How a fake model behaves when loaded; tests change it between loads."""

    name: str
    device: str
    size: int
    estimate: int | None = None
    activations: int = 0
    """What the estimate says a page adds (not held by the idle model)."""
    text: str = "Invoice 4711"
    oom_loads: int = 0
    """The next this many loads raise an out-of-memory error."""
    fail_load: str = ""
    load_delay: float = 0.0
    during_load: Callable[[], None] | None = None
    """Called inside every load attempt (to watch loads overlap, for example)."""
    during_page: Callable[[], None] | None = None
    """Called inside every page's reading."""
    loads: int = 0
    attempts: int = 0
    keep: list[FakeModel] = field(default_factory=list)
    """Loaded models kept here leak (the test's stand-in for a forgotten global cache)."""
    leak: bool = False
    page_errors: list[BaseException] = field(default_factory=list)
    """Handed to each newly loaded model: its next pages raise these."""
    pictures: tuple[Box, ...] = ()
    """Regions each page's reading reports as pictures (as Tesseract's layout does)."""


def fake_spec(script: FakeModelScript, probe: FakeProbe) -> BackendSpec:
    def load(name: str, options: EngineOptions) -> Backend:
        script.attempts += 1
        if script.during_load is not None:
            script.during_load()
        if script.load_delay:
            time.sleep(script.load_delay)
        if script.fail_load:
            raise RuntimeError(script.fail_load)
        if script.oom_loads:
            script.oom_loads -= 1
            raise OutOfMemory(name, "loading", "scripted")
        script.loads += 1
        model = FakeModel(name, script.device, script.size, probe, script.text)
        model.fail_pages = list(script.page_errors)
        model.pictures = script.pictures
        model.during_page = script.during_page
        if script.leak:
            script.keep.append(model)
        return model

    estimate = script.estimate if script.estimate is not None else script.size
    return BackendSpec(
        engine=script.name,
        kind="gpu" if script.device == "gpu" else "cpu",
        title=f"fake {script.name}",
        options=EngineOptions,
        estimate=lambda options: MemoryEstimate(script.device, estimate, script.activations),  # type: ignore[arg-type]
        check=lambda options: Availability.yes(),
        load=load,
    )


def register_fakes(manager: ModelManager, probe: FakeProbe, *scripts: FakeModelScript) -> None:
    for script in scripts:
        spec = fake_spec(script, probe)
        manager.register(
            script.name,
            spec,
            EngineOptions(engine=script.name),
            spec.estimate(EngineOptions(engine=script.name)),
        )


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def scripted_spec(backend: Backend, concurrency: int = 1) -> BackendSpec:
    """A spec that always "loads" ``backend``: for adding a scripted engine to a real Engine."""
    return BackendSpec(
        backend.name,
        "cpu",
        f"scripted engine {backend.name}",
        EngineOptions,
        lambda options: MemoryEstimate("cpu", MIB, 0),
        check=lambda options: Availability.yes(),
        load=lambda name, options: backend,
        concurrency=lambda options: concurrency,
    )
