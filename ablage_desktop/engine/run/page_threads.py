"""The pipeline's threads: one producer renders pages ahead, workers recognise them.

``PageThreads`` holds what they share: the bounded page queue (pages waiting to be read), the
result queue (what the caller's thread collects, see ``pipeline.py``), the cancel token and the
stop flag set when the caller goes away. Both sides look at the token and the flag at least
every ``POLL_S``, so neither blocks on a full or empty queue once the run is over.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

from ablage_desktop.engine.errors import (
    AblageError,
    Cancelled,
    CorruptDocument,
    DecoderCrashed,
    DecoderTimeout,
    DocumentTooLarge,
    IncompleteDocument,
    InputError,
    PagesNotInDocument,
)
from ablage_desktop.engine.intake.decoding import DocumentOpener
from ablage_desktop.engine.intake.documents import Document, IntakeLimits, PageImage
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.page_selection import PageSelection
from ablage_desktop.engine.run.priority import lower_this_thread

log = logging.getLogger(__name__)

POLL_S = 0.1
"""How often a blocked thread looks at the cancel token."""


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


@dataclass(frozen=True, slots=True)
class Opened:
    """The producer opened a document: its pages are on their way."""

    position: int
    sha256: str
    pages: int
    doc_type: str
    known: tuple[OcrPage, ...] = ()
    """Pages the archive already holds for this document: not recognised again."""


@dataclass(frozen=True, slots=True)
class Ended:
    """The producer is done with a document: ``sent`` pages went to the workers."""

    position: int
    sent: int
    error: BaseException | None = None


@dataclass(frozen=True, slots=True)
class PageResult:
    """A worker is done with one page: its reading, or why there is none."""

    position: int
    index: int
    page: OcrPage | None = None
    error: BaseException | None = None


PAGE_DAMAGE = (CorruptDocument, DocumentTooLarge)
"""Errors of decoding one page that leave the document's other pages to read (a damaged strip
of a TIFF, a poster-sized page among letters)."""

DECODER_LOST = (DecoderCrashed, DecoderTimeout)
MAX_DECODER_RESTARTS = 2
"""How often one document may take the decoder process down on a page (a crash, a hang)
before the rest of it is given up: each costs a process start, a hang its time limit too."""

WORKER_DONE = object()
"""A worker's last message: it takes no more pages."""
_NO_MORE_PAGES = object()

PageJob = tuple[int, PageImage]
"""A page for the workers: its document's position, and the page."""


class PageThreads:
    """The producer and the workers of one run, and the queues between them."""

    def __init__(
        self,
        paths: Sequence[Path],
        backend: PageRecognizer,
        limits: IntakeLimits,
        *,
        cancel: CancelToken,
        decoder: DocumentOpener,
        render_ahead: int,
        known: Callable[[str], Mapping[int, OcrPage]] | None,
        selection: PageSelection | None = None,
        on_scan: Callable[[], None] | None = None,
    ) -> None:
        self.paths = paths
        self.on_scan = on_scan
        """Called where the batch's first page to read can only be read by an engine (an
        image's, a scanned PDF's), once its document is open: auto's first engines then load
        while the page is rendered."""
        self.selection = selection
        self.backend = backend
        self.limits = limits
        self.cancel = cancel
        self.decoder = decoder
        self.known = known
        self.stop = threading.Event()  # set when the consumer goes away early
        self.workers = max(1, backend.concurrency)
        self.batch_size = max(1, getattr(backend, "batch_size", 1))
        self.jobs: queue.Queue[object] = queue.Queue(
            maxsize=self.workers * self.batch_size + render_ahead
        )
        self.results: queue.SimpleQueue[object] = queue.SimpleQueue()

    def start_producer(self) -> threading.Thread:
        """Start opening and rendering the pages (as many ahead as the queue holds)."""
        thread = threading.Thread(target=self.produce, name="ablage-intake", daemon=True)
        thread.start()
        return thread

    def start_workers(self) -> list[threading.Thread]:
        """Start reading the rendered pages; the threads, to join at the end."""
        threads = [
            threading.Thread(target=self.work, name=f"ablage-ocr-{n}", daemon=True)
            for n in range(self.workers)
        ]
        for thread in threads:
            thread.start()
        return threads

    def halted(self) -> bool:
        return self.cancel.cancelled or self.stop.is_set()

    def put_job(self, item: object) -> bool:
        while not self.stop.is_set():
            try:
                self.jobs.put(item, timeout=POLL_S)
                return True
            except queue.Full:
                continue
        return False

    def drain(self) -> None:
        """Drop the pages nobody will read (the run is over)."""
        while True:
            try:
                self.jobs.get_nowait()
            except queue.Empty:
                return

    # --- the producer ---------------------------------------------------------------------------

    def produce(self) -> None:
        lower_this_thread()  # the window first (run/priority.py)
        try:
            for position, path in enumerate(self.paths):
                if self.halted():
                    break
                self.results.put(self._send_document(position, path))
        finally:
            for _ in range(self.workers):
                self.put_job(_NO_MORE_PAGES)

    def _send_document(self, position: int, path: Path) -> Ended:
        """Open one document and queue its pages for the workers; how that ended."""
        sent = restarts = 0
        try:
            document = self.decoder.open(path, self.limits)
            try:
                done = self._announce(position, document)
                selection = self.selection
                if selection is not None and not selection.any_of(document.page_count):
                    raise PagesNotInDocument(
                        path,
                        f"None of the pages asked for ({selection}) is in it: it has "
                        f"{document.page_count} page{'' if document.page_count == 1 else 's'}.",
                    )
                if position == 0 and self.on_scan is not None:
                    document = self._tell_of_scan(path, document, done)
                for index in range(document.page_count):
                    if self.halted():
                        break
                    if index in done or (selection is not None and not selection.holds(index)):
                        continue
                    try:
                        page = document.page(index)
                    except PAGE_DAMAGE as exc:  # this page alone: the others may be whole
                        self._skip(position, index, path, exc)
                        sent += 1
                        continue
                    except DECODER_LOST as exc:  # the page took the decoder process down
                        if restarts == MAX_DECODER_RESTARTS:
                            raise
                        restarts += 1
                        self._skip(position, index, path, exc)
                        sent += 1
                        document.close()
                        document = self._reopen(path, document, exc)
                        continue
                    if not self.put_job((position, page)):
                        break
                    sent += 1
                    del page
                damage = document.damage
            finally:
                document.close()
        except Exception as exc:  # every failure is this document's alone
            if not isinstance(exc, InputError):
                log.exception("Reading %s failed unexpectedly", path)
            return Ended(position, sent, exc)
        if self.halted():
            return Ended(position, sent, Cancelled())
        if damage is not None:  # its pages that were there are read
            return Ended(position, sent, IncompleteDocument(path, damage))
        return Ended(position, sent, None)

    def _tell_of_scan(
        self, path: Path, document: Document, done: Mapping[int, OcrPage]
    ) -> Document:
        """Call ``on_scan`` where the first page to be read needs an engine; the document,
        opened again where the question took the decoder process down (the page's render
        then meets what did, and fails alone)."""
        assert self.on_scan is not None
        selection = self.selection
        first = next(
            (
                index
                for index in range(document.page_count)
                if index not in done and (selection is None or selection.holds(index))
            ),
            None,
        )
        try:
            if first is not None and document.needs_engine(first):
                self.on_scan()
        except DECODER_LOST as exc:
            document.close()
            return self._reopen(path, document, exc)
        except InputError as exc:  # a guess: the page itself says what is wrong with it
            log.debug("Whether %s needs an engine is not known: %s", path.name, exc.message)
        return document

    def _skip(self, position: int, index: int, path: Path, error: InputError) -> None:
        """Page ``index`` could not be decoded: its failure goes to the collector."""
        log.warning("Skipping page %d of %s: %s", index + 1, path.name, error.message)
        self.results.put(PageResult(position, index, error=error))

    def _reopen(self, path: Path, before: Document, lost: InputError) -> Document:
        """``path`` opened again in a fresh decoder process, to go on after the page that
        took the last one down; ``lost`` raised again where the file is not the same now."""
        document = self.decoder.open(path, self.limits)
        if (document.sha256, document.page_count) != (before.sha256, before.page_count):
            document.close()
            raise lost
        return document

    def _announce(self, position: int, document: Document) -> dict[int, OcrPage]:
        """Tell the collector the document is open, with the pages the archive has; those."""
        done = dict(self.known(document.sha256)) if self.known is not None else {}
        done = {i: page for i, page in done.items() if i < document.page_count}
        self.results.put(
            Opened(
                position,
                document.sha256,
                document.page_count,
                document.type.value,
                tuple(done[i] for i in sorted(done)),
            )
        )
        return done

    # --- the workers ----------------------------------------------------------------------------

    def work(self) -> None:
        lower_this_thread()  # the window first (run/priority.py)
        try:
            done = False
            while not done:
                batch, done = self.take_batch()
                if batch:
                    self.recognise(batch)
                del batch
        finally:
            self.results.put(WORKER_DONE)

    def take_batch(self) -> tuple[list[PageJob], bool]:
        """One queued page, plus up to ``batch_size - 1`` more already waiting; and whether
        the end of the pages was reached."""
        while True:
            try:
                item = self.jobs.get(timeout=POLL_S)
                break
            except queue.Empty:
                if self.stop.is_set():
                    return [], True
        if item is _NO_MORE_PAGES:
            return [], True
        batch = [item]
        while len(batch) < self.batch_size:
            try:
                extra = self.jobs.get_nowait()
            except queue.Empty:
                break
            if extra is _NO_MORE_PAGES:
                return batch, True  # type: ignore[return-value]
            batch.append(extra)
        return batch, False  # type: ignore[return-value]

    def recognise(self, batch: list[PageJob]) -> None:
        if self.halted():
            for position, page in batch:
                self.results.put(PageResult(position, page.index, error=Cancelled()))
            return
        if len(batch) > 1 and self._recognise_together(batch):
            return
        for position, page in batch:
            if self.halted():
                self.results.put(PageResult(position, page.index, error=Cancelled()))
                continue
            try:
                result = self.backend.recognize(page, self.cancel)
                self.results.put(PageResult(position, page.index, page=result))
            except Exception as exc:
                if not isinstance(exc, AblageError):
                    log.exception("%s failed on page %d", self.backend.name, page.index + 1)
                self.results.put(PageResult(position, page.index, error=exc))

    def _recognise_together(self, batch: list[PageJob]) -> bool:
        """Read the batch in one call; False when that failed (the pages are then read one by
        one)."""
        batcher = cast(BatchRecognizer, self.backend)  # batch_size > 1 promises this
        try:
            pages = batcher.recognize_batch([page for _, page in batch], self.cancel)
        except Exception:
            log.warning("A batch of %d pages failed; reading them one by one", len(batch))
            return False
        for (position, page), result in zip(batch, pages, strict=True):
            self.results.put(PageResult(position, page.index, page=result))
        return True
