"""The manager's background threads: the keep-alive reaper, eager loads and loads ahead of
the pages that need them, and health checks."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future

from ablage_desktop.engine.errors import AblageError

log = logging.getLogger(__name__)


class BackgroundWork:
    """Daemon threads that stop together when the manager closes."""

    def __init__(self) -> None:
        self._closed = threading.Event()
        self._threads: list[threading.Thread] = []

    def reap(self, keep_alive_s: float, expire: Callable[[], object]) -> None:
        """Call ``expire`` a few times per keep-alive period until stopped."""
        interval = min(1.0, max(0.05, keep_alive_s / 4))

        def loop() -> None:
            while not self._closed.wait(interval):
                try:
                    expire()
                except Exception:
                    log.exception("Unloading idle models failed")

        self._spawn("ablage-keepalive", loop)

    def preload(self, thread: str, names: Sequence[str], load: Callable[[str], None]) -> None:
        """Load ``names`` one after the other in a thread; a model that cannot load is skipped
        (a page that needs it meets the failure again in its own ``acquire``)."""

        def loop() -> None:
            for name in names:
                if self._closed.is_set():
                    return
                try:
                    load(name)
                except AblageError as exc:
                    log.warning("Loading %s in the background skipped: %s", name, exc)

        self._spawn(thread, loop)

    def load_soon(self, thread: str, load: Callable[[], None]) -> Callable[[], None]:
        """Run ``load`` in a thread; the wait for it, which raises what it raised."""
        done: Future[None] = Future()

        def run() -> None:
            try:
                load()
            except BaseException as exc:  # handed to whoever waits, there raised again
                done.set_exception(exc)
            else:
                done.set_result(None)

        self._spawn(thread, run)
        return done.result

    def stop(self) -> None:
        """Stop the threads, waiting a bounded time for each."""
        self._closed.set()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads.clear()

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        # a load ahead for every batch of a long session: the ended ones are not kept
        self._threads = [alive for alive in self._threads if alive.is_alive()]
        self._threads.append(thread)
        thread.start()
