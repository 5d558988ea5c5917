"""The engine's inside: ``EngineCore``, what the public ``Engine`` (``api.py``) drives.

It owns the model manager (what is resident), the router (who reads a page) and the memory
sampler, registers every configured model, and runs documents through the page pipeline.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.assembly import orientation_bytes, policy_of, with_languages
from ablage_desktop.engine.backends import REGISTRY, Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.config import AppConfig
from ablage_desktop.engine.errors import (
    AblageError,
    BackendUnavailable,
    UnknownBackend,
    UsageError,
)
from ablage_desktop.engine.events import Listeners, MemorySample
from ablage_desktop.engine.intake.decoding import IsolatedDecoder
from ablage_desktop.engine.intake.documents import is_image_file
from ablage_desktop.engine.memory.pressure import Pressure
from ablage_desktop.engine.memory.probe import MemoryProbe, MemorySnapshot, SystemProbe
from ablage_desktop.engine.memory.sampler import MemorySampler
from ablage_desktop.engine.models.area_reading import read_area, read_turned
from ablage_desktop.engine.models.dispatcher import PageDispatcher
from ablage_desktop.engine.models.footprints import FootprintStore
from ablage_desktop.engine.models.manager import ModelManager
from ablage_desktop.engine.models.router import AUTO, Route, Router
from ablage_desktop.engine.preprocess import Preprocessor
from ablage_desktop.engine.results.document import Box, OcrDocument, OcrPage
from ablage_desktop.engine.run.area_route import InArea
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.jobs import BatchRunner, JobStamp, OcrRequest
from ablage_desktop.engine.run.page_threads import PageRecognizer
from ablage_desktop.engine.run.text_route import TextLayerFirst
from ablage_desktop.engine.statuses import (
    BackendStatus,
    status_of,
    unavailable_reason,
    why_unavailable,
)

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.intake.documents import PageImage

log = logging.getLogger(__name__)

PREVIEW_DPI = 150


class EngineCore:
    """The model manager, the router, the decoders and the sampler of one engine; tests and
    tools that need the manager use it, the window and the CLI go through ``Engine``."""

    def __init__(
        self,
        config: AppConfig,
        probe: MemoryProbe | None = None,
        footprints: Path | None = None,
        store: Store | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.events = Listeners()
        self.probe = probe or SystemProbe()
        self._footprints = FootprintStore(footprints)
        self.manager = ModelManager(
            policy_of(config), self.probe, self.events.emit, on_measured=self._footprints.put
        )
        self._render_lock = threading.Lock()  # pdfium is not thread-safe
        # Pages are decoded in worker processes (started on first use): one for batches, one
        # for the GUI's previews, so that neither waits on, or crashes with, the other.
        self._decoder = IsolatedDecoder(name="ablage-decoder", render_ahead=True)
        self._preview_decoder = IsolatedDecoder(name="ablage-preview-decoder")
        self._preprocess = Preprocessor(config.preprocessing)
        self.manager.reserve("orientation", "cpu", orientation_bytes(config))
        self._options: dict[str, EngineOptions] = {}
        self._specs: dict[str, BackendSpec] = {}
        for name, options in config.models.items():
            self._register(name, options)
        pressure = config.management.memory_pressure
        self._sampler = MemorySampler(
            self.probe,
            config.management.sample_rate_hz,
            pressure.warning,
            pressure.critical,
            self._on_memory,
        )
        self.router = self._make_router()

    def _make_router(self) -> Router:
        routing = self.config.routing
        return Router(
            routing.chains(),
            routing.cpu_only,
            self._why_not_in_auto,
            lambda: self.manager.pressure,
            self.manager.cannot_fit,
            purpose=lambda name: self._specs[name].route_purpose if name in self._specs else "",
        )

    def add_server(
        self, name: str, entry: Mapping[str, object], first_in_auto: bool = False
    ) -> EngineOptions:
        """Make an inference server known while the app runs (the GUI's "Add server").

        ``entry`` holds the keys of a ``models`` entry of engine ``openai_server``; with
        ``first_in_auto``, ``auto`` tries it first for every kind of page.
        """
        if name in self._options or name == AUTO or not name.strip() or ":" in name:
            raise UsageError(f"'{name}' cannot be the name of a new model (taken or invalid)")
        spec = REGISTRY["openai_server"]
        try:
            options = spec.options.model_validate({**entry, "engine": spec.engine})
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(part) for part in first["loc"])
            raise UsageError(f"{name}: {key}: {first['msg']}") from exc
        self._register(name, options, spec)
        models = {**self.config.models, name: options}
        routing = self.config.routing
        if first_in_auto:
            routing = routing.model_copy(
                update={kind: [name, *chain] for kind, chain in routing.chains().items()}
            )
        self.config = dataclasses.replace(self.config, models=models, routing=routing)
        self.router = self._make_router()
        return options

    def add_model(self, name: str, spec: BackendSpec, options: EngineOptions) -> None:
        """Make a model of an engine outside the built-in registry known (a plugin's)."""
        self._register(name, options, spec)

    def _register(self, name: str, options: EngineOptions, spec: BackendSpec | None = None) -> None:
        spec = spec or REGISTRY[options.engine]
        self._specs[name] = spec
        self._options[name] = options
        self.manager.register(
            name, spec, options, spec.estimate(options), self._footprints.get(name)
        )

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> None:
        """Background work for a long-running session: memory sampling, keep-alive, preload."""
        self._sampler.sample()  # the pressure is known before the first page is routed
        self._sampler.start()
        usable = [name for name in self._options if self._why_unavailable(name) is None]
        remote = [name for name in usable if self._specs[name].kind == "remote"]
        local = [name for name in usable if name not in remote]
        self.manager.start(preload=local, connect=remote)

    def connect_remote(self) -> dict[str, str | None]:
        """Health-check every usable remote model now, all at once: name -> None when its
        server answers, else why not. A server that answers is READY afterwards."""
        names = [
            name
            for name, spec in self._specs.items()
            if spec.kind == "remote"
            and unavailable_reason(name, spec.availability(self._options[name])) is None
        ]
        results: dict[str, str | None] = {}

        def check(name: str) -> None:
            try:
                self.manager.load(name)
                results[name] = None
            except AblageError as exc:
                results[name] = exc.message

        threads = [threading.Thread(target=check, args=(n,), daemon=True) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def prepare(self, backend: str | None = None) -> list[str]:
        """Import the libraries of the engines a batch would use, before anyone waits on them:
        ``backend``'s (``auto``'s: those it routes to), or, with None, those of ``auto`` and
        of the configured default (the window's, whose user may pick either)."""
        names = [*self._routed_models()] if backend in (None, AUTO) else []
        wanted = self.config.management.default_backend if backend is None else backend
        if wanted != AUTO and wanted in self._specs and self._why_unavailable(wanted) is None:
            names.append(wanted)
        prepared: list[str] = []
        for name in dict.fromkeys(names):
            spec = self._specs[name]
            if spec.prepare is None or spec.engine in prepared:
                continue
            started = time.perf_counter()
            try:
                spec.prepare()
            except Exception as exc:  # the load will report it properly
                log.info("Preparing %s failed: %s", name, exc)
                continue
            prepared.append(spec.engine)
            log.debug("Prepared %s in %.2f s", spec.engine, time.perf_counter() - started)
        try:
            self._preprocess.warm_up()
        except Exception as exc:  # the first page pays for it instead
            log.info("Warming up the preprocessing failed: %s", exc)
        return prepared

    def _routed_models(self) -> list[str]:
        """The available models of every routing chain, in chain order."""
        routing = self.config.routing
        chains = (*routing.chains().values(), routing.cpu_only)
        names = dict.fromkeys(name for chain in chains for name in chain)
        return [name for name in names if self._why_not_in_auto(name) is None]

    def close(self, *, ending: bool = False) -> None:
        """Stop the threads and processes; ``ending``: the process ends next (a command), so
        the models' memory is not collected nor given back."""
        self._sampler.stop()
        self.manager.close(ending=ending)
        self._preprocess.close()
        self._decoder.close()
        self._preview_decoder.close()

    def release_shared_memory(self) -> None:
        """At an exit that cannot wait for ``close`` (a thread still loading a model): give
        the decoders' shared memory back, so none is left behind in the system."""
        self._decoder.release_shared_memory()
        self._preview_decoder.release_shared_memory()

    def _on_memory(self, snapshot: MemorySnapshot, pressure: Pressure) -> None:
        self.events.emit(MemorySample(snapshot, pressure.label))
        self.manager.observe(pressure)

    # --- what is there --------------------------------------------------------------------

    def statuses(self) -> list[BackendStatus]:
        """Every configured model as ``models list`` and the window show it."""
        rows = []
        for info in self.manager.infos():
            name = info.name
            unavailable = self._why_unavailable(name)
            rows.append(status_of(info, self._specs[name], self._options[name], unavailable))
        return rows

    def _why_unavailable(self, name: str) -> str | None:
        options = self._options.get(name)
        if options is None:
            return "not configured"
        return why_unavailable(name, self._specs[name], options, self.manager.info(name))

    def _why_not_in_auto(self, name: str) -> str | None:
        """Why ``auto`` skips model ``name``: unavailable, or available but adding nothing
        in an automatic chain (``BackendSpec.auto_ready``)."""
        reason = self._why_unavailable(name)
        if reason is not None:
            return reason
        auto_ready = self._specs[name].auto_ready
        if auto_ready is None:
            return None
        ready = auto_ready(self._options[name])
        return None if ready.ok else ready.reason

    def resolve(self, name: str | None, languages: str | None = None) -> tuple[str, BackendSpec]:
        """The registered model for ``name`` (a variant of it for ``languages``).

        Raises when the model is unknown or cannot run with these options.
        """
        name = name or self.config.management.default_backend
        options = self._options.get(name)
        if options is None:
            raise UnknownBackend(name, [AUTO, *self.config.models])
        variant = with_languages(name, options, languages)
        if variant is not options:
            name = f"{name}:{languages}"
            if name not in self._options:
                self._register(name, variant)
            options = variant
        # Not _why_unavailable: a server asked for by name gets a fresh health check even
        # if it failed a moment ago (the user may just have started it).
        reason = unavailable_reason(name, self._specs[name].availability(options))
        if reason is not None:
            raise BackendUnavailable(name, reason)
        return name, self._specs[name]

    def options(self, name: str) -> EngineOptions:
        try:
            return self._options[name]
        except KeyError:
            raise UnknownBackend(name, [AUTO, *self._options]) from None

    def configure(self, name: str, **changes: object) -> EngineOptions:
        """Change a model's options (quantization, for example) while it is unloaded."""
        current = self.options(name)
        try:
            options = type(current).model_validate({**current.model_dump(), **changes})
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(part) for part in first["loc"])
            raise UsageError(f"{name}: {key}: {first['msg']}") from exc
        spec = self._specs[name]
        self.manager.reconfigure(name, options, spec.estimate(options))
        self._options[name] = options
        return options

    def backend(self, name: str | None = None, languages: str | None = None) -> Backend:
        """Load ``name`` (if needed) and return its backend, unpinned: for tools and tests."""
        resolved, _ = self.resolve(name, languages)
        with self.manager.acquire(resolved) as lease:
            return lease.backend

    # --- work -----------------------------------------------------------------------------

    def ocr(self, request: OcrRequest, cancel: CancelToken | None = None) -> Iterator[OcrDocument]:
        """Recognise every document of ``request``; yields each as it completes, in order.

        A chosen engine is checked now (an unknown one raises here) and loads while the first
        pages are opened and rendered; one that cannot load raises before the first document,
        and the batch is then not in the archive. With auto, engines load as pages need them
        (a batch of scans: its first engines at once, or once its first PDF is seen to hold
        a scan), and fall back along the chain.
        After that, every document succeeds or fails on its own.
        """
        events = JobStamp(self.events.emit)
        if request.paths:
            self._decoder.start_soon()  # beside a chosen engine's load
        dispatcher, loaded, on_scan = self._dispatcher(request, events)
        limits = self.config.intake.limits()
        if request.pdf_text is not None:
            limits = dataclasses.replace(limits, pdf_text=request.pdf_text)
        runner = BatchRunner(
            self.manager,
            self._decoder,
            self.store if request.archive and not request.partial else None,
            events,
            self._quantization_of,
            self.config.management.default_backend,
        )
        reads_pdf_text = dispatcher.name != AUTO and self._reads_pdf_text(dispatcher.name)
        recognizer: PageRecognizer = TextLayerFirst(
            dispatcher, limits.pdf_text, events, reads_pdf_text
        )
        if request.areas:
            recognizer = InArea(recognizer, request.areas, self._preprocess.turns)
        return runner.run(request, recognizer, limits, cancel or CancelToken(), loaded, on_scan)

    def _dispatcher(
        self, request: OcrRequest, emit: JobStamp
    ) -> tuple[PageDispatcher, Callable[[], None], Callable[[], None] | None]:
        """The batch's dispatcher; the wait for its chosen engine, which loads meanwhile
        (auto's engines load as pages need them); what loads auto's first engines once the
        first document, a PDF, is seen to need them (an image's load at once)."""
        chosen = request.backend or self.config.management.default_backend
        if chosen == AUTO:
            if request.languages:
                log.info("--lang %s applies to a chosen engine, not to auto", request.languages)
            names = self._routed_models()
            concurrency = max(
                (self._specs[n].concurrency(self._options[n]) for n in names),
                default=1,
            )
            dispatcher = PageDispatcher(
                self.manager,
                self.router.route,
                emit,
                concurrency,
                preprocess=self._preprocess,
                combine=self.config.routing.combine,
                reads_pdf_text=self._reads_pdf_text,
            )
            first_engines = functools.partial(
                dispatcher.load_first_engines, self.router.usable_chains()
            )
            if request.paths and is_image_file(request.paths[0]):  # no text layer: read by OCR
                first_engines()
                return dispatcher, lambda: None, None
            return dispatcher, lambda: None, first_engines
        name, spec = self.resolve(chosen, request.languages)
        # now, while the first pages are opened: a broken engine still fails before the batch
        loaded = self.manager.load_soon(name)
        route = Route((name,), "chosen by the user")
        dispatcher = PageDispatcher(
            self.manager,
            lambda page: route,
            emit,
            spec.concurrency(self._options[name]),
            name=name,
            batch_size=int(getattr(self._options[name], "max_batch_size", 1)),
            preprocess=self._preprocess,
            reads_pdf_text=self._reads_pdf_text,
        )
        return dispatcher, loaded, None

    def _reads_pdf_text(self, name: str) -> bool:
        spec = self._specs.get(name)
        return spec is not None and spec.reads_pdf_text

    def _quantization_of(self, backend: str) -> str | None:
        options = self._options.get(backend)
        return getattr(options, "quantization", None) if options is not None else None

    def add_pdf_password(self, password: str) -> None:
        """Try ``password`` too on PDFs that ask for one, from the next batch on (this
        session only: nothing is written)."""
        # One assignment: a batch starting meanwhile sees the configuration before or after.
        self.config = self.config.with_pdf_password(password)

    @property
    def render_lock(self) -> threading.Lock:
        """Held around every use of pdfium in this process (not thread-safe): exports that
        re-render pages take it (batches and previews decode in their own processes)."""
        return self._render_lock

    def read_area(
        self,
        path: Path,
        index: int,
        area: Box,
        backend: str | None = None,
        languages: str | None = None,
    ) -> OcrPage:
        """Page ``index`` of ``path`` read again inside ``area`` alone (the page's pixels as
        a batch reads it) by ``backend``; its lines on the whole page (``area_reading``)."""
        page, recognize = self._again(path, index, backend, languages)
        return read_area(page, area, recognize)

    def read_turned(
        self,
        path: Path,
        index: int,
        turns: int,
        backend: str | None = None,
        languages: str | None = None,
    ) -> OcrPage:
        """Page ``index`` of ``path`` turned ``turns`` quarter turns counter-clockwise and
        read by ``backend``; its lines on the page as it is (``area_reading``)."""
        page, recognize = self._again(path, index, backend, languages)
        return read_turned(page, turns, recognize)

    def _again(
        self, path: Path, index: int, backend: str | None, languages: str | None
    ) -> tuple[PageImage, Callable[[PageImage], OcrPage]]:
        """Page ``index`` of ``path`` as a batch reads it, decoded beside any batch, and the
        chosen engine's reading of a page, for a part or a turn of it read again."""
        request = OcrRequest([path], backend=backend, languages=languages, archive=False)
        dispatcher, loaded, _ = self._dispatcher(request, JobStamp(self.events.emit))
        page = self._page_beside(path, index, self.config.intake.pdf_dpi)  # while it loads
        loaded()
        return page, dispatcher.recognize

    def preview(self, path: Path, index: int, dpi: int = PREVIEW_DPI) -> Image.Image:
        """Page ``index`` of ``path`` for display, at ``dpi`` for PDFs (images as they are).

        Safe beside a running batch: it has a decoder process of its own, so a file that
        crashes the decoder raises ``DecoderCrashed`` here instead of ending the app.
        """
        return self._page_beside(path, index, dpi).image

    def _page_beside(self, path: Path, index: int, dpi: int) -> PageImage:
        """Page ``index`` of ``path``, PDFs rendered at ``dpi``, decoded beside any batch."""
        limits = dataclasses.replace(
            self.config.intake.limits(), pdf_dpi=dpi, pdf_text="always_ocr"
        )
        with self._preview_decoder.open(path, limits) as document:
            if not 0 <= index < document.page_count:
                raise UsageError(f"{path.name} has no page {index + 1}")
            return document.page(index)
