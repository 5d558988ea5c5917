"""SIGTERM and SIGHUP stop a command the way Ctrl-C does; SIGUSR1 writes where every thread
of it stands to stderr (``kill -USR1 <pid>``: a command that seems to hang says where)."""

from __future__ import annotations

import contextlib
import faulthandler
import signal
import sys
import threading
from collections.abc import Iterator


class Terminated(KeyboardInterrupt):
    """SIGTERM (a shutdown, ``kill``) or SIGHUP (the terminal closed): stop as Ctrl-C does,
    with its own message; the exit status is 128 + the signal's number, as the shell's."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into ``Terminated``, and SIGUSR1 into a dump of every thread's
    stack, while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = {signum: signal.signal(signum, terminate) for signum in STOP_SIGNALS}
    dumps = hasattr(signal, "SIGUSR1") and sys.stderr is not None and _has_fileno(sys.stderr)
    if dumps:
        faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=True)
    try:
        yield
    finally:
        if dumps:
            faulthandler.unregister(signal.SIGUSR1)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _has_fileno(stream: object) -> bool:
    """Whether ``stream`` is a real file (faulthandler writes to its descriptor; pytest's
    captured streams have none)."""
    try:
        stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    return True
