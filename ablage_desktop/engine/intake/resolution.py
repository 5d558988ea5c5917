"""A raster page's resolution as its file states it, and its pixels made square where the
file's two axes differ: a fax received in normal mode is 204 x 98 dpi, its letters half as
tall as they are wide on the pixel grid, and both OCR engines read such a page far worse than
the same fax in fine mode (Tesseract lost its umlauts and misread words on a G3 fax of the data
set's taxi invoice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

SQUARE_WITHIN = 0.02
"""Axes this close are square enough: the page is left as it is."""
MAX_STRETCH = 4.0
"""Axes further apart than this are no scanner's or fax machine's (those are 2.08 at most):
the file's resolution is taken for a mistake and its pixels are left as they are."""
EXIF_ORIENTATION = 0x0112
TURNING_ORIENTATIONS = frozenset({5, 6, 7, 8})
"""EXIF orientations that turn the picture by a quarter: its axes' resolutions swap."""


def stated_dpi(image: Image.Image) -> tuple[float, float] | None:
    """The (horizontal, vertical) resolution the file states, of the picture as its EXIF
    orientation turns it upright; None where it states none that makes sense."""
    dpi = image.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    if x <= 1:
        return None
    if y <= 1:
        y = x
    if image.getexif().get(EXIF_ORIENTATION) in TURNING_ORIENTATIONS:
        return y, x
    return x, y


def square_pixels(
    frame: Image.Image, dpi: tuple[float, float] | None, max_pixels: int
) -> tuple[Image.Image, float | None]:
    """``frame`` (upright, its axes' resolutions ``dpi``) with square pixels, stretched along
    its coarser axis, and its one resolution. Left as it is where the axes are square enough,
    too far apart, or the stretched page would pass ``max_pixels``."""
    from PIL import Image

    if dpi is None:
        return frame, None
    x, y = dpi
    finer = max(x, y)
    stretch = finer / min(x, y)
    if stretch <= 1 + SQUARE_WITHIN or stretch > MAX_STRETCH:
        return frame, x
    width, height = frame.size
    size = (round(width * finer / x), round(height * finer / y))
    if size[0] * size[1] > max_pixels:
        return frame, x
    return frame.resize(size, Image.Resampling.LANCZOS), finer
