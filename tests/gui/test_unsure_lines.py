"""Proofreading from one unsure line to the next (``gui/unsure_lines.py``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pytestqt.qtbot import QtBot
from samples import pdf_bytes, text_page
from test_main_window import BATCH_TIMEOUT_MS, choose_backend
from windows import open_window

from ablage_desktop.engine import OcrLine, OcrPage
from ablage_desktop.gui.unsure_lines import in_text_order, next_unsure


def _page(index: int, *lines: tuple[str, float], text: str | None = None) -> OcrPage:
    read = tuple(
        OcrLine(words, sure, (0, 40 * n, 400, 40 * n + 30)) for n, (words, sure) in enumerate(lines)
    )
    shown = "\n".join(words for words, _ in lines) if text is None else text
    return OcrPage(index, 400, 40 * len(lines), "tesseract", 0.1, shown, read)


def test_the_next_unsure_line_comes_in_the_text_s_order_then_on_the_next_pages() -> None:
    first = _page(
        0,
        ("Kopf rechts", 0.4),  # a right column's line, shown after the left one in the text
        ("Links oben", 0.95),
        ("Links unten", 0.6),
        text="Links oben\nLinks unten\nKopf rechts",
    )
    empty = _page(1)
    third = _page(2, ("Betrag 12,50", 0.3), ("Logo", 0.1))
    third = dataclasses.replace(
        third, lines=(third.lines[0], dataclasses.replace(third.lines[1], in_text=False))
    )
    pages = {0: first, 1: empty, 2: third}

    assert in_text_order(first) == [1, 2, 0]
    assert next_unsure(pages, (0, None), 1) == (0, 2)
    assert next_unsure(pages, (0, 1), 1) == (0, 2)  # from a sure line
    assert next_unsure(pages, (0, 2), 1) == (0, 0)
    assert next_unsure(pages, (0, 0), 1) == (2, 0)  # over a page with no line
    assert next_unsure(pages, (2, 0), 1) is None  # the logo's lettering is not in the text
    assert next_unsure(pages, (2, 0), -1) == (0, 0)
    assert next_unsure(pages, (0, 2), -1) is None
    assert next_unsure(pages, (1, None), -1) == (0, 0)
    assert next_unsure({0: first, 2: third}, (1, None), 1) == (2, 0)  # page 2 not read yet


def test_f4_selects_the_next_unsure_line_in_page_and_text_across_pages(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Two pages read by the real Tesseract, a line of each made unsure: F4 goes to the
    first page's, then turns to the second's, and the line stays selected when the page's
    image comes; at the end the status bar says there is none after it; Shift+F4 goes back."""
    path = tmp_path / "two.pdf"
    rows = (("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR"), ("Seite zwei", "Ende"))
    path.write_bytes(pdf_bytes([text_page(rows[0]), text_page(rows[1])], dpi=300))
    with open_window(qtbot, tmp_path) as window:
        choose_backend(window, qtbot, "tesseract")
        with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
            window.enqueue([str(path)])
        window.queue.selectRow(0)
        entry = window.queue.entries[0]
        qtbot.waitUntil(lambda: window.navigation.readable() is not None, timeout=10_000)
        assert len(entry.pages) == 2  # the document done: nothing of the batch comes after
        for index, unsure in ((0, "Total amount 123.45 EUR"), (1, "Seite zwei")):
            page = entry.pages[index]
            lines = [
                dataclasses.replace(line, confidence=0.55) if line.text == unsure else line
                for line in page.lines
            ]
            assert [line.confidence for line in page.lines if line.text != unsure] > [0.8]
            entry.pages[index] = dataclasses.replace(page, lines=tuple(lines))
        window.navigation.show_current()

        window.next_unsure_action.trigger()
        assert window.navigation.page_index == 0
        selected = window.page_view.selected_line
        assert selected is not None and entry.pages[0].lines[selected].text.startswith("Total")
        assert window.text_pane.selected_line == selected

        window.next_unsure_action.trigger()
        assert window.navigation.page_index == 1
        qtbot.waitUntil(lambda: window.navigation.preview is not None, timeout=10_000)
        qtbot.waitUntil(lambda: window.navigation.preview[1] == 1, timeout=10_000)  # type: ignore[index]
        selected = window.page_view.selected_line  # the page drawn again with its image
        assert selected is not None and entry.pages[1].lines[selected].text == "Seite zwei"
        assert window.text_pane.selected_line == selected

        window.next_unsure_action.trigger()
        assert "No unsure line after this one" in window.statusBar().currentMessage()
        assert window.page_view.selected_line == selected

        window.previous_unsure_action.trigger()
        assert window.navigation.page_index == 0
        selected = window.page_view.selected_line
        assert selected is not None and entry.pages[0].lines[selected].text.startswith("Total")
