"""A cheap look at a page before choosing an engine: ink, ruled tables, photo or scan, size.

It runs on a thumbnail (about 1000 pixels wide) in a few milliseconds, so the router can call
it on every page. "complex" pages (tables, photos, dense print) go to the strongest engines
first; "simple" ones to the fast ones; "unknown" (blank, tiny) to the safe default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PIL import Image

Complexity = Literal["simple", "complex", "unknown"]

THUMBNAIL_SIDE = 1000
MIN_SIDE = 32
BLANK_INK = 0.002
PAPER_MIN = 190
"""Pixels this light are paper whatever Otsu says: the noise of a blank scan is not ink."""
DENSE_INK = 0.15
PHOTO_MIDTONES = 0.35
RULE_SHARE = 0.5
"""A row (column) that is dark over this share of the page width (height) is a ruled line..."""
RULE_RUN = 0.25
"""...when one unbroken stretch of it covers this share: a line of dense print is broken by
every space between its words."""
TABLE_RULES = 4
LINE_WORDS = 3
"""Marks of one height side by side (words, or letters) from which a page of little ink holds
a line of print: a page number alone on an A4 page is 0.0004 of it, below ``BLANK_INK``, and
a page taken for blank is not read again by another engine where the first read nothing."""
WORD_HEIGHT = (4, 60)
"""Thumbnail pixels a mark of such a line is high (specks of noise are smaller)."""


@dataclass(frozen=True, slots=True)
class PageAnalysis:
    complexity: Complexity
    ink: float
    """Share of dark pixels."""
    midtones: float
    """Share of pixels neither paper nor ink: high on photos, low on scans of print."""
    rules: int
    """Horizontal plus vertical ruled lines found."""
    width: int
    height: int
    reason: str
    line_of_print: bool = False
    """A page of less ink than ``BLANK_INK`` that holds a line of print all the same."""

    @property
    def has_ink(self) -> bool:
        return self.ink >= BLANK_INK or self.line_of_print


def analyze_page(image: Image.Image) -> PageAnalysis:
    import numpy as np

    width, height = image.size
    if min(width, height) < MIN_SIDE:
        return PageAnalysis("unknown", 0.0, 0.0, 0, width, height, f"tiny image {width}x{height}")
    grey = image if image.mode == "L" else image.convert("L")  # converting copies (5 ms)
    scale = THUMBNAIL_SIDE / max(width, height)
    if scale < 1:
        # A minimum filter first keeps thin rules and strokes dark when shrinking.
        grey = Image.fromarray(_min3(np.asarray(grey))).resize(
            (max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.BOX
        )
    pixels = np.asarray(grey)
    threshold = min(_otsu(np.bincount(pixels.ravel(), minlength=256)), PAPER_MIN)
    dark = pixels < threshold
    ink = float(dark.mean())
    midtones = float(((pixels > 60) & (pixels < 190)).mean())
    rules = _count_rules(dark) + _count_rules(dark.T)
    line_of_print = ink < BLANK_INK and _holds_a_line(dark)
    if ink < BLANK_INK and not line_of_print:
        complexity: Complexity = "unknown"
        reason = "blank page"
    elif line_of_print:
        complexity, reason = "simple", f"a line or two of print ({ink:.2%} ink)"
    elif midtones > PHOTO_MIDTONES:
        complexity, reason = "complex", f"photo-like ({midtones:.0%} mid-tones)"
    elif rules >= TABLE_RULES:
        complexity, reason = "complex", f"table ({rules} ruled lines)"
    elif ink > DENSE_INK:
        complexity, reason = "complex", f"dense print ({ink:.0%} ink)"
    else:
        complexity, reason = "simple", f"clean print ({ink:.0%} ink, {rules} ruled lines)"
    return PageAnalysis(complexity, ink, midtones, rules, width, height, reason, line_of_print)


def _holds_a_line(dark: object) -> bool:
    """Whether ``LINE_WORDS`` marks of one height stand side by side on one row of ``dark``,
    each within two heights of the next."""
    import cv2
    import numpy as np

    _count, _labels, stats, centres = cv2.connectedComponentsWithStats(
        np.asarray(dark).view(np.uint8), connectivity=8
    )
    x, w, h = stats[1:, 0], stats[1:, 2], stats[1:, 3]
    middle = centres[1:, 1]
    marks = np.flatnonzero((h >= WORD_HEIGHT[0]) & (h <= WORD_HEIGHT[1]))
    for mark in marks.tolist():
        tall = h[mark]
        row = marks[
            (np.abs(middle[marks] - middle[mark]) <= tall / 2)
            & (h[marks] * 2 >= tall)
            & (h[marks] <= 2 * tall)
        ]
        row = row[np.argsort(x[row])]
        gaps = x[row][1:] - (x[row] + w[row])[:-1]
        run = longest = 1
        for near in (gaps <= 2 * tall).tolist():
            run = run + 1 if near else 1
            longest = max(longest, run)
        if longest >= LINE_WORDS:
            return True
    return False


def _min3(pixels: object) -> object:
    """The 3x3 minimum of a grey image, edges repeated (Pillow's MinFilter(3) took 0.2-0.6 s
    a page; numpy's shifted minimums 14 ms, OpenCV's erosion 10)."""
    import cv2
    import numpy as np

    square = np.ones((3, 3), np.uint8)
    return cv2.erode(np.asarray(pixels), square, borderType=cv2.BORDER_REPLICATE)


def _otsu(histogram: object) -> int:
    """The grey level that best splits the histogram into paper and ink (Otsu's method)."""
    import numpy as np

    counts = np.asarray(histogram, dtype=np.float64)
    total = counts.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight_low = np.cumsum(counts)
    weight_high = total - weight_low
    mean_low_sum = np.cumsum(counts * levels)
    mean_total = mean_low_sum[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_low = mean_low_sum / weight_low
        mean_high = (mean_total - mean_low_sum) / weight_high
        between = weight_low * weight_high * (mean_low - mean_high) ** 2
    between = np.nan_to_num(between)
    return int(np.argmax(between)) + 1


def _count_rules(dark: object) -> int:
    """Runs of consecutive rows that are ruled lines (see ``RULE_SHARE``): one per line."""
    import numpy as np

    dark = np.asarray(dark)
    lines = dark.mean(axis=1) >= RULE_SHARE
    for row in np.flatnonzero(lines):
        edges = np.flatnonzero(np.diff(dark[row], prepend=False, append=False))
        if (edges[1::2] - edges[::2]).max() < RULE_RUN * dark.shape[1]:
            lines[row] = False
    if not lines.any():
        return 0
    starts = np.flatnonzero(lines[1:] & ~lines[:-1]).size + int(lines[0])
    return int(starts)
