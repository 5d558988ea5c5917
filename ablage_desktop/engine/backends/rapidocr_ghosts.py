"""Print showing through from the back of the sheet, left out of RapidOCR's reading.

Thin paper printed on both sides and scanned: the back's print shows through, faint and
mirrored. Tesseract's binarisation drops it with the paper; RapidOCR's detector finds it and
its recogniser reads it as letters ("AMOY" for a mirrored "YONG"). With the next document's
first page showing through every page of the data set at a fifth of its contrast
(``benchmarks/copies.py --modes showthrough``), RapidOCR's CER went from 0.03 to 0.34, the
title page's to 2.97 (one page of print, a receipt's worth of ghosts).

A line is show-through where its crop is faint (the contrast of its ink at most ``FAINT`` of
the strongest line's on the page) and it reads surer mirrored, by ``MARGIN`` and to at least
``SURE``: on those pages 1,067 of 1,137 faint lines did ("YONG" 1.00 against 0.51); faint
print does not (the faded set's: 0.96-1.00 as it stands, 0.48-0.85 mirrored), and a page
without faint lines (every page of the data set as scanned) costs no second reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FAINT = 0.4
"""A crop is faint with at most this share of the strongest crop's contrast: show-through has
a fifth or less of the print's, a faded receipt's print a third or more of its darkest line's."""
MARGIN = 0.05
"""A faint line is show-through where its mirrored reading scores this much higher..."""
SURE = 0.7
"""...and at least this: symmetric text ("00.01" read 0.98 as it stands, 0.99 mirrored) stays."""


def contrast(crop: Any) -> float:
    """Grey levels between the crop's ink (its darkest percent) and its paper (the 90th
    percentile)."""
    import numpy as np

    grey = crop.mean(axis=2) if crop.ndim == 3 else crop
    ink, paper = np.percentile(grey, [1, 90])
    return float(paper - ink)


def faint_crops(crops: Sequence[Any]) -> list[bool]:
    """For each crop, whether its print is faint beside the page's strongest line."""
    contrasts = [contrast(crop) for crop in crops]
    strongest = max(contrasts, default=0.0)
    return [value <= FAINT * strongest for value in contrasts]


def mirrored(crop: Any) -> Any:
    """The crop as seen from the back of the sheet."""
    import numpy as np

    return np.ascontiguousarray(crop[:, ::-1])


def seen_through(as_printed: tuple[str, float], mirror_read: tuple[str, float]) -> bool:
    """Whether a faint line, read as it stands and mirrored (text, score), is show-through."""
    return mirror_read[1] >= max(SURE, as_printed[1] + MARGIN)
