"""The decoder process keeps the memory of one page's buffers for the next page.

Every page passes through buffers of its full size (pdfium's bitmap, the image copied out of
it, its bytes for the shared segment: 8.7 MB each for a grey 300-dpi A4 page, 25 MB in
colour). glibc hands blocks that large straight back to the kernel when they are freed, so
the next page faulted every one of its pages in again: about 6,300 page faults and 14 ms of
kernel time per 300-dpi PDF page, a third of the decoder's CPU. Allocated from the heap and
kept there up to ``RETAINED_BYTES``, the same memory serves page after page (about 100 faults
and 0.5 ms a page, measured with ``benchmarks/tesseract_path.py``'s pages).

Only glibc has ``mallopt``; elsewhere (musl, macOS, Windows) nothing changes.
"""

from __future__ import annotations

import ctypes
import logging
import sys

log = logging.getLogger(__name__)

RETAINED_BYTES = 64 << 20
"""Blocks up to this size come from the heap, and up to this much free memory stays there:
two or three pages' buffers (a 600-dpi colour page, 100 MB, still goes straight to the
kernel and back)."""
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_page_buffers(retained: int = RETAINED_BYTES) -> bool:
    """Set this process's allocator to keep freed page buffers; whether it could."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, retained)) and bool(mallopt(_M_TRIM_THRESHOLD, retained))
    if not done:
        log.debug("The allocator did not take the page buffer settings")
    return done
