"""What a frame drawn on the page does, in the real window with the real engines."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from samples import text_page
from test_main_window import BATCH_TIMEOUT_MS, choose_backend
from test_page_view import drag
from windows import open_window

from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.area_reading import PageArea
from ablage_desktop.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The window showing a page of two rows read by Tesseract."""
    page = tmp_path / "invoice.png"
    text_page(("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")).save(page, dpi=(300, 300))
    with open_window(qtbot, tmp_path) as main:
        choose_backend(main, qtbot, "tesseract")
        with qtbot.waitSignal(main.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
            main.enqueue([str(page)])
        main.queue.selectRow(0)
        qtbot.waitUntil(lambda: main.page_view.box_count >= 2, timeout=5000)
        yield main


def scene_point(window: MainWindow, x: float, y: float) -> QPointF:
    """A point of the page (its pixels) in the page view's scene (the preview's pixels)."""
    page = window.navigation.current_page()
    assert page is not None
    rect = window.page_view.sceneRect()
    return QPointF(x * rect.width() / page.width, y * rect.height() / page.height)


def test_a_frame_around_the_amount_copies_it(window: MainWindow) -> None:
    QApplication.clipboard().setText("before")
    page = window.navigation.current_page()
    assert page is not None
    (total,) = [line for line in page.lines if "Total" in line.text]
    amount = next(word for word in total.words if word.text == "123.45")
    top, bottom = total.box[1] - 10, total.box[3] + 10

    drag(
        window.page_view,
        scene_point(window, amount.box[0] - 8, top),
        scene_point(window, 1390, bottom),
    )

    assert QApplication.clipboard().text() == "123.45 EUR"
    assert "frame: 1 line" in window.statusBar().currentMessage()
    pane = window.text_pane
    assert [pane.text[start:end] for start, end in pane.framed] == ["123.45 EUR"]


def test_the_words_a_frame_took_are_marked_in_the_text_until_it_goes(window: MainWindow) -> None:
    page = window.navigation.current_page()
    assert page is not None
    pane = window.text_pane
    (invoice,) = [line for line in page.lines if "Invoice" in line.text]
    right = next(word for word in invoice.words if word.text == "4711").box[2] + 5

    drag(window.page_view, scene_point(window, 0, 0), scene_point(window, right, page.height))

    assert [pane.text[start:end] for start, end in pane.framed] == ["Invoice 4711", "Total amount"]
    assert len(pane.extraSelections()) == 2
    QTest.mouseClick(  # a click on the page drops the frame, and the marks with it
        window.page_view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.page_view.mapFromScene(scene_point(window, 1390, 300)),
    )
    assert window.page_view.area is None
    assert pane.framed == [] and pane.extraSelections() == []


def test_the_menu_item_frames_with_a_plain_drag(window: MainWindow) -> None:
    page = window.navigation.current_page()
    assert page is not None
    window.copy_area_action.trigger()
    assert "Drag a frame" in window.statusBar().currentMessage()

    drag(
        window.page_view,
        scene_point(window, 0, 0),
        scene_point(window, page.width, page.height),
        shift=False,
    )

    assert QApplication.clipboard().text() == page.text.strip()
    assert "frame: 2 line" in window.statusBar().currentMessage()


def test_a_frame_on_blank_paper_copies_nothing_and_says_so(window: MainWindow) -> None:
    QApplication.clipboard().setText("kept")
    drag(window.page_view, scene_point(window, 900, 10), scene_point(window, 1390, 30))
    assert QApplication.clipboard().text() == "kept"
    assert "No recognised text" in window.statusBar().currentMessage()


def test_a_frame_copies_the_text_as_corrected(window: MainWindow) -> None:
    page = window.navigation.current_page()
    assert page is not None
    corrected = page.text.replace("Invoice", "Rechnung")
    window.navigation.text_edited(corrected)  # one row per box: the boxes stay
    drag(window.page_view, scene_point(window, 0, 0), scene_point(window, page.width, page.height))
    assert QApplication.clipboard().text().startswith("Rechnung 4711")

    window.navigation.text_edited(corrected + "\nNachtrag")  # a row added: no boxes left
    QApplication.clipboard().setText("kept")
    drag(window.page_view, scene_point(window, 0, 0), scene_point(window, page.width, page.height))
    assert QApplication.clipboard().text() == "kept"
    assert "use the text instead" in window.statusBar().currentMessage()


# --- reading a frame again -------------------------------------------------------------------


def frame_row(window: MainWindow, word: str) -> None:
    """A Shift+drag around the row holding ``word``, across the page."""
    page = window.navigation.current_page()
    assert page is not None
    (row,) = [line for line in page.lines if word in line.text]
    top, bottom = row.box[1] - 10, row.box[3] + 10
    drag(window.page_view, scene_point(window, 0, top), scene_point(window, page.width, bottom))


def test_a_frame_read_again_replaces_what_stood_there(window: MainWindow, qtbot: QtBot) -> None:
    """A wrong correction in the frame gives way to the paper's own words; the rest stays."""
    page = window.navigation.current_page()
    assert page is not None
    window.navigation.text_edited(
        page.text.replace("Invoice", "Rechnung").replace("123.45", "999.99")
    )
    frame_row(window, "Total")

    window.area_actions.read_again("rapidocr")
    qtbot.waitUntil(
        lambda: "Read the frame again" in window.statusBar().currentMessage(), timeout=60_000
    )

    entry = window.queue.entries[0]
    text = entry.result.pages[0].text
    assert "123.45 EUR" in text and "999.99" not in text
    assert text.startswith("Rechnung 4711")  # the correction outside the frame stays
    assert entry.edited
    assert "123.45 EUR" in window.text_pane.toPlainText()  # shown at once


def test_the_page_menu_offers_the_engines_once_a_frame_is_drawn(window: MainWindow) -> None:
    def menu_actions() -> dict[str, bool]:
        menu = window.area_actions.show_menu(QPoint(5, 5))
        shown = {action.text(): action.isEnabled() for action in menu.actions() if action.text()}
        menu.close()
        return shown

    before = menu_actions()
    assert not before["&Copy the text in the frame"]
    assert not before["&Read the frame again with"]
    assert not before["Copy the frame for the command &line (--area)"]
    frame_row(window, "Total")
    after = menu_actions()
    assert after["&Copy the text in the frame"] and after["&Read the frame again with"]
    assert after["Copy the frame for the command &line (--area)"]
    assert {"auto", "tesseract", "rapidocr"} <= set(window.area_actions.engines())


def test_a_frame_is_not_read_again_on_a_page_whose_lines_a_correction_dropped(
    window: MainWindow,
) -> None:
    page = window.navigation.current_page()
    assert page is not None
    frame_row(window, "Total")
    window.navigation.text_edited(page.text + "\nNachtrag")  # a row added: no boxes left

    window.read_area_action.trigger()

    assert "use the text instead" in window.statusBar().currentMessage()
    assert window.navigation.current_page().text.endswith("Nachtrag")


def test_edit_read_the_frame_again_takes_the_engine_box_s_choice(
    window: MainWindow, qtbot: QtBot
) -> None:
    choose_backend(window, qtbot, "rapidocr")
    frame_row(window, "Invoice")

    window.read_area_action.trigger()
    qtbot.waitUntil(
        lambda: "Read the frame again with" in window.statusBar().currentMessage(),
        timeout=60_000,
    )

    assert "with rapidocr:" in window.statusBar().currentMessage()
    page = window.navigation.current_page()
    assert page is not None and page.text.startswith("Invoice 4711 of 30.10.2018")
    assert window.queue.entries[0].edited


def test_a_frame_is_copied_as_the_command_lines_area_of_the_same_place(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In per cent of the page: ``ocr --area`` finds the same place on a copy scanned at
    another resolution (``tests/test_cli.py``)."""
    page = window.navigation.current_page()
    assert page is not None
    frame_row(window, "Total")
    area = window.page_view.area
    assert area is not None

    window.area_actions.copy_option(area)

    option = QApplication.clipboard().text()
    assert option.startswith("--area ") and option.endswith("%")
    assert option in window.statusBar().currentMessage()
    image = Image.new("L", (page.width, page.height), 255)
    again = PageArea.parse(option.removeprefix("--area ")).on(PageImage(Path("x"), 0, image, None))
    assert all(abs(a - b) <= 2 for a, b in zip(again, area, strict=True))

    # A page the app read turned upside down: ``ocr --area`` places the area on it upright.
    upside_down = dataclasses.replace(page, turns=2)
    monkeypatch.setattr(window.navigation, "current_page", lambda: upside_down)
    window.area_actions.copy_option(area)
    option = QApplication.clipboard().text()
    again = PageArea.parse(option.removeprefix("--area ")).on(PageImage(Path("x"), 0, image, None))
    x0, y0, x1, y1 = area
    turned = (page.width - x1, page.height - y1, page.width - x0, page.height - y0)
    assert all(abs(a - b) <= 2 for a, b in zip(again, turned, strict=True))


def _select_in_text(window: MainWindow, words: str) -> None:
    """Select ``words`` in the text pane, as Shift and the arrow keys would."""
    pane = window.text_pane
    start = pane.text.index(words)
    cursor = pane.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)


def test_the_lines_selected_in_the_text_are_framed_without_the_mouse(window: MainWindow) -> None:
    """Part of the second row selected: the frame is drawn around that row's box, its words
    marked, and the frame goes to the command line as a drawn one does."""
    page = window.navigation.current_page()
    assert page is not None
    (total,) = [line for line in page.lines if "Total" in line.text]
    assert window.page_view.area is None
    _select_in_text(window, "amount 123")

    window.frame_selection_action.trigger()

    area = window.page_view.area
    assert area is not None
    assert all(abs(a - b) <= 4 for a, b in zip(area, total.box, strict=True))
    pane = window.text_pane
    assert [pane.text[start:end] for start, end in pane.framed] == [total.text]
    assert "Framed 1 line" in window.statusBar().currentMessage()
    window.area_actions.copy_option(area)
    assert QApplication.clipboard().text().startswith("--area ")


def test_read_again_without_a_frame_reads_the_line_the_cursor_is_in(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A wrong correction of the second row; the cursor put back into that row and Ctrl+
    Shift+R: the row is framed and read again, the first row's correction stays."""
    page = window.navigation.current_page()
    assert page is not None
    window.navigation.text_edited(page.text.replace("Invoice", "Rechnung").replace("123.45", "9"))
    window.navigation.show_current()  # as shown again after the correction was kept
    cursor = window.text_pane.textCursor()
    cursor.setPosition(window.text_pane.text.index("Total") + 2)
    window.text_pane.setTextCursor(cursor)

    window.read_area_action.trigger()
    qtbot.waitUntil(
        lambda: "Read the frame again with" in window.statusBar().currentMessage(),
        timeout=60_000,
    )

    text = window.queue.entries[0].result.pages[0].text
    assert "Total amount 123.45 EUR" in text and text.startswith("Rechnung 4711")


def test_nothing_is_framed_from_a_text_being_changed(window: MainWindow) -> None:
    window.edit_text_action.trigger()
    window.text_pane.insertPlainText("Neu ")  # the lines' places in the text moved

    window.frame_selection_action.trigger()

    assert window.page_view.area is None
    assert "Select lines in the text first" in window.statusBar().currentMessage()


def test_read_again_with_no_frame_and_no_line_chosen_asks_for_a_frame(window: MainWindow) -> None:
    """The caret stands at the text's start after the page is shown: that chooses no line."""
    window.read_area_action.trigger()

    assert "Frame an area of a page that has been read first" in (
        window.statusBar().currentMessage()
    )
    assert window.page_view.area is None
