"""The page pipeline: pages are decoded ahead of recognition, and each document stands alone.

One producer thread has the documents opened and their pages rendered by the decoder process
(``engine.decoding``: a parser that crashes or hangs there costs only its document) and puts
them into a small bounded queue; ``backend.concurrency`` worker threads recognise
them; the caller's thread collects the results and yields each document, in input order, as
soon as it is complete. The queue bound keeps at most a few pages in memory, whatever the size
of the documents. A document that fails becomes an error record and the batch goes on.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, cast

from ablage_desktop.engine.errors import AblageError, Cancelled, InputError, RecognitionError
from ablage_desktop.engine.events import DocumentFinished, DocumentStarted, Event, PageDone
from ablage_desktop.engine.intake.decoding import DocumentOpener, IsolatedDecoder
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.priority import lower_this_thread

log = logging.getLogger(__name__)

POLL_S = 0.1
"""How often a blocked thread looks at the cancel token."""


@dataclass(frozen=True, slots=True)
class _Opened:
    position: int
    sha256: str
    pages: int
    doc_type: str
    known: tuple[OcrPage, ...] = ()
    """Pages the archive already holds for this document: not recognised again."""


@dataclass(frozen=True, slots=True)
class _Ended:
    """The producer is done with a document: ``sent`` pages went to the workers."""

    position: int
    sent: int
    error: BaseException | None = None


@dataclass(frozen=True, slots=True)
class _PageResult:
    position: int
    index: int
    page: OcrPage | None = None
    error: BaseException | None = None


_WORKER_DONE = object()
_NO_MORE_PAGES = object()


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


class PageRecognizer(Protocol):
    """What the pipeline needs: a backend, or the router's dispatcher in front of several."""

    name: str

    @property
    def concurrency(self) -> int: ...

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage: ...


class BatchRecognizer(PageRecognizer, Protocol):
    """A recognizer that reads up to ``batch_size`` pages in one call (batched generation)."""

    batch_size: int

    def recognize_batch(
        self, pages: Sequence[PageImage], cancel: CancelToken | None = None
    ) -> list[OcrPage]: ...


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
) -> Iterator[OcrDocument]:
    """OCR ``paths`` with ``backend``; yields one ``OcrDocument`` per path, in order.

    ``opener`` opens the documents (the engine's long-lived decoder); without one, the run
    starts a decoder process of its own and stops it at the end. ``known`` gives, for a
    document's sha256, the pages already recognised (the archive's): they are neither rendered
    nor recognised again, and come back with ``PageDone(restored=True)``.
    """
    cancel = cancel or CancelToken()
    decoder: DocumentOpener = opener if opener is not None else IsolatedDecoder()
    stop = threading.Event()  # set when the consumer goes away early
    workers = max(1, backend.concurrency)
    batch_size = max(1, getattr(backend, "batch_size", 1))
    jobs: queue.Queue[object] = queue.Queue(maxsize=workers * batch_size + render_ahead)
    results: queue.SimpleQueue[object] = queue.SimpleQueue()

    def halted() -> bool:
        return cancel.cancelled or stop.is_set()

    def put_job(item: object) -> bool:
        while not stop.is_set():
            try:
                jobs.put(item, timeout=POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        lower_this_thread()  # the window first (run/priority.py)
        try:
            for position, path in enumerate(paths):
                if halted():
                    break
                sent = 0
                try:
                    document = decoder.open(path, limits)
                    try:
                        done = dict(known(document.sha256)) if known is not None else {}
                        done = {i: page for i, page in done.items() if i < document.page_count}
                        results.put(
                            _Opened(
                                position,
                                document.sha256,
                                document.page_count,
                                document.type.value,
                                tuple(done[i] for i in sorted(done)),
                            )
                        )
                        for index in range(document.page_count):
                            if halted():
                                break
                            if index in done:
                                continue
                            page = document.page(index)
                            if not put_job((position, page)):
                                break
                            sent += 1
                            del page
                    finally:
                        document.close()
                except Exception as exc:  # every failure is this document's alone
                    if not isinstance(exc, InputError):
                        log.exception("Reading %s failed unexpectedly", path)
                    results.put(_Ended(position, sent, exc))
                else:
                    results.put(_Ended(position, sent, Cancelled() if halted() else None))
        finally:
            for _ in range(workers):
                put_job(_NO_MORE_PAGES)

    def take_batch() -> tuple[list[tuple[int, PageImage]], bool]:
        """One queued page, plus up to ``batch_size - 1`` more already waiting; and whether
        the end of the pages was reached."""
        while True:
            try:
                item = jobs.get(timeout=POLL_S)
                break
            except queue.Empty:
                if stop.is_set():
                    return [], True
        if item is _NO_MORE_PAGES:
            return [], True
        batch = [item]
        while len(batch) < batch_size:
            try:
                extra = jobs.get_nowait()
            except queue.Empty:
                break
            if extra is _NO_MORE_PAGES:
                return batch, True  # type: ignore[return-value]
            batch.append(extra)
        return batch, False  # type: ignore[return-value]

    def recognise(batch: list[tuple[int, PageImage]]) -> None:
        if halted():
            for position, page in batch:
                results.put(_PageResult(position, page.index, error=Cancelled()))
            return
        if len(batch) > 1:
            batcher = cast(BatchRecognizer, backend)  # batch_size > 1 promises this
            try:
                pages = batcher.recognize_batch([page for _, page in batch], cancel)
            except Exception:
                log.warning("A batch of %d pages failed; reading them one by one", len(batch))
            else:
                for (position, page), result in zip(batch, pages, strict=True):
                    results.put(_PageResult(position, page.index, page=result))
                return
        for position, page in batch:
            if halted():
                results.put(_PageResult(position, page.index, error=Cancelled()))
                continue
            try:
                result = backend.recognize(page, cancel)
                results.put(_PageResult(position, page.index, page=result))
            except Exception as exc:
                if not isinstance(exc, AblageError):
                    log.exception("%s failed on page %d", backend.name, page.index + 1)
                results.put(_PageResult(position, page.index, error=exc))

    def work() -> None:
        lower_this_thread()  # the window first (run/priority.py)
        try:
            done = False
            while not done:
                batch, done = take_batch()
                if batch:
                    recognise(batch)
                del batch
        finally:
            results.put(_WORKER_DONE)

    threads = [threading.Thread(target=produce, name="ablage-intake", daemon=True)]
    threads += [
        threading.Thread(target=work, name=f"ablage-ocr-{n}", daemon=True) for n in range(workers)
    ]
    for thread in threads:
        thread.start()

    total = len(paths)
    pending = {i: _Pending(OcrDocument(path)) for i, path in enumerate(paths)}
    next_out = 0
    workers_left = workers
    try:
        while workers_left:
            message = results.get()
            if message is _WORKER_DONE:
                workers_left -= 1
                continue
            _collect(message, pending, paths, total, emit)
            while next_out < total and pending[next_out].complete:
                yield _finish(pending.pop(next_out), next_out, total, emit)
                next_out += 1
        # Documents the producer never reached (cancelled) or whose records came last.
        while not results.empty():
            message = results.get()
            if message is not _WORKER_DONE:
                _collect(message, pending, paths, total, emit)
        for position in range(next_out, total):
            doc = pending.pop(position)
            if doc.sent is None:
                doc.sent, doc.result.error = doc.received, ErrorInfo.from_exception(Cancelled())
            yield _finish(doc, position, total, emit)
    finally:
        stop.set()
        _drain(jobs)
        for thread in threads:
            thread.join()
        if opener is None:
            decoder.close()


def _collect(
    message: object,
    pending: dict[int, _Pending],
    paths: Sequence[Path],
    total: int,
    emit: Callable[[Event], None],
) -> None:
    if isinstance(message, _Opened):
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
    elif isinstance(message, _PageResult):
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
    elif isinstance(message, _Ended):
        doc = pending[message.position]
        doc.sent = message.sent
        if message.error is not None:
            doc.result.error = ErrorInfo.from_exception(message.error)


def _finish(doc: _Pending, position: int, total: int, emit: Callable[[Event], None]) -> OcrDocument:
    result = doc.result
    result.pages.sort(key=lambda page: page.index)
    if result.error is None and doc.page_errors:
        index, error = min(doc.page_errors, key=lambda item: item[0])
        if isinstance(error, Cancelled):
            result.error = ErrorInfo.from_exception(error)
        else:
            info = ErrorInfo.from_exception(error)
            if not isinstance(error, RecognitionError):
                info = ErrorInfo(info.kind, f"Page {index + 1}: {info.message}")
            result.error = info
    emit(DocumentFinished(position, total, result))
    return result


def _drain(jobs: queue.Queue[object]) -> None:
    while True:
        try:
            jobs.get_nowait()
        except queue.Empty:
            return
