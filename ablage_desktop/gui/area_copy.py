"""Edit > Copy the text of an area: the words in a frame drawn on the page, onto the clipboard.

An amount, an IBAN, the sender's address: often a person wants one part of a page, and
selecting it in the text pane means finding it there first. Framing it on the page (a drag
with Shift held, or any drag after the menu's item) copies the text standing in the frame,
as recognised, or as corrected where the correction kept the lines (``text_in_area``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from ablage_desktop.engine import text_in_area
from ablage_desktop.gui.widgets.page_view import Area

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

MESSAGE_MS = 6000


class AreaCopy(QObject):
    """Starts framing from the menu and copies what a frame holds."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        window.page_view.areaSelected.connect(self.copy)

    def choose(self) -> None:
        """The menu's way in: the next drag on the page frames the area."""
        window = self._window
        if window.navigation.current_page() is None:
            window.statusBar().showMessage(self.tr("Select a read page first."), MESSAGE_MS)
            return
        window.page_view.choose_area()
        window.page_view.setFocus()
        window.statusBar().showMessage(
            self.tr("Drag a frame around the text to copy (Esc: cancel)."), MESSAGE_MS
        )

    def copy(self, area: Area) -> None:
        """Put the text in ``area`` (page pixels) on the clipboard and say what was copied."""
        window = self._window
        page = window.navigation.current_page()
        if page is None:
            message = self.tr("This page has not been read yet.")
        elif not page.lines and page.text.strip():
            message = self.tr(
                "This page's text has no places on the page (its engine gives none, or a "
                "correction added or removed lines): copy it from the text instead."
            )
        else:
            text = text_in_area(page.lines, area)
            if text:
                QGuiApplication.clipboard().setText(text)
                rows = len([row for row in text.split("\n") if row.strip()])
                message = self.tr("Copied the text in the frame: %n line(s).", "", rows)
            else:
                message = self.tr("No recognised text in the frame.")
        window.statusBar().showMessage(message, MESSAGE_MS)
