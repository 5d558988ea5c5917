"""A batch and the archive: every page committed as it is recognised, so a batch can resume.

``BatchRunner`` runs one ``OcrRequest`` through the page pipeline as a job of the archive. The
``JobRecorder`` sits between the pipeline and the listeners: it commits an event's data to
the store first and only then passes the event on, so whatever the window or the command
line has shown as done is in the archive, even if the process dies the next moment. A document
the caller did not take (it stopped while holding it) goes back to pending for ``--resume``.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.archive.store import Job, Store
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.events import (
    DocumentFinished,
    DocumentStarted,
    Event,
    EventHandlers,
    PageDone,
)
from ablage_desktop.engine.intake.documents import IntakeLimits
from ablage_desktop.engine.models.area_reading import PageArea
from ablage_desktop.engine.models.manager import ModelManager
from ablage_desktop.engine.models.router import AUTO
from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.page_selection import PageSelection
from ablage_desktop.engine.run.pipeline import DocumentOpener, PageRecognizer, run_pipeline
from ablage_desktop.engine.run.states import DocumentState, JobState

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OcrRequest:
    """What to read and how; ``backend`` None means the configured default (usually auto)."""

    paths: Sequence[Path]
    backend: str | None = None
    languages: str | None = None
    force: bool = False
    """Read again documents the archive already holds for this engine."""
    archive: bool = True
    """Record the batch in the archive (when the engine has one); off for benchmarks."""
    resume_job: int | None = None
    """Continue this archived batch: ``paths`` are its unfinished documents, in its order."""
    delivery: dict[str, str] | None = None
    """Where the caller puts the results (kept with the batch, given back on resume)."""
    pdf_text: str | None = None
    """``intake.pdf_text`` for this request (``text_layer.MODES``); None: the configured one."""
    areas: tuple[PageArea, ...] = ()
    """Read only these areas of every page (``ocr --area``); such a batch is not archived (its
    pages are not the documents' readings)."""
    pages: PageSelection | None = None
    """Read only these pages of every document (``ocr --pages``); such a batch is not archived
    (the archive would take a document for read whole)."""

    @property
    def partial(self) -> bool:
        """Whether the batch reads part of its documents (areas, pages): not archived."""
        return bool(self.areas) or self.pages is not None


def resume_request(job: Job) -> OcrRequest:
    """The request that finishes an archived batch where it stopped."""
    return OcrRequest(
        [doc.path for doc in job.remaining],
        backend=job.requested.split(":", 1)[0],
        languages=job.languages,
        resume_job=job.id,
        delivery=job.delivery,
    )


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
        self.record = (
            EventHandlers()
            .on(DocumentStarted, self._started)
            .on(PageDone, self._page_done)
            .on(DocumentFinished, self._finished)
        )
        """Commits what an event of the batch says to the archive (other events pass by)."""

    def __call__(self, event: Event) -> None:
        self.record(event)
        self._forward(event)

    def undelivered(self, position: int) -> None:
        """The caller could not deliver the document at ``position`` of this run (its output
        was not written): a finished one goes back to pending, and a resume writes it (its
        pages come from the archive, nothing is read again)."""
        self._set_state(position, DocumentState.PENDING)

    def _set_state(self, position: int, state: DocumentState, sha256: str | None = None) -> None:
        self._store.set_document_state(
            self._plan.job, self._plan.positions[position], state, sha256
        )

    def _started(self, event: DocumentStarted) -> None:
        self._sha256[event.position] = event.sha256
        self._store.add_document(event.sha256, event.document, event.doc_type, event.pages)
        self._set_state(event.position, DocumentState.RUNNING, event.sha256)

    def _page_done(self, event: PageDone) -> None:
        if event.restored:
            return
        self._store.add_page(
            self._sha256[event.position],
            event.document,
            self._plan.requested,
            event.page,
            quantization=self._quantization_of(event.page.backend),
            job=self._plan.job,
        )

    def _finished(self, event: DocumentFinished) -> None:
        state, result = event.state, event.result
        if state is DocumentState.CANCELLED:
            # Not finished: a resumed batch reads it again (its committed pages stay).
            state = DocumentState.PENDING
        elif state is DocumentState.FAILED and result.error is not None:
            self._store.add_failure(
                result.document, result.error, sha256=result.sha256, job=self._plan.job
            )
        self._set_state(event.position, state)


class JobStamp:
    """Puts the job id of a batch on its events before they go out; the runner sets ``job``
    once the archive has given it (an unarchived batch has none). One per batch."""

    def __init__(self, emit: Callable[[Event], None]) -> None:
        self._emit = emit
        self.job: int | None = None

    def __call__(self, event: Event) -> None:
        if self.job is not None and event.job is None:
            event = dataclasses.replace(event, job=self.job)
        self._emit(event)


def requested_of(request: OcrRequest, default_backend: str) -> str:
    """The engine a new batch asks for, as the archive keeps it with each page it reads."""
    requested = request.backend or default_backend
    if request.languages and requested != AUTO:
        requested = f"{requested}:{request.languages}"
    return requested


def plan_job(store: Store, request: OcrRequest, paths: list[Path], default_backend: str) -> JobPlan:
    """A new job for ``request``, or the archived one it resumes (claimed by this process)."""
    requested = requested_of(request, default_backend)
    if request.resume_job is None:
        job = store.begin_job(requested, request.languages, paths, request.delivery)
        return JobPlan(job, requested, list(range(len(paths))))
    job = store.job(request.resume_job)
    if job is None:
        raise UsageError(f"there is no batch {request.resume_job} in the archive")
    by_path = {str(doc.path): doc.position for doc in job.remaining}
    store.claim_job(job.id)
    return JobPlan(job.id, job.requested, [by_path[str(path)] for path in paths])


@dataclass(frozen=True)
class BatchRunner:
    """What a batch runs with: the engine's long-lived parts."""

    manager: ModelManager
    opener: DocumentOpener
    store: Store | None
    """None: the batch is not archived (benchmarks, an engine without an archive)."""
    emit: JobStamp
    """Where the batch's events go, with its job id on them (the recognizer's go there too)."""
    quantization_of: Callable[[str], str | None]
    default_backend: str

    def run(
        self,
        request: OcrRequest,
        recognizer: PageRecognizer,
        limits: IntakeLimits,
        cancel: CancelToken,
        loaded: Callable[[], None] = lambda: None,
        on_scan: Callable[[], None] | None = None,
    ) -> Iterator[OcrDocument]:
        """Every document of ``request``, in order; the job ends done, cancelled or
        interrupted (resumable) with the batch.

        ``loaded`` waits for the batch's engine, loading meanwhile, and raises where it could
        not be loaded: a new batch's first pages are opened and rendered while it loads, and
        the batch enters the archive only once it is (a broken engine leaves none there).
        ``on_scan``: see ``run_pipeline``."""
        paths = list(request.paths)
        plan: JobPlan | None = None
        recorder: JobRecorder | None = None
        known: Callable[[str], Mapping[int, OcrPage]] | None = None
        if self.store is not None and not request.force:
            requested = requested_of(request, self.default_backend)
            resumed = None if request.resume_job is None else self.store.job(request.resume_job)
            known = functools.partial(
                self.store.pages, requested=resumed.requested if resumed else requested
            )

        def begin() -> None:
            nonlocal plan, recorder
            loaded()
            if self.store is not None:
                plan = plan_job(self.store, request, paths, self.default_backend)
                self.emit.job = plan.job
                recorder = JobRecorder(self.store, plan, self.quantization_of, self.emit)

        def emit(event: Event) -> None:
            (self.emit if recorder is None else recorder)(event)

        finished = False
        try:
            with self.manager.batch():
                documents = run_pipeline(
                    paths,
                    recognizer,
                    limits,
                    cancel=cancel,
                    emit=emit,
                    opener=self.opener,
                    known=known,
                    selection=request.pages,
                    begin=begin,
                    on_scan=on_scan,
                )
                for position, document in enumerate(documents):
                    try:
                        yield document
                    except GeneratorExit:
                        # The caller stopped while holding this document (its output could
                        # not be written, Ctrl-C): it is not delivered, so a resume does it.
                        if recorder is not None:
                            recorder.undelivered(position)
                        documents.close()
                        raise
            finished = True
        finally:
            if self.store is not None and plan is not None:
                self.store.end_job(plan.job, _end_state(cancel, finished))


def _end_state(cancel: CancelToken, finished: bool) -> JobState:
    """The pipeline ends normally when cancelled: the token says which it was. A batch
    interrupted, or stopped early (consumer gone, crash of the caller), stays resumable."""
    if cancel.interrupted or not (finished or cancel.cancelled):
        return JobState.INTERRUPTED
    return JobState.CANCELLED if cancel.cancelled else JobState.DONE
