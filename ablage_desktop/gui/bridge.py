"""``EngineBridge``: the window's one handle on the engine, and the two threads behind it.

Every engine call runs off the GUI thread as a ``Task`` (``tasks.py``): ``run`` hands it to the
control thread (models, previews, exports, search: quick requests that must work while a batch
runs), ``run_batch`` to the batch thread (batches and benchmarks, one after another). Either is
one queued hop from the GUI thread, and the outcome comes back to the GUI thread. Engine events
arrive on the engine's own threads and are re-emitted as Qt signals, which Qt delivers in the
GUI thread; a batch's progress comes from ``EngineWorker`` (``workers/batch.py``).
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from shiboken6 import getCppPointer

from ablage_desktop.engine import (
    AUTO,
    AblageError,
    BenchPlan,
    Engine,
    EventHandlers,
    MemorySample,
    ModelLeaked,
    ModelStateChanged,
    PageDone,
)
from ablage_desktop.gui.heap import freeze_heap, freeze_if_idle, unfreeze_heap
from ablage_desktop.gui.model_requests import ModelRequests
from ablage_desktop.gui.tasks import ErrorCallback, ResultCallback, Task, TaskRunner
from ablage_desktop.gui.workers.batch import EngineWorker

log = logging.getLogger(__name__)

ACTIVITY_REFRESH_S = 0.25
"""The models table refreshes at most this often for page progress."""


class EngineBridge(QObject):
    """The window's one handle on the engine: calls off the GUI thread in, signals out."""

    # Asked for from any thread (engine events): refreshes the models table from the GUI thread.
    _refresh = Signal()

    modelsChanged = Signal(object)  # list[BackendStatus]
    message = Signal(str)  # a line for the status bar
    failed = Signal(object)  # AblageError: what went wrong, in words for the user
    modelEvent = Signal(object)  # ModelStateChanged
    memorySampled = Signal(float, object, str)  # t, MemorySnapshot, pressure
    leaked = Signal(str, list)  # model, object type names
    batchesPendingChanged = Signal(int)  # batches queued or running, not yet finished
    resumable = Signal(list)  # list[Job]: archived batches that stopped before their end
    documentsAnnounced = Signal(int, str, list)  # batch, engine, paths: rows before its turn

    def __init__(
        self, engine: Engine, parent: QObject | None = None, config_file: Path | None = None
    ) -> None:
        """``config_file``: the user's configuration, where servers added in the window go."""
        super().__init__(parent)
        self.engine = engine
        self._batches_runner = TaskRunner("ablage-gui-batches", self)
        self._control_runner = TaskRunner("ablage-gui-control", self)
        # Collects a drop's documents at once so its rows show while earlier batches run; the
        # batch thread collects again at the batch's turn and its list is the one read.
        self._intake_runner = TaskRunner("ablage-gui-intake", self)
        self.intake_thread: QThread = self._intake_runner.qthread
        self.batch_thread: QThread = self._batches_runner.qthread
        self.control_thread: QThread = self._control_runner.qthread
        self._tasks: set[Task] = set()
        self.worker = EngineWorker(engine)
        # It emits from the batch thread, where its calls run: it lives there, so that Qt never
        # sees a signal sent from a thread other than its object's.
        self.worker.moveToThread(self.batch_thread)
        self.models = ModelRequests(self, config_file)
        self._refresh.connect(self.refresh)
        self._on_engine_event = (
            EventHandlers()
            .on(MemorySample, self._memory_sampled)
            .on(ModelStateChanged, self._model_changed)
            .on(PageDone, self._page_done)
            .on(ModelLeaked, self._leaked)
        )
        self._unsubscribe = engine.subscribe(self._on_engine_event)
        self._last_activity_refresh = 0.0
        self._pending_batches: set[int] = set()
        self._shutting_down = False
        self._batches = itertools.count(1)
        self._benches = itertools.count(1)
        self.worker.batchFinished.connect(self._batch_finished)

    def start(self) -> None:
        freeze_heap()  # before any engine thread runs: nothing of a model yet (gui/heap.py)
        self.batch_thread.start()
        self.control_thread.start()
        self.intake_thread.start()
        self.engine.start()
        self.refresh()
        self.run(self.engine.resumable_jobs, on_result=self.resumable.emit)
        # Engine libraries imported now, not when the user waits; then what they added is
        # frozen out of the garbage collector's full passes too, if nothing runs (gui/heap.py).
        self.run(self._prepare)
        self._index_archive()

    def _prepare(self) -> None:
        """In the control thread: the engines' imports, then the heap frozen if idle."""
        self.engine.prepare()
        freeze_if_idle(lambda: not self._pending_batches and not self.engine.resident())

    def _index_archive(self, indexed: int = -1) -> None:
        """An older archive's pages indexed for words inside words a short step at a time,
        each step a task of its own: a search or a load asked meanwhile waits one step."""
        if indexed and not self._shutting_down:
            self.run(self.engine.index_archive, on_result=self._index_archive)

    @property
    def has_archive(self) -> bool:
        return self.engine.has_archive

    # --- calls off the GUI thread -----------------------------------------------------------

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        on_item: ResultCallback | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> Task:
        """``fn(*args)`` in the control thread; the callbacks run in the GUI thread. Without
        ``on_error`` an error goes to ``failed`` (the window shows it)."""
        return self._submit(
            self._control_runner, fn, args, on_result, on_error, on_item, on_finished
        )

    def run_batch(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        on_item: ResultCallback | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> Task:
        """As ``run``, in the batch thread: after the batches and benchmarks queued before."""
        return self._submit(
            self._batches_runner, fn, args, on_result, on_error, on_item, on_finished
        )

    def _submit(
        self,
        runner: TaskRunner,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        on_result: ResultCallback | None,
        on_error: ErrorCallback | None,
        on_item: ResultCallback | None,
        on_finished: Callable[[], None] | None,
    ) -> Task:
        if getCppPointer(QThread.currentThread()) != getCppPointer(self.thread()):
            raise RuntimeError("EngineBridge.run is for the GUI thread")
        task = Task(fn, *args)
        task.on(on_result, on_error or self.failed.emit, on_item, on_finished)
        task.keep_in(self._tasks)
        return runner.submit(task)

    # --- requests ---------------------------------------------------------------------------

    def enqueue(
        self,
        paths: Sequence[str | Path],
        backend: str = AUTO,
        languages: str | None = None,
        force: bool = False,
    ) -> int:
        """Read ``paths`` (files and folders) as a new batch with ``backend``; ``languages``
        for engines that take them (None: as configured), ``force``: read again what the
        archive holds for this engine. The batch's id; one hop to the batch thread."""
        batch = self._new_batch()
        documents = [Path(path) for path in paths]
        self.run_batch(
            self.worker.read_dropped,
            batch,
            documents,
            backend,
            languages,
            force,
            on_finished=lambda: self._forget_batch(batch),
        )
        self._submit(
            self._intake_runner,
            self.engine.collect,
            (documents,),
            lambda collected: self._announce(batch, backend, collected.documents),
            _not_announced,
            None,
            None,
        )
        return batch

    def _announce(self, batch: int, backend: str, documents: Sequence[Path]) -> None:
        if batch in self._pending_batches and documents:
            self.documentsAnnounced.emit(batch, backend, [str(path) for path in documents])

    def resume(self, job: int) -> int:
        """Queue the unfinished documents of archived batch ``job``; the new batch's id."""
        batch = self._new_batch()
        self.run_batch(
            self.worker.resume, batch, job, on_finished=lambda: self._forget_batch(batch)
        )
        return batch

    def refresh(self) -> None:
        """The models table anew (``modelsChanged``)."""
        self.run(self.engine.statuses, on_result=self.modelsChanged.emit)

    def start_bench(self, plan: BenchPlan) -> int:
        """Queue a benchmark behind the batches already queued; its id for the bench signals."""
        bench = next(self._benches)
        self.run_batch(self.worker.run_bench, bench, plan)
        return bench

    def cancel_bench(self, bench: int) -> None:
        """Stop benchmark ``bench``, running or still queued (thread-safe, immediate)."""
        self.worker.cancel_bench(bench)

    def add_pdf_password(self, password: str) -> None:
        """Try ``password`` on locked PDFs from the next batch on (immediate: the engine only
        swaps its configuration, which a batch reads when it starts)."""
        self.engine.add_pdf_password(password)

    def cancel(self) -> None:
        """Stop the running batch and drop the queued ones (thread-safe, immediate)."""
        self.worker.cancel(max(self._pending_batches, default=0))

    @property
    def batches_pending(self) -> int:
        """Batches queued or running: a benchmark started now waits for them."""
        return len(self._pending_batches)

    def _new_batch(self) -> int:
        batch = next(self._batches)
        self._pending_batches.add(batch)
        self.batchesPendingChanged.emit(len(self._pending_batches))
        return batch

    def _batch_finished(
        self, batch: int, done: int, failed: int, seconds: float, cancelled: bool
    ) -> None:
        self._forget_batch(batch)

    def _forget_batch(self, batch: int) -> None:
        if batch in self._pending_batches:
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
        self._shutting_down = True
        self._unsubscribe()
        self.worker.interrupt()  # the running batch stays resumable
        self.worker.cancel_bench(10**9)
        for task in self._tasks:
            task.cancel()  # what is still queued does not start
        deadline = time.monotonic() + timeout_ms / 1000
        stopped = True
        for thread in (self.intake_thread, self.batch_thread, self.control_thread):
            thread.quit()
            remaining = max(0, int((deadline - time.monotonic()) * 1000))
            stopped = thread.wait(remaining) and stopped
        # After the threads: a ``_prepare`` still running would freeze the heap again.
        unfreeze_heap()
        if stopped:
            self.engine.close()
            self.engine.close_archive()
        else:
            log.warning("An engine thread is still busy (a model load?); leaving it to exit")
            self.engine.release_shared_memory()
        return stopped


def _not_announced(error: AblageError) -> None:
    """The batch thread collects the drop again at its turn and says what went wrong then."""
    log.debug("the drop's rows wait for its turn: %s", error)
