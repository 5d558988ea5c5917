"""Cancellation: a token the caller sets and the engine checks between pages."""

from __future__ import annotations

import threading
from typing import Protocol


class EventLike(Protocol):
    """A ``threading.Event`` or a ``multiprocessing`` one (shared with a worker process)."""

    def set(self) -> None: ...

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


class CancelToken:
    def __init__(self, event: EventLike | None = None) -> None:
        """``event``: where the token is kept; a process-shared event lets a worker process
        see a cancel made in the app."""
        self._event: EventLike = event if event is not None else threading.Event()
        self._interrupted = False

    def cancel(self) -> None:
        self._event.set()

    def interrupt(self) -> None:
        """Stop as ``cancel`` does, but because the program ends (a closed window, Ctrl-C),
        not because the user does not want the batch: the archive keeps it resumable."""
        self._interrupted = True
        self._event.set()

    @property
    def interrupted(self) -> bool:
        return self._interrupted

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds; True as soon as the token is cancelled."""
        return self._event.wait(timeout)
