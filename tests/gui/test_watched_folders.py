"""File > Watch a folder: what arrives there is queued once it has stopped growing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from samples import jpeg_bytes, text_page
from windows import open_window

from ablage_desktop.engine import load_config
from ablage_desktop.gui.main_window import MainWindow
from ablage_desktop.gui.watched_folders import SETTINGS_KEY, SINCE_KEY, WatchedFolders


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """A window whose configuration looks at watched folders every 100 ms and reads a file
    once it has stood still half a second (the shipped 2 s and 3 s are for scanners)."""
    quick = tmp_path / "quick.yaml"
    quick.write_text("intake:\n  watch_poll_s: 0.1\n  watch_settle_s: 0.5\n", encoding="utf-8")
    config = load_config([quick])
    with open_window(qtbot, tmp_path, config, store=tmp_path / "archive.sqlite3") as main:
        yield main


def quick_watcher(window: MainWindow) -> WatchedFolders:
    """The window's watcher made again, as at the window's next start."""
    window.watched.timer.stop()
    window.watched = WatchedFolders(window)
    return window.watched


def watching(window: MainWindow, folder: Path) -> tuple[Path, WatchedFolders]:
    """A folder ``scans`` in ``folder`` that the window watches from now on."""
    inbox = folder / "scans"
    inbox.mkdir(exist_ok=True)
    watcher = quick_watcher(window)
    watcher.add(str(inbox))
    return inbox, watcher


def queued(window: MainWindow) -> list[str]:
    return [Path(entry.path).name for entry in window.queue.entries]


def test_the_watcher_looks_and_waits_as_configured(window: MainWindow, tmp_path: Path) -> None:
    _, watcher = watching(window, tmp_path)

    assert watcher.timer.interval() == 100
    assert watcher._arrivals is not None and watcher._arrivals.settle_s == 0.5


def test_a_scan_that_arrives_is_read_once_it_stopped_growing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    inbox, _ = watching(window, tmp_path)
    data = jpeg_bytes(text_page())

    (inbox / "scan.jpg").write_bytes(data[: len(data) // 2])  # still being written
    qtbot.wait(300)
    with (inbox / "scan.jpg").open("ab") as handle:
        handle.write(data[len(data) // 2 :])
    qtbot.waitUntil(lambda: queued(window) == ["scan.jpg"], timeout=15_000)
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=60_000)

    (entry,) = window.queue.entries
    assert entry.result is not None and entry.result.error is None  # read whole
    assert "Invoice" in entry.result.pages[0].text
    assert window.watched.label.isVisible() and "scans" in window.watched.label.text()
    assert window.settings.value(SETTINGS_KEY) in ([str(inbox)], str(inbox))


def test_what_was_there_is_left_and_what_came_while_closed_is_read(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    old = tmp_path / "scans" / "old.jpg"
    old.parent.mkdir()
    old.write_bytes(jpeg_bytes(text_page()))
    qtbot.wait(1100)  # file times have a second's grain on some systems
    window.settings.setValue(SINCE_KEY, 0.0)  # the window watched other folders long ago
    inbox, watcher = watching(window, tmp_path)
    watcher.close()  # closed before it looked once, and started again: still left
    watcher = quick_watcher(window)
    assert watcher.folders == [str(inbox)]
    qtbot.wait(1200)
    assert queued(window) == []

    watcher.close()  # closed again
    since = float(window.settings.value(SINCE_KEY))
    qtbot.wait(1100)
    (inbox / "new.jpg").write_bytes(jpeg_bytes(text_page()))
    quick_watcher(window)  # the window started again

    qtbot.waitUntil(lambda: queued(window) == ["new.jpg"], timeout=15_000)
    assert since >= max(old.stat().st_mtime, old.stat().st_ctime)
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=60_000)


def test_a_folder_no_longer_watched_is_left_alone(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    inbox, watcher = watching(window, tmp_path)
    watcher.stop(str(inbox))

    (inbox / "scan.jpg").write_bytes(jpeg_bytes(text_page()))
    qtbot.wait(1500)

    assert queued(window) == []
    assert not watcher.timer.isActive() and not watcher.label.isVisible()
    assert not window.settings.value(SETTINGS_KEY)
