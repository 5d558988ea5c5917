"""Cheap measurements on a reduced copy of the page that the steps share.

One grey thumbnail (at most ``WORK_SIDE`` pixels on its longest side, reduced by a whole
factor where that is enough), one Otsu binarisation and one connected-component pass give the
size of the characters (for the resolution step and the orientation window), their centres,
and the ink the deskew and line-direction tests use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

WORK_SIDE = 2000
"""Longest side of the working copy: about 170 dpi for an A4 page, enough for 6 pt text..."""
WORK_SIDE_MIN = 1500
"""...or down to this (about 130 dpi) where a whole factor reaches it: OpenCV reduces by 2, 3
or 4 in a tenth of the time it takes for 0.57 (0.6 against 10 ms for a 300 dpi A4 page)."""
BLANK_INK = 0.0002
"""Below this share of dark pixels the page holds no text: two short lines on an A4 page at
200 dpi are 0.0007 (at 0.002 they were taken for a blank page, and its orientation was not
asked), a few specks less; Otsu's split of a blank page's noise fails ``MIN_CONTRAST``."""
MIN_CONTRAST = 40
"""Grey levels between the means of Otsu's two classes below which they are both paper."""
MIN_CHAR_PX = 3
MIN_CHARS = 30
"""Fewer character-like components than this and the text height is not trusted."""
LINE_GAP = 0.8
"""Character heights between two characters of one line (a word space is about a third)."""


@dataclass(frozen=True)
class Measures:
    grey: Any
    """The working copy: a uint8 array of the page in grey, reduced by ``scale``."""
    scale: float
    """Working copy pixels per page pixel (at most 1)."""
    ink: Any
    """Boolean array, True on ink, the working copy's size."""
    paper: int
    """Grey level of the paper (a bright percentile of the page)."""
    char_heights: Any
    """Heights of the character-like components, in page pixels."""
    char_boxes: Any
    """(x, y, w, h) of the character-like components, in working copy pixels."""
    other_ink: float = 0.0
    """Share of the ink outside the character-like components: rules and logos on a page
    (at most 0.48 on the development set), a desk around a photographed sheet (0.85-0.99)."""

    @property
    def text_height(self) -> float | None:
        """Median height of the characters in page pixels, or None with too few of them."""
        return self.character_height(MIN_CHARS)

    def character_height(self, least: int) -> float | None:
        """``text_height`` from as few as ``least`` characters (the orientation step sizes
        the copy it detects lines on by the few characters of a one-line label)."""
        import numpy as np

        heights = self.char_heights
        if len(heights) < least:
            return None
        # Specks of noise and punctuation are small: a floor at a third of the tall
        # characters' height keeps them from pulling the median down.
        floor = np.percentile(heights, 90) / 3
        heights = heights[heights >= floor]
        if len(heights) < least:
            return None
        return float(np.median(heights))

    def line_text_height(self) -> float | None:
        """``text_height`` from the characters that stand beside another on their line
        (within ``LINE_GAP`` of the median height), or None with too few of them.

        Specks of dust and noise lie scattered; on a page of little text they made the
        median: a page of a few lines under dust read as 6-pixel characters, was upscaled
        twice for Tesseract, which then took six minutes over the noise. (A halftone's dots
        stand in rows and still pass.)"""
        import cv2
        import numpy as np

        height = self.text_height
        boxes = self.char_boxes
        if height is None:
            return None
        reach = max(1, round(LINE_GAP * height * self.scale))
        covered = self._covered().view(np.uint8)
        joined = cv2.dilate(covered, np.ones((1, 2 * reach + 1), np.uint8))
        _count, labels = cv2.connectedComponents(joined, connectivity=8)
        line_of = labels[boxes[:, 1] + boxes[:, 3] // 2, boxes[:, 0] + boxes[:, 2] // 2]
        members = np.bincount(line_of)
        in_line = members[line_of] >= 2
        return Measures(
            self.grey,
            self.scale,
            self.ink,
            self.paper,
            self.char_heights[in_line],
            boxes[in_line],
            self.other_ink,
        ).text_height

    def character_ink(self) -> Any:
        """The ink inside the character-like components' boxes: without a desk around a
        photographed sheet, a dark scan border, a picture."""
        return self.ink & self._covered()

    def _covered(self) -> Any:
        """True where a character-like component's box lies."""
        import numpy as np

        boxes = self.char_boxes
        if len(boxes) == 0:
            return np.zeros_like(self.ink)
        # Each box +1 at its top-left and bottom-right corners, -1 at the other two; the
        # running sums down and across are then the number of boxes over each pixel.
        corners = np.zeros((self.ink.shape[0] + 1, self.ink.shape[1] + 1), np.int32)
        x, y, w, h = boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 3]
        np.add.at(corners, (y, x), 1)
        np.add.at(corners, (y, x + w), -1)
        np.add.at(corners, (y + h, x), -1)
        np.add.at(corners, (y + h, x + w), 1)
        return corners.cumsum(axis=0).cumsum(axis=1)[:-1, :-1] > 0

    def turned(self, turns: int) -> Measures:
        """The same measures of the page turned counter-clockwise by ``turns`` quarters."""
        import numpy as np

        if turns % 4 == 0:
            return self
        grey = np.ascontiguousarray(np.rot90(self.grey, turns))
        ink = np.ascontiguousarray(np.rot90(self.ink, turns))
        heights, boxes = characters(ink, self.scale)
        return Measures(grey, self.scale, ink, self.paper, heights, boxes, self.other_ink)


def grey_array(image: Image.Image) -> np.ndarray:
    """The page as a uint8 grey array (the same luma weights as Pillow's ``convert("L")``)."""
    import cv2
    import numpy as np

    if image.mode == "L":
        return np.asarray(image)
    if image.mode == "RGB":
        return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY)
    return np.asarray(image.convert("L"))


def writable_pixels(image: Image.Image) -> np.ndarray:
    """The page as a writable uint8 array, grey or RGB (any other mode as RGB), for a step that
    paints on it and makes an image of it again."""
    import numpy as np

    return np.array(image if image.mode in ("L", "RGB") else image.convert("RGB"))


def measure(image: Image.Image) -> Measures:
    import cv2
    import numpy as np

    grey = grey_array(image)
    scale = working_scale(max(grey.shape))
    if scale < 1:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    threshold, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    ink = grey <= threshold
    # Ink share, the classes' means and the paper's level, from one histogram.
    counts = cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel()
    levels = np.arange(256, dtype=np.float64)
    cut = int(threshold) + 1
    dark, light = counts[:cut].sum(), counts[cut:].sum()
    share = dark / max(1.0, dark + light)
    blank = (
        share < BLANK_INK
        or share > 1 - BLANK_INK
        or (levels[cut:] @ counts[cut:]) / light - (levels[:cut] @ counts[:cut]) / dark
        < MIN_CONTRAST
    )
    if blank:
        ink[:] = False  # a blank page: Otsu split the paper's noise
    cumulative = counts.cumsum()
    paper = int(np.searchsorted(cumulative, 0.95 * cumulative[-1]))
    heights, boxes, text_pixels = _components(ink, scale)
    other = 0.0 if blank else 1 - text_pixels / dark  # not blank: dark > 0
    return Measures(grey, scale, ink, paper, heights, boxes, float(other))


def working_scale(side: int) -> float:
    """Working copy pixels per page pixel for a page ``side`` pixels long (its longest)."""
    if side <= WORK_SIDE:
        return 1.0
    factor = math.ceil(side / WORK_SIDE)
    if side / factor >= WORK_SIDE_MIN:
        return 1.0 / factor
    return WORK_SIDE / side


def characters(ink: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Heights (page pixels) and boxes (working copy) of the character-like components."""
    heights, boxes, _ = _components(ink, scale)
    return heights, boxes


def _components(ink: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray, int]:
    """``characters``, and how many ink pixels those components hold."""
    import cv2
    import numpy as np

    # Grana's block-based labelling (BBDT) gives the very components and numbering of
    # OpenCV's default (Spaghetti) at half its time where the statistics are wanted (6.5
    # against 12 ms a 300-dpi page on one core; the page threads leave no second one).
    _count, _labels, stats, _centres = cv2.connectedComponentsWithStatsWithAlgorithm(
        ink.view(np.uint8), 8, cv2.CV_32S, cv2.CCL_BBDT
    )
    stats = stats[1:]
    w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
    limit = max(MIN_CHAR_PX + 1, 0.05 * max(ink.shape))
    chars = (h >= MIN_CHAR_PX) & (h <= limit) & (w <= 4 * h) & (area >= 0.15 * w * h)
    return h[chars].astype(np.float64) / scale, stats[chars, :4], int(area[chars].sum())
