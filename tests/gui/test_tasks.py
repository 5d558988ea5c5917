"""``gui/tasks.py``: one engine call in a worker thread, its outcome back in the GUI thread.

A real ``TaskRunner`` with its own ``QThread``; the calls are plain functions, so what is tested
is the order of the signals, the typed errors, the items of a generator and cancelling.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ablage_desktop.engine.errors import AblageError, InternalError, UnknownBackend
from ablage_desktop.gui.tasks import Task, TaskRunner

WAIT_MS = 10_000


@pytest.fixture
def runner(qtbot: QtBot) -> Iterator[TaskRunner]:
    runner = TaskRunner("test-tasks")
    runner.qthread.start()
    yield runner
    runner.qthread.quit()
    assert runner.qthread.wait(WAIT_MS)


class Outcome:
    """Everything a task said, in order, with the thread each callback ran in."""

    def __init__(self, task: Task) -> None:
        self.signals: list[str] = []
        self.items: list[object] = []
        self.result: object = None
        self.error: AblageError | None = None
        self.callback_threads: set[str] = set()
        task.started.connect(lambda: self.signals.append("started"))
        task.on(
            result=self._returned,
            error=self._errored,
            item=self._yielded,
            finished=self._finished,
        )

    def _note_thread(self) -> None:
        self.callback_threads.add(threading.current_thread().name)

    def _returned(self, value: object) -> None:
        self._note_thread()
        self.signals.append("returned")
        self.result = value

    def _errored(self, error: AblageError) -> None:
        self._note_thread()
        self.signals.append("errored")
        self.error = error

    def _yielded(self, item: object) -> None:
        self._note_thread()
        self.signals.append("yielded")
        self.items.append(item)

    def _finished(self) -> None:
        self._note_thread()
        self.signals.append("finished")


def run(qtbot: QtBot, runner: TaskRunner, task: Task) -> Outcome:
    outcome = Outcome(task)
    with qtbot.waitSignal(task.finished, timeout=WAIT_MS):
        runner.submit(task)
    qtbot.waitUntil(lambda: "finished" in outcome.signals, timeout=WAIT_MS)
    return outcome


def test_a_call_runs_in_the_worker_thread_and_answers_in_the_gui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    ran_in: list[str] = []

    def work(a: int, b: int) -> int:
        ran_in.append(threading.current_thread().name)
        return a + b

    outcome = run(qtbot, runner, Task(work, 2, 3))

    assert outcome.result == 5
    assert outcome.signals == ["started", "returned", "finished"]
    assert ran_in and ran_in[0] != threading.main_thread().name
    assert outcome.callback_threads == {threading.main_thread().name}


def test_a_typed_error_arrives_as_it_was_raised(qtbot: QtBot, runner: TaskRunner) -> None:
    def load() -> None:
        raise UnknownBackend("abbyy", ["auto", "tesseract"])

    outcome = run(qtbot, runner, Task(load))

    assert outcome.signals == ["started", "errored", "finished"]
    assert isinstance(outcome.error, UnknownBackend)
    assert "abbyy" in outcome.error.message


def test_an_unexpected_error_becomes_an_internal_error_that_carries_it(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    def broken() -> None:
        raise RuntimeError("the engine broke")

    outcome = run(qtbot, runner, Task(broken))

    assert isinstance(outcome.error, InternalError)
    assert (outcome.error.kind, outcome.error.message) == (
        "internal",
        "RuntimeError: the engine broke",
    )
    assert isinstance(outcome.error.__cause__, RuntimeError)


def test_a_generator_s_items_arrive_in_order_then_its_return_value(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    def count(n: int) -> Iterator[int]:
        yield from range(n)
        return n

    outcome = run(qtbot, runner, Task(count, 50))

    assert outcome.items == list(range(50))
    assert outcome.result == 50
    assert outcome.signals == ["started", *["yielded"] * 50, "returned", "finished"]


def test_an_error_after_some_items_still_delivers_them_first(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    def two_then_fail() -> Iterator[str]:
        yield "a"
        yield "b"
        raise UnknownBackend("x", [])

    outcome = run(qtbot, runner, Task(two_then_fail))

    assert outcome.items == ["a", "b"]
    assert outcome.signals[-2:] == ["errored", "finished"]


def test_cancel_stops_a_generator_before_its_next_item(qtbot: QtBot, runner: TaskRunner) -> None:
    proceed = threading.Event()
    closed = threading.Event()

    def endless() -> Iterator[int]:
        n = 0
        try:
            while True:
                yield n
                n += 1
                proceed.wait(WAIT_MS / 1000)
        finally:
            closed.set()

    task = Task(endless)
    outcome = Outcome(task)
    runner.submit(task)
    qtbot.waitUntil(lambda: bool(outcome.items), timeout=WAIT_MS)
    task.cancel()
    proceed.set()
    qtbot.waitUntil(lambda: "finished" in outcome.signals, timeout=WAIT_MS)

    assert closed.is_set()
    assert len(outcome.items) <= 2
    assert outcome.error is None and outcome.result is None


def test_a_task_cancelled_before_it_starts_does_not_run(qtbot: QtBot, runner: TaskRunner) -> None:
    ran: list[bool] = []
    task = Task(lambda: ran.append(True))
    task.cancel()

    outcome = run(qtbot, runner, task)

    assert ran == []
    assert outcome.signals == ["finished"]


def test_tasks_of_one_runner_run_one_after_another_in_order(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    order: list[int] = []
    tasks = [Task(order.append, n) for n in range(20)]
    outcomes = [Outcome(task) for task in tasks]
    for task in tasks:
        runner.submit(task)
    qtbot.waitUntil(lambda: all("finished" in o.signals for o in outcomes), timeout=WAIT_MS)

    assert order == list(range(20))


def test_a_held_task_is_let_go_after_its_last_signal(qtbot: QtBot, runner: TaskRunner) -> None:
    held: set[Task] = set()
    task = Task(int, "7").keep_in(held)
    outcome = run(qtbot, runner, task)

    assert outcome.result == 7
    qtbot.waitUntil(lambda: not held, timeout=WAIT_MS)
