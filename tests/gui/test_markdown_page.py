"""A page a layout engine read, in the text pane: its Markdown is shown, searched, copied and
corrected, and a correction reaches the Markdown and the plain text alike."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ablage_desktop.engine import markdown_plain_text
from ablage_desktop.engine.results.document import OcrDocument, OcrLine, OcrPage, render
from ablage_desktop.engine.results.exports import render_markdown
from ablage_desktop.gui.editing import edited_page
from ablage_desktop.gui.widgets.text_pane import TextPane

MARKDOWN = (
    "## Rechnung 4711\n\n"
    "- Miete für Mai\n\n"
    "| Posten | Betrag |\n|--------|--------|\n| Summe | 500,00 € |\n"
)
TEXT = "Rechnung 4711\nMiete für Mai\nPosten Betrag\nSumme 500,00 €"
LINES = (
    OcrLine("Rechnung 4711", 0.99, (10, 10, 300, 40), role="heading"),
    OcrLine("Miete für Mai", 0.99, (10, 60, 300, 90), role="list_item"),
    OcrLine("Posten Betrag", 0.99, (10, 110, 300, 140), role="table_cell"),
    OcrLine("Summe 500,00 €", 0.99, (10, 160, 300, 190), role="table_cell"),
)


def layout_page() -> OcrPage:
    return OcrPage(0, 400, 300, "docling", 0.1, TEXT, LINES, markdown=MARKDOWN)


def test_the_pane_shows_the_markdown_and_maps_the_lines_into_it(pane: TextPane) -> None:
    pane.show_page(layout_page())

    assert pane.toPlainText() == MARKDOWN
    assert "Markdown" in pane.toolTip()
    start, end = pane.line_range(0) or (0, 0)
    assert MARKDOWN[start:end] == "Rechnung 4711"
    start, end = pane.line_range(1) or (0, 0)
    assert MARKDOWN[start:end] == "Miete für Mai"

    pane.show_page(OcrPage(0, 10, 10, "tesseract", 0, "plain text"))
    assert (pane.toPlainText(), pane.toolTip()) == ("plain text", "")


def test_search_words_are_found_in_the_markdown_and_copy_takes_it_all(pane: TextPane) -> None:
    pane.show_page(layout_page())

    pane.set_search_words("summe")

    assert [MARKDOWN[start:end] for start, end in pane.hits] == ["Summe"]
    pane.copy_all()
    assert QApplication.clipboard().text() == MARKDOWN


def test_a_typed_correction_changes_the_markdown_and_the_plain_text(
    pane: TextPane, qtbot: QtBot
) -> None:
    page = layout_page()
    pane.show_page(page)
    pane.set_editable(True)
    cursor = pane.textCursor()
    cursor.setPosition(MARKDOWN.index("Mai") + 3)
    pane.setTextCursor(cursor)
    with qtbot.waitSignal(pane.textEdited) as edited:
        pane.textCursor().insertText(" 2026")
    (typed,) = edited.args

    corrected = edited_page(page, typed)

    assert corrected.markdown == MARKDOWN.replace("Mai", "Mai 2026")
    assert corrected.text == "Rechnung 4711\n\nMiete für Mai 2026\n\nPosten Betrag\nSumme 500,00 €"
    assert [line.text for line in corrected.lines] == [
        "Rechnung 4711",
        "Miete für Mai 2026",
        "Posten Betrag",
        "Summe 500,00 €",
    ]
    assert [line.box for line in corrected.lines] == [line.box for line in LINES]
    assert [line.role for line in corrected.lines] == [line.role for line in LINES]
    document = OcrDocument(Path("rechnung.pdf"), pages=[corrected])
    assert "- Miete für Mai 2026\n" in render_markdown(document).decode("utf-8")
    assert render(document, "txt").decode("utf-8").startswith(corrected.text)


def test_showing_the_markdown_is_not_an_edit(pane: TextPane) -> None:
    page = layout_page()
    pane.show_page(page)
    pane.set_editable(True)

    assert edited_page(page, pane.toPlainText()) is page
    cursor = pane.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert cursor.position() == len(MARKDOWN)


def test_the_plain_text_of_markdown_drops_only_the_markup() -> None:
    markdown = (
        "# Title\n\n1. first\n* second\n> quoted\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n"
        "```\n# code stays\n```\nprice \\*net\\*"
    )

    assert markdown_plain_text(markdown) == (
        "Title\n\nfirst\nsecond\nquoted\n\na b\n1 2\n\n# code stays\nprice *net*"
    )
