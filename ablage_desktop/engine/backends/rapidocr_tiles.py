"""A long receipt read by RapidOCR in tiles along its length; a page of one small line read
around its ink (``detect_around_ink``), as is print beside the few lines found on a page
(``detect_beside``).

RapidOCR scales a page so that its longest side is at most 2,000 pixels before its detector
looks at it, and cuts the lines for its recogniser from that reduced page. A supermarket
receipt is ten times as long as it is wide: scanned at 300 dpi, 900 x 11,000 pixels became
164 x 2,000, its print four pixels high, and RapidOCR found not one line (`auto` then read it
with Tesseract alone). A page longer than ``MAX_ASPECT`` times its width that RapidOCR would
reduce to less than ``MIN_REDUCTION`` is detected in tiles of ``TILE_ASPECT`` times its width,
overlapping by ``OVERLAP`` of it; each line is kept from the tile whose own stretch (up to the
middle of each overlap) holds its centre, where it lies whole as long as it is no taller than
half the overlap. A receipt RapidOCR reduces less reads as well whole, and better: the data
set's two receipts of 3,100 and 2,450 pixels read worse in tiles (CER 0.082 -> 0.092 and 0.021
-> 0.026), where its detector at full size split their lines into words.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ablage_desktop.engine.preprocess.geometry import mostly_within

MAX_ASPECT = 2.5
"""Pages up to this many times as long as wide are detected whole (A4 is 1.41)..."""
RAPIDOCR_SIDE = 2000
MIN_REDUCTION = 0.5
"""...and pages RapidOCR reduces to its RAPIDOCR_SIDE by no more than MIN_REDUCTION (drawn
receipts 900 pixels wide: recall 1.0 whole up to 4,000 pixels long, 0.986 at 5,000, 0.533 at
6,000; 1.0 in tiles)."""
TILE_ASPECT = 1.5
"""A tile is this many times as long as the page is wide: within RapidOCR's 2,000 pixels for
a receipt scanned at up to 1,300 pixels wide, so that it is not reduced."""
OVERLAP = 0.3
"""Tiles overlap by this share of the page's width (a 80 mm receipt at 300 dpi: 280 pixels,
six lines of its print)."""


@dataclass(frozen=True)
class Tile:
    start: int
    """Where the tile begins along the page's length."""
    length: int
    keep_from: float
    keep_to: float
    """The stretch along the length whose lines this tile gives."""


def tiles(length: int, width: int) -> list[Tile]:
    """Overlapping tiles along a page ``length`` long and ``width`` wide; one for a page not
    longer than MAX_ASPECT times its width or that RapidOCR reduces by less than half."""
    if length <= MAX_ASPECT * width or RAPIDOCR_SIDE / length >= MIN_REDUCTION:
        return [Tile(0, length, 0.0, float(length))]
    size = round(TILE_ASPECT * width)
    step = size - round(OVERLAP * width)
    starts = [*range(0, length - size, step), length - size]
    middles = [(after + before + size) / 2 for before, after in itertools.pairwise(starts)]
    bounds = [0.0, *middles, float(length)]
    return [Tile(start, size, bounds[n], bounds[n + 1]) for n, start in enumerate(starts)]


def detect_in_tiles(
    detect: Callable[[Any], list[tuple[Any, Any]]], image: Any
) -> list[tuple[Any, Any]]:
    """``detect``'s four-point boxes and crops over the whole ``image`` (a Pillow image), tile
    by tile where it is long, the boxes on the page."""
    tall = image.height >= image.width
    length, width = (image.height, image.width) if tall else (image.width, image.height)
    found: list[tuple[Any, Any]] = []
    for tile in tiles(length, width):
        if tile.start == 0 and tile.length == length:
            return detect(image)
        end = tile.start + tile.length
        box = (0, tile.start, width, end) if tall else (tile.start, 0, end, width)
        axis = 1 if tall else 0
        for quad, crop in detect(image.crop(box)):
            placed = quad.copy()
            placed[:, axis] += tile.start
            centre = float(placed[:, axis].mean())
            if tile.keep_from <= centre < tile.keep_to:
                found.append((placed, crop))
    return found


INK_MARGIN = 0.03
"""The region around a page's ink detected again is widened by this share of the page's
longer side on every side."""
INK_DARKER = 100
"""Grey levels below the page's paper (its 90th percentile) at which a pixel is ink (print, not
the back's print showing through, 40-60 below)."""


FEW_LINES = 3
"""A page where the detector found no more lines than this is looked at for print it left out
(``detect_beside``)."""


def detect_around_ink(
    detect: Callable[[Any], list[tuple[Any, Any]]], image: Any
) -> list[tuple[Any, Any]]:
    """``detect`` on the region of ``image`` that holds its ink, the boxes on the page: for a
    page where the whole found nothing. RapidOCR, as the library does on its own, found no line
    on an A4 page at 300 dpi holding one small line ("Seite 2 von 2", 39 pixels high, on the
    page reduced to 1,984 pixels long), and finds it in a strip of the page around it."""
    return _detect_in_region(detect, image, _ink(image))


def detect_beside(
    detect: Callable[[Any], list[tuple[Any, Any]]], image: Any, found: list[tuple[Any, Any]]
) -> list[tuple[Any, Any]]:
    """``detect`` around the ink that no line of ``found`` covers, on a page where the whole
    found ``FEW_LINES`` or fewer: the lines it finds there, the boxes on the page. On a duplex
    scan's back the detector found a remnant of the front's print showing through, and not
    the page number alone at its foot."""
    import numpy as np

    if not found or len(found) > FEW_LINES:
        return []
    ink = _ink(image)
    boxes = [_bounds(quad) for quad, _crop in found]
    for left, top, right, bottom in boxes:
        ink[
            max(0, int(top)) : int(np.ceil(bottom)) + 1, max(0, int(left)) : int(np.ceil(right)) + 1
        ] = False
    beside = _detect_in_region(detect, image, ink)
    return [
        line for line in beside if not any(mostly_within(_bounds(line[0]), box) for box in boxes)
    ]


def _bounds(quad: Any) -> tuple[float, float, float, float]:
    (left, top), (right, bottom) = quad.min(axis=0), quad.max(axis=0)
    return float(left), float(top), float(right), float(bottom)


def _ink(image: Any) -> Any:
    """Where ``image`` holds print: ``INK_DARKER`` below its paper."""
    import numpy as np

    grey = np.asarray(image.convert("L"))
    paper = float(np.percentile(grey[::4, ::4], 90))
    return grey < paper - INK_DARKER


def _detect_in_region(
    detect: Callable[[Any], list[tuple[Any, Any]]], image: Any, ink: Any
) -> list[tuple[Any, Any]]:
    """``detect`` on the region of ``image`` around ``ink``, the boxes on the page; nothing
    where ``ink`` is empty or spreads over half the page (the detector saw it whole)."""
    import numpy as np

    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return []
    margin = round(INK_MARGIN * max(image.size))
    left, top = max(0, int(columns[0]) - margin), max(0, int(rows[0]) - margin)
    right = min(image.width, int(columns[-1]) + 1 + margin)
    bottom = min(image.height, int(rows[-1]) + 1 + margin)
    if (right - left) * (bottom - top) > 0.5 * image.width * image.height:
        return []
    found = []
    for quad, crop in detect(image.crop((left, top, right, bottom))):
        placed = quad.copy()
        placed[:, 0] += left
        placed[:, 1] += top
        found.append((placed, crop))
    return found
