"""One batch's engine events as the batch worker's signals, tagged with the window's batch id.

The batch worker listens while its batch runs. The job id on each event says which batch it
belongs to: known up front for a resumed batch, else named by the first document event that
carries one (the engine emits a batch's document events in the thread that iterates it, the
worker's own, so the first it sees after subscribing is its batch's). An event of any other job
is another batch's and is not passed on, so two batches' pages never mix in the queue. (A batch
run without an archive has no job id: its events all pass.)
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ablage_desktop.engine import DocumentFinished, DocumentStarted, Event, EventHandlers, PageDone

if TYPE_CHECKING:
    from ablage_desktop.gui.workers.batch import EngineWorker

log = logging.getLogger(__name__)


class BatchEvents:
    """The listener of batch ``batch``: its document events become ``worker``'s signals."""

    def __init__(self, batch: int, worker: EngineWorker, job: int | None = None) -> None:
        self.batch = batch
        self.job = job
        """The archive's job of this batch; None until an event names it."""
        self._worker = worker
        self._handlers = (
            EventHandlers()
            .on(DocumentStarted, self._document_started)
            .on(PageDone, self._page_done)
            .on(DocumentFinished, self._document_finished)
        )

    def __call__(self, event: Event) -> None:
        if event.job is not None:
            if self.job is None:
                self.job = event.job
            elif event.job != self.job:
                log.debug("Batch %s: an event of job %s is not its own", self.batch, event.job)
                return
        self._handlers(event)

    def _document_started(self, event: DocumentStarted) -> None:
        self._worker.documentStarted.emit(self.batch, event.position, event.pages)

    def _page_done(self, event: PageDone) -> None:
        signal = self._worker.pageRestored if event.restored else self._worker.pageDone
        signal.emit(self.batch, event.position, event.page)

    def _document_finished(self, event: DocumentFinished) -> None:
        self._worker.documentFinished.emit(self.batch, event.position, event.result)
