"""Leptonica's own messages, which it prints straight to the process's stderr.

Tesseract's image library reports things like "Error in pixScanForForeground: no fg pixels
found" on blank regions: written from C to file descriptor 2, past the app's logging and
``-q``, and nothing a user can act on (the page is read all the same). Leptonica has a global
severity threshold for them; the app raises it to "none" unless it logs at debug level, where
it first uses tesserocr: the Tesseract engine's load and the orientation step's OSD.
"""

from __future__ import annotations

import ctypes
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SEVERITY_NONE = 6
"""``L_SEVERITY_NONE`` of Leptonica's environ.h: print no message at all."""
SEVERITY_DEFAULT = 3
"""``L_SEVERITY_INFO``, Leptonica's default when nothing is set."""
_MAPS = Path("/proc/self/maps")


def loaded(name_part: str) -> ctypes.CDLL | None:
    """The shared library with ``name_part`` in its file name that this process has loaded
    already, or None where none is loaded or it cannot be found (not Linux)."""
    try:
        maps = _MAPS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in maps.splitlines():
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        if name_part in Path(path).name:
            try:
                return ctypes.CDLL(path, mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
            except OSError:
                return None
    return None


def loaded_library() -> ctypes.CDLL | None:
    """The Leptonica this process has loaded already (tesserocr's bundled copy or the
    system's), or None."""
    return loaded("liblept")


def set_severity(severity: int) -> int | None:
    """Leptonica's message threshold; the previous one, or None where Leptonica is not there."""
    library = loaded_library()
    if library is None:
        return None
    library.setMsgSeverity.restype = ctypes.c_int
    library.setMsgSeverity.argtypes = [ctypes.c_int]
    return int(library.setMsgSeverity(severity))


def silence() -> None:
    """No Leptonica messages on stderr, unless the app logs at debug level."""
    if log.isEnabledFor(logging.DEBUG):
        return
    if set_severity(SEVERITY_NONE) is None:
        log.debug("Leptonica is not loaded in this process; its messages stay as they are")
