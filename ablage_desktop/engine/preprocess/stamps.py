"""Coloured stamps over the print, lifted off it before the page is read and read on their own.

An office stamps what it receives ("Eingegangen 12.03.2026"), pays ("BEZAHLT") or books, in
red, blue or violet ink and often across the typed lines. In grey the stamp's ink is as dark
as the print, and both are read as one tangle: on the data set with a red stamp over the
middle of each page, `auto` found 0.878 of the words against 0.914 unstamped
(``benchmarks/copies.py --modes stamped``). Ink on paper darkens what is under it channel by
channel, so a stamp's own brightest channel (red for a red stamp) shows the print under it
almost as without the stamp: there the page is given that channel, scaled so that the stamp's
bare ink becomes paper. The stamp's ink alone, dark on white, is kept as a ``Stamp`` for the
engine to read apart (``models/stamp_reading.py``), so that its words are not lost.

Only coloured ink that lies over print is lifted: a coloured logo, heading, link or line
beside the print is read as printed. Found on a copy at most ``WORKING_SIDE`` pixels long:
coloured ink is strongly coloured (its channels ``COLOUR`` apart, the darkest at most
``COLOUR_DARK``), print is grey or black (channels within ``NEUTRAL``, darker than ``PRINT``);
a region of coloured ink (joined across two characters' heights) is a stamp over print where
print touches its ink (where the stamp's strokes cross the print's) in ``TOUCH`` of its
coloured pixels, and its ink is one ink.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ablage_desktop.engine.preprocess import geometry
from ablage_desktop.engine.preprocess.deskew import estimate_skew
from ablage_desktop.engine.preprocess.stamp_frames import cleaned

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from ablage_desktop.engine.preprocess.geometry import Matrix

WORKING_SIDE = 1000
"""The copy regions are found on is at most this long."""
COLOUR = 80
"""Coloured ink: its brightest and darkest channels at least this far apart..."""
COLOUR_DARK = 170
"""...and its darkest channel at most this (a light tint of the paper is not ink)."""
NEUTRAL = 40
PRINT = 110
"""Print: channels within NEUTRAL of each other and the brightest below PRINT."""
MIN_SHARE = 0.0005
"""Pages with less coloured ink than this share of their pixels are left at once."""
MIN_INK = 150
"""A region holds at least this many coloured pixels of the working copy (smaller: a tick, a
coloured full stop, a logo's dot)..."""
TOUCH = 0.005
MIN_TOUCH = 20
"""...and print touching its ink (within a pixel of the working copy) at TOUCH of them and
MIN_TOUCH pixels or more: a stamp crossing the print's strokes (on the stamped data set 36-474
pixels, 1.3-12 % of its ink), not blue links or red words inline on nearby lines, whose box
holds print but whose ink keeps a space's width from it (none)."""
JOIN = 2.0
"""Coloured ink within this many characters' heights is one region (a stamp's letters and
frame)."""
HUE = 30.0
ONE_INK = 0.8
"""A stamp or a highlighter's mark is one ink: this share of its coloured pixels within HUE
degrees of their mean hue (a colour photo or chart among the print is many)."""
MAX_HEIGHT = 0.45
"""A stamp or a highlighter's mark is at most this share of the page high: a form printed in
colour, whose labels and grid the typed entries cross, is one region down the page, and lifted
its labels would leave their values (not its width: a stamp spans most of a receipt's)."""
MAX_WIDTH = 45.0
"""A stamp is at most this many characters' heights wide (the data set's stamps, large as
they are, 25-38; a receipt's stamp spans most of its width): a table's grid and header in
colour, which the cells' print touches, is wider and stays as printed (lifted, its header
would be read after the page)."""
FILLED = 0.5
HIGHLIGHTER = 235
"""A region whose ink covers FILLED of its box, or whose ink's brightest channel is this bright
(a highlighter's ink is clear in one channel, a stamp pad's absorbs in all), is a highlighter's
mark, not a stamp: lifted off the print (the print reads better without it) but not read apart
(its ink alone is the print's letters in negative)."""
LIFT = 30
"""At full resolution, pixels of a stamp's region whose channels are this far apart are its
ink (or print seen through it) and get the stamp's brightest channel."""
STAMP_CONTRAST = 40
THROUGH = 0.75
"""A stamp's ink alone is drawn where its darkest channel lies STAMP_CONTRAST below its
brightest and that is at least THROUGH of its bare ink's (darker: print seen through it)."""
STAMP_ANGLE = 30.0
MIN_ANGLE = 1.0
"""A stamp's ink alone is straightened where it stands askew by this many degrees or more, up
to STAMP_ANGLE either way (a stamp is pressed on by hand: Tesseract read "BEZAHLT" turned
by 8 degrees as "SEZAHLT")."""


@dataclass(frozen=True)
class Stamp:
    """A stamp's ink alone, dark on white and straightened, and the way back from it to the
    page the step saw."""

    image: Image.Image
    back: Matrix


@dataclass(frozen=True)
class Lifted:
    page: Image.Image
    """The page with each stamp's ink lifted off the print."""
    stamps: tuple[Stamp, ...]
    note: str


def lift_stamps(image: Image.Image, text_height: float | None) -> Lifted | None:
    """The page with coloured stamps lifted off its print, and the stamps; None where no
    coloured ink lies over print (or the page has no colour)."""
    if image.mode != "RGB":
        return None
    import numpy as np

    pixels = np.asarray(image)
    step = max(1, -(-max(image.size) // WORKING_SIDE))
    high, low = _brightest_and_darkest(pixels[::step, ::step])
    colour = (high - low >= COLOUR) & (low <= COLOUR_DARK)
    if colour.mean() < MIN_SHARE:
        return None
    print_ink = (high - low < NEUTRAL) & (high < PRINT)
    regions = _regions_over_print(
        colour, print_ink, high, pixels[::step, ::step], (text_height or 30) / step
    )
    if not regions:
        return None
    lifted = pixels.copy()
    stamps = []
    margin = 2 * step  # the working copy's stride may miss a stamp's outermost pixels
    for x0, y0, x1, y1, marked in regions:
        box = (
            max(0, x0 * step - margin),
            max(0, y0 * step - margin),
            min(image.width, x1 * step + margin),
            min(image.height, y1 * step + margin),
        )
        stamp = _lift(lifted, box, keep=not marked)
        if stamp is not None:
            stamps.append(stamp)
    from PIL import Image as PILImage

    marks = len(regions) - len(stamps)
    kinds = [f"{len(stamps)} coloured stamp(s)"] if stamps else []
    kinds += [f"{marks} highlighter mark(s)"] if marks else []
    return Lifted(
        PILImage.fromarray(lifted), tuple(stamps), f"{' and '.join(kinds)} lifted off the print"
    )


def _regions_over_print(
    colour: np.ndarray,
    print_ink: np.ndarray,
    brightest: np.ndarray,
    small: np.ndarray,
    join: float,
) -> list[tuple[int, int, int, int, bool]]:
    """Boxes (working copy pixels, right and bottom exclusive) of the coloured regions that
    lie over print, each with whether it is a highlighter's mark; ``join``: the characters'
    height in working copy pixels."""
    import cv2
    import numpy as np

    size = max(3, round(JOIN * join) | 1)
    joined = cv2.dilate(colour.astype(np.uint8), np.ones((size, size), np.uint8))
    count, labels = cv2.connectedComponents(joined, connectivity=8)
    coloured = np.bincount(labels[colour], minlength=count)
    near = cv2.dilate(colour.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    touched = np.bincount(labels[print_ink & near], minlength=count)
    inked = np.flatnonzero(colour)
    owner = labels.flat[inked]
    rows, columns = np.divmod(inked, colour.shape[1])
    tops, lefts = np.full(count, colour.shape[0]), np.full(count, colour.shape[1])
    bottoms, rights = np.zeros(count, int), np.zeros(count, int)
    np.minimum.at(tops, owner, rows)
    np.minimum.at(lefts, owner, columns)
    np.maximum.at(bottoms, owner, rows + 1)
    np.maximum.at(rights, owner, columns + 1)
    regions = []
    hue = None  # only for a region over print: most colour pages have none
    for label in range(1, count):
        if coloured[label] < MIN_INK:
            continue
        x0, y0 = int(lefts[label]), int(tops[label])
        x1, y1 = int(rights[label]), int(bottoms[label])
        if touched[label] < max(MIN_TOUCH, TOUCH * coloured[label]):
            continue
        if y1 - y0 > MAX_HEIGHT * colour.shape[0]:
            continue  # a coloured form's labels and grid, a tinted sheet: printed so
        hue = _hue(small) if hue is None else hue
        inside = colour[y0:y1, x0:x1] & (labels[y0:y1, x0:x1] == label)
        if not _one_ink(hue[y0:y1, x0:x1][inside]):
            continue  # a colour photo, a chart: not an ink pressed or drawn on the print
        filled = coloured[label] >= FILLED * (x1 - x0) * (y1 - y0)
        bare = float(np.median(brightest[y0:y1, x0:x1][colour[y0:y1, x0:x1]]))
        marked = filled or bare >= HIGHLIGHTER
        if not marked and x1 - x0 > MAX_WIDTH * join:
            continue  # a table's coloured grid and header, which the cells' print touches
        regions.append((x0, y0, x1, y1, marked))
    return regions


def _lift(pixels: np.ndarray, box: tuple[int, int, int, int], keep: bool) -> Stamp | None:
    """The stamp in ``box`` lifted off ``pixels`` (in place), and with ``keep`` its ink
    alone, level, without its frame (``stamp_frames``)."""
    import numpy as np
    from PIL import Image as PILImage

    x0, y0, x1, y1 = box
    region = pixels[y0:y1, x0:x1]
    high, low = _brightest_and_darkest(region)
    spread = high - low
    strong = (spread >= COLOUR) & (low <= COLOUR_DARK)
    bare = float(np.median(high[strong])) if strong.any() else 255.0
    seen = np.clip(high.astype(np.float32) * (255.0 / max(bare, 1.0)), 0, 255).astype(np.uint8)
    inked = spread >= LIFT
    region[inked] = seen[inked, None]
    if not keep:
        return None
    alone = np.full(high.shape, 255, np.uint8)
    # The stamp's own ink: coloured and as bright as its bare ink in its brightest channel;
    # darker there, it is print seen through the stamp.
    mark = (spread >= STAMP_CONTRAST) & (high >= THROUGH * bare)
    alone[mark] = low[mark]
    image, straightening = _straightened(alone)
    image = PILImage.fromarray(cleaned(np.asarray(image)))
    return Stamp(image, geometry.compose((1.0, 0.0, x0, 0.0, 1.0, y0), straightening))


def _straightened(alone: np.ndarray) -> tuple[Image.Image, Matrix]:
    """The stamp's ink turned level, and the way back to it as it lay."""
    from PIL import Image as PILImage

    image = PILImage.fromarray(alone)
    skew = estimate_skew(alone < 128, STAMP_ANGLE, coarse_share=1)  # all of a word's ink
    if skew is None or skew.at_limit or abs(skew.angle) < MIN_ANGLE:
        return image, geometry.IDENTITY
    warp, width, height = geometry.rotate_and_scale(-skew.angle, 1.0, image.width, image.height)
    level = geometry.warp_image(image, warp, width, height, 255, upscale=False)
    return level, geometry.invert(warp)


def _hue(pixels: np.ndarray) -> np.ndarray:
    """Each pixel's hue in radians."""
    import cv2
    import numpy as np

    hsv = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2HSV)
    return hsv[..., 0].astype(np.float32) * np.float32(np.pi / 90)  # OpenCV's hue: 0-179


def _one_ink(hues: np.ndarray) -> bool:
    """Whether ONE_INK of ``hues`` lie within HUE of their (circular) mean."""
    import numpy as np

    if not len(hues):
        return False
    mean = np.arctan2(np.sin(hues).mean(), np.cos(hues).mean())
    apart = np.abs(np.angle(np.exp(1j * (hues - mean))))
    return bool((apart <= np.radians(HUE)).mean() >= ONE_INK)


def _brightest_and_darkest(pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's brightest and darkest channel (uint8, no wider copy of the page)."""
    import numpy as np

    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return np.maximum(np.maximum(red, green), blue), np.minimum(np.minimum(red, green), blue)
