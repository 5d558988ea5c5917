"""Where RapidOCR's detector still has to look on a page another engine has mostly read.

In ``auto`` Tesseract reads a page of print first and is sure of most of its lines. RapidOCR's
detector then looked at the whole page all the same, to find the lines Tesseract was not
sure of and the ink it left out: on a 300-dpi letter that was half of RapidOCR's time (0.44 of
0.93 s). Here the lines already read (``known``, on the page RapidOCR works on, as
``RapidOCR.preprocess_img`` scales it) are painted as paper, and the ink that is left, not
ruled lines nor dust, is gathered into regions, which the detector sees one by one, reduced
as it reduces the whole page; the recogniser's crops come from the working copy, as the
page's do. Where that ink covers much of the page (a table's unsure cells, a page of unsure
lines) the page is detected whole, as before.

A known line with ink between its words or on its row near either end (Tesseract read
"4.07" as ".07", or left out a colon standing apart) is not taken: its ink stays, the
detector finds the line whole and the caller's ``settled`` decides as for any other line.
A page of columns is detected whole (``_in_columns``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ablage_desktop.engine.results.document import Box, OcrLine, enclosing

log = logging.getLogger(__name__)

MAX_UNREAD = 0.3
"""Share of the page the regions left to the detector may cover; more, and the page is
detected whole (regions overlap by their margins, each pass has its own cost, and the
lines near a region's edge are seen with less around them than on the whole page)."""
FAINT_INK = 24
"""Grey levels below the paper from which a pixel is ink the detector may find: print, and
the back's print showing through (40-60 below; at Otsu's threshold it was no ink, no region
held it, and the lines of the front it lay in were read with it, not wiped first as on a
page detected whole: ``rapidocr_ghosts``)."""
PAD = 0.15
"""A known line's box is painted this share of its height larger on every side (ascenders,
descenders and the strokes' soft edges Tesseract's boxes leave out)."""
SPECK = 0.25
"""Ink smaller than this share of the known lines' height across is a speck: punctuation
beside other ink, dust where it stands alone (no region is made for it)."""
RULE = 3.0
THIN = 0.3
"""A run of ink this many lines' heights long and at most ``THIN`` of one thick is a ruled
line, no print (no letter has such a stroke): the detector finds no text in it."""
END_REACH = 1.6
"""Ink on a known line's row within this share of its height beyond either end: it left a
character out, or the line goes on where the detector would join it ("Leistungsdatum :
29.10.2018", Tesseract's two lines without the colon between them, the second misread
"29.10.2013": the detector's box of ": 29.10.2018" was wider than Tesseract's line, which
left it to RapidOCR; as ``line_words.END_REACH`` with the detector's box)."""
MARGIN = 1.0
"""A region reaches this share of the lines' height beyond its ink (the detector's boxes
reach past the ink, and it needs some paper around a line to find it)."""
WIDER = 2.0
"""A region where the detector finds no line is seen again this many lines' heights wider on
every side before the page is detected whole (with a line's height around it, a table's lone
"0" was found only on the whole page; with three, it is found)."""
PROSE_WIDTH = 10
COLUMN_ROWS = 4
"""Lines of running text (this many heights wide, some twenty characters) side by side on
this many rows are columns (``_in_columns``); a form's labels and values, a table's cells
are narrower."""
JOIN = 8
"""Ink left over this many lines' heights apart along a row is one region: the detector
sees a row's words and their punctuation together, as on the whole page, and decides what
is one line ("Rechnungswährung : EUR"); a table's row is seen whole, not cell by cell (a
cell's "7 %" alone came out in a taller box, which the recogniser read as "7")."""


@dataclass(frozen=True, slots=True)
class Unread:
    """What the detector still has to see on a page, at RapidOCR's working scale."""

    regions: tuple[Box, ...]
    taken: tuple[int, ...]
    """The indexes of the known lines taken as read (painted as paper)."""
    painted: Any
    """The page with those lines painted as paper (an array like the page's)."""
    paper: Any
    """The paper's colour (a pixel of the page)."""
    height: float
    """The known lines' usual height."""


def unread_regions(image: Any, known: Sequence[Sequence[Box]]) -> Unread | None:
    """The regions of ``image`` (RapidOCR's working copy of the page, BGR or grey) holding
    ink that none of the ``known`` lines (each its words' boxes on that copy) covers; None:
    detect it whole."""
    import cv2
    import numpy as np

    if not known:
        return None
    lines = [enclosing(words) for words in known]
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    ink = (grey < float(np.percentile(grey[::4, ::4], 90)) - FAINT_INK).astype(np.uint8)
    height = float(np.median([y1 - y0 for _x0, y0, _x1, y1 in lines]))
    if height < 2 or _in_columns(lines, height):
        return None
    taken = list(range(len(lines)))
    left, sizeable = _left_over(ink, lines, height)
    beside = [
        i for i in taken if _ink_beside(left, lines[i], height) or _ink_between(ink, known[i])
    ]
    if beside:
        taken = [i for i in taken if i not in beside]
        left, sizeable = _left_over(ink, [lines[i] for i in taken], height)
    regions = _regions(left, sizeable, height)
    share = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in regions) / grey.size
    log.debug(
        "%d of %d known line(s) taken; %d region(s) left, %.0f%% of the page",
        len(taken),
        len(lines),
        len(regions),
        100 * share,
    )
    if share > MAX_UNREAD:
        return None
    painted = image.copy()
    paper = _paper(image)
    for index in taken:
        x0, y0, x1, y1 = _padded(lines[index], image.shape)
        painted[y0:y1, x0:x1] = paper
    return Unread(tuple(regions), tuple(taken), painted, paper, height)


def _in_columns(lines: Sequence[Box], height: float) -> bool:
    """Whether running text stands in columns side by side: ``COLUMN_ROWS`` pairs of lines,
    each ``PROSE_WIDTH`` line heights wide or more, level with each other. In a region the
    detector saw a row of two columns alone and ran a line across their narrow gutter, which
    the reading order then could not find: a three-column gazette read row by row across
    (CER 0.68); such a page is detected whole."""
    wide = [box for box in lines if box[2] - box[0] >= PROSE_WIDTH * height]
    pairs = 0
    for index, one in enumerate(wide):
        for other in wide[index + 1 :]:
            level = min(one[3], other[3]) - max(one[1], other[1])
            apart = one[2] <= other[0] or other[2] <= one[0]
            if apart and level >= 0.5 * min(one[3] - one[1], other[3] - other[1]):
                pairs += 1
        if pairs >= COLUMN_ROWS:
            return True
    return False


def _padded(box: Box, shape: tuple[int, ...]) -> Box:
    return _widened(box, PAD * (box[3] - box[1]), shape)


def _widened(box: Box, by: float, shape: tuple[int, ...]) -> Box:
    """``box`` ``by`` pixels larger on every side, within a page of ``shape``."""
    x0, y0, x1, y1 = box
    grow = round(by)
    return (
        max(0, x0 - grow),
        max(0, y0 - grow),
        min(shape[1], x1 + grow),
        min(shape[0], y1 + grow),
    )


def _left_over(ink: Any, painted: Sequence[Box], height: float) -> tuple[Any, Any]:
    """The ink outside the ``painted`` boxes that may be print, without ruled lines: all of
    it, and without specks (a full stop, a colon's dot, or dust)."""
    import cv2
    import numpy as np

    rest = ink.copy()
    for box in painted:
        x0, y0, x1, y1 = _padded(box, ink.shape)
        rest[y0:y1, x0:x1] = 0
    rest[_rules(rest, height) > 0] = 0
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rest, connectivity=8)
    if count < 2:
        return rest, rest
    speck = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) < SPECK * height
    speck[0] = True  # the background
    return rest, (~speck).astype(np.uint8)[labels]


def _rules(ink: Any, height: float) -> Any:
    """The ruled lines in ``ink`` (0/1): runs of ink ``RULE`` lines' heights long and at most
    ``THIN`` of one thick, across or down, a table's grid as well as a line alone."""
    import cv2
    import numpy as np

    run, thick = max(2, round(RULE * height)), max(1, round(THIN * height)) + 1
    found = np.zeros_like(ink)
    for along, across in (((run, 1), (1, thick)), ((1, run), (thick, 1))):
        long = cv2.morphologyEx(
            ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along)
        )
        bars = cv2.morphologyEx(
            long, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across)
        )
        found[(long > 0) & (bars == 0)] = 1
    return found


def _ink_beside(left: Any, box: Box, usual: float) -> bool:
    """Whether ink is left on the row of ``box`` just beyond either of its ends (within
    ``END_REACH`` of its height or of the ``usual`` line's, where that is taller: a line of
    figures is the height of its capitals)."""
    x0, y0, x1, y1 = box
    height = y1 - y0
    reach = round(END_REACH * max(height, usual))
    top, bottom = y0 + height // 4, y1 - height // 4
    before = left[top:bottom, max(0, x0 - reach) : x0]
    after = left[top:bottom, x1 : x1 + reach]
    return bool(before.any() or after.any())


def _ink_between(ink: Any, words: Sequence[Box]) -> bool:
    """Whether ink lies on the row of a line between its ``words``, outside them: a colon
    standing apart ("Leistungsdatum : 29.10.2018", read without it), a word it left out."""
    x0, y0, x1, y1 = enclosing(words)
    height = y1 - y0
    row = ink[y0 + height // 4 : y1 - height // 4, x0:x1].copy()
    for box in words:
        left, _top, right, _bottom = _padded(box, ink.shape)
        row[:, max(0, left - x0) : max(0, right - x0)] = 0
    return bool(row.any())


def _regions(left: Any, sizeable: Any, height: float) -> list[Box]:
    """The left-over ink gathered into boxes, lines of it and their neighbours together, with
    the specks beside them (punctuation) but not those standing alone (dust)."""
    import cv2
    import numpy as np

    if not sizeable.any():
        return []
    line = max(1, round(height))
    joined = cv2.dilate(left, cv2.getStructuringElement(cv2.MORPH_RECT, (JOIN * line, line)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    holding = np.zeros(count, dtype=bool)
    holding[np.unique(labels[sizeable.astype(bool)])] = True
    margin = round(MARGIN * height)
    rows, columns = left.shape
    boxes = [
        (
            max(0, int(x) - margin),
            max(0, int(y) - margin),
            min(columns, int(x + w) + margin),
            min(rows, int(y + h) + margin),
        )
        for index, (x, y, w, h, _area) in enumerate(stats)
        if index and holding[index]
    ]
    return _merged(boxes)


def _merged(boxes: list[Box]) -> list[Box]:
    """Overlapping boxes as one (the detector would see their common ink twice)."""
    changed = True
    while changed:
        changed, merged = False, []
        for box in boxes:
            for index, other in enumerate(merged):
                if _overlap(box, other):
                    merged[index] = enclosing((box, other))
                    changed = True
                    break
            else:
                merged.append(box)
        boxes = merged
    return boxes


def _overlap(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _paper(image: Any) -> Any:
    """The page's paper colour: each channel's 95th percentile."""
    import numpy as np

    pixels = image.reshape(-1, image.shape[2]) if image.ndim == 3 else image.reshape(-1)
    return np.percentile(pixels[:: max(1, pixels.shape[0] // 200_000)], 95, axis=0).astype(
        image.dtype
    )


def detect_unread(
    session: Any, image: Any, known: Sequence[OcrLine]
) -> tuple[list[tuple[Any, Any]], tuple[int, ...], list[Any]] | None:
    """The detector's lines where the ``known`` lines' words (on the Pillow ``image``) leave ink:
    four-point boxes on the page and the crops the recogniser reads, as ``_detect_whole``
    gives them; with the indexes of the known lines taken and their crops (for what compares
    a line with the page's others: show-through, scribbles). None: detect the page whole (a
    long page, read in tiles, too, ``rapidocr_tiles``, and one where a region holds no line
    the detector finds)."""
    import math

    from rapidocr.utils.process_img import map_boxes_to_original

    from ablage_desktop.engine.backends.rapidocr_tiles import tiles

    if len(tiles(max(image.size), min(image.size))) > 1:
        return None
    original = session.load_img(image)
    prepared, record = session.preprocess_img(original)
    ratio_h, ratio_w = record["preprocess"]["ratio_h"], record["preprocess"]["ratio_w"]
    on_copy = [
        [
            (
                math.floor(x0 / ratio_w),
                math.floor(y0 / ratio_h),
                math.ceil(x1 / ratio_w),
                math.ceil(y1 / ratio_h),
            )
            for x0, y0, x1, y1 in _ink_boxes(line)
        ]
        for line in known
    ]
    unread = unread_regions(prepared, on_copy)
    if unread is None:
        return None
    detector = session._load_det_model()
    scales = _detector_scales(detector, prepared.shape)
    height, width = original.shape[:2]
    found: list[tuple[Any, Any]] = []
    for x0, y0, x1, y1 in unread.regions:
        part = unread.painted[y0:y1, x0:x1]
        quads = _detect_region(detector, part, scales, unread.paper)
        if quads is None:
            # ink the size of print, and no line found: the detector needs more of the page
            # around it (a table's lone "0", which it finds on the whole page)
            x0, y0, x1, y1 = _widened((x0, y0, x1, y1), WIDER * unread.height, prepared.shape)
            part = unread.painted[y0:y1, x0:x1]
            quads = _detect_region(detector, part, scales, unread.paper)
        if quads is None:
            log.debug("No line found in a region of %s; the page is detected whole", part.shape)
            return None
        crops = session.crop_text_regions(part, quads)  # at the working scale, as the page's
        quads[:, :, 0] += x0
        quads[:, :, 1] += y0
        found.extend(zip(map_boxes_to_original(quads, record, height, width), crops, strict=True))
    taken_boxes = (enclosing(on_copy[index]) for index in unread.taken)
    taken_crops = [prepared[y0:y1, x0:x1] for x0, y0, x1, y1 in taken_boxes]
    return found, unread.taken, taken_crops


def _ink_boxes(line: OcrLine) -> list[Box]:
    """The boxes of a line's words (the line's own box reaches past their ink), else its own."""
    return [word.box for word in line.words] or [line.box]


def _detector_scales(detector: Any, shape: tuple[int, ...]) -> tuple[float, float]:
    """The scales (across, down) at which RapidOCR's detector sees the whole working copy of
    a page this ``shape``: reduced to its ``limit_side_len`` and each side rounded to a
    multiple of 32 (its ``DetPreProcess.resize``)."""
    rows, columns = shape[:2]
    limit = detector.limit_side_len
    ratio = 1.0
    if detector.limit_type == "max" and limit and max(rows, columns) > limit:
        ratio = float(limit) / max(rows, columns)
    seen_rows = max(32, round(int(rows * ratio) / 32) * 32)
    seen_columns = max(32, round(int(columns * ratio) / 32) * 32)
    return seen_columns / columns, seen_rows / rows


def _detect_region(detector: Any, part: Any, scales: tuple[float, float], paper: Any) -> Any:
    """The detector's four-point boxes in ``part`` (of the working copy), which it sees at the
    page's own ``scales``, on paper up to a multiple of 32 pixels (stretched to one instead,
    a strip of a line would change its print's size and shape); None: no text found."""
    import cv2
    import numpy as np

    across, down = scales
    rows = max(1, round(part.shape[0] * down))
    columns = max(1, round(part.shape[1] * across))
    seen = cv2.resize(part, (columns, rows)) if (rows, columns) != part.shape[:2] else part
    canvas = np.empty((-(-rows // 32) * 32, -(-columns // 32) * 32, *part.shape[2:]), part.dtype)
    canvas[...] = paper
    canvas[:rows, :columns] = seen
    detected = detector(canvas)
    if detected.boxes is None or len(detected.boxes) == 0:
        return None
    quads = np.array(detected.boxes, dtype=np.float32)
    quads[:, :, 0] = np.clip(quads[:, :, 0] / across, 0, part.shape[1])
    quads[:, :, 1] = np.clip(quads[:, :, 1] / down, 0, part.shape[0])
    return quads
