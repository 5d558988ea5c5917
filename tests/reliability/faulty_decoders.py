"""Decoders that fail the way real parsers do: a segfault, an abort, a hang.

They run inside the decoder process (``IsolatedDecoder(opener=...)`` sends them there by
name), and pick their fault from the file's name, so one batch can mix good and bad files.
Anything else is opened by the real ``open_document``.
"""

from __future__ import annotations

import ctypes
import os
import resource
import threading
from pathlib import Path

from ablage_desktop.engine.intake.documents import Document, IntakeLimits, PageImage, open_document


def _no_core_file() -> None:
    """A crash must not leave a core dump in the test's working folder."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _segfault() -> None:
    _no_core_file()
    ctypes.string_at(0)  # reads address 0: a real SIGSEGV, as a buggy parser gets


def _abort() -> None:
    _no_core_file()
    os.abort()


def _hang() -> None:
    threading.Event().wait()  # nobody sets it: blocked for good, as a parser in a loop


class _FailsOnPage(Document):
    """The real document, but page ``bad`` (0-based) triggers ``fault``."""

    def __init__(self, inner: Document, bad: int, fault: str) -> None:
        super().__init__(inner.path, inner.type, inner.sha256, inner.limits)
        self.page_count = inner.page_count
        self._inner = inner
        self._bad = bad
        self._fault = fault

    def page(self, index: int) -> PageImage:
        if index == self._bad:
            FAULTS[self._fault]()
        return self._inner.page(index)

    def close(self) -> None:
        self._inner.close()


class _FailsOnQuestion(_FailsOnPage):
    """The real document, but asking whether page ``bad`` needs an engine triggers ``fault``
    (loading a page to count its characters can crash a parser as its render can)."""

    def page(self, index: int) -> PageImage:
        return self._inner.page(index)

    def needs_engine(self, index: int) -> bool:
        if index == self._bad:
            FAULTS[self._fault]()
        return self._inner.needs_engine(index)


FAULTS = {"segfault": _segfault, "abort": _abort, "hang": _hang}


def open_faulty(path: Path, limits: IntakeLimits) -> Document:
    """``<fault>-open...``: fails while opening; ``<fault>-page2...``: on its second page;
    ``<fault>-asked...``: when asked whether its first page needs an engine."""
    for fault, trigger in FAULTS.items():
        if path.name.startswith(f"{fault}-open"):
            trigger()
        if path.name.startswith(f"{fault}-page2"):
            return _FailsOnPage(open_document(path, limits), 1, fault)
        if path.name.startswith(f"{fault}-asked"):
            return _FailsOnQuestion(open_document(path, limits), 0, fault)
    return open_document(path, limits)


def open_checking_threads(path: Path, limits: IntakeLimits) -> Document:
    """The real decoder, refusing to run anywhere but alone on the process's main thread."""
    if threading.current_thread() is not threading.main_thread() or threading.active_count() != 1:
        names = [thread.name for thread in threading.enumerate()]
        raise RuntimeError(f"decoder called beside other threads: {names}")
    return _ThreadCheckedDocument(open_document(path, limits))


class _ThreadCheckedDocument(Document):
    def __init__(self, inner: Document) -> None:
        super().__init__(inner.path, inner.type, inner.sha256, inner.limits)
        self.page_count = inner.page_count
        self._inner = inner

    def page(self, index: int) -> PageImage:
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("page rendered off the main thread")
        if threading.active_count() != 1:
            raise RuntimeError(f"{threading.active_count()} threads in the decoder process")
        return self._inner.page(index)

    def close(self) -> None:
        self._inner.close()
