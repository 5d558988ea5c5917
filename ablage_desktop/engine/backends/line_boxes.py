"""Line boxes for text that came without them (a vision-language model's, a server's answer).

A local CPU text detector (RapidOCR's detection model alone, no recognition) finds where the
printed lines are; the text's lines are then paired with them in reading order, but only
where that pairing is unambiguous: as many text lines as rows of boxes, or as many as single
boxes. Anything else keeps the text without boxes (the exports then place its lines evenly,
marked as estimated) rather than drawing boxes around the wrong words.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends import rapidocr
from ablage_desktop.engine.backends.rapidocr import box_of_quad
from ablage_desktop.engine.results.document import OcrLine, enclosing
from ablage_desktop.engine.text.layout import group_rows

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]
DETECTED = 1.0
"""Confidence of a line whose box was paired with it (the text's own certainty is unknown)."""
DETECTION_SIDE = 1280
"""Longest side of the image the detector sees, as the shipped RapidOCR engine's
``detection_side``. At RapidOCR's own scaling (up to 2,000 pixels, enlarged to a short side of
736) an A4 page holding one line gave no box at all, and a one-line label 760 x 130 pixels
three pieces in 2.7 s (one box in 0.12 s here)."""


def detector_missing() -> str | None:
    """Why the detector cannot run here, or None."""
    availability = rapidocr.check(rapidocr.RapidOcrOptions(engine="rapidocr"))
    return None if availability.ok else f"line_boxes: detect needs RapidOCR: {availability.reason}"


class LineDetector:
    """RapidOCR's text detection: one model, one page at a time (it is quick)."""

    def __init__(self) -> None:
        self._ocr: Any = rapidocr.new_session(
            {
                "Global.log_level": "warning",
                "Global.use_cls": False,
                "Det.limit_type": "max",
                "Det.limit_side_len": DETECTION_SIDE,
            }
        )
        self._lock = threading.Lock()

    def boxes(self, image: Image.Image) -> list[Box]:
        with self._lock:
            output = self._ocr(image, use_det=True, use_cls=False, use_rec=False)
        found = output.boxes if output.boxes is not None else []
        return [box_of_quad(quad, image.width, image.height) for quad in found]

    def close(self) -> None:
        self._ocr = None


def place_lines(text: str, boxes: Sequence[Box]) -> tuple[OcrLine, ...]:
    """The text's lines with the detected boxes, or () where they do not pair up."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not boxes:
        return ()
    rows = group_rows([OcrLine("", DETECTED, box) for box in boxes])
    if len(rows) == len(lines):
        return tuple(
            OcrLine(line, DETECTED, enclosing(item.box for item in row))
            for line, row in zip(lines, rows, strict=True)
        )
    single = [item.box for row in rows for item in row]
    if len(single) == len(lines):
        return tuple(OcrLine(line, DETECTED, box) for line, box in zip(lines, single, strict=True))
    log.debug("%d text lines, %d rows of boxes: no boxes", len(lines), len(rows))
    return ()
