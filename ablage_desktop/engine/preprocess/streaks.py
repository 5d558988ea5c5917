"""Lines of dust down a scanned page, painted out before the page is read.

A speck of dust or a scratch on a document feeder's glass draws a thin line down every page
fed past it, through the margins and the print alike. The engines read it as a letter in
each line it crosses ("l", "|", "I") or join the words on either side; on the data set with
two such lines (``benchmarks/copies.py --modes streaked``) Tesseract's CER went from 0.116 to
0.168, `auto`'s BoW F1 from 0.923 to 0.909.

A streak is a run of columns at most ``MAX_WIDTH`` of the characters' height wide (wider is a
band, a bar, a photo) in which pixels darker than the paper by ``DARKER`` cover ``COVER`` of
the page's height: a rule of a table or a frame stops at the margins, a streak crosses them.
Only a streak through the print is painted out, one with characters close on either side.
It is painted with the paper on either side of it, row by row, so that a stroke of a letter
crossing it joins up again, and print darker than a grey streak is kept as it is: Tesseract
0.126, `auto` 0.032 / 0.923, as without streaks.

A letter folded for its envelope has the like across the page at its folds, a crease; those
are left (``copies.py --modes folded``: `auto` read through them unchanged, Tesseract's CER
0.116 -> 0.137; painted out alike, Tesseract's went to 0.134 but `auto`'s BoW F1 from 0.924
to 0.922, the print they crossed repainted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures

MAX_WIDTH = 0.25
"""A streak is at most this share of the characters' height wide (at least two pixels):
one to four pixels at 300 dpi, where characters are 25-40 high."""
COVER = 0.9
"""Its dark pixels cover at least this share of the page's height, margins included."""
DARKER = 25
"""Grey levels below the paper at which a pixel counts as dark (a grey streak is 120 below)."""
BESIDE = 3
NEAR = 1.5
"""A streak crosses the print where this many characters stand on either side of it within
this share of their height (``through_print``)."""
ROW_STEP = 4
"""Every this many rows are looked at for the columns' cover (a quarter of the cost)."""
PRINT_BELOW = 20
"""Pixels of a streak this many grey levels darker than its usual grey (its median) are print
crossing it, kept as they are: a grey streak leaves the letters it crosses whole."""
SOFT = 0.5
"""Columns beside a streak dark for this share of the page's height are its soft edges."""


def clear_streaks(image: Image.Image, measures: Measures) -> tuple[Image.Image, str] | None:
    """``image`` without the lines of dust down it and a note saying so, or None without."""
    from PIL import Image as PILImage

    from ablage_desktop.engine.preprocess.measure import grey_array, writable_pixels

    height = measures.text_height
    if height is None:
        return None
    streaks = [
        streak
        for streak in find_streaks(grey_array(image), measures.paper, height)
        if through_print(streak, measures, height)
    ]
    if not streaks:
        return None
    pixels = writable_pixels(image)
    for left, right in streaks:
        paint_over(pixels, left, right)
    noun = "streak" if len(streaks) == 1 else "streaks"
    return PILImage.fromarray(pixels), f"{len(streaks)} {noun} of dust removed"


def find_streaks(grey: np.ndarray, paper: int, text_height: float) -> list[tuple[int, int]]:
    """The streaks down the page ``grey`` (full resolution) as column ranges [left, right)."""
    import numpy as np

    cover = (grey[::ROW_STEP] < paper - DARKER).mean(axis=0)
    columns = np.flatnonzero(cover >= COVER)
    if not len(columns):
        return []
    widest = max(2, round(MAX_WIDTH * text_height))
    runs = np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1)
    streaks = []
    for run in runs:
        left, right = int(run[0]), int(run[-1]) + 1
        while left > 0 and cover[left - 1] >= SOFT:
            left -= 1
        while right < len(cover) and cover[right] >= SOFT:
            right += 1
        if right - left <= widest and left > 0 and right < len(cover):
            streaks.append((left, right))
    return streaks


def through_print(streak: tuple[int, int], measures: Measures, text_height: float) -> bool:
    """Whether ``BESIDE`` characters stand on either side of the streak within ``NEAR`` of
    their height: it crosses the print (a line down the margin, or a form's frame along the
    edge of a page cut to the form, is left: the engines read no letter in it)."""
    import numpy as np

    boxes = measures.char_boxes
    if not len(boxes):
        return False
    left = boxes[:, 0] / measures.scale
    right = (boxes[:, 0] + boxes[:, 2]) / measures.scale
    reach = NEAR * text_height
    before = np.count_nonzero((right <= streak[0]) & (right >= streak[0] - reach))
    after = np.count_nonzero((left >= streak[1]) & (left <= streak[1] + reach))
    return min(before, after) >= BESIDE


def paint_over(pixels: np.ndarray, left: int, right: int) -> None:
    """Columns [left, right) of ``pixels`` painted in each row with the pixels on either
    side, blended across; but for print darker than the streak (by ``PRINT_BELOW``), which
    crossed it and stays as it is."""
    import numpy as np

    start, stop = left, right
    band = pixels[:, start:stop].astype(np.float32)
    grey = band.mean(axis=2) if band.ndim == 3 else band
    under = grey < float(np.median(grey)) - PRINT_BELOW
    before = pixels[:, max(0, start - 1)].astype(np.float32)
    after = pixels[:, min(pixels.shape[1] - 1, stop)].astype(np.float32)
    share = (np.arange(start, stop, dtype=np.float32) - start + 1) / (stop - start + 1)
    if pixels.ndim == 3:
        blend = (
            before[:, None, :] * (1 - share)[None, :, None]
            + after[:, None, :] * share[None, :, None]
        )
        under = under[:, :, None]
    else:
        blend = before[:, None] * (1 - share)[None, :] + after[:, None] * share[None, :]
    pixels[:, start:stop] = np.where(under, band, np.rint(blend)).astype(pixels.dtype)
