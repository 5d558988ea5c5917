"""The engine behind the window: two worker objects in two QThreads, and signals out.

* ``EngineWorker`` runs batches of documents and benchmarks (long: each blocks its thread, so
  a benchmark waits for the batches queued before it, and a batch for a running benchmark).
* ``ControlWorker`` does what must stay possible while a batch runs: expanding dropped
  folders, loading and unloading models, page previews.

The window talks to both only through ``EngineBridge``: request signals in (queued to the worker
threads), result signals out (queued back to the GUI thread). Every slot catches everything and
emits ``failed`` with words a person understands, so an engine error never kills the app.
Engine events arrive on the engine's own threads and are re-emitted as Qt signals, which Qt
delivers in the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ablage_desktop.engine import (
    CancelToken,
    DocumentFinished,
    DocumentStarted,
    Engine,
    Event,
    MemorySample,
    ModelLeaked,
    ModelStateChanged,
    OcrDocument,
    OcrRequest,
    PageDone,
    collect_documents,
)
from ablage_desktop.engine.bench import BenchPlan, BenchProgress, run_bench
from ablage_desktop.engine.bench.chart import render_png
from ablage_desktop.engine.bench.report import markdown
from ablage_desktop.engine.errors import ModelBusy
from ablage_desktop.engine.user_config import save_model_entry
from ablage_desktop.gui.archive_worker import ArchiveWorker
from ablage_desktop.gui.failures import describe as _describe
from ablage_desktop.gui.failures import report as _report
from ablage_desktop.gui.images import pil_to_qimage
from ablage_desktop.gui.quantization import quantization_choices

log = logging.getLogger(__name__)

AUTO = "auto"
UNLOAD_WAIT_S = 600.0
ACTIVITY_REFRESH_S = 0.25
"""The models table refreshes at most this often for page progress."""


class EngineWorker(QObject):
    """Runs batches, one after another, in its own thread."""

    batchStarted = Signal(int, object)  # batch id, document paths (str)
    documentStarted = Signal(int, int, int)  # batch id, position, pages
    pageDone = Signal(int, int, object)  # batch id, position, OcrPage recognised now
    pageRestored = Signal(int, int, object)  # batch id, position, OcrPage from the archive
    documentFinished = Signal(int, int, object)  # batch id, position, OcrDocument
    batchFinished = Signal(int, int, int, float, bool)  # id, done, failed, seconds, cancelled
    failed = Signal(str, str, str)  # kind, message, details

    benchStarted = Signal(int)  # bench id
    benchProgress = Signal(int, object)  # bench id, BenchProgress
    benchFinished = Signal(int, object, object, str)  # id, BenchReport, PNG bytes, Markdown
    benchFailed = Signal(int, str, str, str)  # bench id, kind, message, details

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine
        self._lock = threading.Lock()
        self._cancel: CancelToken | None = None
        self._cancelled_upto = 0
        self._bench_cancel: CancelToken | None = None
        self._bench_running = 0
        self._bench_cancelled_upto = 0

    def cancel(self, upto_batch: int) -> None:
        """Thread-safe: stop the running batch and skip the queued ones up to ``upto_batch``."""
        with self._lock:
            self._cancelled_upto = max(self._cancelled_upto, upto_batch)
            if self._cancel is not None:
                self._cancel.cancel()

    def interrupt(self) -> None:
        """Thread-safe: stop everything because the window closes, not because the user
        cancelled: the running batch stays resumable in the archive."""
        with self._lock:
            self._cancelled_upto = 10**9
            if self._cancel is not None:
                self._cancel.interrupt()

    @Slot(int, object)
    def run_request(self, batch: int, request: OcrRequest) -> None:
        """Run ``request`` (a new batch, or an archived one resumed) as batch ``batch``."""
        started = time.perf_counter()
        paths = [str(path) for path in request.paths]
        done = failed = 0
        cancel = CancelToken()
        with self._lock:
            if batch <= self._cancelled_upto:
                cancel.cancel()
            self._cancel = cancel
        unsubscribe = self._engine.events.subscribe(self._forwarder(batch))
        stopped = 0
        try:
            self.batchStarted.emit(batch, paths)
            for document in self._engine.ocr(request, cancel):
                done += document.ok
                if document.error is not None and document.error.kind == "cancelled":
                    stopped += 1  # not a failure: the user stopped it, it can be resumed
                else:
                    failed += not document.ok
        except Exception as exc:
            _report(self.failed, exc)
            failed = len(paths) - done - stopped
        finally:
            unsubscribe()
            with self._lock:
                self._cancel = None
            self.batchFinished.emit(
                batch, done, failed, time.perf_counter() - started, cancel.cancelled
            )

    def cancel_bench(self, upto_bench: int) -> None:
        """Thread-safe: stop the running benchmark if its id is at most ``upto_bench``, and skip
        the queued ones up to it."""
        with self._lock:
            self._bench_cancelled_upto = max(self._bench_cancelled_upto, upto_bench)
            if self._bench_cancel is not None and self._bench_running <= upto_bench:
                self._bench_cancel.cancel()

    @Slot(int, object)
    def run_bench(self, bench: int, plan: BenchPlan) -> None:
        """The ``ablage-desktop bench`` run; a cancelled one finishes with no chart."""
        cancel = CancelToken()
        with self._lock:
            if bench <= self._bench_cancelled_upto:
                cancel.cancel()
            self._bench_cancel, self._bench_running = cancel, bench
        try:
            self.benchStarted.emit(bench)
            report = run_bench(self._engine, plan, self._progress_emitter(bench), cancel)
            png = b"" if report.cancelled else render_png(report)
            self.benchFinished.emit(bench, report, png, markdown(report))
        except Exception as exc:
            self.benchFailed.emit(bench, *_describe(exc))
        finally:
            with self._lock:
                self._bench_cancel, self._bench_running = None, 0

    def _progress_emitter(self, bench: int) -> Callable[[BenchProgress], None]:
        def emit(progress: BenchProgress) -> None:
            self.benchProgress.emit(bench, progress)

        return emit

    def _forwarder(self, batch: int) -> Callable[[Event], None]:
        def forward(event: Event) -> None:
            if isinstance(event, DocumentStarted):
                self.documentStarted.emit(batch, event.position, event.pages)
            elif isinstance(event, PageDone) and event.restored:
                self.pageRestored.emit(batch, event.position, event.page)
            elif isinstance(event, PageDone):
                self.pageDone.emit(batch, event.position, event.page)
            elif isinstance(event, DocumentFinished):
                self.documentFinished.emit(batch, event.position, event.result)

        return forward


class ControlWorker(QObject):
    """Quick requests that must work while a batch runs."""

    documentsQueued = Signal(int, object, int)  # batch id, document paths, skipped count
    batchEngine = Signal(int, str)  # batch id, engine asked for (before documentsQueued)
    previewReady = Signal(object, int, object)  # path, page index, QImage
    modelsChanged = Signal(object)  # list[BackendStatus]
    message = Signal(str)  # a line for the status bar
    exported = Signal(str, str)  # path written, format
    failed = Signal(str, str, str)

    runRequest = Signal(int, object)  # batch id, OcrRequest: forwarded to the EngineWorker

    def __init__(self, engine: Engine, config_file: Path | None = None) -> None:
        super().__init__()
        self._engine = engine
        self._config_file = config_file
        self._batches = itertools.count(1)

    @Slot(str, object, bool)
    def add_server(self, name: str, entry: dict[str, object], first_in_auto: bool) -> None:
        """Register a server, save it in the user's configuration, and check its health."""
        try:
            self._engine.add_server(name, entry, first_in_auto)
            if self._config_file is not None:
                routing = self._engine.config.routing.chains() if first_in_auto else None
                save_model_entry(self._config_file, name, entry, routing)
            self.message.emit(self.tr("Asking {0} whether it answers ...").format(name))
            self.refresh()
            self._engine.manager.acquire(name).release()
            self.message.emit(self.tr("{0} is ready.").format(name))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot(object, str, object, bool)
    def enqueue(self, paths: list[str], backend: str, languages: str | None, force: bool) -> None:
        """Queue ``paths`` for ``backend``; ``languages`` for engines that take them (None: as
        configured), ``force``: read again what the archive holds for this engine."""
        try:
            collected = collect_documents([Path(p) for p in paths])
            if not collected.documents:
                self.message.emit(self.tr("No documents found in what was dropped."))
                return
            batch = next(self._batches)
            documents = [str(path) for path in collected.documents]
            request = OcrRequest(
                list(collected.documents),
                backend=None if backend == AUTO else backend,
                languages=languages or None,
                force=force,
            )
            self.batchEngine.emit(batch, backend)
            self.documentsQueued.emit(batch, documents, len(collected.skipped))
            self.runRequest.emit(batch, request)
        except Exception as exc:
            _report(self.failed, exc)

    @Slot(int)
    def resume(self, job_id: int) -> None:
        """Queue the unfinished documents of archived batch ``job_id`` as a new batch."""
        try:
            store = self._engine.store
            job = store.job(job_id) if store is not None else None
            if job is None or not job.remaining:
                self.message.emit(self.tr("That batch has nothing left to read."))
                return
            request = self._engine.resume_request(job)
            batch = next(self._batches)
            self.documentsQueued.emit(batch, [str(path) for path in request.paths], 0)
            self.runRequest.emit(batch, request)
        except Exception as exc:
            _report(self.failed, exc)

    @Slot(object, str, str, object)
    def export(self, document: OcrDocument, path: str, fmt: str, inputs: list[Path]) -> None:
        """Write ``document`` to ``path`` in export format ``fmt`` (pdf re-renders its pages);
        never over one of ``inputs``."""
        try:
            self._engine.export(document, Path(path), fmt, inputs)
            self.exported.emit(path, fmt)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            message = self.tr("Cannot write {0}: {1}").format(path, reason)
            self.failed.emit("output", message, "".join(traceback.format_exception(exc)))
        except Exception as exc:
            kind, message, details = _describe(exc)
            self.failed.emit(kind, self.tr("Export failed: {0}").format(message), details)

    @Slot(object, int)
    def preview(self, path: str, index: int) -> None:
        try:
            image = self._engine.preview(Path(path), index)
            self.previewReady.emit(path, index, pil_to_qimage(image))
        except Exception as exc:
            _report(self.failed, exc)

    @Slot()
    def prepare(self) -> None:
        try:
            self._engine.prepare()
        except Exception as exc:
            _report(self.failed, exc)

    @Slot()
    def refresh(self) -> None:
        try:
            self.modelsChanged.emit(self._engine.statuses())
        except Exception as exc:
            _report(self.failed, exc)

    @Slot(str)
    def load(self, name: str) -> None:
        try:
            resolved, _ = self._engine.resolve(name)
            self.message.emit(self.tr("Loading {0} ...").format(resolved))
            self._engine.manager.acquire(resolved).release()
            self.message.emit(self.tr("{0} is loaded.").format(resolved))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot(str)
    def unload(self, name: str) -> None:
        try:
            try:
                self._engine.manager.unload(name)
            except ModelBusy:
                self.message.emit(
                    self.tr("{0} is reading a page; it unloads as soon as it is done.").format(name)
                )
                self._engine.manager.unload(name, wait_s=UNLOAD_WAIT_S)
            self.message.emit(self.tr("{0} is unloaded.").format(name))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot(str, str)
    def set_quantization(self, name: str, quantization: str) -> None:
        try:
            if quantization not in quantization_choices(self._engine.options(name)):
                self.message.emit(self.tr("{0} cannot load as {1}.").format(name, quantization))
                return
            self._engine.configure(name, quantization=quantization)
            self.message.emit(self.tr("{0} will load as {1}.").format(name, quantization))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot()
    def unload_all(self) -> None:
        for status in self._engine.statuses():
            if status.state not in ("unloaded", "failed"):
                self.unload(status.name)
        self.refresh()


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

    def _on_engine_event(self, event: Event) -> None:
        if isinstance(event, MemorySample):
            self.memorySampled.emit(time.monotonic(), event.snapshot, event.pressure)
        elif isinstance(event, ModelStateChanged):
            self.modelEvent.emit(event)
            self._refresh.emit()
        elif isinstance(event, PageDone) and not event.restored:
            # The models table shows pages in flight and seconds per page: keep it current,
            # a few times a second at most.
            now = time.monotonic()
            if now - self._last_activity_refresh >= ACTIVITY_REFRESH_S:
                self._last_activity_refresh = now
                self._refresh.emit()
        elif isinstance(event, ModelLeaked):
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
