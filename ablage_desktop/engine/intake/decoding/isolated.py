"""The app's side of the decoder process: every request has a time limit, a crash costs one
document, and the next document gets a fresh process.

A request is sent and its reply awaited on the pipe and on the process's sentinel at once, so
a process that dies is noticed at once (no polling) and one that hangs is killed when its time
is up. Either becomes a typed ``InputError`` of the document being read. Requests are
serialised by a lock, so several threads may share one decoder.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import signal
import threading
import time
from multiprocessing.connection import Connection, wait
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import Any, Protocol

from ablage_desktop.engine.errors import DecoderCrashed, DecoderFailed, DecoderTimeout
from ablage_desktop.engine.intake.decoding import segments, worker
from ablage_desktop.engine.intake.decoding.wire import (
    CHANNELS,
    CloseRequest,
    EngineQuestion,
    Failure,
    Opened,
    OpenRequest,
    PageHeader,
    PageRequest,
    raise_failure,
)
from ablage_desktop.engine.intake.decoding.worker import Opener
from ablage_desktop.engine.intake.documents import (
    Document,
    DocumentType,
    IntakeLimits,
    PageImage,
    open_document,
)
from ablage_desktop.engine.spawn_guard import settle_imports

log = logging.getLogger(__name__)

START_TIMEOUT_S = 120.0
"""How long a fresh process may take to import its libraries (slow disks, loaded machines)."""
STOP_TIMEOUT_S = 5.0
SHARED_BYTES = 64 << 20
"""Pages up to this size (an A3 colour page at 300 dpi) come through shared memory; larger
ones through the pipe. Memory is only used as far as pages fill it."""


class DocumentOpener(Protocol):
    """What the pipeline opens documents with."""

    def open(self, path: Path, limits: IntakeLimits) -> Document: ...

    def close(self) -> None: ...


class _Lost(Exception):
    """The process is gone (crashed or killed); ``reason`` says how, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _TimedOut(Exception):
    pass


class IsolatedDecoder:
    """Opens documents in a worker process started on first use.

    ``opener`` runs in that process (default: ``open_document``); it must be importable by
    name, as the ``spawn`` start method sends it by reference.
    """

    def __init__(
        self,
        opener: Opener = open_document,
        *,
        name: str = "ablage-decoder",
        shared_bytes: int = SHARED_BYTES,
        render_ahead: bool = False,
    ) -> None:
        self._opener = opener
        self._render_ahead = render_ahead
        """After each page, the process renders the next one while the app works on this
        one (for a reader that goes through documents page after page, as batches do)."""
        self._name = name
        self._shared_bytes = shared_bytes
        self._shm: SharedMemory | None = None
        self._released = False
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._process: Any = None
        self._conn: Connection | None = None
        self._generation = 0
        self._handles = itertools.count(1)
        self.starts = 0
        """How many processes this decoder has started (one more after each crash)."""
        self._closes = 0

    @property
    def pid(self) -> int | None:
        """The running decoder process, if any."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    # --- documents ------------------------------------------------------------------------

    def open(self, path: Path, limits: IntakeLimits) -> Document:
        """Open ``path`` in the decoder process: the same checks and errors as
        ``open_document``, plus ``DecoderCrashed`` and ``DecoderTimeout``."""
        handle = next(self._handles)
        what = path.name
        with self._lock:
            generation = self._ensure_started(path)
            reply = self._request(OpenRequest(handle, path, limits), path, what, limits)
        if not isinstance(reply, Opened):
            raise DecoderFailed(path, f"{what}: the decoder answered {type(reply).__name__}.")
        return _RemoteDocument(self, handle, generation, path, reply, limits)

    def _page(self, document: _RemoteDocument, index: int) -> PageImage:
        from PIL import Image

        path, limits = document.path, document.limits
        what = f"Page {index + 1} of {path.name}"
        with self._lock:
            self._still_open(document)
            deadline = time.monotonic() + limits.decode_timeout_s
            ahead = self._render_ahead and index + 1 < document.page_count
            request = PageRequest(document.handle, index, ahead)
            header = self._request(request, path, what, limits)
            if not isinstance(header, PageHeader):
                raise DecoderFailed(path, f"{what}: the decoder answered {type(header).__name__}.")
            size = (header.width, header.height)
            try:
                if header.shared and self._shm is not None:
                    length = header.width * header.height * CHANNELS[header.mode]
                    with self._shm.buf[:length] as view:
                        image = Image.frombytes(header.mode, size, view)
                else:
                    pixels = self._receive(path, what, limits, deadline, raw=True)
                    image = Image.frombytes(header.mode, size, pixels)  # type: ignore[arg-type]
            except (ValueError, KeyError) as exc:
                raise DecoderFailed(
                    path, f"{what} came back damaged from the decoder: {exc}"
                ) from exc
        return PageImage(path, header.index, image, header.dpi, header.text_layer)

    def _still_open(self, document: _RemoteDocument) -> None:
        """Raises where the process that opened ``document`` is gone (with its documents)."""
        if document.generation != self._generation or self._conn is None:
            raise DecoderCrashed(
                document.path, f"The decoder process stopped while {document.path.name} was open."
            )

    def _needs_engine(self, document: _RemoteDocument, index: int) -> bool:
        path = document.path
        with self._lock:
            self._still_open(document)
            what = f"Page {index + 1} of {path.name}"
            reply = self._request(
                EngineQuestion(document.handle, index), path, what, document.limits
            )
        if not isinstance(reply, bool):
            raise DecoderFailed(path, f"{what}: the decoder answered {type(reply).__name__}.")
        return reply

    def _close_document(self, document: _RemoteDocument) -> None:
        with self._lock:
            if document.generation != self._generation or self._conn is None:
                return
            try:
                self._conn.send(CloseRequest(document.handle))
            except OSError:
                log.debug("The decoder went away before %s was closed", document.path.name)

    # --- requests -------------------------------------------------------------------------

    def _request(self, request: object, path: Path, what: str, limits: IntakeLimits) -> object:
        assert self._conn is not None
        deadline = time.monotonic() + limits.decode_timeout_s
        try:
            self._conn.send(request)
        except OSError:
            self._receive(path, what, limits, deadline)  # says how the process died
            raise
        reply = self._receive(path, what, limits, deadline)
        if isinstance(reply, Failure):
            raise_failure(reply, path)
        return reply

    def _receive(
        self, path: Path, what: str, limits: IntakeLimits, deadline: float, *, raw: bool = False
    ) -> object:
        """The next message from the process, or the document's typed error."""
        try:
            return self._next(deadline, raw=raw)
        except _Lost as lost:
            log.warning("The decoder process died reading %s: %s", path, lost.reason)
            raise DecoderCrashed(
                path,
                f"{what} could not be read: it crashed the decoder ({lost.reason}); a new "
                "decoder takes over.",
            ) from None
        except _TimedOut:
            log.warning("The decoder took too long on %s; stopping it", path)
            self._stop(kill=True)
            raise DecoderTimeout(
                path,
                f"{what} took longer than {limits.decode_timeout_s:g} s to decode "
                "(intake.decode_timeout_s); the decoder was stopped.",
            ) from None

    def _next(self, deadline: float, *, raw: bool = False) -> object:
        conn, process = self._conn, self._process
        assert conn is not None and process is not None
        while True:
            ready = wait([conn, process.sentinel], max(0.0, deadline - time.monotonic()))
            if conn in ready:
                try:
                    return conn.recv_bytes() if raw else conn.recv()
                except (EOFError, OSError):
                    pass  # the process closed its end: it is dying; the sentinel says how
            if process.sentinel in ready or conn in ready:
                process.join(STOP_TIMEOUT_S)
                reason = _death(process.exitcode)
                self._forget()
                raise _Lost(reason)
            if time.monotonic() >= deadline:
                raise _TimedOut

    # --- the process ----------------------------------------------------------------------

    def start_soon(self) -> None:
        """Start the process in the background where none runs: a batch's first document
        then need not wait for it (0.1 to 0.2 s) after its engine's load. A start that fails
        here is tried again, and reported, by the first ``open``."""
        if self.pid is None:
            closes = self._closes
            threading.Thread(
                target=self._start_quietly, args=(closes,), name=f"{self._name}-start"
            ).start()

    def _start_quietly(self, closes: int) -> None:
        with self._lock:
            if self._closes != closes:  # closed before this thread's turn: not again
                return
            try:
                self._ensure_started(Path(self._name))
            except DecoderFailed as exc:
                log.info("Starting the decoder ahead failed: %s", exc.message)

    def _ensure_started(self, path: Path) -> int:
        """Start the process if there is none; the generation requests are made in."""
        if self._process is not None and self._process.is_alive():
            return self._generation
        if self._process is not None:
            log.info(
                "The decoder process had ended (%s); starting a new one",
                _death(self._process.exitcode),
            )
            self._forget()
        if self._shm is None and self._shared_bytes > 0:
            self._shm = segments.create(self._shared_bytes)
        shm_name = self._shm.name if self._shm is not None else None
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker.main,
            args=(theirs, self._opener, shm_name),
            name=self._name,
            daemon=True,
        )
        settle_imports()
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        self.starts += 1
        try:
            ready = self._next(time.monotonic() + START_TIMEOUT_S)
        except _TimedOut:
            self._stop(kill=True)
            raise DecoderFailed(path, "The decoder process did not start in time.") from None
        except _Lost as lost:
            raise DecoderFailed(path, f"The decoder process did not start: {lost.reason}") from None
        if ready != "ready":
            self._stop(kill=True)
            raise DecoderFailed(path, f"The decoder process said {ready!r} instead of ready.")
        log.debug("Decoder process %s started", process.pid)
        return self._generation

    def _forget(self) -> None:
        """Drop the process (already ended): documents opened in it are gone too."""
        if self._conn is not None:
            self._conn.close()
        process = self._process
        if process is not None:
            if process.exitcode is None:  # still running after all, or reaped by someone else
                process.kill()
                process.join(STOP_TIMEOUT_S)
            with contextlib.suppress(ValueError):
                process.close()
        self._process, self._conn = None, None
        self._generation += 1

    def _stop(self, *, kill: bool) -> None:
        process, conn = self._process, self._conn
        if process is None:
            return
        if not kill and conn is not None:
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(STOP_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join(STOP_TIMEOUT_S)
        self._forget()

    def close(self) -> None:
        """Stop the process (it ends by itself when the app dies, as its pipe closes)."""
        with self._lock:
            self._closes += 1
            self._stop(kill=False)
            if self._shm is not None:
                if self._released:
                    self._shm.close()
                else:
                    segments.remove(self._shm)
                self._shm = None

    def release_shared_memory(self) -> None:
        """Give the shared page buffer's name back now, without waiting for a request in
        flight: for a process that exits with a thread still inside the engine. The buffer
        stays mapped until the exit; no new decoder process can attach to it after this."""
        shm = self._shm
        if shm is not None and not self._released:
            self._released = True
            segments.unlink(shm.name)

    def __enter__(self) -> IsolatedDecoder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _RemoteDocument(Document):
    """A document open in the decoder process; pages come over the pipe."""

    def __init__(
        self,
        decoder: IsolatedDecoder,
        handle: int,
        generation: int,
        path: Path,
        opened: Opened,
        limits: IntakeLimits,
    ) -> None:
        super().__init__(path, DocumentType(opened.doc_type), opened.sha256, limits)
        self.page_count = opened.page_count
        self.damage = opened.damage
        self.handle = handle
        self.generation = generation
        self._decoder = decoder

    def page(self, index: int) -> PageImage:
        return self._decoder._page(self, index)

    def needs_engine(self, index: int) -> bool:
        return self._decoder._needs_engine(self, index)

    def close(self) -> None:
        self._decoder._close_document(self)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            number = signal.Signals(-exitcode)
        except ValueError:
            return f"killed by signal {-exitcode}"
        return f"{number.name}, {signal.strsignal(number) or 'signal'}"
    if exitcode is None:
        return "it stopped answering"
    return f"it exited with status {exitcode}"


__all__ = ["DocumentOpener", "IsolatedDecoder", "Opener"]
