"""Specks of dirt and noise scattered over a scan, removed before the page is read.

A scan of a dusty glass, a copy of a copy, a fax received over a noisy line: dark specks all
over the page, which the engines read as full stops, commas and quotes between the words, and
around which Tesseract's layout breaks lines (on the data set with 0.4 % of the pixels turned
black and 0.3 % white, Tesseract's CER went from 0.116 to 0.170, `auto`'s from 0.032 to 0.052;
with this step 0.140 and 0.040, ``benchmarks/copies.py``).
A speck is a dark component of the page at full resolution at most ``SPECK_SIDE`` of the
characters' height across (as large as a full stop of the same print) and with no other ink
within ``CLEAR`` of that height: a full stop, an i's dot, a comma or a decimal point stand
beside their letters and stay, kept by where they are, not by their size. Only a page with
``MIN_SPECKS`` of them a megapixel is touched (the data set's scans have at most 14): a few
stray dots on a clean page are left as printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures

SPECK_SIDE = 0.2
"""A speck is at most this share of the characters' height wide and high (at least one
pixel)..."""
CLEAR = 0.5
"""...with no other ink within this share of the characters' height around it..."""
MIN_SPECKS = 200
"""...and a page is cleaned only with at least this many specks a megapixel."""
SAMPLE_AT = (0.2, 0.4, 0.6, 0.8)
SAMPLE_BAND = 0.04
"""Bands across the page, this share of its height, where small marks are counted first (a
fifth of the cost of counting the whole page: 26 ms on a 300-dpi A4 page)..."""
SAMPLE_SHARE = 0.5
"""...and the whole page only looked at where they hold this share of ``MIN_SPECKS``."""


@dataclass(frozen=True)
class Specks:
    """The specks found on a page."""

    mask: Any
    """Boolean array of the page's size: True on the specks' pixels."""
    count: int


def clear_specks(image: Image.Image, measures: Measures) -> tuple[Image.Image, str] | None:
    """``image`` without its scattered specks and a note saying so, or None with too few."""
    from ablage_desktop.engine.preprocess.measure import grey_array

    specks = find_specks(grey_array(image), measures)
    if specks is None:
        return None
    return remove_specks(image, specks, measures.paper), f"{specks.count} specks removed"


def find_specks(grey: np.ndarray, measures: Measures) -> Specks | None:
    """The scattered specks of the page ``grey`` (full resolution), or None where it has too
    few to clean."""
    import cv2
    import numpy as np

    height = measures.text_height
    if height is None or not measures.ink.any():
        return None
    threshold, _ = cv2.threshold(measures.grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    side = max(1, int(SPECK_SIDE * height))
    rows = grey.shape[0]
    band = max(1, round(SAMPLE_BAND * rows))
    sample = np.concatenate(
        [grey[round(rows * at) : round(rows * at) + band] for at in SAMPLE_AT], axis=0
    )
    if _small_components(sample <= threshold, side)[0] < SAMPLE_SHARE * MIN_SPECKS * (
        sample.size / 1e6
    ):
        return None  # the bands hold too few small marks: no page of specks
    ink = (grey <= threshold).view(np.uint8)
    _count, small, labels, stats = _small_components(ink, side)
    megapixels = grey.size / 1e6
    x, y, w, h = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3]
    other = ink & ~small[labels]
    total = cv2.integral(other)  # (rows + 1) x (cols + 1) sums of the other ink
    reach = max(1, round(CLEAR * height))
    rows, cols = grey.shape
    top, bottom = np.maximum(y - reach, 0), np.minimum(y + h + reach, rows)
    left, right = np.maximum(x - reach, 0), np.minimum(x + w + reach, cols)
    around = total[bottom, right] - total[top, right] - total[bottom, left] + total[top, left]
    isolated = small & (around == 0)
    found = int(isolated.sum())
    if found < MIN_SPECKS * megapixels:
        return None
    return Specks(isolated[labels], found)


def _small_components(ink: np.ndarray, side: int) -> tuple[int, Any, Any, Any]:
    """How many of ``ink``'s components are at most ``side`` pixels across, which they are,
    the labels and the components' statistics."""
    import cv2
    import numpy as np

    _count, labels, stats, _centres = cv2.connectedComponentsWithStatsWithAlgorithm(
        ink.view(np.uint8), 8, cv2.CV_32S, cv2.CCL_BBDT
    )
    small = (stats[:, 2] <= side) & (stats[:, 3] <= side)
    small[0] = False  # the background
    return int(small.sum()), small, labels, stats


def remove_specks(image: Image.Image, specks: Specks, paper: int) -> Image.Image:
    """``image`` (grey or RGB) with its specks in the paper's grey (a copy)."""
    import numpy as np
    from PIL import Image as PILImage

    pixels = np.array(image)
    pixels[specks.mask] = paper
    return PILImage.fromarray(pixels)
