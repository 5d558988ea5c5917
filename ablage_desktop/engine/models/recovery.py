"""Giving memory back after an unload: close the backend, collect, empty the allocator's cache,
and wait (within a bound) until the device shows the memory free again."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.memory.probe import MemoryProbe, MemorySnapshot

log = logging.getLogger(__name__)

RECOVERY_POLL_S = 0.05
RECOVERED_SHARE = 0.75
"""Device memory counts as back once this share of the model's footprint is free again."""


def close_quietly(name: str, backend: Backend) -> None:
    """Close ``backend``; a failure is logged, the unload goes on."""
    try:
        backend.close()
    except Exception:
        log.exception("Closing %s failed", name)


def collect(probe: MemoryProbe) -> None:
    """Free what nothing references any more, and hand the allocator's cache back."""
    gc.collect()
    probe.empty_cache()


def wait_for_recovery(
    probe: MemoryProbe,
    name: str,
    before: MemorySnapshot,
    footprint: int,
    timeout_s: float,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> None:
    """Poll until the device shows the model's memory free again, within ``timeout_s``."""
    if before.vram_free is None:
        return
    target = before.vram_free + int(footprint * RECOVERED_SHARE)
    deadline = clock() + timeout_s
    while True:
        free = probe.snapshot().vram_free or 0
        if free >= min(target, before.vram_total or target):
            return
        if clock() >= deadline:
            log.warning(
                "VRAM of %s did not come back within %.1f s (%d MiB free, expected %d MiB)",
                name,
                timeout_s,
                free >> 20,
                target >> 20,
            )
            return
        sleep(RECOVERY_POLL_S)
