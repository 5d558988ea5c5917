"""How a process's C heap is set up: few arenas in the app, so freed memory is given back;
page buffers kept in the decoder, so that they are not faulted in again for every page.

glibc gives each thread that allocates while others do a heap (arena) of its own, up to eight
per core, and an arena keeps what its threads freed for reuse. The app's page threads and
Docling's per-page threads (it starts new ones for every conversion) spread a model's buffers
over many arenas: after an unload the memory is free but held, and RSS climbs 10 to 30 MiB a
load/unload cycle (Docling, measured). With two arenas it stays within 1 % over ten cycles,
and RapidOCR reads pages as fast (1.59 vs 1.62 s a page, within noise). A user's own
``MALLOC_ARENA_MAX`` wins.

The decoder process is the other way round. Every page passes through buffers of its full size
(pdfium's bitmap, the image copied out of it, its bytes for the shared segment: 8.7 MB each for
a grey 300-dpi A4 page, 25 MB in colour), and glibc handed blocks that large straight back to
the kernel when they were freed: the next page faulted every one of its pages in again, about
6,300 page faults and 14 ms of kernel time per 300-dpi PDF page, a third of the decoder's CPU.
Allocated from the heap and kept there up to ``PAGE_BUFFERS_KEPT``, the same memory serves page
after page (about 100 faults and 0.5 ms a page; the decoder's RSS 25 MB higher).
"""

from __future__ import annotations

import logging
import os

from ablage_desktop.engine.memory.probe import glibc

log = logging.getLogger(__name__)

M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter number for the arena limit (malloc.h)."""
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
HEAP_ARENAS = 2
PAGE_BUFFERS_KEPT = 64 << 20
"""Blocks up to this size come from the heap, and up to this much free memory stays there: two
or three pages' buffers (a 600-dpi colour page, 100 MB, still goes to the kernel and back)."""


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


def keep_page_buffers(kept: int = PAGE_BUFFERS_KEPT) -> bool:
    """Have glibc keep freed blocks up to ``kept`` bytes for reuse (the decoder process);
    whether it took the setting."""
    libc = glibc()
    if libc is None:
        return False
    try:
        done = bool(libc.mallopt(M_MMAP_THRESHOLD, kept)) and bool(
            libc.mallopt(M_TRIM_THRESHOLD, kept)
        )
    except (OSError, AttributeError) as exc:
        log.debug("The C heap cannot keep page buffers here: %s", exc)
        return False
    log.debug("C heap keeps freed blocks up to %d bytes: %s", kept, done)
    return done
