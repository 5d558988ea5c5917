"""What a load really took, and whether that figure can be believed.

A reload on the CPU measures nothing (the allocator keeps the pages the last unload freed),
and a figure far below the estimate is kept out of the budget and of the footprint file.
"""

from __future__ import annotations

import logging

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.models.records import ModelRecord

log = logging.getLogger(__name__)

PLAUSIBLE_SHARE = 0.25
"""A measured footprint below this share of the estimated resident size is not believed."""


def plausible(measured: int, estimate: MemoryEstimate) -> bool:
    """A footprint worth keeping: not far below what the model was estimated to hold."""
    return measured > 0 and measured >= PLAUSIBLE_SHARE * estimate.weights


def stored_footprint(name: str, measured: int | None, estimate: MemoryEstimate) -> int | None:
    """What an earlier run measured, unless it is implausibly small next to the estimate."""
    if measured is not None and not plausible(measured, estimate):
        log.warning(
            "%s: ignoring the stored footprint of %d KiB (estimate %d MiB)",
            name,
            measured >> 10,
            estimate.weights >> 20,
        )
        return None
    return measured


def load_growth(
    record: ModelRecord, before: MemorySnapshot, after: MemorySnapshot, loaded: Backend
) -> int | None:
    """What the load of ``record`` took between ``before`` and ``after``, or None where the
    figure cannot be believed. An engine in processes of its own is measured there (its
    worker and server start afresh at every load, so a reload is measured too): on a GPU by
    what that process holds on the device."""
    own = loaded.process_memory()
    on_device = loaded.device_memory() if record.device == "gpu" else None
    if on_device is not None:
        taken = on_device
    elif own is not None:
        taken = own
    elif record.device == "gpu" and after.vram_allocated is not None:
        taken = after.vram_allocated - (before.vram_allocated or 0)
    elif record.device == "gpu" and after.vram_used is not None:
        taken = after.vram_used - (before.vram_used or 0)
    else:
        if record.loads:
            # The allocator kept the pages the last unload freed: the reload reuses them,
            # and its RSS growth says nothing about the model.
            log.debug("%s reloaded: RSS growth not taken as its footprint", record.name)
            return None
        taken = after.rss - before.rss
    if not plausible(taken, record.estimate):
        log.info(
            "%s: measured %d KiB at load, implausible next to the estimate of %d MiB; keeping %s",
            record.name,
            max(0, taken) >> 10,
            record.estimate.weights >> 20,
            "the earlier measurement" if record.measured is not None else "the estimate",
        )
        return None
    return taken
