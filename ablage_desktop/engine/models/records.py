"""What the manager knows about each model, and the view of it the CLI and the GUI show.

A record is only read or changed under the manager's lock; nothing here takes a lock.
"""

from __future__ import annotations

import threading
import time
import weakref
from dataclasses import dataclass, field

from ablage_desktop.engine.backends.base import Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.errors import InsufficientMemory
from ablage_desktop.engine.events import ModelStateChanged
from ablage_desktop.engine.memory.estimate import Device, MemoryEstimate
from ablage_desktop.engine.memory.plan import ModelPlan
from ablage_desktop.engine.models.leaks import track
from ablage_desktop.engine.models.state import ModelState, check_transition
from ablage_desktop.engine.results.document import ErrorInfo

LATENCY_WEIGHT = 0.3
"""Weight of the newest page in the moving average of the seconds per page."""

PageSize = tuple[int, int]
"""Width and height of a page in pixels."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model as the CLI and the GUI show it."""

    name: str
    engine: str
    device: Device
    state: ModelState
    users: int
    estimated_bytes: int
    measured_bytes: int | None
    error: ErrorInfo | None
    in_flight: int = 0
    """Pages being recognised right now."""
    queued: int = 0
    """Pages waiting for one of the model's slots (``concurrency``)."""
    page_seconds: float | None = None
    """Moving average of the seconds per page (for a server: its latency as seen here)."""
    load_seconds: float | None = None
    """How long the last load took (for a server: the health check's round trip)."""
    since: float = 0.0
    """When the model entered its state (the manager's clock)."""
    plan: ModelPlan | None = None
    """The per-page memory plan the model is budgeted by, where it has one."""


@dataclass(eq=False)
class ModelRecord:
    name: str
    spec: BackendSpec
    options: EngineOptions
    device: Device
    estimate: MemoryEstimate
    state: ModelState = ModelState.UNLOADED
    backend: Backend | None = None
    pins: int = 0
    last_used: float = 0.0
    measured: int | None = None
    """Bytes the last load really took (weights and buffers, not page activations)."""
    error: ErrorInfo | None = None
    failures: int = 0
    slots: threading.BoundedSemaphore | None = None
    tracked: list[weakref.ref[object]] = field(default_factory=list)
    state_since: float = field(default_factory=time.monotonic)
    in_flight: int = 0
    queued: int = 0
    page_seconds: float | None = None
    load_seconds: float | None = None
    down: ErrorInfo | None = None
    """A remote model whose server went away: unloaded once no page uses it."""
    loads: int = 0
    """Loads that completed in this process."""

    @property
    def remote(self) -> bool:
        return self.device == "remote"

    @property
    def idle(self) -> bool:
        """Loaded and used by no page: the kind of model that may be unloaded."""
        return self.state is ModelState.READY and self.pins == 0

    @property
    def resident_bytes(self) -> int:
        """What the loaded model holds before any page: measured where known."""
        return self.measured if self.measured is not None else self.estimate.weights

    @property
    def footprint(self) -> int:
        return self.resident_bytes + self.estimate.activations

    def need(self, page: PageSize | None, batch: int = 1) -> int:
        """Resident bytes plus one batch of ``page``-sized pages (the reference page if None)."""
        if page is None or self.estimate.plan is None:
            return self.footprint
        return self.resident_bytes + self.estimate.page_bytes(page[0], page[1], batch)

    def count(self, queued: int = 0, in_flight: int = 0, seconds: float | None = None) -> None:
        """Pages waiting for and inside the model; ``seconds`` joins the moving average."""
        self.queued += queued
        self.in_flight += in_flight
        if seconds is not None:
            previous = self.page_seconds
            self.page_seconds = (
                seconds if previous is None else previous + LATENCY_WEIGHT * (seconds - previous)
            )

    def move_to(
        self, state: ModelState, now: float, seconds: float | None = None
    ) -> ModelStateChanged:
        """Enter ``state`` (an allowed transition only) and say so; ``seconds`` defaults to the
        time spent in the state left."""
        check_transition(self.name, self.state, state)
        if seconds is None:
            seconds = now - self.state_since
        previous, self.state = self.state, state
        self.state_since = now
        plan = self.estimate.plan
        return ModelStateChanged(
            model=self.name,
            previous=previous,
            state=state,
            bytes=self.footprint if state.resident else 0,
            device=self.device,
            seconds=seconds,
            plan=plan.to_json() if plan is not None and state.resident else None,
        )

    def loaded(self, backend: Backend, seconds: float) -> None:
        """Hold a freshly loaded ``backend``: the last failure is forgotten, its slots open and
        its objects tracked for the leak check."""
        self.backend = backend
        self.error = None
        self.down = None
        self.load_seconds = seconds
        self.slots = threading.BoundedSemaphore(max(1, backend.concurrency))
        self.tracked = track(backend)
        self.loads += 1

    def load_failed(self, exc: BaseException) -> ModelState:
        """Remember why the load failed; the state to enter: no room is not a broken model,
        it simply stays unloaded."""
        self.error = ErrorInfo.from_exception(exc)
        self.failures += 1
        return ModelState.UNLOADED if isinstance(exc, InsufficientMemory) else ModelState.FAILED

    def info(self) -> ModelInfo:
        return ModelInfo(
            name=self.name,
            engine=self.spec.engine,
            device=self.device,
            state=self.state,
            users=self.pins,
            estimated_bytes=self.estimate.total,
            measured_bytes=self.measured,
            error=self.error or self.down,
            in_flight=self.in_flight,
            queued=self.queued,
            page_seconds=self.page_seconds,
            load_seconds=self.load_seconds,
            since=self.state_since,
            plan=self.estimate.plan,
        )
