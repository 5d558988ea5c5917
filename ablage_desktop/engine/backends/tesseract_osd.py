"""Tesseract's orientation detection through its C API, which lets the GIL go while it runs.

tesserocr's ``DetectOrientationScript`` keeps the GIL for the whole detection (about 100 to
200 ms a page, measured by ``benchmarks/ui_latency.py --profile``): every other Python thread,
the window's included, stops meanwhile, and the window stutters. The same function of the C
API, called through ``ctypes`` (which releases the GIL around every foreign call), does the same
work in the same library while the window keeps painting.

The library is the libtesseract the process has loaded already (tesserocr's bundled copy or
the system's, found in ``/proc/self/maps`` as ``leptonica.loaded_library`` finds Leptonica):
one copy of Tesseract in the process, whatever tesserocr was built against. Where it cannot be
found (not Linux, no C API), ``available()`` is False and the caller uses tesserocr.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ablage_desktop.engine.backends import leptonica

log = logging.getLogger(__name__)

PSM_OSD_ONLY = 0
"""``tesseract::PSM_OSD_ONLY`` (publictypes.h)."""


def _loaded_tesseract() -> ctypes.CDLL | None:
    library = leptonica.loaded("libtesseract")
    return library if hasattr(library, "TessBaseAPIDetectOrientationScript") else None


def _declare(library: ctypes.CDLL) -> None:
    handle = ctypes.c_void_p
    library.TessBaseAPICreate.restype = handle
    library.TessBaseAPICreate.argtypes = []
    library.TessBaseAPIDelete.restype = None
    library.TessBaseAPIDelete.argtypes = [handle]
    library.TessBaseAPIInit3.restype = ctypes.c_int
    library.TessBaseAPIInit3.argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p]
    library.TessBaseAPISetPageSegMode.restype = None
    library.TessBaseAPISetPageSegMode.argtypes = [handle, ctypes.c_int]
    library.TessBaseAPISetVariable.restype = ctypes.c_int
    library.TessBaseAPISetVariable.argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p]
    library.TessBaseAPISetImage2.restype = None
    library.TessBaseAPISetImage2.argtypes = [handle, ctypes.c_void_p]
    library.TessBaseAPIDetectOrientationScript.restype = ctypes.c_int
    library.TessBaseAPIDetectOrientationScript.argtypes = [
        handle,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_float),
        ctypes.POINTER(ctypes.c_char_p),
        ctypes.POINTER(ctypes.c_float),
    ]
    library.TessBaseAPIClear.restype = None
    library.TessBaseAPIClear.argtypes = [handle]
    library.TessBaseAPIEnd.restype = None
    library.TessBaseAPIEnd.argtypes = [handle]


def _declare_leptonica(library: ctypes.CDLL) -> None:
    library.pixReadMem.restype = ctypes.c_void_p
    library.pixReadMem.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    library.pixDestroy.restype = None
    library.pixDestroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]


@dataclass(frozen=True)
class _CApi:
    tesseract: ctypes.CDLL
    leptonica: ctypes.CDLL


@functools.cache
def _c_api() -> _CApi | None:
    """The loaded libtesseract and Leptonica with the calls declared, looked for once."""
    found = _loaded_tesseract()
    images = leptonica.loaded_library()
    if found is None or images is None or not hasattr(images, "pixReadMem"):
        log.debug("no libtesseract with a C API loaded: OSD goes through tesserocr")
        return None
    _declare(found)
    _declare_leptonica(images)
    return _CApi(found, images)


def library() -> ctypes.CDLL | None:
    """The loaded libtesseract with its C API declared, or None (import tesserocr first)."""
    api = _c_api()
    return api.tesseract if api is not None else None


def available() -> bool:
    return _c_api() is not None


@dataclass
class OsdApi:
    """One Tesseract instance with osd.traineddata, driven through the C API; one thread at a
    time (the caller pools them as it pools tesserocr's)."""

    _library: ctypes.CDLL
    _handle: int
    _images: ctypes.CDLL

    @classmethod
    def open(cls, tessdata: Path, min_characters: int) -> OsdApi:
        api = _c_api()
        if api is None:
            raise RuntimeError("libtesseract's C API is not loaded")
        lib = api.tesseract
        handle = lib.TessBaseAPICreate()
        if not handle:
            raise RuntimeError("Tesseract did not start")
        if lib.TessBaseAPIInit3(handle, f"{tessdata}{os.sep}".encode(), b"osd") != 0:
            lib.TessBaseAPIDelete(handle)
            raise RuntimeError(f"Tesseract found no osd.traineddata in {tessdata}")
        lib.TessBaseAPISetPageSegMode(handle, PSM_OSD_ONLY)
        lib.TessBaseAPISetVariable(handle, b"min_characters_to_try", str(min_characters).encode())
        return cls(lib, handle, api.leptonica)

    def detect(self, grey: Any) -> dict[str, Any] | None:
        """OSD on a 2-D uint8 array (as tesserocr's ``DetectOrientationScript`` answers it),
        or None where Tesseract could not tell.

        The pixels go in as tesserocr hands them over: a BMP that Leptonica reads (a grey
        palette image; raw bytes make OSD's confidences differ by up to 10 %, and the
        thresholds in ``orientation.py`` were set on tesserocr's answers)."""
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(grey).save(buffer, "BMP")
        data = buffer.getvalue()
        pix = ctypes.c_void_p(self._images.pixReadMem(data, len(data)))
        if not pix.value:
            raise RuntimeError("Leptonica could not read the page window")
        degrees, confidence = ctypes.c_int(), ctypes.c_float()
        script, script_confidence = ctypes.c_char_p(), ctypes.c_float()
        lib, handle = self._library, self._handle
        try:
            lib.TessBaseAPISetImage2(handle, pix)  # Tesseract copies the image
            found = lib.TessBaseAPIDetectOrientationScript(
                handle,
                ctypes.byref(degrees),
                ctypes.byref(confidence),
                ctypes.byref(script),
                ctypes.byref(script_confidence),
            )
        finally:
            lib.TessBaseAPIClear(handle)
            self._images.pixDestroy(ctypes.byref(pix))
        if not found:
            return None
        return {
            "orient_deg": degrees.value,
            "orient_conf": confidence.value,
            "script_name": (script.value or b"?").decode("utf-8", "replace"),
            "script_conf": script_confidence.value,
        }

    def End(self) -> None:  # tesserocr's name: the pool closes both kinds alike
        self._library.TessBaseAPIEnd(self._handle)
        self._library.TessBaseAPIDelete(self._handle)
