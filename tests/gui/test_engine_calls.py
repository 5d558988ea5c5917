"""The window's engine calls through ``EngineBridge.run``: off the GUI thread, errors in words,
and a dropped file reaching the engine as it is (scripted engines, the real window)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import ScriptedBackend, scripted_spec
from pytestqt.qtbot import QtBot
from samples import text_page
from windows import open_window

from ablage_desktop.engine import DocumentFinished, Event
from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.errors import AblageError, UnknownBackend
from ablage_desktop.gui.main_window import MainWindow

BATCH_TIMEOUT_MS = 60_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path, store=tmp_path / "archive.sqlite3") as main:
        yield main


def add_engine(window: MainWindow, qtbot: QtBot, name: str) -> ScriptedBackend:
    backend = ScriptedBackend(name=name)
    window.bridge.engine.add_model(name, scripted_spec(backend), EngineOptions(engine=name))
    window.bridge.refresh()
    qtbot.waitUntil(lambda: window.backend_box.findData(name) >= 0, timeout=10_000)
    return backend


def choose_slow_engine(
    window: MainWindow, qtbot: QtBot, release: threading.Event
) -> ScriptedBackend:
    """A scripted engine that holds every page until ``release``, chosen in the window."""
    backend = ScriptedBackend(name="slow", hook=lambda page: release.wait(30))
    window.bridge.engine.add_model("slow", scripted_spec(backend), EngineOptions(engine="slow"))
    window.bridge.refresh()
    qtbot.waitUntil(lambda: window.backend_box.findData("slow") >= 0, timeout=10_000)
    window.backend_box.setCurrentIndex(window.backend_box.findData("slow"))
    return backend


def test_a_call_runs_off_the_gui_thread_and_its_result_comes_back_to_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    ran_in: list[str] = []
    answered_in: list[str] = []

    def statuses() -> list[str]:
        ran_in.append(threading.current_thread().name)
        return [s.name for s in window.bridge.engine.statuses()]

    def answered(names: list[str]) -> None:
        answered_in.append(threading.current_thread().name)

    window.bridge.run(statuses, on_result=answered)
    qtbot.waitUntil(lambda: bool(answered_in), timeout=10_000)

    assert ran_in != [threading.main_thread().name]
    assert answered_in == [threading.main_thread().name]


def test_a_failed_call_reaches_the_user_in_words(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.bridge.failed, timeout=10_000) as failed:
        window.bridge.models.load("abbyy")

    (error,) = failed.args
    assert isinstance(error, UnknownBackend)
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=5000)
    assert window.last_error is not None and window.last_error[0] == "unknown_backend"
    shown = window.statusBar().currentMessage()
    assert shown.startswith("Error: ") and "abbyy" in shown
    assert "Traceback" not in shown


def test_an_own_error_handler_replaces_the_window_s(window: MainWindow, qtbot: QtBot) -> None:
    errors: list[AblageError] = []

    def broken() -> None:
        raise ValueError("raw library words")

    window.bridge.run(broken, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)

    assert errors[0].kind == "internal" and "raw library words" in errors[0].message
    assert window.last_error is None


def test_a_generator_s_items_reach_the_gui_thread_in_order(
    window: MainWindow, qtbot: QtBot
) -> None:
    items: list[int] = []
    finished: list[bool] = []

    def count() -> Iterator[int]:
        yield from range(100)

    window.bridge.run(count, on_item=items.append, on_finished=lambda: finished.append(True))
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)

    assert items == list(range(100))


def test_a_dropped_file_with_a_name_that_is_not_utf8_reaches_the_engine_unchanged(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # No archive: the scripted engine's text is the file name, surrogates and all, which no
    # real engine would read off a page (and SQLite would not take as text).
    with open_window(qtbot, tmp_path) as window:
        read_a_name_that_is_not_utf8(window, qtbot, tmp_path)


def read_a_name_that_is_not_utf8(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/Rechnung-\xe4.png"  # Latin-1 "ä": not UTF-8
    try:
        with open(raw, "wb") as file:  # noqa: PTH123 (a bytes path, on purpose)
            text_page().save(file, format="PNG")
    except OSError as exc:
        pytest.skip(f"this file system refuses names that are not UTF-8: {exc}")
    name = os.fsdecode(raw)  # 'Rechnung-\udce4.png': the bytes kept as surrogates
    backend = add_engine(window, qtbot, "fast")
    window.backend_box.setCurrentIndex(window.backend_box.findData("fast"))
    finished: list[Path] = []

    def record(event: Event) -> None:
        if isinstance(event, DocumentFinished):
            finished.append(event.result.document)

    unsubscribe = window.bridge.engine.subscribe(record)
    try:
        with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
            window.enqueue([name])
    finally:
        unsubscribe()
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)

    assert [os.fsencode(path) for path in finished] == [raw]
    assert [os.fsencode(page) for page, _ in backend.calls] == [b"Rechnung-\xe4.png"]
    (entry,) = window.queue.entries
    assert entry.state == "done" and os.fsencode(entry.path) == raw


def test_a_drop_while_a_batch_runs_is_read_after_it_and_cancel_covers_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    release = threading.Event()
    backend = choose_slow_engine(window, qtbot, release)
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    text_page().save(first)
    text_page().save(second)

    with qtbot.waitSignal(window.bridge.worker.batchStarted, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(first)])
    window.enqueue([str(second)])
    assert window.bridge.batches_pending == 2  # known at once: Cancel covers the second too
    window.cancel_batch()
    release.set()
    qtbot.waitUntil(lambda: window.bridge.batches_pending == 0, timeout=BATCH_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)

    assert [Path(e.path).name for e in window.queue.entries] == ["first.png", "second.png"]
    assert window.queue.entries[1].state == "cancelled"
    assert [name for name, _ in backend.calls].count("second.png") == 0


def test_a_drop_while_a_batch_runs_shows_its_rows_at_once_and_once(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    release = threading.Event()
    choose_slow_engine(window, qtbot, release)
    first, folder = tmp_path / "first.png", tmp_path / "later"
    folder.mkdir()
    text_page().save(first)
    for name in ("b.png", "a.png"):
        text_page().save(folder / name)

    with qtbot.waitSignal(window.bridge.worker.batchStarted, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(first)])
    window.enqueue([str(folder)])
    # The first batch still holds the batch thread: the folder's rows come from the intake one.
    qtbot.waitUntil(lambda: len(window.queue.entries) == 3, timeout=10_000)
    assert not release.is_set()  # the first batch has not finished: the rows came early
    names = [Path(e.path).name for e in window.queue.entries]
    assert names == ["first.png", "a.png", "b.png"]
    assert [e.state for e in window.queue.entries[1:]] == ["pending", "pending"]

    release.set()
    qtbot.waitUntil(lambda: window.bridge.batches_pending == 0, timeout=BATCH_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)
    assert [Path(e.path).name for e in window.queue.entries] == names
    assert [e.state for e in window.queue.entries] == ["done", "done", "done"]
