"""The text pane: lines mapped to ranges, cursor moves reported, selection without echo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from samples import SAMPLE_LINES

from ablage_desktop.engine.results.document import OcrLine, OcrPage
from ablage_desktop.gui.widgets.text_pane import TextPane, map_lines

BOX = (0, 0, 10, 10)

# RapidOCR-like: one row "Summe 12,00" made of two boxes.
TEXT = "Rechnung 4711\nSumme 12,00\nDanke\n"
PARAGRAPH = "Bitte überweisen Sie den Betrag bis zum 15. November auf das unten genannte Konto.\n"
LINES = (
    OcrLine("Rechnung 4711", 0.9, BOX),
    OcrLine("Summe", 0.9, BOX),
    OcrLine("12,00", 0.7, BOX),
    OcrLine("Danke", 0.4, BOX),
)


def make_page(text: str = TEXT, lines: tuple[OcrLine, ...] = LINES) -> OcrPage:
    return OcrPage(0, 100, 100, "fake", 0.1, text, lines)


def test_lines_map_to_ranges_in_the_text(pane: TextPane) -> None:
    pane.show_page(make_page())
    assert pane.toPlainText() == TEXT
    spans = [pane.line_range(index) for index in range(len(LINES))]
    assert spans == [(0, 13), (14, 19), (20, 25), (26, 31)]
    assert [TEXT[s:e] for s, e in spans] == ["Rechnung 4711", "Summe", "12,00", "Danke"]
    assert pane.line_range(99) is None


def test_repeated_words_map_in_reading_order() -> None:
    text = "Summe 1\nSumme 2\n"
    lines = (OcrLine("Summe", 1, BOX), OcrLine("1", 1, BOX), OcrLine("Summe", 1, BOX))
    assert map_lines(text, lines) == [(0, 5), (6, 7), (8, 13)]


def test_a_line_out_of_order_is_found_from_the_start() -> None:
    lines = (OcrLine("Danke", 1, BOX), OcrLine("Rechnung 4711", 1, BOX))
    assert map_lines(TEXT, lines) == [(26, 31), (0, 13)]


def test_missing_lines_and_other_spacing() -> None:
    lines = (OcrLine("Rechnung   4711", 1, BOX), OcrLine("nowhere", 1, BOX), OcrLine(" ", 1, BOX))
    assert map_lines(TEXT, lines) == [(0, 13), None, None]


def test_a_line_matches_as_the_whitespace_pattern_would() -> None:
    """Words between runs of whitespace of any kind; the first word may end a longer word,
    the last may begin one, a middle word must stand alone; the first place that fits wins."""
    text = "xx Rechnung\t4711 Summe\n\n12,00x Summe 12\n"
    lines = (
        OcrLine("chnung 4711", 1, BOX),  # inside the word "Rechnung", across a tab
        OcrLine("Summe 12,00", 1, BOX),  # across a blank line, "12,00" begins "12,00x"
        OcrLine("Summe 12", 1, BOX),  # after the cursor: the second "Summe"
        OcrLine("4711 Sum 12", 1, BOX),  # "Sum" is not a whole word between two others
    )
    assert map_lines(text, lines) == [(5, 16), (17, 29), (31, 39), None]


def test_astral_characters_keep_highlight_positions(pane: TextPane) -> None:
    text = "\U0001f600 Summe\nDanke\n"
    pane.show_page(make_page(text, (OcrLine("Summe", 1, BOX), OcrLine("Danke", 1, BOX))))
    assert pane.line_range(1) == (8, 13)
    pane.select_line(1)
    (selection,) = pane.extraSelections()
    assert selection.cursor.selectedText() == "Danke"


def test_moving_the_cursor_into_a_line_emits_it(pane: TextPane, qtbot: QtBot) -> None:
    pane.show_page(make_page())
    cursor = pane.textCursor()
    cursor.setPosition(22)  # inside "12,00"
    with qtbot.waitSignal(pane.lineSelected) as blocker:
        pane.setTextCursor(cursor)
    assert blocker.args == [2]
    assert pane.selected_line == 2
    with qtbot.assertNotEmitted(pane.lineSelected):  # same line: nothing new to tell
        cursor.setPosition(23)
        pane.setTextCursor(cursor)


def test_clicking_a_line_emits_it(pane: TextPane, qtbot: QtBot) -> None:
    pane.show_page(make_page())
    cursor = QTextCursor(pane.document())
    cursor.setPosition(22)
    where = pane.cursorRect(cursor).center()
    with qtbot.waitSignal(pane.lineSelected) as blocker:
        QTest.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert blocker.args == [2]


def test_keys_move_between_lines(pane: TextPane, qtbot: QtBot) -> None:
    pane.show_page(make_page())
    pane.setFocus()
    pane.select_line(0)
    with qtbot.waitSignal(pane.lineSelected) as blocker:
        QTest.keyClick(pane, Qt.Key.Key_Down)
    assert blocker.args == [1]


def test_select_line_highlights_without_emitting(pane: TextPane, qtbot: QtBot) -> None:
    pane.show_page(make_page())
    with qtbot.assertNotEmitted(pane.lineSelected):
        pane.select_line(2)
    assert pane.selected_line == 2
    (selection,) = pane.extraSelections()
    assert selection.cursor.selectedText() == "12,00"
    assert pane.textCursor().position() == 20
    # The user then clicks back into the line the view had selected before: it is news.
    with qtbot.waitSignal(pane.lineSelected) as blocker:
        cursor = pane.textCursor()
        cursor.setPosition(15)
        pane.setTextCursor(cursor)
    assert blocker.args == [1]
    pane.select_line(None)
    assert pane.extraSelections() == []
    assert pane.selected_line is None
    pane.select_line(-1)
    assert pane.selected_line is None


def test_a_new_page_clears_everything(pane: TextPane) -> None:
    pane.show_page(make_page())
    pane.select_line(1)
    pane.show_page(None)
    assert pane.toPlainText() == ""
    assert pane.extraSelections() == []
    assert pane.line_range(0) is None


def test_read_only_but_selectable(pane: TextPane) -> None:
    pane.show_page(make_page())
    assert pane.isReadOnly()
    pane.selectAll()
    assert pane.textCursor().selectedText().startswith("Rechnung")


def test_copy_all_fills_the_clipboard(pane: TextPane) -> None:
    pane.show_page(make_page())
    pane.select_line(1)
    pane.copy_all()
    assert QApplication.clipboard().text() == TEXT


def test_copy_all_copies_the_text_as_corrected(pane: TextPane) -> None:
    pane.show_page(make_page())
    pane.set_editable(True)
    cursor = pane.textCursor()
    cursor.setPosition(0)
    pane.setTextCursor(cursor)
    pane.textCursor().insertText("Korrigiert: ")

    pane.copy_all()

    assert QApplication.clipboard().text() == "Korrigiert: " + TEXT
    pane.show_page(make_page())  # another page: its own text again
    pane.copy_all()
    assert QApplication.clipboard().text() == TEXT


def test_copy_as_running_text_joins_a_paragraph_broken_over_lines(pane: TextPane) -> None:
    paragraph = (
        "anbei erhalten Sie unsere Rechnung für die Fahrt vom 29. Oktober zum\n"
        "Flughafen. Bitte überweisen Sie den Betrag bis zum 15. November auf das\n"
        "unten genannte Konto. Die Rech-\nnung ist sofort fällig.\n"
    )
    pane.show_page(
        OcrPage(index=0, width=800, height=600, backend="test", seconds=0.1, text=paragraph)
    )

    pane.copy_running_text()

    assert QApplication.clipboard().text() == (
        "anbei erhalten Sie unsere Rechnung für die Fahrt vom 29. Oktober zum Flughafen. "
        "Bitte überweisen Sie den Betrag bis zum 15. November auf das unten genannte Konto. "
        "Die Rechnung ist sofort fällig.\n"
    )


def test_the_context_menu_copies_the_whole_text_or_running_text(pane: TextPane) -> None:
    text = PARAGRAPH.replace(" unten", "\nunten")  # one paragraph over two lines
    pane.show_page(make_page(text, ()))
    menu = pane.context_menu()
    actions = {action.text(): action for action in menu.actions()}

    actions["Copy as running text"].trigger()
    assert QApplication.clipboard().text() == PARAGRAPH
    actions["Copy all text"].trigger()
    assert QApplication.clipboard().text() == text
    menu.deleteLater()


def test_render_a_real_page(pane: TextPane) -> None:
    """Writes /tmp/text_pane.png for a person to look at: the text of samples.text_page()."""
    text = "\n".join(SAMPLE_LINES) + "\n"
    lines = (
        OcrLine(SAMPLE_LINES[0], 0.93, BOX),
        OcrLine("Total amount", 0.62, BOX),
        OcrLine("123.45 EUR", 0.31, BOX),
    )
    pane.show_page(make_page(text, lines))
    assert pane.line_range(2) == (text.index("123.45"), len(text) - 1)
    pane.select_line(2)
    assert pane.grab().save(str(Path("/tmp/text_pane.png")))


def test_a_line_kept_out_of_the_text_maps_nowhere() -> None:
    """A logo's lettering "Rechnung" is not the text's "Rechnung 4711"."""
    logo = OcrLine("Rechnung", 1, BOX, role="picture_text", in_text=False)
    lines = (logo, OcrLine("Rechnung 4711", 1, BOX))
    assert map_lines(TEXT, lines) == [None, (0, 13)]
