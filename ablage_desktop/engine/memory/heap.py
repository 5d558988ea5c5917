"""How the process's C heap is set up: few arenas, so freed memory is given back.

glibc gives each thread that allocates while others do a heap (arena) of its own, up to eight
per core, and an arena keeps what its threads freed for reuse. The app's page threads and
Docling's per-page threads (it starts new ones for every conversion) spread a model's buffers
over many arenas: after an unload the memory is free but held, and RSS climbs 10 to 30 MiB a
load/unload cycle (Docling, measured). With two arenas it stays within 1 % over ten cycles,
and RapidOCR reads pages as fast (1.59 vs 1.62 s a page, within noise). A user's own
``MALLOC_ARENA_MAX`` wins.
"""

from __future__ import annotations

import logging
import os

from ablage_desktop.engine.memory.probe import glibc

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter number for the arena limit (malloc.h)."""
HEAP_ARENAS = 2


def limit_heap_arenas(count: int = HEAP_ARENAS) -> bool:
    """Cap glibc's arenas at ``count`` for this process; whether the cap is in force.

    Call it first thing, before threads start: arenas already made stay."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    libc = glibc()
    if libc is None:  # not Linux, or not glibc
        return False
    try:
        done = bool(libc.mallopt(M_ARENA_MAX, count))
    except (OSError, AttributeError) as exc:
        log.debug("The C heap's arenas cannot be limited here: %s", exc)
        return False
    log.debug("C heap arenas limited to %d: %s", count, done)
    return done
