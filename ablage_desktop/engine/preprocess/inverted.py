"""Print in reverse video, light on a dark band, turned dark on light before the page is read.

Table heads, letterhead bars and section titles are printed white on a dark grey, navy or red
band. Tesseract binarises the band as one dark block and reads nothing or noise there, and
the reading order breaks around it; RapidOCR reads most such lines, but not all (on the data
set with every fourth line of print in reverse video, ``benchmarks/copies.py --modes
inverted``, Tesseract's CER went from 0.102 to 0.211, `auto`'s from 0.032 to 0.047).

A band is a region where the page's ink (the working copy's Otsu split) is ``DENSE``, at
least ``MIN_HEIGHT`` characters tall and ``MIN_WIDTH`` wide, covering at most ``MAX_AREA`` of
the page; its outline is its ink with the holes filled, less what a square a character high
does not fit in (the letters of the lines above and below that touch it, a rule). The outline
must be a rectangle, turned as it may lie (``MIN_RECTANGULAR``), filled with ink
(``MIN_FILL``) of one colour (``MAX_SPREAD``) and hold light letters (``MIN_HOLES``,
``MIN_CHARACTERS``, a few of one size: ``FEW``): characters are smaller, a bold word's letters
run together have only their counters for holes and a ragged outline, a logo's block capitals
counters of several sizes, a table's rules and frames fill little, a
solid bar holds nothing to read, a stamp over print is of two inks, and a dark desk around a
photographed sheet is most of the photo. Inside the outline, its edge found again on the page
itself, the page is stretched, in grey, from the band's colour (to white) to its print's (to
black); the rest is left as it is, and every box stays where it was. Only inverted, a navy band
became a light yellow one, which the stage then took for the uneven paper of a photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures

DENSE = 0.5
"""The ink covers at least this share of the square a character high around each pixel of a
band (print and a scan's thin rules and edges cover less): found so, a band touching a
table's rule or the dark edge of a receipt's scan is one all the same."""
MIN_HEIGHT = 1.5
"""Character heights (a line of print and its margins)."""
MIN_WIDTH = 3.0
MAX_AREA = 0.35
MIN_RECTANGULAR = 0.85
"""Of the smallest rectangle around the outline (a bold underlined word at 100 dpi, blurred,
is one component with its letters' gaps for holes, but its letters' tops leave it ragged:
0.70)."""
MIN_FILL = 0.55
"""Of that rectangle, the ink (the bands of ``copies.py``: 0.74-0.96)."""
MAX_SPREAD = 40
"""Grey levels between the quartiles of the band's ink (the bands of ``copies.py``: at most
11; a red stamp's letters over a receipt's purple print, dense enough to be taken for a band:
100)."""
MIN_HOLES = 0.005
"""Of the outline, its holes (a label's few letters in a band across the page: 0.01-0.02)..."""
MIN_CHARACTERS = 3
"""...of which this many are letters: at least ``CHARACTER`` of the characters' height tall
and ``LETTER_WIDTH`` of their own height wide (a logo of bold capitals, the data set's
"INBIFO", has for holes the slits between its letters and a few counters)."""
CHARACTER = 0.6
LETTER_WIDTH = 0.3
FEW = 6
ONE_SIZE = 1.5
"""Fewer letters than FEW (a label's) are of one size: the tallest at most ONE_SIZE times the
shortest. The counters of a logo's block capitals are not (the fax cover's "INBIFO", faxed in
normal mode and read as stated square: three holes of 9, 15 and 17 pixels)."""
NEAR = 3
"""Page pixels either side of a band's edge as the working copy places it, where the page
itself says where the band ends."""


@dataclass(frozen=True)
class Band:
    """A dark band on the working copy: its box and its outline (holes filled) there."""

    x: int
    y: int
    outline: Any
    """Boolean array of the box's size."""


def invert_bands(image: Image.Image, measures: Measures) -> tuple[Image.Image, str] | None:
    """``image`` with its reverse-video bands turned dark on light and a note saying so, or
    None where it has none."""
    bands = find_bands(measures)
    if not bands:
        return None
    return turn_bands(image, bands, measures.scale), f"{len(bands)} reverse-video bands inverted"


def find_bands(measures: Measures) -> list[Band]:
    """The dark bands holding light print on the working copy."""
    import cv2
    import numpy as np

    height = measures.text_height
    if height is None:
        return []
    height *= measures.scale
    ink = measures.ink
    size = max(3, round(height) | 1)
    dense = cv2.blur(ink.astype(np.float32), (size, size)) >= DENSE
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dense.astype(np.uint8), None, 8)
    page = ink.shape[0] * ink.shape[1]
    bands = []
    grow = np.ones((size, size), np.uint8)
    for label in range(1, count):
        x, y, w, h, _ = (int(value) for value in stats[label])
        if h < MIN_HEIGHT * height or w < MIN_WIDTH * height or w * h > MAX_AREA * page:
            continue
        # the band's own ink, all of it (the dense region's edge runs inside the band where a
        # letter comes near it), but not the letters of the lines above and below that touch
        # it, nor a rule: what a square a character high does not fit in
        x, y = max(0, x - size), max(0, y - size)
        box = (slice(y, y + h + 2 * size), slice(x, x + w + 2 * size))
        near = cv2.dilate((labels[box] == label).astype(np.uint8), grow) > 0
        body = _filled(ink[box] & near).astype(np.uint8)
        outline = cv2.morphologyEx(body, cv2.MORPH_OPEN, grow) > 0
        if not outline.any():
            continue
        inked = ink[box] & outline
        rectangle = _rectangle(outline)
        if inked.sum() < MIN_FILL * rectangle or outline.sum() < MIN_RECTANGULAR * rectangle:
            continue
        low, high = np.percentile(measures.grey[box][inked], [25, 75])
        if high - low > MAX_SPREAD:
            continue
        if _holds_characters(outline & ~inked, outline.sum(), height):
            bands.append(Band(x, y, outline))
    return bands


def _rectangle(outline: Any) -> float:
    """The area of the smallest rectangle around ``outline``, turned as it lies."""
    import cv2
    import numpy as np

    points = cv2.findNonZero(outline.astype(np.uint8))
    _, (width, height), _ = cv2.minAreaRect(points)
    return float((width + 1) * (height + 1))


def _holds_characters(holes: Any, outline: int, height: float) -> bool:
    """Whether a band's ``holes`` (in an ``outline`` of that many pixels) are light print."""
    import cv2
    import numpy as np

    if holes.sum() < MIN_HOLES * outline:
        return False
    _, _, stats, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), connectivity=8)
    tall = stats[1:, cv2.CC_STAT_HEIGHT]
    wide = stats[1:, cv2.CC_STAT_WIDTH]
    letters = tall[(tall >= CHARACTER * height) & (wide >= LETTER_WIDTH * tall)]
    if len(letters) < MIN_CHARACTERS:
        return False
    return len(letters) >= FEW or letters.max() <= ONE_SIZE * letters.min()


def _filled(mask: Any) -> Any:
    """``mask`` with its holes (what no path from its box's edge reaches) filled."""
    import cv2
    import numpy as np

    outside = np.pad(~mask, 1, constant_values=True).astype(np.uint8)
    cv2.floodFill(outside, None, (0, 0), 2)
    return outside[1:-1, 1:-1] != 2


def turn_bands(image: Image.Image, bands: list[Band], scale: float) -> Image.Image:
    """``image`` with each band (``scale``: working copy pixels per page pixel) stretched in
    grey and inverted: the band's colour white, its print's black. The working copy places a
    band's edge only roughly: on the page the band is what is darker than halfway between its
    colour and its print's within ``NEAR`` pixels of that, with its holes."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    from ablage_desktop.engine.preprocess.measure import grey_array, writable_pixels

    pixels, grey = writable_pixels(image), grey_array(image)
    page_height, page_width = grey.shape
    near = np.ones((2 * NEAR + 1, 2 * NEAR + 1), np.uint8)
    for band in bands:
        x0, y0 = round(band.x / scale), round(band.y / scale)
        x1 = min(page_width, round((band.x + band.outline.shape[1]) / scale))
        y1 = min(page_height, round((band.y + band.outline.shape[0]) / scale))
        left, top = max(0, x0 - NEAR), max(0, y0 - NEAR)
        right, bottom = min(page_width, x1 + NEAR), min(page_height, y1 + NEAR)
        rough = np.zeros((bottom - top, right - left), np.uint8)
        placed = cv2.resize(band.outline.astype(np.uint8), (x1 - x0, y1 - y0), cv2.INTER_NEAREST)
        rough[y0 - top : y1 - top, x0 - left : x1 - left] = placed
        inside = cv2.erode(rough, near) > 0
        if not inside.any():
            continue
        area = grey[top:bottom, left:right]
        band_level, print_level = np.percentile(area[inside], [25, 98])
        dark = (area < (band_level + print_level) / 2) & (cv2.dilate(rough, near) > 0)
        exact = _filled(dark | inside)  # and a letter's tail that reaches the band's edge
        share = (area[exact].astype(np.float32) - band_level) / max(1.0, print_level - band_level)
        turned = (255.0 * (1.0 - share)).clip(0, 255).astype(np.uint8)
        region = pixels[top:bottom, left:right]
        region[exact] = turned if region.ndim == 2 else turned[:, None]
    return PILImage.fromarray(pixels)
