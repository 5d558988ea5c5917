"""The archive as the window asks about it: batches to resume or drop, search, stored pages.

Every answer is safe without an archive (none configured, or it could not be opened): nothing
to resume, no hits, no stored document.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path

from ablage_desktop.engine.archive.store import Job, SearchHit, Store, fts_query
from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.run.jobs import OcrRequest, resume_request
from ablage_desktop.engine.run.states import JobState

log = logging.getLogger(__name__)

SEARCH_LIMIT = 200
"""The window shows at most this many pages for one search."""


class ArchiveAccess:
    """Read and mark batches of one archive (or of none)."""

    def __init__(self, store: Store | None) -> None:
        self._store = store

    @property
    def present(self) -> bool:
        return self._store is not None

    def resumable_jobs(self) -> list[Job]:
        """Batches that stopped before their end (``Store.resumable_jobs``)."""
        return self._store.resumable_jobs() if self._store is not None else []

    def running_jobs(self) -> list[Job]:
        """Batches another live process is working on right now."""
        return self._store.running_jobs() if self._store is not None else []

    def discard(self, job: int) -> None:
        """Mark batch ``job`` as cancelled: it is not offered for resuming again."""
        if self._store is not None:
            self._store.end_job(job, JobState.CANCELLED)

    def resume(self, job: int) -> OcrRequest | None:
        """The request that finishes batch ``job``; None when it has nothing left to read."""
        found = self._store.job(job) if self._store is not None else None
        if found is None or not found.remaining:
            return None
        return resume_request(found)

    def search(self, words: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Pages holding every word of ``words``; none for words that make no query."""
        if self._store is None or not fts_query(words):
            return []
        return self._store.search(words, limit)

    def index_older_pages(self) -> int:
        """``Store.index_older_pages``: one step; 0 without an archive or once done."""
        return self._store.index_older_pages() if self._store is not None else 0

    def keep_correction(self, sha256: str, page: OcrPage, was: Collection[str]) -> int:
        """``Store.correct_page``; 0 without an archive."""
        return self._store.correct_page(sha256, page, was) if self._store is not None else 0

    def revert_correction(self, sha256: str, index: int, was: Collection[str]) -> OcrPage | None:
        """``Store.revert_page``; None without an archive."""
        return self._store.revert_page(sha256, index, was) if self._store is not None else None

    def document(self, sha256: str, path: Path) -> OcrDocument | None:
        """The stored pages of a document as a result to show and export; None when the
        archive holds none of its pages."""
        pages = self._store.document_pages(sha256) if self._store is not None else {}
        if not pages:
            log.debug("The archive holds no pages of %s", sha256)
            return None
        return OcrDocument(path, sha256, [pages[i] for i in sorted(pages)])

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
