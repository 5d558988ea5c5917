"""A framed area of a page read again on its own, by the engine the user chose.

Where the page's reading went wrong in one place (small print, a stamp, a table cell), the
person frames it in the window and has it read again. The area is cut out with a margin of
its own paper around it (a frame drawn tight to the print leaves letters touching the cut,
which a text detector misses), read as a page, and its lines are placed back on the page as
a stamp's are (``preprocess.stage.Variant``, its way back a translation).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageOps

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess.geometry import BoxMapper
from ablage_desktop.engine.preprocess.stage import Variant
from ablage_desktop.engine.results.document import Box, OcrPage

MIN_SIDE = 8
"""Pixels an area needs at least either way to hold a character."""
MARGIN = 0.5
"""The paper added around the area, as a share of its shorter side..."""
MAX_MARGIN = 48
"""...at most this many pixels."""
PAPER = 95
"""The percentile of the area's brightness taken for its paper."""


def read_area(page: PageImage, area: Box, recognize: Callable[[PageImage], OcrPage]) -> OcrPage:
    """``area`` of ``page`` (its pixels) read by ``recognize``: its lines on the whole page."""
    left, top, right, bottom = _within(area, page.width, page.height)
    cut = page.image.crop((left, top, right, bottom))
    margin = min(MAX_MARGIN, round(MARGIN * min(cut.size)))
    padded = ImageOps.expand(cut, border=margin, fill=_paper(cut))
    back = (1.0, 0.0, float(left - margin), 0.0, 1.0, float(top - margin))  # a translation
    variant = Variant(
        dataclasses.replace(page, image=padded, text_layer=None),
        page,
        BoxMapper(back, page.width, page.height),
        (),
    )
    return variant.restore(recognize(variant.page))


def _within(area: Box, width: int, height: int) -> Box:
    x0, y0, x1, y1 = area
    left, right = max(0, min(x0, x1)), min(width, max(x0, x1))
    top, bottom = max(0, min(y0, y1)), min(height, max(y0, y1))
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        raise UsageError(f"the frame is too small to read ({right - left} x {bottom - top} px)")
    return left, top, right, bottom


def _paper(image: Image.Image) -> int | tuple[int, ...]:
    """The area's paper colour: its bright percentile, channel by channel."""
    pixels = np.asarray(image)
    if pixels.ndim == 2:
        return int(np.percentile(pixels, PAPER))
    return tuple(int(np.percentile(pixels[..., c], PAPER)) for c in range(pixels.shape[2]))
