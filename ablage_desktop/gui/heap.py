"""The start-up's objects kept out of the garbage collector's full passes.

A full (generation 2) collection walks every tracked object. With Qt, pyqtgraph, numpy,
onnxruntime and pydantic imported that took 50-80 ms here, in whichever thread happened to
allocate, holding the GIL all along: the window stalled for 83 ms in the middle of a batch
(``benchmarks/ui_latency.py``; the collection ran in an OCR thread). What exists once the
window is up and the engines' libraries are imported lives as long as the app: ``gc.freeze``
moves it to a permanent generation, and later full passes walk only what came after.

A frozen object is never collected as part of a reference cycle, so nothing of a model may
be frozen (its memory would not come back at its unload): the window freezes what it has
before its engine threads start, and what the engines' imports added only while no model is
loaded or loading and no batch runs.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


def freeze_heap() -> None:
    """Freeze what is tracked now (no collection first: it would delay the window's first
    frame; what little start-up garbage there is stays)."""
    gc.freeze()


def freeze_if_idle(idle: Callable[[], bool]) -> bool:
    """Collect, then freeze what is left, if ``idle()`` says no model is loaded or loading
    and no batch runs; whether it froze."""
    started = time.perf_counter()
    gc.collect()
    if not idle():
        log.debug("The heap is not frozen further: a model is loaded or a batch runs")
        return False
    gc.freeze()
    log.debug(
        "%d start-up objects frozen out of the collector's passes (%.0f ms)",
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1000,
    )
    return True


def unfreeze_heap() -> None:
    """Give the frozen objects back to the collector: the window is going away, and a process
    that goes on (the tests) should not keep them for good."""
    gc.unfreeze()
