"""What a frame drawn on the page does: copy the text in it, or have it read again.

An amount, an IBAN, the sender's address: often a person wants one part of a page, and
selecting it in the text pane means finding it there first. Framing it on the page (a drag
with Shift held, or any drag after Edit > Copy the text of an area) copies the text standing
in the frame, as recognised, or as corrected where the correction kept the lines
(``text_in_area``), and marks it in the text pane. Where the reading went wrong in one place
(small print, a stamp), the frame's menu has it read again on its own by an engine of the
person's choice (``Engine.read_area``); its lines take the place of what stood there, as a
correction does (the export writes them, the archive keeps them: ``corrections``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from ablage_desktop.engine import (
    AUTO,
    OcrPage,
    PageArea,
    enclosing,
    parts_in_area,
    text_in_area,
    with_area_read,
)
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui.failures import describe
from ablage_desktop.gui.widgets.page_view import Area
from ablage_desktop.gui.widgets.queue_model import QueueEntry

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

MESSAGE_MS = 6000
FRAME_MARGIN = 2
"""Page pixels around the boxes of lines framed from the text (the words' middles are in)."""


class AreaActions(QObject):
    """Starts framing from the menu, copies what a frame holds and has it read again."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.page_view.areaSelected.connect(self.copy)
        window.page_view.areaCleared.connect(lambda: window.text_pane.mark_framed([]))
        window.page_view.customContextMenuRequested.connect(self.show_menu)

    def _say(self, message: str) -> None:
        self._window.statusBar().showMessage(message, MESSAGE_MS)

    def choose(self) -> None:
        """The menu's way in: the next drag on the page frames the area."""
        window = self._window
        if window.navigation.current_page() is None:
            self._say(self.tr("Select a read page first."))
            return
        window.page_view.choose_area()
        window.page_view.setFocus()
        self._say(self.tr("Drag a frame around the text to copy (Esc: cancel)."))

    def frame_selection(self) -> Area | None:
        """Frame the lines the text's selection touches (or the caret's line): the keyboard's
        way to a frame, for reading them again or copying the frame for the command line."""
        window = self._window
        page = window.navigation.current_page()
        lines = window.text_pane.selected_lines()
        if page is None or not lines:
            self._say(self.tr("Select lines in the text first (as read, not while changed)."))
            return None
        box = enclosing(page.lines[n].box for n in lines)
        area = (
            max(0, box[0] - FRAME_MARGIN),
            max(0, box[1] - FRAME_MARGIN),
            min(page.width, box[2] + FRAME_MARGIN),
            min(page.height, box[3] + FRAME_MARGIN),
        )
        window.page_view.set_area(area)
        if window.page_view.area is None:  # no page image to frame on yet
            self._say(self.tr("The page's image is not shown yet."))
            return None
        window.text_pane.mark_framed(parts_in_area(page.lines, area))
        self._say(
            self.tr(
                "Framed %n line(s): Ctrl+Shift+R reads them again, the page's menu has the rest.",
                "",
                len(lines),
            )
        )
        return area

    def copy(self, area: Area) -> None:
        """Put the text in ``area`` (page pixels) on the clipboard and say what was copied."""
        page = self._window.navigation.current_page()
        if page is None:
            self._say(self.tr("This page has not been read yet."))
        elif _unplaced(page):
            self._say(self._unplaced_message())
        elif text := text_in_area(page.lines, area):
            QGuiApplication.clipboard().setText(text)
            self._window.text_pane.mark_framed(parts_in_area(page.lines, area))
            rows = len([row for row in text.split("\n") if row.strip()])
            self._say(self.tr("Copied the text in the frame: %n line(s).", "", rows))
        else:
            self._say(self.tr("No recognised text in the frame."))

    def copy_option(self, area: Area) -> None:
        """Put ``area`` on the clipboard as the command line's ``--area`` in per cent of the
        page: the same field of every copy of a form, scanned at any resolution."""
        page = self._window.navigation.current_page()
        if page is None:
            return
        option = f"--area {PageArea.in_percent(area, page.width, page.height, page.turns)}"
        QGuiApplication.clipboard().setText(option)
        self._say(
            self.tr(
                "Copied {0}: 'ablage-desktop ocr {0} ...' reads this area of every page."
            ).format(option)
        )

    def _unplaced_message(self) -> str:
        return self.tr(
            "This page's text has no places on the page (its engine gives none, or a "
            "correction added or removed lines): use the text instead."
        )

    # --- reading a frame again -----------------------------------------------------------------

    def show_menu(self, pos: QPoint) -> QMenu:
        """The page's menu: copy the frame's text, read it again with an engine."""
        window = self._window
        area = window.page_view.area
        menu = QMenu(window.page_view)
        copy = menu.addAction(self.tr("&Copy the text in the frame"))
        copy.setEnabled(area is not None)
        where = menu.addAction(self.tr("Copy the frame for the command &line (--area)"))
        where.setEnabled(area is not None and window.navigation.current_page() is not None)
        if area is not None:
            copy.triggered.connect(lambda: self.copy(area))
            where.triggered.connect(lambda: self.copy_option(area))
        again = menu.addMenu(self.tr("&Read the frame again with"))
        again.setEnabled(area is not None and self._window.navigation.readable() is not None)
        for name in self.engines():
            act = again.addAction(name)
            act.triggered.connect(functools.partial(self.read_again, name))
        every = menu.addAction(self.tr("Read the frame on &every page of the document..."))
        queue = menu.addAction(self.tr("Read the frame on every document in the &queue..."))
        tip = self.tr("A table of what the frame holds on each page, read by the chosen engine")
        for act in (every, queue):
            act.setEnabled(again.isEnabled())
            act.setToolTip(tip)
        if area is not None:
            every.triggered.connect(lambda: window.frame_pages.in_document(area))
            queue.triggered.connect(lambda: window.frame_pages.in_queue(area))
        window.page_turns.add_to(menu)
        if area is None:
            hint = menu.addAction(self.tr("Frame an area first: drag with Shift held"))
            hint.setEnabled(False)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(window.page_view.viewport().mapToGlobal(pos))
        return menu

    def engines(self) -> list[str]:
        """``auto`` and every engine that can read now (as the engine box offers them)."""
        statuses = self._window.engine_choice.statuses
        return [AUTO, *(s.name for s in statuses if s.available and ":" not in s.name)]

    def read_with_chosen(self) -> None:
        """Edit > Read the frame again: with the engine chosen in the engine box."""
        self.read_again(self._window.engine_choice.backend())

    def read_again(self, backend: str) -> None:
        """Read the framed area again with ``backend``; its lines replace what stood there."""
        window = self._window
        area = window.page_view.area
        if area is None and window.text_pane.selected_lines():
            area = self.frame_selection()  # the lines selected in the text
        shown = self._window.navigation.readable()
        if area is None or shown is None:
            self._say(self.tr("Frame an area of a page that has been read first."))
            return
        entry, index = shown
        if _unplaced(entry.pages[index]):
            self._say(self._unplaced_message())
            return
        status = window.engine_choice.status(backend)
        languages = window.language_box.languages() if status and status.takes_languages else None
        self._say(self.tr("Reading the frame again with {0}...").format(backend))
        bridge = window.bridge
        bridge.run(
            bridge.engine.read_area,
            Path(entry.path),
            index,
            area,
            backend,
            languages,
            on_result=functools.partial(self.read, entry, index, area),
            on_error=functools.partial(self._failed, backend),
        )

    def read(self, entry: QueueEntry, index: int, area: Area, reading: OcrPage) -> None:
        """The frame's new reading, in place of what stood there in page ``index``."""
        page = entry.pages.get(index)
        if page is not None and _unplaced(page):  # corrected meanwhile: the text stays
            self._say(self._unplaced_message())
            return
        navigation = self._window.navigation
        if page is None or not navigation.keep_page(
            entry, with_area_read(page, area, reading.lines)
        ):
            self._say(self.tr("The document left the queue before its frame was read again."))
            return
        rows = len([row for row in reading.text.split("\n") if row.strip()])
        self._say(
            self.tr("Read the frame again with {0}: %n line(s).", "", rows).format(reading.backend)
        )

    def _failed(self, backend: str, error: AblageError) -> None:
        """The engine's words, as every failure in the window (a bug with its details)."""
        kind, message, details = describe(error)
        message = self.tr("{0} could not read the frame: {1}").format(backend, message)
        self._window.show_failure(kind, message, details)


def _unplaced(page: OcrPage) -> bool:
    """Whether the page's text has no lines with boxes to frame (an engine that reports none,
    or a correction that added or removed lines)."""
    return not page.lines and bool(page.text.strip())
