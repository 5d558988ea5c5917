"""SIGTERM and SIGHUP stop a command the way Ctrl-C does; SIGUSR1 writes where every thread
of it stands to stderr (``kill -USR1 <pid>``: a command that seems to hang says where)."""

from __future__ import annotations

import contextlib
import faulthandler
import signal
import sys
import threading
from collections.abc import Callable, Iterator


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

    handlers: dict[int, Callable[[int, object], None]] = dict.fromkeys(STOP_SIGNALS, terminate)
    if hasattr(signal, "SIGUSR1") and sys.stderr is not None and _has_fileno(sys.stderr):
        handlers[signal.SIGUSR1] = _dump_stacks
    previous = {signum: signal.signal(signum, handler) for signum, handler in handlers.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _dump_stacks(signum: int, frame: object) -> None:
    """Every thread's stack on stderr, written by the main thread between two of its steps,
    holding the interpreter's lock: the other threads stand still meanwhile. (faulthandler's
    own handler for a signal writes from inside the C signal handler, in whichever thread the
    signal reached, walking frames that the running threads push and pop; a command whose
    thread was importing crashed with SIGSEGV under ``kill -USR1``.)"""
    sys.stderr.flush()
    faulthandler.dump_traceback(file=sys.stderr, all_threads=True)


def _has_fileno(stream: object) -> bool:
    """Whether ``stream`` is a real file (faulthandler writes to its descriptor; pytest's
    captured streams have none)."""
    try:
        stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    return True
