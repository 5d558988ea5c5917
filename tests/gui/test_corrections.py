"""Corrections kept in the archive (``gui/corrections.py``): typed text survives the window,
is what a second reading of the document gives, and is found by the archive's search."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from test_window_review import add_engine, choose, page_file, read
from windows import open_window

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.gui.main_window import MainWindow


def correct(window: MainWindow, qtbot: QtBot, text: str) -> None:
    """Type ``text`` over the shown page's text, as a person does after F2."""
    window.edit_text_action.trigger()
    window.text_pane.selectAll()
    qtbot.keyClicks(window.text_pane, text)
    window.edit_text_action.trigger()


def message(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def archived_text(archive: Path, sha256: str, requested: str) -> str:
    store = Store(archive)  # a second connection to the window's archive
    try:
        return store.pages(sha256, requested)[0].text
    finally:
        store.close()


def read_shown(window: MainWindow, qtbot: QtBot, page: Path) -> str:
    """Read ``page`` with the scripted engine "fast" and show it; its sha256."""
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [page])
    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: window.text_pane.toPlainText() != "", timeout=5000)
    sha256 = window.queue.entries[0].result.sha256  # type: ignore[union-attr]
    assert sha256 is not None
    return sha256


def test_a_correction_is_kept_in_the_archive_and_found(qtbot: QtBot, tmp_path: Path) -> None:
    archive = tmp_path / "archive.sqlite3"
    with open_window(qtbot, tmp_path, store=archive) as window:
        sha256 = read_shown(window, qtbot, page_file(tmp_path, "letter.png"))
        assert archived_text(archive, sha256, "fast").startswith("letter.png:1")

        correct(window, qtbot, "Rechnung korrigiert")

        assert window.corrections.waiting == 1  # written once typing has stopped a moment
        qtbot.waitUntil(lambda: window.corrections.waiting == 0, timeout=10_000)
        assert archived_text(archive, sha256, "fast") == "Rechnung korrigiert"
        hits = window.bridge.engine.search("korrigiert")
        assert [(hit.document.name, hit.page) for hit in hits] == [("letter.png", 0)]

        window.undo_corrections_action.trigger()  # the reading the window showed first
        qtbot.waitUntil(lambda: "reading of the page is back" in message(window), timeout=10_000)
        assert window.text_pane.toPlainText().startswith("letter.png:1")
        assert not window.queue.entries[0].edited
        assert archived_text(archive, sha256, "fast").startswith("letter.png:1")
        assert window.bridge.engine.search("korrigiert") == []


def test_a_correction_undone_while_it_is_being_written_is_not_written_at_the_close(
    qtbot: QtBot, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.sqlite3"
    with open_window(qtbot, tmp_path, store=archive) as window:
        sha256 = read_shown(window, qtbot, page_file(tmp_path, "letter.png"))
        correct(window, qtbot, "Rechnung 4711")
        window.corrections.write()  # sent to the control thread, not written yet
        assert window.corrections.waiting == 1

        window.corrections.undo()

        assert window.corrections.waiting == 0  # nothing left for the close to write
        qtbot.waitUntil(lambda: "reading of the page is back" in message(window), timeout=10_000)
    assert archived_text(archive, sha256, "fast").startswith("letter.png:1")


def test_a_correction_typed_just_before_closing_is_what_the_next_reading_gives(
    qtbot: QtBot, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.sqlite3"
    letter = page_file(tmp_path, "letter.png")
    with open_window(qtbot, tmp_path, store=archive) as window:
        sha256 = read_shown(window, qtbot, letter)
        correct(window, qtbot, "Rechnung 4711")
        assert window.corrections.waiting == 1  # not written yet: the window closes first

    assert archived_text(archive, sha256, "fast") == "Rechnung 4711"
    with open_window(qtbot, tmp_path, store=archive) as window:
        read_shown(window, qtbot, letter)
        assert window.text_pane.toPlainText() == "Rechnung 4711"
        entry = window.queue.entries[0]
        assert entry.restored == {0} and entry.pages[0].corrected
        assert entry.edited and "(edited)" in window.queue.queue_model.index(0, 2).data()
        assert "Corrected in the window" in window.page_label.toolTip()

        window.undo_corrections_action.trigger()  # the archive's first reading, kept beside
        qtbot.waitUntil(lambda: "reading of the page is back" in message(window), timeout=10_000)
        assert window.text_pane.toPlainText().startswith("letter.png:1")
        window.undo_corrections_action.trigger()
        assert message(window) == "This page has no corrections to undo."
    assert archived_text(archive, sha256, "fast").startswith("letter.png:1")


def test_without_an_archive_a_correction_is_kept_for_the_export_and_undone_in_the_window(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with open_window(qtbot, tmp_path) as window:
        read_shown(window, qtbot, page_file(tmp_path, "letter.png"))
        correct(window, qtbot, "Rechnung 4711")
        assert window.corrections.waiting == 0
        assert window.navigation.current_page().text == "Rechnung 4711"  # type: ignore[union-attr]
        window.undo_corrections_action.trigger()
        assert message(window) == "The engine's reading of the page is back."
        assert window.text_pane.toPlainText().startswith("letter.png:1")
