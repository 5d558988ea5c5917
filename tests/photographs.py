"""A page as a phone would photograph it: the sheet in perspective on a darker desk, lit from
one side (for the paper step's tests and ``benchmarks/photos.py``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

Corners = tuple[tuple[float, float], ...]
TILTED: Corners = ((0.09, 0.03), (0.93, 0.01), (1.02, 1.0), (-0.02, 0.98))
"""A sheet photographed from below its bottom edge, a little turned."""


def photograph(
    page: Image.Image,
    corners: Sequence[tuple[float, float]] = TILTED,
    desk: tuple[int, int, int] = (90, 75, 60),
    light: tuple[float, float] = (0.75, 1.0),
    margin: tuple[float, float] = (0.15, 0.125),
) -> tuple[Image.Image, Corners]:
    """``page`` on a desk ``margin`` (of its width, height) larger on every side, its corners
    (top left, top right, bottom right, bottom left, as shares of the page's own size) moved
    to ``corners``, the light falling off from right to left; the photo (RGB) and where the
    sheet's corners lie in it, in pixels."""
    import cv2

    sheet = np.asarray(page.convert("RGB"))
    height, width = sheet.shape[:2]
    photo_w = round(width * (1 + 2 * margin[0]))
    photo_h = round(height * (1 + 2 * margin[1]))
    left, top = width * margin[0], height * margin[1]
    placed = tuple((left + x * width, top + y * height) for x, y in corners)
    source = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(source, np.float32(placed))
    photo = np.empty((photo_h, photo_w, 3), np.uint8)
    photo[:] = desk
    cv2.warpPerspective(
        sheet, matrix, (photo_w, photo_h), dst=photo, borderMode=cv2.BORDER_TRANSPARENT
    )
    shade = np.linspace(light[0], light[1], photo_w)[None, :, None]
    lit = np.clip(photo * shade, 0, 255).astype(np.uint8)
    return Image.fromarray(lit), placed
