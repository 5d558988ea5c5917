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
without faint lines (every page of the data set as scanned) costs no second reading.

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

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.results.document import Box

FAINT = 0.4
"""A crop is faint with at most this share of the strongest crop's contrast: show-through has
a fifth or less of the print's, a faded receipt's print a third or more of its darkest line's."""
MARGIN = 0.05
"""A faint line is show-through where its mirrored reading scores this much higher..."""
SURE = 0.7
"""...and at least this: symmetric text ("00.01" read 0.98 as it stands, 0.99 mirrored) stays."""
MIN_GHOSTS = 3
"""Lines of show-through on a page before it is read again with the light ink wiped."""
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

    @property
    def show_through(self) -> bool:
        return len(self.lines) >= MIN_GHOSTS

    @property
    def note(self) -> str:
        return f"{len(self.lines)} of {self.faint} faint lines are the back's print showing through"


def grey_of(crop: Any) -> Any:
    return crop.mean(axis=2) if crop.ndim == 3 else crop


def contrast(crop: Any) -> float:
    """Grey levels between the crop's ink (its darkest percent) and its paper (the 90th
    percentile)."""
    import numpy as np

    ink, paper = np.percentile(grey_of(crop), [1, 90])
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


def seen_through(as_printed: Reading, mirror_read: Reading) -> bool:
    """Whether a faint line, read as it stands and mirrored (text, score), is show-through."""
    return mirror_read[1] >= max(SURE, as_printed[1] + MARGIN)


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
    again = read([mirrored(crops[index]) for index in candidates])
    lines = frozenset(
        index
        for index, other in zip(candidates, again, strict=True)
        if seen_through(recognised[index], other)
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
