"""Events collected under the manager's lock and sent, in order, once it is released."""

from __future__ import annotations

import threading
from collections.abc import Callable

from ablage_desktop.engine.events import Event


class Outbox:
    """Listeners never run under the manager's lock; they may call back into the manager,
    so the lock that keeps the events in order is reentrant."""

    def __init__(self, emit: Callable[[Event], None], lock: threading.Condition) -> None:
        self._emit = emit
        self._lock = lock
        self._events: list[Event] = []
        self._send_lock = threading.RLock()

    def put(self, event: Event) -> None:
        """Queue ``event``; the caller holds the manager's lock."""
        self._events.append(event)

    def flush(self) -> None:
        """Send what was queued; the caller does not hold the manager's lock."""
        with self._send_lock:
            with self._lock:
                events, self._events = self._events, []
            for event in events:
                self._emit(event)

    def send_now(self, event: Event) -> None:
        with self._send_lock:
            self._emit(event)
