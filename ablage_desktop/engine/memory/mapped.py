"""Handing back the pages of a checkpoint file a load read but no longer needs.

transformers reads safetensors through a memory map. Where it copies or converts the weights
(fp32 from a bf16 checkpoint, bitsandbytes quantizing), the copies are the model; the file
pages the load touched stay mapped and count in the process's RSS (GOT-OCR2 int8 on the CPU:
+600 MiB) until the kernel reclaims them under pressure, which the manager's budget cannot
see. ``MADV_PAGEOUT`` asks the kernel to reclaim them now; the content is kept (clean file
pages are read back from the file if a tensor still views them), so this is always safe.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MADV_PAGEOUT = 21
"""Linux 5.4+: reclaim these pages now (clean file pages are dropped, content preserved)."""


def page_out_files(paths: Iterable[Path]) -> int:
    """Ask the kernel to reclaim this process's mapped pages of ``paths``; the bytes of the
    mappings asked about (0 where the system cannot)."""
    if not sys.platform.startswith("linux"):
        return 0
    wanted = {str(Path(path).resolve()) for path in paths}
    libc = _libc()
    if libc is None or not wanted:
        return 0
    asked = 0
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    for line in maps.splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or parts[5] not in wanted:
            continue
        start, end = (int(value, 16) for value in parts[0].split("-"))
        if libc.madvise(start, end - start, MADV_PAGEOUT) == 0:
            asked += end - start
        else:
            log.debug("madvise(MADV_PAGEOUT) refused for %s", parts[5])
            return asked
    return asked


def _libc() -> Any | None:
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        libc.madvise.restype = ctypes.c_int
        return libc
    except (OSError, AttributeError):
        return None
