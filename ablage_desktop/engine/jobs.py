"""A batch and the archive: every page committed as it is recognised, so a batch can resume.

The ``JobRecorder`` sits between the pipeline and the listeners: it commits an event's data to
the store first and only then passes the event on, so whatever the window or the command
line has shown as done is in the archive, even if the process dies the next moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ablage_desktop.engine.events import DocumentFinished, DocumentStarted, Event, PageDone
from ablage_desktop.engine.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobPlan:
    """Which job a run records into, and the job position of each document of the run."""

    job: int
    requested: str
    positions: Sequence[int]
    """``positions[i]``: the job's position of the run's i-th document (a resumed run reads
    only the documents the job had not finished)."""


class JobRecorder:
    def __init__(
        self,
        store: Store,
        plan: JobPlan,
        quantization_of: Callable[[str], str | None],
        forward: Callable[[Event], None],
    ) -> None:
        self._store = store
        self._plan = plan
        self._quantization_of = quantization_of
        self._forward = forward
        self._sha256: dict[int, str] = {}

    def __call__(self, event: Event) -> None:
        self.record(event)
        self._forward(event)

    def undelivered(self, position: int) -> None:
        """The caller could not deliver the document at ``position`` of this run (its output
        was not written): a finished one goes back to pending, and a resume writes it (its
        pages come from the archive, nothing is read again)."""
        self._store.set_document_state(self._plan.job, self._plan.positions[position], "pending")

    def record(self, event: Event) -> None:
        plan = self._plan
        if isinstance(event, DocumentStarted):
            self._sha256[event.position] = event.sha256
            self._store.add_document(event.sha256, event.document, event.doc_type, event.pages)
            self._store.set_document_state(
                plan.job, plan.positions[event.position], "running", event.sha256
            )
        elif isinstance(event, PageDone) and not event.restored:
            sha256 = self._sha256[event.position]
            self._store.add_page(
                sha256,
                event.document,
                plan.requested,
                event.page,
                quantization=self._quantization_of(event.page.backend),
                job=plan.job,
            )
        elif isinstance(event, DocumentFinished):
            result = event.result
            position = plan.positions[event.position]
            if result.error is None:
                self._store.set_document_state(plan.job, position, "done")
            elif result.error.kind == "cancelled":
                # Not finished: a resumed batch reads it again (its committed pages stay).
                self._store.set_document_state(plan.job, position, "pending")
            else:
                self._store.add_failure(
                    result.document, result.error, sha256=result.sha256, job=plan.job
                )
                self._store.set_document_state(plan.job, position, "failed")
