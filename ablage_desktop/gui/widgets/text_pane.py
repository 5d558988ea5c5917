"""The text of a page, with each OCR line mapped to where it sits in that text.

The engines put lines into ``page.text`` in reading order, but not always one line per row:
RapidOCR joins the boxes of one row with spaces. So each line's text is searched for in the page
text from where the previous line ended, which finds it inside its row.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QWidget

from ablage_desktop.engine import OcrLine, OcrPage, find_words, running_text

log = logging.getLogger(__name__)

_HIGHLIGHT = QColor(255, 214, 102)
_SEARCH_HIT = QColor(255, 140, 0)
_SEARCH_HIT_TEXT = QColor(0, 0, 0)
_IN_FRAME = QColor(150, 200, 255)


def map_lines(text: str, lines: tuple[OcrLine, ...]) -> list[tuple[int, int] | None]:
    """Each line's ``(start, end)`` in ``text`` (str indices), or None where it is not found.

    Searches from where the previous line ended, then from the start; runs of whitespace in a
    line match any run of whitespace in the text, so a different spacing still maps. Plain
    string searches, no regular expression per line: compiling one for each of a page's
    hundreds of lines took the GUI thread 50 to 150 ms a page (``ui_latency.py --profile``).
    """
    ranges: list[tuple[int, int] | None] = []
    cursor = 0
    for line in lines:
        words = line.text.split()
        if not words or not line.in_text:  # a logo's lettering is not in the text
            ranges.append(None)
            continue
        span = find_line(text, words, cursor) or find_line(text, words, 0)
        if span is None:
            log.debug("line %r is not in the page text", line.text)
            ranges.append(None)
            continue
        ranges.append(span)
        cursor = span[1]
    return ranges


def find_line(text: str, words: list[str], start: int) -> tuple[int, int] | None:
    """The first ``(start, end)`` at or after ``start`` where ``words`` follow each other in
    ``text`` with a run of whitespace between each two (the first word may end a longer word,
    the last may begin one, as the pattern ``w1\\s+w2...`` would match)."""
    first = words[0]
    at = text.find(first, start)
    while at >= 0:
        end = _rest_follows(text, words, at + len(first))
        if end is not None:
            return at, end
        at = text.find(first, at + 1)
    return None


def _rest_follows(text: str, words: list[str], position: int) -> int | None:
    """Where ``words[1:]`` end if they follow ``position``, each after a run of whitespace."""
    for word in words[1:]:
        after = position
        while after < len(text) and text[after].isspace():
            after += 1
        if after == position or not text.startswith(word, after):
            return None
        position = after + len(word)
    return position


def _utf16_offsets(text: str) -> list[int] | None:
    """Qt position of each str index, or None when they are equal (no astral characters)."""
    if text.isascii() or max(text) < "\U00010000":
        return None
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) >= 0x10000 else 1))
    return offsets


class TextPane(QPlainTextEdit):
    """Read-only, selectable text of one page that follows and reports the current line.

    ``lineSelected(index)`` is emitted when the user moves the cursor (click or keys) into
    another line's range; moving within the same line, or into text that belongs to no line,
    emits nothing. ``select_line`` never emits, so the two views can follow each other
    without a loop.
    """

    lineSelected = Signal(int)
    textEdited = Signal(str)  # the whole page text, after each change the user made

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Read-only text is selectable by mouse only; keys should move the cursor too.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setAccessibleName(self.tr("Page text"))
        self.setPlaceholderText(self.tr("The recognised text of the page appears here"))
        self.setUndoRedoEnabled(False)
        self._text = ""
        self._edited = False
        """The user changed the text shown since ``show_page``: ``_text`` is the page's."""
        self._ranges: list[tuple[int, int] | None] = []
        self._qt_ranges: list[tuple[int, int] | None] = []
        self._offsets: list[int] | None = None
        self._current: int | None = None
        self._line_selection: QTextEdit.ExtraSelection | None = None
        self._words = ""
        self._hits: list[tuple[int, int]] = []
        self._qt_hits: list[tuple[int, int]] = []
        self._framed: list[tuple[int, int]] = []
        self._syncing = False
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.textChanged.connect(self._on_text_changed)

    def set_editable(self, editable: bool) -> None:
        """Let the user correct the text (``textEdited``), or make it read-only again."""
        self.setReadOnly(not editable)
        flags = Qt.TextInteractionFlag.TextSelectableByMouse | (
            Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        if editable:
            flags |= Qt.TextInteractionFlag.TextEditable
        self.setTextInteractionFlags(flags)

    def _on_text_changed(self) -> None:
        if not self._syncing and not self.isReadOnly():
            self._edited = True
            self.textEdited.emit(self.toPlainText())

    def show_page(self, page: OcrPage | None) -> None:
        """Show the page's text (nothing for None) and map its lines to ranges in it.

        A page a layout engine read shows its Markdown as source text: its headings, lists
        and tables are what a user copies into a mail or a wiki, the words are searchable as
        they are, and an edit changes the Markdown the md export writes (``editing``)."""
        shown = "" if page is None else page.text
        if page is not None and page.markdown is not None:
            shown = page.markdown
        # Qt makes one paragraph break of \r\n; normalise so str indices and positions agree.
        text = shown.replace("\r\n", "\n").replace("\r", "\n")
        self.setToolTip(
            self.tr("Markdown with the page's headings, lists and tables")
            if page is not None and page.markdown is not None
            else ""
        )
        self._syncing = True
        try:
            self._text = text
            self._edited = False
            self._current = None
            self._line_selection = None
            self._framed = []
            self.setExtraSelections([])
            self.setPlainText(text)
        finally:
            self._syncing = False
        self._ranges = map_lines(text, page.lines) if page is not None else []
        self._offsets = _utf16_offsets(text)
        self._qt_ranges = [r if r is None else self._qt_span(r) for r in self._ranges]
        if page is not None:
            found = sum(r is not None for r in self._ranges)
            log.debug("mapped %d of %d lines into the page text", found, len(self._ranges))
        self._find_words()

    def _qt_span(self, span: tuple[int, int]) -> tuple[int, int]:
        offsets = self._offsets
        return span if offsets is None else (offsets[span[0]], offsets[span[1]])

    # --- search words ---------------------------------------------------------------------

    def set_search_words(self, words: str) -> None:
        """Mark every occurrence of the search ``words`` (as ``find_words`` finds them) in
        this and every later page, and scroll to the first; an empty string clears."""
        self._words = words
        self._find_words()

    @property
    def search_words(self) -> str:
        return self._words

    @property
    def hits(self) -> list[tuple[int, int]]:
        """The marked occurrences of the search words: ``(start, end)`` in ``text``."""
        return list(self._hits)

    def hit_lines(self) -> list[int]:
        """The lines holding an occurrence of the search words."""
        return [
            index
            for index, span in enumerate(self._ranges)
            if span is not None and any(s < span[1] and span[0] < e for s, e in self._hits)
        ]

    def _find_words(self) -> None:
        self._hits = find_words(self._text, self._words) if self._words.strip() else []
        self._qt_hits = [self._qt_span(span) for span in self._hits]
        self._apply_selections()
        if self._qt_hits:
            self._show_position(self._qt_hits[0][0])

    # --- what a frame on the page took -----------------------------------------------------

    def mark_framed(self, parts: Sequence[OcrLine | None]) -> None:
        """Mark in the text what a frame drawn on the page took (for each of the page's
        lines, its part in the frame: ``parts_in_area``) and scroll to the first; an empty
        list clears. Text the user has changed since is not marked (its places moved)."""
        spans = []
        if not self._edited:
            for span, part in zip(self._ranges, parts, strict=False):
                if span is None or part is None:
                    continue
                found = find_line(self._text, part.text.split(), span[0])
                if found is not None and found[1] <= span[1]:
                    spans.append(self._qt_span(found))
        self._framed = spans
        self._apply_selections()
        if spans:
            self._show_position(spans[0][0])

    @property
    def framed(self) -> list[tuple[int, int]]:
        """The marked parts a frame took: ``(start, end)`` Qt positions in the text."""
        return list(self._framed)

    def _show_position(self, position: int) -> None:
        self._syncing = True
        try:
            caret = self.textCursor()
            caret.setPosition(position)
            self.setTextCursor(caret)
            self.ensureCursorVisible()
        finally:
            self._syncing = False

    def _apply_selections(self) -> None:
        selections = [] if self._line_selection is None else [self._line_selection]
        marks = [(span, _IN_FRAME, None) for span in self._framed]
        marks += [(span, _SEARCH_HIT, _SEARCH_HIT_TEXT) for span in self._qt_hits]
        for (start, end), background, foreground in marks:
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            mark = QTextEdit.ExtraSelection()
            mark.cursor = cursor
            mark.format.setBackground(background)
            if foreground is not None:
                mark.format.setForeground(foreground)
            selections.append(mark)
        self.setExtraSelections(selections)

    @property
    def text(self) -> str:
        """The text shown, exactly as ``line_range`` indexes it."""
        return self._text

    def line_range(self, index: int) -> tuple[int, int] | None:
        """Line ``index``'s ``(start, end)`` in ``text`` (str indices), or None if unmapped."""
        if not 0 <= index < len(self._ranges):
            return None
        return self._ranges[index]

    @property
    def selected_line(self) -> int | None:
        return self._current

    def selected_lines(self) -> list[int]:
        """The lines the text's selection touches, or where nothing is selected the line
        highlighted (the caret put into it, or its box clicked); none where the user has
        changed the text (its places moved)."""
        if self._edited:
            return []
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        if start == end:
            return [] if self._current is None else [self._current]
        return [
            index
            for index, span in enumerate(self._qt_ranges)
            if span is not None and span[0] < end and start < span[1]
        ]

    def select_line(self, index: int | None) -> None:
        """Highlight line ``index`` and scroll to it; None, -1 or an unmapped line clears.

        Never emits ``lineSelected``: this is the slot the page view drives.
        """
        span = self._highlight(index)
        if span is not None:
            self._show_position(span[0])

    def _highlight(self, index: int | None) -> tuple[int, int] | None:
        """Paint line ``index``'s background, leaving the user's caret and selection alone."""
        span = None
        if index is not None and 0 <= index < len(self._qt_ranges):
            span = self._qt_ranges[index]
        if span is None:
            self._current = None
            self._line_selection = None
            self._apply_selections()
            return None
        self._current = index
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format.setBackground(_HIGHLIGHT)
        self._line_selection = selection
        self._apply_selections()
        return span

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu()
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu(self) -> QMenu:
        """Qt's menu (copy, select all; undo and paste while correcting), and the whole text
        to copy as it is or as running text."""
        menu = self.createStandardContextMenu()
        menu.addSeparator()
        menu.addAction(self.tr("Copy all text"), self.copy_all)
        menu.addAction(self.tr("Copy as running text"), self.copy_running_text)
        return menu

    def copy_all(self) -> None:
        """Put the whole page text on the clipboard, whatever is selected: as corrected,
        where the user corrected it."""
        QGuiApplication.clipboard().setText(self._page_text())

    def copy_running_text(self) -> None:
        """Put the page text on the clipboard as running text: each paragraph one line, for
        pasting into a mail or a document (``running_text``)."""
        QGuiApplication.clipboard().setText(running_text(self._page_text()))

    def _page_text(self) -> str:
        return self.toPlainText() if self._edited else self._text

    def _line_at(self, position: int) -> int | None:
        for index, span in enumerate(self._qt_ranges):
            if span is not None and span[0] <= position <= span[1]:
                return index
        return None

    def _on_cursor_moved(self) -> None:
        if self._syncing:
            return
        index = self._line_at(self.textCursor().position())
        if index is None or index == self._current:
            return
        self._highlight(index)  # not select_line: that would move the caret under the user
        self.lineSelected.emit(index)
