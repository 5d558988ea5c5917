"""``EngineBridge``: the window's one handle on the engine, and the two threads behind it.

``EngineWorker`` (``workers/batch.py``) runs in the batch thread; ``ControlWorker``
(``workers/control.py``) and ``ArchiveWorker`` (``archive_worker.py``) share the control
thread. The window calls request methods here (queued to the worker threads as signals) and
listens to the workers' result signals (queued back to the GUI thread). Engine events arrive on
the engine's own threads and are re-emitted as Qt signals, which Qt delivers in the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from ablage_desktop.engine import (
    Engine,
    EventHandlers,
    MemorySample,
    ModelLeaked,
    ModelStateChanged,
    OcrDocument,
    PageDone,
)
from ablage_desktop.engine.bench import BenchPlan
from ablage_desktop.gui.archive_worker import ArchiveWorker
from ablage_desktop.gui.workers.batch import EngineWorker
from ablage_desktop.gui.workers.control import AUTO, ControlWorker

log = logging.getLogger(__name__)

ACTIVITY_REFRESH_S = 0.25
"""The models table refreshes at most this often for page progress."""


class EngineBridge(QObject):
    """The window's one handle on the engine: request methods in, signals out."""

    # requests, queued to the worker threads. Paths travel as ``object``: Qt would turn a
    # ``str`` into a QString and lose the bytes of a file name that is not UTF-8.
    _enqueue = Signal(object, str, object, bool)
    _preview = Signal(object, int)
    _load = Signal(str)
    _unload = Signal(str)
    _unload_all = Signal()
    _refresh = Signal()
    _quantize = Signal(str, str)
    _add_server = Signal(str, object, bool)
    _prepare = Signal()
    _bench = Signal(int, object)  # bench id, BenchPlan
    _resume = Signal(int)  # job id
    _export = Signal(object, str, str, object)  # OcrDocument, path, format, the inputs
    _check_resumable = Signal()
    _discard = Signal(int)  # job id
    _search = Signal(int, str)  # request id, words
    _open_archived = Signal(str, object, int)  # sha256, path, page index

    # results, re-emitted in the GUI thread
    modelEvent = Signal(object)  # ModelStateChanged
    memorySampled = Signal(float, object, str)  # t, MemorySnapshot, pressure
    leaked = Signal(str, list)  # model, object type names
    batchesPendingChanged = Signal(int)  # batches queued or running, not yet finished

    def __init__(
        self, engine: Engine, parent: QObject | None = None, config_file: Path | None = None
    ) -> None:
        """``config_file``: the user's configuration, where servers added in the window go."""
        super().__init__(parent)
        self.engine = engine
        self.batch_thread = QThread(self)
        self.batch_thread.setObjectName("ablage-gui-batches")
        self.control_thread = QThread(self)
        self.control_thread.setObjectName("ablage-gui-control")
        self.worker = EngineWorker(engine)
        self.control = ControlWorker(engine, config_file)
        self.archive = ArchiveWorker(engine.store)
        self.worker.moveToThread(self.batch_thread)
        self.control.moveToThread(self.control_thread)
        self.archive.moveToThread(self.control_thread)
        self._enqueue.connect(self.control.enqueue)
        self._preview.connect(self.control.preview)
        self._load.connect(self.control.load)
        self._unload.connect(self.control.unload)
        self._unload_all.connect(self.control.unload_all)
        self._refresh.connect(self.control.refresh)
        self._quantize.connect(self.control.set_quantization)
        self._add_server.connect(self.control.add_server)
        self._prepare.connect(self.control.prepare)
        self._bench.connect(self.worker.run_bench)
        self.control.runRequest.connect(self.worker.run_request)
        self._resume.connect(self.control.resume)
        self._export.connect(self.control.export)
        self._check_resumable.connect(self.archive.check_resumable)
        self._discard.connect(self.archive.discard)
        self._search.connect(self.archive.search)
        self._open_archived.connect(self.archive.open_document)
        self._searches = itertools.count(1)
        self._on_engine_event = (
            EventHandlers()
            .on(MemorySample, self._memory_sampled)
            .on(ModelStateChanged, self._model_changed)
            .on(PageDone, self._page_done)
            .on(ModelLeaked, self._leaked)
        )
        self._unsubscribe = engine.events.subscribe(self._on_engine_event)
        self._last_batch = 0
        self._last_activity_refresh = 0.0
        self._pending_batches: set[int] = set()
        self._benches = itertools.count(1)
        self.control.documentsQueued.connect(self._remember_batch)
        self.worker.batchFinished.connect(self._forget_batch)

    def start(self) -> None:
        self.batch_thread.start()
        self.control_thread.start()
        self.engine.start()
        self._refresh.emit()
        self._check_resumable.emit()
        self._prepare.emit()  # engine libraries imported now, not when the user first waits

    @property
    def has_archive(self) -> bool:
        return self.engine.store is not None

    # --- requests ---------------------------------------------------------------------------

    def enqueue(
        self,
        paths: list[str],
        backend: str = AUTO,
        languages: str | None = None,
        force: bool = False,
    ) -> None:
        self._enqueue.emit(paths, backend, languages, force)

    def request_preview(self, path: str, index: int) -> None:
        self._preview.emit(path, index)

    def load(self, name: str) -> None:
        self._load.emit(name)

    def resume(self, job: int) -> None:
        """Queue the unfinished documents of archived batch ``job``."""
        self._resume.emit(job)

    def discard(self, job: int) -> None:
        """Mark archived batch ``job`` as cancelled: it is not offered again."""
        self._discard.emit(job)

    def search(self, words: str) -> int:
        """Search the archive; the id that ``archive.searchDone`` answers with."""
        request = next(self._searches)
        self._search.emit(request, words)
        return request

    def open_archived(self, sha256: str, path: str, page: int) -> None:
        """Fetch an archived document's stored pages (``archive.documentOpened``)."""
        self._open_archived.emit(sha256, path, page)

    def export(
        self, document: OcrDocument, path: str, fmt: str, inputs: Sequence[Path] = ()
    ) -> None:
        """Write ``document`` as ``fmt`` to ``path`` (``control.exported`` or ``failed``),
        never over one of ``inputs``."""
        self._export.emit(document, path, fmt, list(inputs))

    def unload(self, name: str) -> None:
        self._unload.emit(name)

    def unload_all(self) -> None:
        self._unload_all.emit()

    def refresh(self) -> None:
        self._refresh.emit()

    def set_quantization(self, name: str, quantization: str) -> None:
        self._quantize.emit(name, quantization)

    def add_server(self, name: str, entry: dict[str, object], first_in_auto: bool) -> None:
        """Add an inference server (``control.modelsChanged`` shows it, ``failed`` says why not)."""
        self._add_server.emit(name, entry, first_in_auto)

    def start_bench(self, plan: BenchPlan) -> int:
        """Queue a benchmark behind the batches already queued; its id for the bench signals."""
        bench = next(self._benches)
        self._bench.emit(bench, plan)
        return bench

    def cancel_bench(self, bench: int) -> None:
        """Stop benchmark ``bench``, running or still queued (thread-safe, immediate)."""
        self.worker.cancel_bench(bench)

    def cancel(self) -> None:
        """Stop the running batch and drop the queued ones (thread-safe, immediate)."""
        self.worker.cancel(self._last_batch)

    @property
    def batches_pending(self) -> int:
        """Batches queued or running: a benchmark started now waits for them."""
        return len(self._pending_batches)

    def _remember_batch(self, batch: int, paths: list[str], skipped: int) -> None:
        self._last_batch = max(self._last_batch, batch)
        self._pending_batches.add(batch)
        self.batchesPendingChanged.emit(len(self._pending_batches))

    def _forget_batch(
        self, batch: int, done: int, failed: int, seconds: float, cancelled: bool
    ) -> None:
        self._pending_batches.discard(batch)
        self.batchesPendingChanged.emit(len(self._pending_batches))

    # --- engine events ----------------------------------------------------------------------

    def _memory_sampled(self, event: MemorySample) -> None:
        self.memorySampled.emit(time.monotonic(), event.snapshot, event.pressure)

    def _model_changed(self, event: ModelStateChanged) -> None:
        self.modelEvent.emit(event)
        self._refresh.emit()

    def _page_done(self, event: PageDone) -> None:
        if event.restored:
            return
        # The models table shows pages in flight and seconds per page: keep it current,
        # a few times a second at most.
        now = time.monotonic()
        if now - self._last_activity_refresh >= ACTIVITY_REFRESH_S:
            self._last_activity_refresh = now
            self._refresh.emit()

    def _leaked(self, event: ModelLeaked) -> None:
        self.leaked.emit(event.model, list(event.objects))

    # --- shutdown ---------------------------------------------------------------------------

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel, stop both threads and close the engine; False if a thread did not stop.

        Never ``terminate()``: a thread still inside a model load is left to the process exit.
        """
        self._unsubscribe()
        self.worker.interrupt()  # the running batch stays resumable
        self.worker.cancel_bench(10**9)
        deadline = time.monotonic() + timeout_ms / 1000
        stopped = True
        for thread in (self.batch_thread, self.control_thread):
            thread.quit()
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            stopped = thread.wait(remaining) and stopped
        if stopped:
            self.engine.close()
            if self.engine.store is not None:
                self.engine.store.close()
        else:
            log.warning("An engine thread is still busy (a model load?); leaving it to exit")
            self.engine.release_shared_memory()
        return stopped
