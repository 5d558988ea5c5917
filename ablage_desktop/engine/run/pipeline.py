"""The page pipeline: pages are decoded ahead of recognition, and each document stands alone.

One producer thread has the documents opened and their pages rendered by the decoder process
(``engine.decoding``: a parser that crashes or hangs there costs only its document) and puts
them into a small bounded queue; ``backend.concurrency`` worker threads recognise
them; the caller's thread collects the results and yields each document, in input order, as
soon as it is complete. The queue bound keeps at most a few pages in memory, whatever the size
of the documents. A document that fails becomes an error record and the batch goes on.
The threads live in ``page_threads.py``; this module collects and orders what they send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ablage_desktop.engine.errors import Cancelled, InputError, RecognitionError
from ablage_desktop.engine.events import DocumentFinished, DocumentStarted, Event, PageDone
from ablage_desktop.engine.intake.decoding import DocumentOpener, IsolatedDecoder
from ablage_desktop.engine.intake.documents import IntakeLimits
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.page_selection import PageSelection
from ablage_desktop.engine.run.page_threads import (
    WORKER_DONE,
    BatchRecognizer,
    Ended,
    Opened,
    PageRecognizer,
    PageResult,
    PageThreads,
)

__all__ = [
    "BatchRecognizer",
    "DocumentOpener",
    "PageRecognizer",
    "run_pipeline",
]


@dataclass
class _Pending:
    """A document being collected."""

    result: OcrDocument
    pages_total: int = 0
    sent: int | None = None
    received: int = 0
    page_errors: list[tuple[int, BaseException]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.sent is not None and self.received >= self.sent


def run_pipeline(
    paths: Sequence[Path],
    backend: PageRecognizer,
    limits: IntakeLimits,
    *,
    cancel: CancelToken | None = None,
    emit: Callable[[Event], None] = lambda event: None,
    render_ahead: int = 2,
    opener: DocumentOpener | None = None,
    known: Callable[[str], Mapping[int, OcrPage]] | None = None,
    selection: PageSelection | None = None,
    begin: Callable[[], None] = lambda: None,
    on_scan: Callable[[], None] | None = None,
) -> Iterator[OcrDocument]:
    """OCR ``paths`` with ``backend``; yields one ``OcrDocument`` per path, in order.

    ``opener`` opens the documents (the engine's long-lived decoder); without one, the run
    starts a decoder process of its own and stops it at the end. ``known`` gives, for a
    document's sha256, the pages already recognised (the archive's): they are neither rendered
    nor recognised again, and come back with ``PageDone(restored=True)``. ``selection``: only
    those pages of each document are rendered and read. ``begin`` runs once the first pages
    are being opened and rendered, before any is read or any event is sent (the wait for a
    chosen engine's load, and the batch's entry in the archive): what it raises ends the run.
    ``on_scan`` is called once the first document is open where its first page to read can
    only be read by an engine (``PageThreads.on_scan``).
    """
    cancel = cancel or CancelToken()
    decoder: DocumentOpener = opener if opener is not None else IsolatedDecoder()
    flow = PageThreads(
        paths,
        backend,
        limits,
        cancel=cancel,
        decoder=decoder,
        render_ahead=render_ahead,
        known=known,
        selection=selection,
        on_scan=on_scan,
    )
    threads = [flow.start_producer()]
    try:
        begin()
        threads += flow.start_workers()
        yield from _in_order(flow, paths, emit)
    except KeyboardInterrupt:
        # Ctrl-C or a stop signal: the pages in flight stop now (an engine that reads a page
        # for minutes, Surya on a CPU, would otherwise hold the exit until it is done).
        cancel.interrupt()
        raise
    finally:
        flow.stop.set()
        flow.drain()
        for thread in threads:
            thread.join()
        if opener is None:
            decoder.close()


def _in_order(
    flow: PageThreads, paths: Sequence[Path], emit: Callable[[Event], None]
) -> Iterator[OcrDocument]:
    """Collect the threads' messages; yield each document, in input order, once complete."""
    total = len(paths)
    pending = {i: _Pending(OcrDocument(path)) for i, path in enumerate(paths)}
    next_out = 0
    workers_left = flow.workers
    while workers_left:
        message = flow.results.get()
        if message is WORKER_DONE:
            workers_left -= 1
            continue
        _collect(message, pending, paths, total, emit)
        while next_out < total and pending[next_out].complete:
            yield _finish(pending.pop(next_out), next_out, total, emit)
            next_out += 1
    # Documents the producer never reached (cancelled) or whose records came last.
    while not flow.results.empty():
        message = flow.results.get()
        if message is not WORKER_DONE:
            _collect(message, pending, paths, total, emit)
    for position in range(next_out, total):
        doc = pending.pop(position)
        if doc.sent is None:
            doc.sent, doc.result.error = doc.received, ErrorInfo.from_exception(Cancelled())
        yield _finish(doc, position, total, emit)


def _collect(
    message: object,
    pending: dict[int, _Pending],
    paths: Sequence[Path],
    total: int,
    emit: Callable[[Event], None],
) -> None:
    if isinstance(message, Opened):
        doc = pending[message.position]
        doc.result.sha256 = message.sha256
        doc.pages_total = message.pages
        path = paths[message.position]
        emit(
            DocumentStarted(
                path, message.position, total, message.pages, message.sha256, message.doc_type
            )
        )
        for page in message.known:
            doc.result.pages.append(page)
            emit(PageDone(path, message.position, total, message.pages, page, restored=True))
    elif isinstance(message, PageResult):
        doc = pending[message.position]
        doc.received += 1
        if message.page is not None:
            doc.result.pages.append(message.page)
            emit(
                PageDone(
                    paths[message.position],
                    message.position,
                    total,
                    doc.pages_total,
                    message.page,
                )
            )
        elif message.error is not None:
            doc.page_errors.append((message.index, message.error))
    elif isinstance(message, Ended):
        doc = pending[message.position]
        doc.sent = message.sent
        if message.error is not None:
            doc.result.error = ErrorInfo.from_exception(message.error)


def _finish(doc: _Pending, position: int, total: int, emit: Callable[[Event], None]) -> OcrDocument:
    result = doc.result
    result.pages.sort(key=lambda page: page.index)
    failed = sorted(index for index, error in doc.page_errors if not isinstance(error, Cancelled))
    if result.error is not None and failed and result.error.kind != Cancelled.kind:
        # The document's own error (cut short, its decoder gone) and pages that failed alone.
        pages = ", ".join(str(index + 1) for index in failed)
        message = f"{result.error.message} (Page(s) {pages} failed as well.)"
        result.error = ErrorInfo(result.error.kind, message)
    elif result.error is None and doc.page_errors:
        index, error = min(doc.page_errors, key=lambda item: item[0])
        if isinstance(error, Cancelled):
            result.error = ErrorInfo.from_exception(error)
        else:
            info = ErrorInfo.from_exception(error)
            message = info.message
            if not isinstance(error, RecognitionError | InputError):  # theirs name the page
                message = f"Page {index + 1}: {message}"
            if len(doc.page_errors) > 1:
                message += f" ({len(doc.page_errors) - 1} more page(s) failed too.)"
            result.error = ErrorInfo(info.kind, message)
    emit(DocumentFinished(position, total, result))
    return result
