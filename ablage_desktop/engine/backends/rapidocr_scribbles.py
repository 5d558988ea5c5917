"""Handwritten signatures left out of RapidOCR's reading.

A signed letter: RapidOCR's detector takes the signature's loops for a line of text, and its
recogniser reads them as a few letters ("mull", "fulblle", "MMM"), at 0.2-0.86. On the data
set with a ballpoint signature over each page (``benchmarks/copies.py --modes signed``)
that was most of what the signature cost (`auto`'s CER 0.032 -> 0.036).

A line is a scribble where its crop (as the detector cut it out and scaled it) is ``TALL``
times the page's usual line height or more, its ink's strokes are thin for that height (a
pen's line in a box four lines high: the stroke at most ``THIN`` of the crop's height,
0.016-0.022 for those signatures, where the print on the data set's pages, its close-ups and
photos has 0.04 or more, a heading's, a logo's, a total's, and the data set's handwritten
"(be-WORE)" on a fax cover 0.028-0.040), and it was read unsurely (below ``SURE``). Signatures
on pages scanned at 100 dpi have strokes as wide as that handwriting's and are left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

TALL = 2.5
"""A scribble's box is at least this many times the page's median line height..."""
THIN = 0.024
"""...its strokes at most this share of the box's height wide..."""
SURE = 0.9
"""...and it was read with less than this score."""


def stroke_width(crop: Any) -> float:
    """The width of the crop's strokes in pixels: twice its ink's area over the length of the
    ink's outlines (a stroke of width w and length l has area wl and outline 2l)."""
    import cv2
    import numpy as np

    grey = crop.mean(axis=2).astype(np.uint8) if crop.ndim == 3 else crop
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    outline = sum(cv2.arcLength(contour, True) for contour in contours)
    return 2.0 * float(np.count_nonzero(ink)) / max(outline, 1.0)


def find_scribbles(
    crops: Sequence[Any], recognised: Mapping[int, tuple[str, float]]
) -> frozenset[int]:
    """The lines (by index among the detector's) that are handwritten scribbles: ``crops``
    are every line found, as the detector cut them out (a slanted line straightened: its
    box on the page is as tall as its slant, a photographed receipt's small print four lines
    high), ``recognised`` the readings (text, score) of those the recogniser read."""
    import numpy as np

    if not crops:
        return frozenset()
    usual = float(np.median([crop.shape[0] for crop in crops]))
    found = set()
    for index, (_text, score) in recognised.items():
        height = crops[index].shape[0]
        if score >= SURE or height < TALL * usual:
            continue
        if stroke_width(crops[index]) <= THIN * height:
            found.add(index)
    return frozenset(found)
