"""Engine calls off the GUI thread, all in one way (the shape of superqt's ``FunctionWorker`` and
``GeneratorWorker``).

A ``Task`` is one call: made in the GUI thread, run by a ``TaskRunner`` in its worker thread,
its outcome back in the GUI thread as ``started``, ``yielded`` (each item of a generator, in
order), ``returned`` or ``errored``, then ``finished``. Every exception becomes a typed
``AblageError`` here, once (``InternalError`` for a bug). The callbacks given to ``Task.on``
run in the GUI thread whatever they are (lambdas, partials), because the task's own slots
call them.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ablage_desktop.engine.errors import AblageError, InternalError, as_ablage_error

log = logging.getLogger(__name__)

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[AblageError], None]


class Task(QObject):
    """One engine call run in a worker thread; its outcome as signals in the GUI thread."""

    started = Signal()
    yielded = Signal(object)  # one item of a generator
    returned = Signal(object)  # the call's value (a generator's return value)
    errored = Signal(object)  # AblageError
    finished = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.name = getattr(fn, "__qualname__", repr(fn))
        self._call = functools.partial(fn, *args, **kwargs)
        self._cancelled = threading.Event()
        self._on_result: ResultCallback | None = None
        self._on_error: ErrorCallback | None = None
        self._on_item: ResultCallback | None = None
        self._on_finished: list[Callable[[], None]] = []
        self._holder: set[Task] | None = None
        self.returned.connect(self._deliver_result)
        self.errored.connect(self._deliver_error)
        self.yielded.connect(self._deliver_item)
        self.finished.connect(self._deliver_finished)

    def on(
        self,
        result: ResultCallback | None = None,
        error: ErrorCallback | None = None,
        item: ResultCallback | None = None,
        finished: Callable[[], None] | None = None,
    ) -> Task:
        """Callbacks for the outcome, called in the GUI thread; set before the task runs."""
        self._on_result = result or self._on_result
        self._on_error = error or self._on_error
        self._on_item = item or self._on_item
        if finished is not None:
            self._on_finished.append(finished)
        return self

    def keep_in(self, holder: set[Task]) -> Task:
        """Stay in ``holder`` (alive) until the last signal has been delivered."""
        holder.add(self)
        self._holder = holder
        return self

    # --- in any thread ----------------------------------------------------------------------

    def cancel(self) -> None:
        """A task not started yet does not run; a generator stops before its next item."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    # --- in the worker thread ---------------------------------------------------------------

    def run(self) -> None:
        """The call, and the signals of its outcome (``finished`` always, last)."""
        if self.cancelled:
            self.finished.emit()
            return
        self.started.emit()
        try:
            value = self._call()
            if isinstance(value, Generator):
                value = self._drain(value)
        except Exception as exc:
            error = as_ablage_error(exc)
            if isinstance(error, InternalError):
                log.error("Unexpected error in %s", self.name, exc_info=exc)
            self.errored.emit(error)
        else:
            self.returned.emit(value)
        finally:
            self.finished.emit()

    def _drain(self, items: Generator[Any, None, Any]) -> Any:
        """Each item as ``yielded``; the generator's return value, or None when cancelled."""
        while not self.cancelled:
            try:
                item = next(items)
            except StopIteration as stop:
                return stop.value
            self.yielded.emit(item)
        items.close()
        return None

    # --- in the GUI thread ------------------------------------------------------------------

    @Slot(object)
    def _deliver_result(self, value: object) -> None:
        if self._on_result is not None:
            self._on_result(value)

    @Slot(object)
    def _deliver_error(self, error: AblageError) -> None:
        if self._on_error is not None:
            self._on_error(error)

    @Slot(object)
    def _deliver_item(self, item: object) -> None:
        if self._on_item is not None:
            self._on_item(item)

    @Slot()
    def _deliver_finished(self) -> None:
        for callback in self._on_finished:
            callback()
        if self._holder is not None:
            # Let go once this slot has returned: never deleted inside its own event.
            QTimer.singleShot(0, functools.partial(self._holder.discard, self))


class TaskRunner(QObject):
    """Runs the tasks handed to it one after another in its own ``QThread``.

    ``submit`` is one queued hop from the GUI thread into the worker thread.
    """

    _submitted = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__()
        self.qthread = QThread(parent)
        self.qthread.setObjectName(name)
        self.moveToThread(self.qthread)
        self._submitted.connect(self._run)

    def submit(self, task: Task) -> Task:
        self._submitted.emit(task)
        return task

    @Slot(object)
    def _run(self, task: Task) -> None:
        task.run()
