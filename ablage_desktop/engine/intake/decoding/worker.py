"""The decoder process: opens documents and renders their pages, one request at a time.

It runs in its own process so that a parser that crashes (segfault, abort) or hangs takes only
this process down; the app sees the pipe close or the time run out and fails that document.
One thread serves every request, so pdfium, which is not thread-safe, is only ever called from
that thread.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine.errors import InputError
from ablage_desktop.engine.intake.decoding import segments
from ablage_desktop.engine.intake.decoding.wire import (
    CHANNELS,
    CloseRequest,
    EngineQuestion,
    Failure,
    Opened,
    OpenRequest,
    PageHeader,
    PageRequest,
)
from ablage_desktop.engine.intake.documents import Document, IntakeLimits, PageImage

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

Opener = Callable[[Path, IntakeLimits], Document]


def serve(conn: Connection, opener: Opener, shm: SharedMemory | None = None) -> bool:
    """Answer requests on ``conn`` until the app asks us to stop (True) or goes away (False:
    the pipe closed or broke, e.g. the app was killed; we end quietly, without tracebacks).

    Page pixels go into ``shm`` when they fit: copying through shared memory costs a fraction
    of pushing tens of megabytes through the pipe.
    """
    documents: dict[int, Document] = {}
    ahead = _Ahead()
    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                return False
            if request is None:
                return True
            if isinstance(request, CloseRequest):
                ahead.drop(request.handle)
                document = documents.pop(request.handle, None)
                if document is not None:
                    document.close()
                continue
            reply: Failure | None = None
            try:
                _answer(conn, request, documents, opener, shm, ahead)
            except (ConnectionError, EOFError):
                return False
            except InputError as exc:
                reply = Failure(type(exc).__name__, exc.message)
            except Exception as exc:  # a parser's bug: this document's failure, not ours
                log.exception("The decoder failed on %r", request)
                reply = Failure("", f"{type(exc).__name__}: {exc}")
            if reply is not None:
                try:
                    conn.send(reply)
                except (ConnectionError, EOFError):
                    return False
            if isinstance(request, PageRequest) and request.ahead:
                ahead.render(documents, request.handle, request.index + 1)
    finally:
        for document in documents.values():
            document.close()


def _answer(
    conn: Connection,
    request: object,
    documents: dict[int, Document],
    opener: Opener,
    shm: SharedMemory | None,
    ahead: _Ahead,
) -> None:
    if isinstance(request, OpenRequest):
        document = opener(request.path, request.limits)
        documents[request.handle] = document
        conn.send(
            Opened(document.sha256, document.type.value, document.page_count, document.damage)
        )
    elif isinstance(request, EngineQuestion):
        conn.send(documents[request.handle].needs_engine(request.index))
    elif isinstance(request, PageRequest):
        page = ahead.take(request.handle, request.index)
        if page is None:
            page = documents[request.handle].page(request.index)
        image = page.image
        shared = shm is not None and _write_shared(image, shm)
        conn.send(
            PageHeader(
                page.index,
                image.mode,
                image.width,
                image.height,
                page.dpi,
                shared,
                page.text_layer,
            )
        )
        if not shared:
            conn.send_bytes(image.tobytes())
    else:
        raise TypeError(f"unknown request {request!r}")


class _Ahead:
    """The page after the one just sent, rendered while the app works on that one.

    Only done when the request asks for it (the app reads the document page after page), so
    that whatever rendering the next page does (a crash, a hang, an error) is met by the
    request for that very page: its error is kept and raised then.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._page: PageImage | None = None
        self._error: Exception | None = None

    def render(self, documents: dict[int, Document], handle: int, index: int) -> None:
        self.drop(handle)
        document = documents.get(handle)
        if document is None or index >= document.page_count:
            return
        self._key = (handle, index)
        try:
            self._page = document.page(index)
        except Exception as exc:  # raised again when the page is asked for
            self._error = exc

    def take(self, handle: int, index: int) -> PageImage | None:
        """The page rendered ahead if it is ``index`` of ``handle`` (or its error)."""
        if self._key != (handle, index):
            self.drop(None)
            return None
        page, error = self._page, self._error
        self.drop(None)
        if error is not None:
            raise error
        return page

    def drop(self, handle: int | None) -> None:
        """Forget the page rendered ahead (of document ``handle`` only, if given)."""
        if handle is None or (self._key is not None and self._key[0] == handle):
            self._key, self._page, self._error = None, None, None


def _write_shared(image: Image.Image, shm: SharedMemory) -> bool:
    """Copy ``image``'s pixels into ``shm``, row after row; False when they do not fit."""
    import numpy as np

    channels = CHANNELS.get(image.mode)
    if channels is None or image.width * image.height * channels > shm.size:
        return False
    shape = (image.height, image.width, channels) if channels > 1 else image.size[::-1]
    np.ndarray(shape, np.uint8, shm.buf)[...] = np.asarray(image)
    return True


def main(conn: Connection, opener: Opener, shm_name: str | None = None) -> None:
    """The process's entry: say it is ready (imports done), then serve.

    Ctrl+C in a terminal reaches the whole process group: the app handles it and stops us,
    so the decoder ignores it instead of dying in the middle of a page.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from ablage_desktop.engine.memory.heap import keep_page_buffers
    from ablage_desktop.engine.run.priority import lower_this_process

    lower_this_process()  # pages are rendered behind the window (run/priority.py)
    keep_page_buffers()
    shm = segments.attach(shm_name) if shm_name is not None else None
    stopped = False
    try:
        conn.send("ready")
        stopped = serve(conn, opener, shm)
    except (ConnectionError, EOFError):
        pass  # the app went away before we were ready
    finally:
        if shm is not None:
            if stopped:
                shm.close()  # the app removes the segment itself
            else:
                segments.remove(shm)  # nobody else will: the app is gone
    if stopped:
        # Asked to stop, with nothing left to write: end without the interpreter's teardown
        # of Pillow, pypdfium2 and NumPy (about 0.1 s, which the app's close waited for).
        sys.stderr.flush()
        os._exit(0)
