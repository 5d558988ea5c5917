"""Corrections kept in the archive: text a person typed over a reading, or a frame read again,
is not lost when the window closes, and the archive's search finds the corrected words.

A correction changes a page a keystroke at a time (``PageNavigation.text_edited``). Each page
is written ``DELAY_MS`` after its last change, in the control thread (the archive's lock may
wait for a batch's commit), in place of the reading the window showed: the archive finds it by
its text, one of the texts the window showed for that page (``Engine.keep_correction``). What
is waiting, or was sent and not yet written, when the window closes is written then.

Edit > Undo the corrections of the page puts the engine's reading back, in the window and in
the archive (which kept it beside the correction): the page as the window first showed it
this session, else the archive's first reading.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ablage_desktop.engine import OcrPage
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui.failures import describe
from ablage_desktop.gui.widgets.queue_model import QueueEntry

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)

MESSAGE_MS = 6000
DELAY_MS = 1500
"""A page is written this long after its last change: once a person stops typing."""

PageKey = tuple[str, int]
"""A document's sha256 (its path where it has none) and a page index."""


class ArchivedCorrections(QObject):
    """Writes the pages a person changed into the archive, a moment after the last change."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.write)
        self._shown: dict[PageKey, set[str]] = {}
        """Every text the window showed of a page: the archive holds one of them."""
        self._waiting: dict[PageKey, OcrPage] = {}
        self._unwritten: dict[PageKey, OcrPage] = {}
        """Sent to the control thread, not written yet (a queued task does not run at exit)."""
        self._first: dict[PageKey, OcrPage] = {}
        """The engine's reading of a page as the window showed it before its correction."""

    def changed(self, entry: QueueEntry, before: OcrPage | None, after: OcrPage) -> None:
        """Page ``after`` of ``entry`` replaced ``before`` (shown until now)."""
        sha256 = entry.result.sha256 if entry.result is not None else None
        if before is None:
            return
        key = (sha256 or entry.path, after.index)
        if not before.corrected:
            self._first.setdefault(key, before)
        if sha256 is None or not self._window.bridge.engine.has_archive:
            return
        self._shown.setdefault(key, set()).add(before.text)
        self._waiting[key] = after
        self._timer.start()

    @property
    def waiting(self) -> int:
        """Pages changed and not written yet."""
        return len(self._waiting) + len(self._unwritten)

    def write(self) -> None:
        """Write the waiting pages, in the control thread."""
        bridge = self._window.bridge
        for key, page in self._waiting.items():
            was = frozenset(self._shown[key])
            self._shown[key].add(page.text)
            self._unwritten[key] = page
            bridge.run(
                bridge.engine.keep_correction,
                key[0],
                page,
                was,
                on_result=lambda _count, key=key, page=page: self._written(key, page),
                on_error=self._failed,
            )
        self._waiting.clear()

    def write_now(self) -> None:
        """At close: whatever is not written yet, in this thread, before the engine closes."""
        self._timer.stop()
        engine = self._window.bridge.engine
        for key, page in {**self._unwritten, **self._waiting}.items():
            try:
                engine.keep_correction(key[0], page, frozenset(self._shown[key]))
            except AblageError as exc:
                log.warning("A correction of page %d was not kept: %s", key[1] + 1, exc)
        self._unwritten.clear()
        self._waiting.clear()

    def undo(self) -> None:
        """Put the engine's reading of the shown page back in place of its corrections."""
        window = self._window
        page = window.navigation.current_page()
        if page is None or window.navigation.row is None or not page.corrected:
            self._say(self.tr("This page has no corrections to undo."))
            return
        entry = window.queue.entries[window.navigation.row]
        sha256 = entry.result.sha256 if entry.result is not None else None
        key = (sha256 or entry.path, page.index)
        self._waiting.pop(key, None)  # not to be written, now or at the close
        self._unwritten.pop(key, None)
        first = self._first.get(key)
        if sha256 is None or not window.bridge.engine.has_archive:
            self._reverted(entry, key, first, None)
            return
        texts = frozenset(self._shown.get(key, set()) | {page.text})
        bridge = window.bridge
        bridge.run(
            bridge.engine.revert_correction,
            sha256,
            page.index,
            texts,
            on_result=functools.partial(self._reverted, entry, key, first),
            on_error=self._failed,
        )

    def _reverted(
        self, entry: QueueEntry, key: PageKey, first: OcrPage | None, kept: OcrPage | None
    ) -> None:
        """The reading to put back: the window's first (this session), else the archive's."""
        reading = first or kept
        if reading is None:
            self._say(self.tr("The archive keeps no first reading of this page."))
            return
        if not self._window.navigation.put_back(entry, reading):
            return
        self._shown.setdefault(key, set()).add(reading.text)
        self._first.pop(key, None)
        self._say(self.tr("The engine's reading of the page is back."))

    def _say(self, message: str) -> None:
        self._window.statusBar().showMessage(message, MESSAGE_MS)

    def _written(self, key: PageKey, page: OcrPage) -> None:
        if self._unwritten.get(key) is page:
            del self._unwritten[key]

    def _failed(self, error: AblageError) -> None:
        kind, message, details = describe(error)
        message = self.tr("The correction could not be kept in the archive: {0}").format(message)
        self._window.show_failure(kind, message, details)
