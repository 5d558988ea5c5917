"""A photographed sheet: where the paper lies in the photo, and the photo flattened to it.

A phone photo of a letter shows the sheet in perspective on a darker desk. Read as it lies,
the desk is what the measurements see first: Otsu's threshold takes the desk for ink, the
deskew step lines up the sheet's edge instead of its text lines (7° on a sheet whose lines lie
level), and Tesseract reads nothing at all. Here the sheet is found as the largest bright
region with four corners, and the photo is warped so that the sheet fills an upright
rectangle; boxes read on it map back through the inverse of that warp.

Careful, as every step: a region is taken for the sheet only where it is clearly brighter
than its surround, covers a good part of the photo without filling it, and leaves almost no
character outside it (a white box on a dark flyer is not a sheet: the flyer's text lies
around it).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.preprocess.geometry import Projective
from ablage_desktop.engine.preprocess.measure import characters

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures
    from ablage_desktop.engine.preprocess.settings import Paper as PaperSettings

log = logging.getLogger(__name__)

SEARCH_SIDE = 800
"""Longest side of the copy the sheet is searched on: its corners land within a few pixels."""
CORNER_TOLERANCE = 0.02
"""How far (share of the outline's length) the outline may stray from its four corners."""
BORDER_MARGIN = 0.005
"""Each corner lies at least this far (share of the photo's side) inside the photo: a bright
region reaching the photo's edge is the page itself with a dark band on it (a letterhead's
banner), not a sheet lying on something."""
MARK_CONTRAST = 50
"""Grey levels from the surround's median from which a pixel of it is a mark (print, darker;
lettering, brighter)."""
SURROUND_CHARACTERS = 10
"""Character-like marks the surround may hold whatever the sheet holds (specks, a corner)."""
EDGE_BAND = 4
"""Working copy pixels around the region left out of its surround: the sheet's own edge."""
EDGE_LOW, EDGE_HIGH = 20, 50
"""Canny's thresholds for the sheet's edge on the blurred search copy: a white sheet on a
light grey desk under the same light is a step of 25 grey levels or more there."""
EDGE_GAPS = 2
"""Dilations that close the gaps in the sheet's edge (and join the text's edges inside it)."""
EDGE_CONTRAST = 20.0
"""Grey levels a sheet found by its edge must be brighter than around it (``min_contrast``
for one the threshold found): a closed straight-sided edge is evidence of its own, and a
white sheet on a light desk is darker than that."""


@dataclass(frozen=True, slots=True)
class Sheet:
    corners: tuple[tuple[float, float], ...]
    """Top left, top right, bottom right, bottom left, in page pixels."""
    share: float
    """Of the photo, the part the sheet covers."""

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the flattened sheet: its longer opposite sides."""
        tl, tr, br, bl = self.corners
        width = max(math.dist(tl, tr), math.dist(bl, br))
        height = max(math.dist(tl, bl), math.dist(tr, br))
        return max(1, round(width)), max(1, round(height))

    def forward(self) -> Any:
        """The homography from the photo to the flattened sheet (a numpy array)."""
        import cv2
        import numpy as np

        width, height = self.size
        target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
        return cv2.getPerspectiveTransform(np.float32(self.corners), target)

    def back(self) -> Projective:
        """The flattened sheet's coordinates -> the photo's."""
        import numpy as np

        inverse = np.linalg.inv(self.forward())
        return tuple(float(v) for v in (inverse / inverse[2, 2]).ravel())  # type: ignore[return-value]


def find_sheet(measures: Measures, settings: PaperSettings) -> Sheet | None:
    """The sheet of paper in a photo, or None where there is none to be sure of."""
    import cv2

    grey = measures.grey
    factor = min(1.0, SEARCH_SIDE / max(grey.shape))
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    for how, outline in _outlines(small):
        sheet = _checked(outline, how, small, factor, measures, settings)
        if sheet is not None:
            return sheet
    return None


def _outlines(small: Any) -> Iterator[tuple[str, Any]]:
    """Outlines the sheet may have, four corners each, and how each was found: the bright
    region Otsu's threshold finds (a sheet on a darker desk), then the region inside the
    longest closed edge (a sheet on a light desk: there the threshold follows the light
    falling across the photo, and its bright region takes in the desk's lit side)."""
    import cv2
    import numpy as np

    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    # The text on the sheet leaves holes in it: closed by a stroke wider than a line of text.
    side = max(3, round(0.03 * max(small.shape)) | 1)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((side, side), np.uint8))
    yield from _four_corners("bright", bright)
    edges = cv2.Canny(small, EDGE_LOW, EDGE_HIGH)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=EDGE_GAPS)
    yield from _four_corners("edge", edges)


def _four_corners(how: str, mask: Any) -> Iterator[tuple[str, Any]]:
    """The outline of ``mask``'s largest region, where it has four corners."""
    import cv2

    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    outline = cv2.approxPolyDP(hull, CORNER_TOLERANCE * cv2.arcLength(hull, True), True)
    if len(outline) != 4:
        log.debug("Paper: the %s region has %d corners, not 4", how, len(outline))
        return
    yield how, outline


def _checked(
    outline: Any, how: str, small: Any, factor: float, measures: Measures, settings: PaperSettings
) -> Sheet | None:
    """The sheet ``outline`` (on ``small``, ``factor`` times the working copy) marks, where
    it is one to be sure of."""
    import cv2
    import numpy as np

    share = cv2.contourArea(outline) / float(small.shape[0] * small.shape[1])
    if not settings.min_share <= share <= settings.max_share:
        log.debug("Paper: a four-cornered %s region of %.0f %% of the photo", how, 100 * share)
        return None
    points = outline.reshape(-1, 2)
    height, width = small.shape
    margin = BORDER_MARGIN * max(height, width)
    if np.any(points < margin) or np.any(points > (width - 1 - margin, height - 1 - margin)):
        log.debug("Paper: the %s region reaches the photo's edge", how)
        return None
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, points, 1)
    contrast = float(np.median(small[inside == 1]) - np.median(small[inside == 0]))
    least = settings.min_contrast if how == "bright" else min(settings.min_contrast, EDGE_CONTRAST)
    if contrast < least:
        log.debug("Paper: the %s region is only %.0f grey levels brighter", how, contrast)
        return None
    on_copy = np.zeros(measures.grey.shape, np.uint8)  # the region on the working copy
    cv2.fillConvexPoly(on_copy, np.round(points / factor).astype(np.int32), 1)
    around = _characters_around(measures, on_copy)
    within = _characters_within(measures.char_boxes, on_copy)
    if around > max(SURROUND_CHARACTERS, settings.max_text_outside * within):
        log.debug("Paper: %d characters around the %s region, %d within", around, how, within)
        return None
    corners = _ordered(points.astype(np.float64) / factor / measures.scale)
    return Sheet(corners, share)


def flatten_sheet(image: Image.Image, sheet: Sheet) -> Image.Image:
    """``image`` warped so that ``sheet`` fills it, upright."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    pixels = np.asarray(image if image.mode in ("L", "RGB") else image.convert("RGB"))
    # Linear: cubic read the photographed data set the same through auto (CER 0.060 against
    # 0.059) and worse through Tesseract (0.280 against 0.248).
    warped = cv2.warpPerspective(
        pixels, sheet.forward(), sheet.size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return PILImage.fromarray(warped)


def _characters_around(measures: Measures, inside: Any) -> int:
    """Character-like marks in the surround of the region ``inside`` (a mask of the working
    copy), darker or brighter than the surround: Otsu's ink misses print on a tinted form
    (merged with the tint) and white lettering (taken for paper)."""
    import cv2
    import numpy as np

    grey = measures.grey
    band = cv2.dilate(inside, np.ones((2 * EDGE_BAND + 1,) * 2, np.uint8))
    around = band == 0
    if not around.any():
        return 0
    median = int(np.median(grey[around]))
    marks = (np.abs(grey.astype(np.int16) - median) >= MARK_CONTRAST) & around
    return len(characters(marks, measures.scale)[1])


def _characters_within(boxes: Any, inside: Any) -> int:
    """Of the character-like components (``Measures.char_boxes``), those whose centres lie in
    the region."""
    import numpy as np

    if len(boxes) == 0:
        return 0
    xs = np.clip(boxes[:, 0] + boxes[:, 2] // 2, 0, inside.shape[1] - 1)
    ys = np.clip(boxes[:, 1] + boxes[:, 3] // 2, 0, inside.shape[0] - 1)
    return int(np.count_nonzero(inside[ys, xs]))


def _ordered(points: Any) -> tuple[tuple[float, float], ...]:
    """Four corners as top left, top right, bottom right, bottom left."""
    import numpy as np

    sums, diffs = points.sum(axis=1), points[:, 1] - points[:, 0]
    order = [np.argmin(sums), np.argmin(diffs), np.argmax(sums), np.argmax(diffs)]
    return tuple((float(points[n][0]), float(points[n][1])) for n in order)
