"""A page read again turned as the person says: where the orientation step left a page lying
on its side or upside down (it turns a page only when it is sure), its text came out as
nonsense, and nothing in the window could set it right but typing the page anew.

The page's context menu has "Turn the page and read it again" with the three turns; the page
is read again by the engine the document was read with (``Engine.read_turned``), its lines
placed on the page as the preview shows it, and the reading takes the page's place as a
correction does (the export writes it, the archive keeps it: ``corrections``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from ablage_desktop.engine import OcrPage
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui.failures import describe
from ablage_desktop.gui.widgets.queue_model import QueueEntry

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

MESSAGE_MS = 6000


class PageTurns(QObject):
    """The page menu's turns, and the page read again with one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def turns(self) -> list[tuple[str, int]]:
        """Each turn as the menu names it, and its counter-clockwise quarter turns."""
        return [
            (self.tr("90° &clockwise"), 3),
            (self.tr("&180°"), 2),
            (self.tr("90° c&ounter-clockwise"), 1),
        ]

    def add_to(self, menu: QMenu) -> QMenu:
        """The submenu of turns, enabled where the shown page can be read again."""
        submenu = menu.addMenu(self.tr("&Turn the page and read it again"))
        submenu.setEnabled(self._window.navigation.readable() is not None)
        for label, turns in self.turns():
            act = submenu.addAction(label)
            act.triggered.connect(functools.partial(self.read_turned, turns))
        return submenu

    def read_turned(self, turns: int) -> None:
        """Read the shown page again turned ``turns`` quarter turns counter-clockwise from
        the way it is shown (a page read turned is shown upright, ``OcrPage.turns``), by the
        engine its document was read with."""
        window = self._window
        shown = window.navigation.readable()
        page = window.navigation.current_page()
        if shown is None or page is None:
            self._say(self.tr("Select a page that has been read first."))
            return
        entry, index = shown
        status = window.engine_choice.status(entry.backend)
        languages = window.language_box.languages() if status and status.takes_languages else None
        self._say(self.tr("Reading the page again, turned {0}...").format(self._named(turns)))
        bridge = window.bridge
        bridge.run(
            bridge.engine.read_turned,
            Path(entry.path),
            index,
            (page.turns + turns) % 4,  # the engine turns the page as scanned
            entry.backend,
            languages,
            on_result=functools.partial(self.read, entry, turns),
            on_error=self._failed,
        )

    def read(self, entry: QueueEntry, turns: int, page: OcrPage) -> None:
        """The page's new reading, in its place."""
        if not self._window.navigation.keep_page(entry, page):
            self._say(self.tr("The document left the queue before its page was read again."))
            return
        rows = len([row for row in page.text.split("\n") if row.strip()])
        self._say(
            self.tr("Read the page again, turned {0}: %n line(s).", "", rows).format(
                self._named(turns)
            )
        )

    def _named(self, turns: int) -> str:
        """The turn as the menu names it, without its shortcut's mark."""
        return next(label for label, quarter in self.turns() if quarter == turns).replace("&", "")

    def _say(self, message: str) -> None:
        self._window.statusBar().showMessage(message, MESSAGE_MS)

    def _failed(self, error: AblageError) -> None:
        kind, message, details = describe(error)
        message = self.tr("The page could not be read again: {0}").format(message)
        self._window.show_failure(kind, message, details)
