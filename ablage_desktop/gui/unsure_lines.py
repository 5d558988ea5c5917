"""Proofreading: from one unsure line to the next, through the pages of a document.

The boxes tell a line to check by its colour (amber or red: the engine was less than
``GOOD_CONFIDENCE`` sure of it), but on a page of sixty lines, and a document of twenty
pages, finding them is the reader's work. Edit > Go to the next unsure line (F4) selects the
next such line after the one selected, in the order the text shows the lines, on this page or
the next pages read; Shift+F4 goes back. The line is selected in the page and in the text, as
a click on its box does: with Correct the text (F2) on, the caret stands in it to type.
Lines kept out of the text (a logo's lettering) are not proposed: the text does not show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ablage_desktop.engine import OcrPage
from ablage_desktop.gui.widgets.line_box import GOOD_CONFIDENCE
from ablage_desktop.gui.widgets.text_pane import map_lines

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

MESSAGE_MS = 5000

Place = tuple[int, int]
"""A line of a document: its page index and its index among the page's lines."""


def in_text_order(page: OcrPage) -> list[int]:
    """The page's lines in the order its text shows them (its Markdown, for a page a layout
    engine read, as the text pane shows it); lines the text does not hold last, by index."""
    shown = page.markdown if page.markdown is not None else page.text
    spans = map_lines(shown, page.lines)

    def place(index: int) -> tuple[int, int, int]:
        span = spans[index]
        return (0, span[0], index) if span is not None else (1, 0, index)

    return sorted(range(len(page.lines)), key=place)


def unsure(page: OcrPage, index: int) -> bool:
    """Whether line ``index`` of ``page`` is one to check: in the text, less than sure."""
    line = page.lines[index]
    return line.in_text and bool(line.text.strip()) and line.confidence < GOOD_CONFIDENCE


def next_unsure(
    pages: Mapping[int, OcrPage], start: Place | tuple[int, None], step: int
) -> Place | None:
    """The next unsure line after ``start`` (its page, and its line or None: before the
    page's first line for ``step`` 1, after its last for -1) in the document's ``pages``
    (those read), going forward (``step`` 1) or back (-1); None where there is none."""
    page_index, line = start
    for number in sorted(pages, reverse=step < 0):
        page = pages[number]
        if (number - page_index) * step < 0 or not any(
            unsure(page, n) for n in range(len(page.lines))
        ):
            continue  # the text is mapped only where there is an unsure line to find
        order = in_text_order(page)
        if step < 0:
            order.reverse()
        if number == page_index and line is not None and line in order:
            order = order[order.index(line) + 1 :]
        found = next((n for n in order if unsure(page, n)), None)
        if found is not None:
            return number, found
    return None


class UnsureLines(QObject):
    """Edit > Go to the next / previous unsure line."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def next(self) -> None:
        self._go(1)

    def previous(self) -> None:
        self._go(-1)

    def _go(self, step: int) -> None:
        window = self._window
        navigation = window.navigation
        if navigation.row is None:
            return
        entry = window.queue.entries[navigation.row]
        found = next_unsure(
            entry.pages, (navigation.page_index, window.page_view.selected_line), step
        )
        if found is None:
            message = (
                self.tr("No unsure line after this one in the document's pages read.")
                if step > 0
                else self.tr("No unsure line before this one in the document's pages read.")
            )
            window.statusBar().showMessage(message, MESSAGE_MS)
            return
        page_index, line = found
        if page_index != navigation.page_index:
            navigation.show_page(page_index)
        window.page_view.select_line(line)
        window.text_pane.select_line(line)
        window.statusBar().clearMessage()
