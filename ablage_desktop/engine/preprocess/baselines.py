"""Whether a page is clearly upright, from where its characters stand: a check of a few ms
that spares most pages the orientation detection (Tesseract's OSD: about 110 ms a page here).

In upright Latin text the characters of a line stand on one baseline (only g, j, p, q, y reach
below it) while their tops differ (x-height, ascenders, capitals, digits). Upside down the tops
line up and the bottoms differ; turned by 90 degrees neither does. For every line, the share of
characters whose bottom is on the line's baseline minus the share whose top is on its top line
is about +0.2 to +0.4 on upright prose, the same negative upside down, and near 0 on pages lying
on their side, in capitals only (receipts, forms) or skewed: those go to the full detection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

MIN_LINE = 6
"""Fewer characters in a line and it says nothing."""
LINE_GAP = 0.3
"""Character centres further apart than this (in character heights) start a new line."""
LINE_SPREAD = 1.2
"""A "line" whose centres spread over more than this is several (a skewed page, columns at
different heights) and is left out."""
ALIGNED = 0.15
"""An edge within this many character heights of the line's median edge is on it."""


@dataclass(frozen=True, slots=True)
class BaselineEvidence:
    score: float
    """Characters on their baseline minus characters on their top line, a share of those
    counted: positive upright, negative upside down, near 0 where it cannot tell."""
    characters: int
    """The characters counted (in lines of at least ``MIN_LINE``)."""


def baseline_evidence(char_boxes: np.ndarray) -> BaselineEvidence:
    """The evidence of the character boxes (x, y, w, h) of one page (``Measures.char_boxes``)."""
    import numpy as np

    if len(char_boxes) < MIN_LINE:
        return BaselineEvidence(0.0, 0)
    heights = char_boxes[:, 3].astype(np.float64)
    height = float(np.median(heights[heights >= np.percentile(heights, 90) / 3]))
    letters = char_boxes[(heights >= 0.5 * height) & (heights <= 2.0 * height)]
    tops = letters[:, 1].astype(np.float64)
    bottoms = tops + letters[:, 3]
    centres = (tops + bottoms) / 2
    order = np.argsort(centres, kind="stable")
    starts = np.flatnonzero(np.diff(centres[order]) > LINE_GAP * height) + 1
    tolerance = ALIGNED * height
    total = 0.0
    counted = 0
    for line in np.split(order, starts):
        if len(line) < MIN_LINE or np.ptp(centres[line]) > LINE_SPREAD * height:
            continue
        line_bottoms, line_tops = bottoms[line], tops[line]
        on_base = np.mean(np.abs(line_bottoms - np.median(line_bottoms)) <= tolerance)
        on_top = np.mean(np.abs(line_tops - np.median(line_tops)) <= tolerance)
        total += float(on_base - on_top) * len(line)
        counted += len(line)
    return BaselineEvidence(total / counted if counted else 0.0, counted)
