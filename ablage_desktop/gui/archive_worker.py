"""The archive behind the window: interrupted batches, search, stored documents.

``ArchiveWorker`` lives in the control thread beside ``ControlWorker``: every SQLite query runs
there, never in the GUI thread, and its answers come back as signals. Without an archive (none
configured, or it could not be opened) every request answers with nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ablage_desktop.engine import JobState, OcrDocument
from ablage_desktop.engine.archive.store import Store, fts_query
from ablage_desktop.engine.pathtext import display
from ablage_desktop.gui.failures import report

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200


class ArchiveWorker(QObject):
    resumable = Signal(list)  # list[Job]: batches that stopped before their end
    discarded = Signal(int)  # job id
    searchDone = Signal(int, str, list)  # request id, words, list[SearchHit]
    documentOpened = Signal(str, object, int)  # sha256, OcrDocument of the stored pages, page
    message = Signal(str)
    failed = Signal(str, str, str)  # kind, message, details

    def __init__(self, store: Store | None) -> None:
        super().__init__()
        self._store = store

    @Slot()
    def check_resumable(self) -> None:
        if self._store is None:
            return
        try:
            jobs = self._store.resumable_jobs()
            if jobs:
                self.resumable.emit(jobs)
        except Exception as exc:
            report(self.failed, exc)

    @Slot(int)
    def discard(self, job: int) -> None:
        if self._store is None:
            return
        try:
            self._store.end_job(job, JobState.CANCELLED)
            self.discarded.emit(job)
        except Exception as exc:
            report(self.failed, exc)

    @Slot(int, str)
    def search(self, request: int, words: str) -> None:
        try:
            searchable = self._store is not None and fts_query(words)
            hits = self._store.search(words, SEARCH_LIMIT) if searchable else []
            self.searchDone.emit(request, words, hits)
        except Exception as exc:
            self.searchDone.emit(request, words, [])
            report(self.failed, exc)

    @Slot(str, object, int)
    def open_document(self, sha256: str, path: str, page: int) -> None:
        """The stored pages of a document, as a result the window can show and export."""
        if self._store is None:
            return
        try:
            pages = self._store.document_pages(sha256)
            if not pages:
                message = self.tr("The archive holds no pages of {0}.")
                self.message.emit(message.format(display(path)))
                return
            document = OcrDocument(Path(path), sha256, [pages[i] for i in sorted(pages)])
            self.documentOpened.emit(sha256, document, page)
        except Exception as exc:
            report(self.failed, exc)
