"""The start-up's objects kept out of the garbage collector's full passes.

A full (generation 2) collection walks every tracked object. With Qt, pyqtgraph, numpy,
onnxruntime and pydantic imported that took 50-80 ms here, in whichever thread happened to
allocate, holding the GIL all along: the window stalled for 83 ms in the middle of a batch
(``benchmarks/ui_latency.py``; the collection ran in an OCR thread). What exists once the
window is up and the engines' libraries are imported lives as long as the app: ``gc.freeze``
moves it to a permanent generation, and later full passes walk only what came after.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def freeze_startup_heap() -> None:
    """Collect once (no start-up garbage is kept for good), then freeze what is left."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    log.debug(
        "%d start-up objects frozen out of the collector's passes (%.0f ms)",
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1000,
    )


def unfreeze_heap() -> None:
    """Give the frozen objects back to the collector: the window is going away, and a process
    that goes on (the tests) should not keep them for good."""
    gc.unfreeze()
