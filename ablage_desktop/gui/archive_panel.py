"""The window's use of the archive: the bar offering interrupted batches, the bar saying the
archive is not there, and search (the field in the toolbar, the results dock, opening a hit).

The widgets stay attributes of the window (``window.resume_bar``, ``window.search_field`` ...);
the queries run in the control thread (``bridge.run``) and their answers come back here.
"""

from __future__ import annotations

import functools
import itertools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QLineEdit, QWidget

from ablage_desktop.engine import Job, OcrDocument, SearchHit, display
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui.widgets.notice_bar import NoticeBar
from ablage_desktop.gui.widgets.search_panel import SearchPanel

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

SEARCH_DELAY_MS = 350
SEARCH_DOCK_HEIGHT = 180


class ArchivePanel(QObject):
    """Resuming interrupted batches, and searching the archive."""

    def __init__(self, window: MainWindow, central: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._interrupted: list[Job] = []
        self._search_request = 0
        self._searches = itertools.count(1)
        self.resume_bar = NoticeBar("info", central)
        self.resume_button = self.resume_bar.add_button(self.tr("Resume"))
        self.discard_button = self.resume_bar.add_button(self.tr("Discard"))
        self.resume_bar.dismiss_button.setText(self.tr("Later"))
        self.resume_button.clicked.connect(self.resume_interrupted)
        self.discard_button.clicked.connect(self.discard_interrupted)
        self.archive_bar = NoticeBar("warning", central)
        self._build_search()

    def _build_search(self) -> None:
        window = self._window
        self.search_field = QLineEdit(window)
        self.search_field.setAccessibleName(self.tr("Search the archive"))
        self.search_field.setPlaceholderText(self.tr("Search the archive (Ctrl+F)"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMaximumWidth(320)
        if not window.bridge.has_archive:
            self.search_field.setEnabled(False)
            self.search_field.setToolTip(self.tr("Search needs the archive, which is not open."))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_typed)
        self.search_field.textEdited.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self.search_typed)
        self.search_panel = SearchPanel(window)
        self.search_panel.hitActivated.connect(self.open_hit)
        self.search_dock = QDockWidget(self.tr("Search results"), window)
        self.search_dock.setObjectName("search-dock")
        self.search_dock.setWidget(self.search_panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_dock)
        self.search_dock.hide()

    # --- interrupted batches -----------------------------------------------------------------

    def show_archive_problem(self, message: str) -> None:
        """The archive could not be opened: the window works on without it."""
        self.archive_bar.show_message(
            self.tr(
                "The archive cannot be used, so nothing read now is kept and search is off. {0}"
            ).format(message)
        )

    def offer_resume(self, jobs: list[Job]) -> None:
        self._interrupted = list(jobs)
        self._offer_next()

    def _offer_next(self) -> None:
        if not self._interrupted:
            self.resume_bar.hide()
            return
        job = self._interrupted[0]
        when = local_time(job.created)
        count = len(job.documents)
        if count == 1:
            text = self.tr("A batch of one document was interrupted on {0}.").format(when)
        else:
            text = self.tr("A batch of {0} documents was interrupted on {1}; {2} are not read yet.")
            text = text.format(count, when, len(job.remaining))
        self.resume_bar.show_message(text)

    def resume_interrupted(self) -> None:
        """Queue the unfinished documents of the batch offered in the bar."""
        if self._interrupted:
            self._window.bridge.resume(self._interrupted.pop(0).id)
        self._offer_next()

    def discard_interrupted(self) -> None:
        """Forget the batch offered in the bar: it is not offered again."""
        if self._interrupted:
            bridge = self._window.bridge
            job = self._interrupted.pop(0).id
            bridge.run(bridge.engine.discard, job, on_result=self.discarded)
        self._offer_next()

    def discarded(self, _none: None = None) -> None:
        self._window.statusBar().showMessage(
            self.tr("The interrupted batch was discarded; its pages read so far stay archived."),
            8000,
        )

    # --- search ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def search(self, words: str) -> None:
        """Search the archive for ``words`` (as if typed); the results show in their panel."""
        self.search_field.setText(words)
        self.search_typed()

    def search_typed(self) -> None:
        self._search_timer.stop()
        words = self.search_field.text()
        if not words.strip():
            self._search_request = 0
            self.search_panel.clear()
            self._set_search_words("")
            return
        request = self._search_request = next(self._searches)
        bridge = self._window.bridge
        bridge.run(
            bridge.engine.search,
            words,
            on_result=functools.partial(self.search_done, request, words),
            on_error=functools.partial(self._search_failed, request, words),
        )

    def _search_failed(self, request: int, words: str, error: AblageError) -> None:
        self.search_done(request, words, [])
        self._window.show_error(error)

    def search_done(self, request: int, words: str, hits: list[SearchHit]) -> None:
        if request != self._search_request:
            return  # an answer to words typed before the current ones
        self.search_panel.set_hits(words, hits)
        if self.search_dock.isHidden():
            self.search_dock.show()
            self._window.resizeDocks(
                [self.search_dock], [SEARCH_DOCK_HEIGHT], Qt.Orientation.Vertical
            )
        self.search_dock.raise_()

    def open_hit(self, hit: SearchHit) -> None:
        """Show the page of ``hit`` with the search words marked: from the queue if the
        document is there, else its stored pages from the archive."""
        self._set_search_words(self.search_panel.words)
        row = self._window.queue.find_document(hit.sha256, str(hit.document), hit.page)
        if row is not None:
            self._window.navigation.open_row(row, hit.page)
        else:
            bridge = self._window.bridge
            bridge.run(
                bridge.engine.archived_document,
                hit.sha256,
                hit.document,
                on_result=functools.partial(
                    self.archived_opened, hit.sha256, hit.document, hit.page
                ),
            )

    def archived_opened(
        self, sha256: str, path: Path, page: int, document: OcrDocument | None
    ) -> None:
        """Show the stored pages of a document (``document``; None: the archive has none)."""
        window = self._window
        if document is None:
            message = self.tr("The archive holds no pages of {0}.")
            window.statusBar().showMessage(message.format(display(path)), 8000)
            return
        row = window.queue.find_document(sha256, str(document.document), page)
        if row is None:
            row = window.queue.add_archived(document)
            window.batch_progress.update()
            window.update_bench_action()
        window.navigation.open_row(row, page)

    def _set_search_words(self, words: str) -> None:
        self._window.text_pane.set_search_words(words)
        self._window.page_view.mark_lines(self._window.text_pane.hit_lines())


def local_time(iso: str) -> str:
    """An archive time (ISO 8601, UTC) as the user's local date and time."""
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODateWithMs)
    if not moment.isValid():
        return iso
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set: ISO, not "27 11 2026"
        return moment.toLocalTime().toString("yyyy-MM-dd HH:mm")
    return locale.toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)
