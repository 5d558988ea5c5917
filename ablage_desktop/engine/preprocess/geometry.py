"""Where a pixel of the prepared page lies on the original page, and back.

A transform is a 2x3 affine matrix in *edge* coordinates (the top-left corner of the image is
(0, 0), the bottom-right (width, height)), the coordinates ``OcrLine.box`` uses. Quarter turns,
a small rotation about the centre and a scale compose into one matrix; a box found on the
prepared page maps back through its inverse. A photographed sheet's perspective, flattened
before all of them, is a homography (``Projective``) that maps back after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

Matrix = tuple[float, float, float, float, float, float]
"""(a, b, c, d, e, f): x' = a*x + b*y + c, y' = d*x + e*y + f."""

IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)

Projective = tuple[float, float, float, float, float, float, float, float, float]
"""A 3x3 homography, row by row: a photographed sheet's perspective (``paper.py``)."""


def mostly_within(box: tuple[float, ...], other: tuple[float, ...]) -> bool:
    """Whether half of ``box`` (left, top, right, bottom) or more lies in ``other``: the same
    thing found twice."""
    width = min(box[2], other[2]) - max(box[0], other[0])
    height = min(box[3], other[3]) - max(box[1], other[1])
    area = (box[2] - box[0]) * (box[3] - box[1])
    return width > 0 and height > 0 and 2 * width * height >= area


def compose(second: Matrix, first: Matrix) -> Matrix:
    """The transform that applies ``first``, then ``second``."""
    a2, b2, c2, d2, e2, f2 = second
    a1, b1, c1, d1, e1, f1 = first
    return (
        a2 * a1 + b2 * d1,
        a2 * b1 + b2 * e1,
        a2 * c1 + b2 * f1 + c2,
        d2 * a1 + e2 * d1,
        d2 * b1 + e2 * e1,
        d2 * c1 + e2 * f1 + f2,
    )


def invert(matrix: Matrix) -> Matrix:
    a, b, c, d, e, f = matrix
    det = a * e - b * d
    if abs(det) < 1e-12:
        raise ValueError("the transform cannot be inverted")
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return (ia, ib, -(ia * c + ib * f), id_, ie, -(id_ * c + ie * f))


def apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + b * y + c, d * x + e * y + f


def project(matrix: Projective, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f, g, h, i = matrix
    w = g * x + h * y + i
    return (a * x + b * y + c) / w, (d * x + e * y + f) / w


def quarter_turn(turns: int, width: int, height: int) -> tuple[Matrix, int, int]:
    """Counter-clockwise quarter turns (Pillow's ``rotate(90 * turns, expand=True)``), with the
    size of the turned image."""
    turns %= 4
    if turns == 0:
        return IDENTITY, width, height
    if turns == 1:  # (x, y) -> (y, W - x)
        return (0.0, 1.0, 0.0, -1.0, 0.0, float(width)), height, width
    if turns == 2:  # (x, y) -> (W - x, H - y)
        return (-1.0, 0.0, float(width), 0.0, -1.0, float(height)), width, height
    return (0.0, -1.0, float(height), 1.0, 0.0, 0.0), height, width  # (x, y) -> (H - y, x)


def rotate_and_scale(
    degrees: float, scale: float, width: int, height: int
) -> tuple[Matrix, int, int]:
    """Rotate counter-clockwise by ``degrees`` about the centre and scale by ``scale``; the
    canvas grows to hold the whole rotated page. Returns the matrix and the new size."""
    rad = math.radians(degrees)
    cos, sin = math.cos(rad) * scale, math.sin(rad) * scale
    # Counter-clockwise on screen (y grows downwards): x' = cos x + sin y, y' = -sin x + cos y.
    linear: Matrix = (cos, sin, 0.0, -sin, cos, 0.0)
    corners = [apply(linear, x, y) for x in (0, width) for y in (0, height)]
    xs = [p[0] for p in corners]
    ys = [p[1] for p in corners]
    new_width = max(1, math.ceil(max(xs) - min(xs) - 1e-6))
    new_height = max(1, math.ceil(max(ys) - min(ys) - 1e-6))
    # Centre the rotated page on the new canvas.
    cx, cy = apply(linear, width / 2, height / 2)
    matrix = (cos, sin, new_width / 2 - cx, -sin, cos, new_height / 2 - cy)
    return matrix, new_width, new_height


def to_pixel_centres(matrix: Matrix) -> Matrix:
    """The same transform in OpenCV's convention, where (0, 0) is the first pixel's centre."""
    a, b, c, d, e, f = matrix
    # x_c = x_e - 0.5 on both sides.
    return (a, b, c + 0.5 * (a + b) - 0.5, d, e, f + 0.5 * (d + e) - 0.5)


@dataclass(frozen=True, slots=True)
class BoxMapper:
    """Maps boxes of the prepared page onto the original page."""

    back: Matrix
    """Prepared page -> original page."""
    width: int
    height: int
    """The original page's size: mapped boxes are clipped to it."""
    unwarp: Projective | None = None
    """After ``back``: a flattened photographed sheet -> the photo. A projective map takes a
    box to a four-cornered shape whose extremes are its corners' images."""

    def box(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = box
        points = [apply(self.back, x, y) for x in (x0, x1) for y in (y0, y1)]
        if self.unwarp is not None:
            points = [project(self.unwarp, x, y) for x, y in points]
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        left = min(self.width, max(0, math.floor(min(xs) + 1e-6)))
        top = min(self.height, max(0, math.floor(min(ys) + 1e-6)))
        right = min(self.width, max(left, math.ceil(max(xs) - 1e-6)))
        bottom = min(self.height, max(top, math.ceil(max(ys) - 1e-6)))
        return left, top, right, bottom


def warp_image(
    image: Image.Image, matrix: Matrix, width: int, height: int, paper: int, upscale: bool
) -> Image.Image:
    """``image`` through ``matrix`` onto a ``width`` x ``height`` canvas, what falls outside
    it filled with the ``paper`` grey."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    a, b, c, d, e, f = to_pixel_centres(matrix)
    pixels = np.asarray(image)
    fill = (paper,) * (pixels.shape[2] if pixels.ndim == 3 else 1)
    warped = cv2.warpAffine(
        pixels,
        np.array([[a, b, c], [d, e, f]], dtype=np.float64),
        (width, height),
        flags=cv2.INTER_CUBIC if upscale else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=fill,
    )
    return PILImage.fromarray(warped)


def quarter_turn_mappers(turns: int, width: int, height: int) -> tuple[BoxMapper, BoxMapper]:
    """Boxes of a page of ``width`` x ``height`` onto the page turned ``turns`` quarter turns
    counter-clockwise, and back: a frame drawn on a scan given for its upright page, a page's
    lines placed as it reads (``area_reading``, ``exports.placement``)."""
    forward, turned_width, turned_height = quarter_turn(turns, width, height)
    there = BoxMapper(forward, turned_width, turned_height)
    return there, BoxMapper(invert(forward), width, height)
