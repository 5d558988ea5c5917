"""A stamp's ink made easier to read: its frame taken off, the gaps print left in it closed.

A rubber stamp's words stand in a frame, and where the page's print crossed the stamp its ink
was lifted with the print, leaving thin white scratches through the letters. Read as it was,
a red "BEZAHLT" over "12.03.2026" in a frame, turned 8 degrees, came out of Tesseract as
"I BEZAHLT" (0.79) and "[12.03.2026" (0.49: below what a stamp's line needs), the frame's
sides read as letters. Here the frame is painted as paper: the rows of the stamp that ink
covers for ``BAR`` of its width (its top and bottom: the foot of a line of letters covers
less), and, between the first and last of them, the columns ink covers for ``BAR`` of that
height (its sides: a letter inside a frame is shorter; without a top and bottom, a stamp of
one line, whose letters may be as tall as the stamp, keeps them all), ``EDGE`` pixels either
side with them; then the gaps in what is left are filled with its ink's tone (``GAP``), the
rest of its grey kept as it was (its letters thresholded, RapidOCR read a small stamp's
"2026" as "2025"). Tesseract then read "BEZAHLT" (0.96) and "12.03.2026" (0.92); on the
stamped data set (``copies.py --modes stamped``) it found both words on 9 pages of 20, against
3 with the frame, `auto` on all 20 as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

BAR = 0.6
"""Share of a row (of a column between the top and bottom) that ink covers on a frame's bar;
scratches where print crossed the bar break it in places."""
EDGE = 1
"""Pixels either side of a bar's rows or columns painted with it (its ragged edge; on a small
stamp the frame runs close to the letters)."""
INK = 128
GAP = 60
"""The square closing the scratches print left through the letters: 1/GAP of the stamp's
height (5 pixels on the stamp above, 329 high: with 3, Tesseract still left its date out);
none on a stamp less than 150 pixels high (on a 100-dpi fax cover a 3-pixel square filled
the date's "6", read "5")."""


def cleaned(alone: np.ndarray) -> np.ndarray:
    """``alone`` (a stamp's ink alone, grey, paper 255) without its frame, its scratches
    closed."""
    import cv2
    import numpy as np

    ink = alone < INK
    if not ink.any():
        return alone
    tone = int(np.median(alone[ink]))
    frame = np.zeros_like(ink)
    rows = np.flatnonzero(ink.mean(axis=1) >= BAR)
    if len(rows) >= 2:
        top, bottom = int(rows[0]), int(rows[-1])
        frame[_widened(rows, ink.shape[0])] = True
        columns = np.flatnonzero(ink[top : bottom + 1].mean(axis=0) >= BAR)
        frame[:, _widened(columns, ink.shape[1])] = True
    elif len(rows):
        frame[_widened(rows, ink.shape[0])] = True
    out = alone.copy()
    out[frame] = 255
    letters = (ink & ~frame).astype(np.uint8)
    gap = round(ink.shape[0] / GAP)
    if gap >= 3:  # odd: an even square shifts the ink
        square = np.ones((gap | 1, gap | 1), np.uint8)
        healed = (cv2.morphologyEx(letters, cv2.MORPH_CLOSE, square) > 0) & (letters == 0)
        out[healed & ~frame] = tone
    return out


def _widened(indices: np.ndarray, length: int) -> np.ndarray:
    """Boolean of ``length``: True at ``indices`` and ``EDGE`` either side of each."""
    import numpy as np

    marked = np.zeros(length, bool)
    for index in indices:
        marked[max(0, index - EDGE) : index + EDGE + 1] = True
    return marked
