"""Engine work runs at a lower CPU priority than the window.

With every core busy with OCR, the window's thread had to queue for a core: in
``benchmarks/ui_latency.py --profile`` more than half of the time of its long gaps was spent
in the kernel's run queue, behind the engine's own threads. Lowering the engine threads'
priority (a higher nice value) lets the window's thread take a core as soon as it wakes, while
the engine still gets every cycle the window does not use: on an otherwise idle machine OCR is
as fast as before.

Linux only: there a nice value belongs to one thread (``setpriority`` with the thread's id), and
the threads a thread starts inherit it (Tesseract's and onnxruntime's worker threads included).
Elsewhere these functions do nothing, since a thread id there is no process id to renice.
A nice value can only be raised without privileges, so a lowered thread stays lowered: these
are for threads that do only engine work.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

ENGINE_NICENESS = 10
"""How much nicer than the window engine threads and the decoder process are (0 to 19)."""

T = TypeVar("T")


def lower_this_thread(niceness: int = ENGINE_NICENESS) -> bool:
    """Raise the calling thread's nice value by ``niceness`` (Linux); whether it was lowered."""
    if sys.platform != "linux" or niceness <= 0:
        return False
    thread = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + niceness))
    except OSError as exc:
        log.debug("could not lower the priority of thread %d: %s", thread, exc)
        return False
    return True


def lower_this_process(niceness: int = ENGINE_NICENESS) -> bool:
    """Raise the nice value of a process that does only engine work (the decoder)."""
    if sys.platform != "linux" or niceness <= 0:
        return False
    try:
        os.nice(niceness)
    except OSError as exc:
        log.debug("could not lower the decoder's priority: %s", exc)
        return False
    return True


def at_low_priority(make: Callable[[], T], name: str = "ablage-start") -> T:
    """``make()`` run in a short-lived thread of lower priority, its result or its exception.

    For libraries that start their worker threads when an object is made (onnxruntime's
    thread pool, made with a RapidOCR session): those threads inherit the lower priority,
    whichever thread asked for the model. Where threads cannot be lowered, ``make()`` runs here.
    """
    if sys.platform != "linux":
        return make()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        lower_this_thread()
        try:
            outcome.append(make())
        except BaseException as exc:  # handed to the caller as it is
            failure.append(exc)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]
