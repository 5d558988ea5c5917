"""``EngineWorker``: batches of documents and benchmarks, one after another, in the batch thread.

The bridge runs its methods as tasks in the batch thread (``EngineBridge.run_batch``). Each job
blocks that thread, so a benchmark waits for the batches queued before it, and a batch for a
running benchmark. A batch's progress goes out as signals; an error that ends a batch goes up
to the task, which hands it to the window in words.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ablage_desktop.engine import (
    BenchPlan,
    BenchProgress,
    CancelToken,
    Engine,
    OcrRequest,
    markdown,
    render_png,
)
from ablage_desktop.gui.batch_events import BatchEvents
from ablage_desktop.gui.failures import describe as _describe


class EngineWorker(QObject):
    """Runs batches, one after another, in its own thread."""

    batchEngine = Signal(int, str)  # batch id, engine asked for (before documentsQueued)
    documentsQueued = Signal(int, object, int)  # batch id, document paths (str), skipped count
    batchStarted = Signal(int, object)  # batch id, document paths (str)
    documentStarted = Signal(int, int, int)  # batch id, position, pages
    pageDone = Signal(int, int, object)  # batch id, position, OcrPage recognised now
    pageRestored = Signal(int, int, object)  # batch id, position, OcrPage from the archive
    documentFinished = Signal(int, int, object)  # batch id, position, OcrDocument
    batchFinished = Signal(int, int, int, float, bool)  # id, done, failed, seconds, cancelled
    message = Signal(str)  # a line for the status bar

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

    def read_dropped(
        self, batch: int, paths: list[Path], backend: str, languages: str | None, force: bool
    ) -> None:
        """Read the documents in ``paths`` (files and folders) as batch ``batch`` with
        ``backend`` (``auto``: one per page); ``languages`` for engines that take them (None:
        as configured), ``force``: read again what the archive holds for this engine."""
        collected = self._engine.collect(paths)
        if not collected.documents:
            self.message.emit(self.tr("No documents found in what was dropped."))
            return
        documents = [str(path) for path in collected.documents]
        request = OcrRequest(
            list(collected.documents), backend=backend, languages=languages or None, force=force
        )
        self.batchEngine.emit(batch, backend)
        self.documentsQueued.emit(batch, documents, len(collected.skipped))
        self.run_request(batch, request)

    def resume(self, batch: int, job: int) -> None:
        """Read the unfinished documents of archived batch ``job`` as batch ``batch``."""
        request = self._engine.resume(job)
        if request is None:
            self.message.emit(self.tr("That batch has nothing left to read."))
            return
        self.documentsQueued.emit(batch, [str(path) for path in request.paths], 0)
        self.run_request(batch, request)

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
        unsubscribe = self._engine.subscribe(BatchEvents(batch, self, request.resume_job))
        stopped = 0
        completed = False
        try:
            self.batchStarted.emit(batch, paths)
            for document in self._engine.ocr(request, cancel):
                done += document.ok
                if document.error is not None and document.error.kind == "cancelled":
                    stopped += 1  # not a failure: the user stopped it, it can be resumed
                else:
                    failed += not document.ok
            completed = True
        finally:
            if not completed:  # the engine raised (the task reports it): the rest failed
                failed = len(paths) - done - stopped
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

    def run_bench(self, bench: int, plan: BenchPlan) -> None:
        """The ``ablage-desktop bench`` run; a cancelled one finishes with no chart."""
        cancel = CancelToken()
        with self._lock:
            if bench <= self._bench_cancelled_upto:
                cancel.cancel()
            self._bench_cancel, self._bench_running = cancel, bench
        try:
            self.benchStarted.emit(bench)
            report = self._engine.bench(plan, self._progress_emitter(bench), cancel)
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
