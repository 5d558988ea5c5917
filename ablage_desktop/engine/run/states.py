"""Where a document of a batch, and a batch, stand: one vocabulary for the archive, the
events, the window and the command line.

The values are the words the archive has always stored (``job_documents.state``,
``jobs.state``) and the event log writes, so an existing archive and the tools reading the log
see no change.
"""

from __future__ import annotations

import enum

from ablage_desktop.engine.errors import Cancelled
from ablage_desktop.engine.results.document import OcrDocument


class DocumentState(enum.StrEnum):
    PENDING = "pending"
    """Not read yet (the window's queue says "queued"); in the archive also a document that a
    cancel or an interruption stopped, which a resume reads on."""
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    """Stopped by the user before it was finished (the archive keeps it ``PENDING``)."""
    ARCHIVED = "archived"
    """Opened from the archive in the window: its stored pages, not read in a batch."""

    @property
    def active(self) -> bool:
        """Whether the document is still waiting or being read."""
        return self in (DocumentState.PENDING, DocumentState.RUNNING)

    @property
    def finished(self) -> bool:
        """Whether every page the document will get is there (read, failed or stored)."""
        return self in (DocumentState.DONE, DocumentState.FAILED, DocumentState.ARCHIVED)

    @classmethod
    def of(cls, result: OcrDocument) -> DocumentState:
        """How a batch left ``result``: done, failed, or cancelled (not a failure)."""
        if result.error is None:
            return cls.DONE
        if result.error.kind == Cancelled.kind:
            return cls.CANCELLED
        return cls.FAILED


class JobState(enum.StrEnum):
    """A batch as the archive keeps it; ``RUNNING`` and ``INTERRUPTED`` ones can be resumed."""

    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"
