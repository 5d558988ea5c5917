"""Print showing through from the back of the sheet, left out of RapidOCR's reading.

Thin paper printed on both sides and scanned: the back's print shows through, faint and
mirrored. Tesseract's binarisation drops it with the paper; RapidOCR's detector finds it and
its recogniser reads it as letters ("AMOY" for a mirrored "YONG"). With the next document's
first page showing through every page of the data set at a fifth of its contrast
(``benchmarks/copies.py --modes showthrough``), RapidOCR's CER went from 0.03 to 0.34, the
title page's to 2.97 (one page of print, a receipt's worth of ghosts).

A line is show-through where its crop is faint (the contrast of its ink at most ``FAINT`` of
the strongest line's on the page) and it reads surer mirrored, by ``MARGIN`` and to at least
``SURE``: on those pages 651 of 687 faint lines did ("YONG" 1.00 against 0.51); faint
print does not (the faded and JPEG sets': 0.95-1.00 as it stands, 0.48-0.85 mirrored), and a page
without faint lines (every page of the data set as scanned) costs no second reading. On the
back of a sheet, blank but for the front's print, no line is print to measure against: its
lines are faint beside print's usual contrast (``show_through.PRINT_CONTRAST``). There, and on
a page whose faint lines are ``MOST``ly show-through (a back with its page number), a line that
reads as surely mirrored as it stands is show-through too, once ``MIN_GHOSTS`` are found: the
symmetric remnants ("00,001") go with the rest.

Where the back's print lies on the rows of the front's, the detector takes both for one line,
which reads with the ghost's letters at its end and without the spaces the ghost filled. A
page with ``MIN_GHOSTS`` such lines is read again with the ink as light as the ghosts' wiped
(``wipe_show_through``): now sure that it is show-through, and only there, is light ink taken
away; the faint lines that read as printed are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends.show_through import (
    FAINT,
    PRINT_CONTRAST,
    SURE,
    contrast,
    grey_of,
    mirrored,
)

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.results.document import Box

MARGIN = 0.05
"""A faint line is show-through where its mirrored reading scores this much higher, and at least
``SURE``."""
MIN_GHOSTS = 3
"""Lines of show-through on a page before it is read again with the light ink wiped."""
SAMPLE = 6
"""On a page of faint lines only, this many of its widest are read mirrored first: where none
reads at least as surely mirrored as it stands, the page is faded print and the rest are not
read mirrored; where all do, it is the back of a sheet and none of its lines is kept."""
MOST = 0.75
"""Where this share of a page's faint lines is show-through, the page is a back with a little
print (a page number) or a front seen through a back printed all over: its faint lines that
read as surely mirrored as they stand are show-through too."""
WIPE_BELOW = 15
"""Ink this many grey levels darker than the ghosts' darkest (their lines' tenth percentile)
is print and stays, with the pixels beside it (its edges)."""

Reading = tuple[str, float]


@dataclass(frozen=True)
class Ghosts:
    """What a page's faint lines turned out to be."""

    lines: frozenset[int] = frozenset()
    """The lines (by their index among the detector's) that are show-through."""
    faint: int = 0
    """Faint lines read twice."""
    ink: float = 0.0
    """The grey level of the ghosts' darkest ink."""
    kept: tuple[Box, ...] = ()
    """The faint lines that read as printed: left as they are when the ghosts are wiped."""
    back: bool = False
    """The page is the back of a sheet, blank but for the front's print: none of it is read."""

    @property
    def show_through(self) -> bool:
        """Whether the page is read again with the ghosts wiped: they lay in its print."""
        return len(self.lines) >= MIN_GHOSTS and not self.back

    @property
    def note(self) -> str:
        return f"{len(self.lines)} of {self.faint} faint lines are the back's print showing through"


def faint_crops(crops: Sequence[Any]) -> list[bool]:
    """For each crop, whether its print is faint beside the page's strongest line, or beside
    print where the strongest is faint itself."""
    contrasts = [contrast(crop) for crop in crops]
    strongest = max([*contrasts, PRINT_CONTRAST])
    return [value <= FAINT * strongest for value in contrasts]


def seen_through(as_printed: Reading, mirror_read: Reading, margin: float = MARGIN) -> bool:
    """Whether a faint line, read as it stands and mirrored (text, score), is show-through."""
    return mirror_read[1] >= max(SURE, as_printed[1] + margin)


def find_ghosts(
    read: Callable[[list[Any]], list[Reading]],
    crops: Sequence[Any],
    recognised: Mapping[int, Reading],
    boxes: Sequence[Box],
) -> Ghosts:
    """The show-through among the lines of a page: ``crops`` and ``boxes`` are every line the
    detector found, ``recognised`` the readings of those the recogniser read (by index), and
    ``read`` reads crops (the faint ones again, mirrored)."""
    import numpy as np

    faint = faint_crops(crops)
    candidates = [i for i, reading in recognised.items() if faint[i] and reading[0].strip()]
    if not candidates:
        return Ghosts()
    no_print = all(faint)
    readings: dict[int, Reading] = {}
    if no_print and len(candidates) > SAMPLE:
        # faded print or the back of a sheet: its widest lines tell which before every line
        # is read mirrored (faded print cost twice the time)
        widest = sorted(candidates, key=lambda i: crops[i].shape[1], reverse=True)[:SAMPLE]
        readings = dict(zip(widest, read([mirrored(crops[i]) for i in widest]), strict=True))
        seen = [seen_through(recognised[i], other, 0.0) for i, other in readings.items()]
        if not any(seen):
            return Ghosts(faint=len(widest))
        if all(seen):  # the back of a sheet: every line of it is the front's
            return Ghosts(frozenset(candidates), len(widest), back=True)
    rest = [index for index in candidates if index not in readings]
    readings.update(zip(rest, read([mirrored(crops[i]) for i in rest]), strict=True))
    lines = frozenset(i for i, other in readings.items() if seen_through(recognised[i], other))
    if len(lines) >= MIN_GHOSTS and (no_print or len(lines) >= MOST * len(readings)):
        # a page that is all or mostly the front's print seen through: a mirrored line the
        # recogniser read as surely as it stands (":lisM-3" 0.98, "E-Mail:" 1.00) is too
        lines = frozenset(
            i for i, other in readings.items() if seen_through(recognised[i], other, 0.0)
        )
    kept = tuple(boxes[i] for i, is_faint in enumerate(faint) if is_faint and i not in lines)
    darkest = [float(np.percentile(grey_of(crops[index]), 1)) for index in lines]
    ink = float(np.percentile(darkest, 10)) if darkest else 0.0
    return Ghosts(lines, len(candidates), ink, kept)


def wipe_show_through(image: Image.Image, ghosts: Ghosts) -> Image.Image:
    """``image`` with its ink as light as the ghosts' made paper, but for the edges of darker
    print and the faint lines that read as printed."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    from ablage_desktop.engine.preprocess.measure import grey_array, writable_pixels

    pixels, grey = writable_pixels(image), grey_array(image)
    print_ink = (grey < ghosts.ink - WIPE_BELOW).astype(np.uint8)
    beside_print = cv2.dilate(print_ink, np.ones((3, 3), np.uint8)) > 0
    wipe = ~beside_print
    for x0, y0, x1, y1 in ghosts.kept:
        wipe[y0:y1, x0:x1] = False
    pixels[wipe] = 255
    return PILImage.fromarray(pixels)
