"""Cancellation: a token the caller sets and the engine checks between pages."""

from __future__ import annotations

import threading


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
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
