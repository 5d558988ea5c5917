"""Reading order of a page's line boxes, the same for every engine that returns boxes.

People read office paper in two ways at once: a form or a table row by row, across the page
("Summe" then "12,00 EUR", even when there is a wide gap between them), and columns of running
text one after the other, top to bottom. RapidOCR returns loose boxes with no order at all;
Tesseract orders its own blocks, but splits every label/value form into a column of labels
followed by a column of values. Both go through ``arrange``.

``arrange`` cuts the page recursively, XY-cut style: first into columns, but only where every
side of a vertical gutter holds running text (several lines, most of them filling the
column's width, and long enough to be prose: labels, table cells and figures are not), or
into blocks side by side that are not prose but do not stand level either, each at a steady
line pitch of its own (receipts glued onto a sheet for an expense report: read row by row
across them, three sheets came out at CER 0.33-0.77, one after the other 0.08-0.09;
``_side_by_side``), then at the widest horizontal gap; what cannot be cut is grouped into
rows (``group_rows``).

Gutters are looked for between the *cores* of the boxes: each box narrowed by half a line
height on either side. RapidOCR's boxes reach well beyond the ink (on a three-column gazette
at 300 dpi, 25 pixels either way), so between narrow justified columns the boxes of
neighbouring columns nearly touch although the ink is a line height apart. Where no gutter is
free and no empty strip crosses the page (a heading set close above the columns, a footnote
close below), lines that run across a gutter only above or only below the columns are taken
off first (``_peel_spanning``), and the columns cut under them; a line the detector ran
across a narrow gutter, from one column into the next, is cut in two there. Lines an empty
line below the rest of their column and below every other column (a letter's closing, a
footer) are read after all the columns (``_trailing_last``).
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from collections.abc import Sequence

from ablage_desktop.engine.results.document import OcrLine, OcrWord, enclosing

ROW_OVERLAP = 0.5
"""A box joins a row when it overlaps the row's typical band vertically by this share of the
shorter of the two."""
SIDE_BY_SIDE = 0.2
"""Boxes of one row stand side by side: they may overlap horizontally by at most this share of
the narrower one (more, and they are two lines of text, one above the other)."""
SAME_BAND = 0.15
WORDS_OVERLAP = 0.5
"""...unless they stand in the same band (tops and bottoms within SAME_BAND of the shorter's
height), where they may overlap by up to WORDS_OVERLAP: the loose boxes of the words of one
line the detector found apart (monospaced print on a receipt read at full size: "081" and
"5x" overlapped by a third and were two rows)."""
RECENT_ROWS = 4
"""How many of the latest rows a box may still join (a short box can sit beside a taller one)."""

GUTTER = 0.5
"""A vertical strip free of box cores at least this many line heights wide may separate
columns (with CORE_MARGIN, a gap in the ink of about a line height for RapidOCR's loose
boxes; the space between two words is about a third of a line height and lies inside a
box)."""
CORE_MARGIN = 0.5
"""Line heights taken off either side of a box to find its core (never past its middle)."""
INTRUDING = 1.0
"""A line of a column reaching this many line heights further into the gutter than any other
line of it is no part of it (a footnote, a heading) where it stands above or below them all."""
BLOCK_GAP = 1.0
"""A horizontal strip free of text at least this many line heights tall separates blocks
(an empty line: paragraphs, sections)."""
SPANNING_LINES = 2
SPANNING_SHARE = 0.05
"""A gutter may be crossed by this many lines, or this share of them, where they all stand
above or below the columns (headings, footnotes)."""
PROSE_LINES = 4
"""A column of running text has at least this many lines..."""
PROSE_FULL_WIDTH = 0.6
PROSE_FULL_SHARE = 0.5
"""...at least this share of them at least PROSE_FULL_WIDTH of the column's width..."""
PROSE_CHARS = 25
"""...and this many characters per line on average (labels and table cells have fewer)."""
APART_LINES = 15
"""Blocks side by side that are not running text are read one after the other where each
holds at least this many lines (a receipt's; a fax cover's letterhead column beside its
fields, 9 lines as RapidOCR read it with some of its lines in reverse video, is a form's side,
read across) and the columns either side of the gutter between them..."""
LEVEL = 0.2
"""...and fewer than LEVEL_SHARE of their lines, where the other block has lines at their
height, lie as far from the nearest line across as most do (within LEVEL line pitches):
receipts glued onto a sheet, each with its own line pitch. A form's labels and values, a
table's cells, a receipt's prices beside its items stand level and are read row by row."""
LEVEL_SHARE = 0.5
STEADY = 0.25
STEADY_SHARE = 0.5
"""Each block keeps a steady line pitch: this share of its steps from row to row within
STEADY of the usual one (receipts read by RapidOCR: 0.58-0.80; a fax cover's letterhead
column beside its form fields, read by Tesseract, whose ground truth is row by row: 0.33)."""
ACROSS = 0.75
"""A line with no line across within this many line pitches stands beside nothing (a form's
heading, a table's note): it says nothing about rows. Receipts side by side have one within
half their pitch."""

Block = list[list[OcrLine]]
"""Rows of boxes, each row left to right."""


def arrange(lines: Sequence[OcrLine]) -> list[Block]:
    """The boxes as blocks in reading order; blocks are columns or parts split by empty space."""
    if not lines:
        return []
    unit = _line_height(lines)
    blocks: list[Block] = []
    _arrange(list(lines), unit, blocks)
    return blocks


def in_reading_order(lines: Sequence[OcrLine]) -> tuple[str, tuple[OcrLine, ...]]:
    """The page's text in reading order (a row per line, an empty line between blocks) and
    its lines in the same order, so that what is built from the lines (a PDF's text layer,
    hOCR, the boxes in the window) reads like the text."""
    blocks = arrange(lines)
    text = "\n\n".join(
        "\n".join(" ".join(line.text for line in row) for row in block) for block in blocks
    )
    return text, tuple(line for block in blocks for row in block for line in row)


def _arrange(lines: list[OcrLine], unit: float, blocks: list[Block]) -> None:
    parts = (
        _columns(lines, unit)
        or _side_by_side(lines, unit)
        or _split_at_widest_gap(lines, unit)
        or _peel_spanning(lines, unit)
    )
    if parts is None:
        blocks.append(group_rows(lines))
        return
    for part in parts:
        _arrange(part, unit, blocks)


def _free_gaps(spans: Sequence[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """Stretches of at least ``minimum`` that no span covers, between the first and last span."""
    gaps = []
    ordered = sorted(spans)
    reach = ordered[0][1]
    for start, end in ordered[1:]:
        if start - reach >= minimum:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _core(line: OcrLine, unit: float) -> tuple[float, float]:
    """The box's horizontal span less CORE_MARGIN line heights either side."""
    x0, _, x1, _ = line.box
    margin = min(CORE_MARGIN * unit, (x1 - x0) / 2)
    return x0 + margin, x1 - margin


def _gutters(lines: Sequence[OcrLine], unit: float) -> list[tuple[float, float]]:
    return _free_gaps([_core(line, unit) for line in lines], GUTTER * unit)


def _columns(lines: list[OcrLine], unit: float) -> list[list[OcrLine]] | None:
    """The lines cut into columns of running text, left to right, or None."""
    if len(lines) < 2 * PROSE_LINES:
        return None
    gutters = _gutters(lines, unit)
    if not gutters:
        return None
    columns = _cut_at(lines, gutters)
    if columns is None:
        return None
    # A footnote or heading a little wider than its column reaches into the gutter: read it
    # after (before) all the columns, not as part of the first.
    intruding = _intruding(columns, unit)
    if intruding:
        chosen = {id(line) for line in intruding}
        rest = [line for line in lines if id(line) not in chosen]
        indices = {i for i, line in enumerate(lines) if id(line) in chosen}
        split = _outside(lines, indices, rest) if rest else None
        if split is not None:
            return split
    return _trailing_last(columns, unit)


def _side_by_side(lines: list[OcrLine], unit: float) -> list[list[OcrLine]] | None:
    """The lines cut at the gutters between neighbouring columns that do not stand level
    (``_level``), left to right, where each part holds ``APART_LINES``; or None."""
    if len(lines) < 2 * APART_LINES:
        return None
    gutters = _gutters(lines, unit)
    if not gutters:
        return None
    columns = _assign(lines, gutters)
    blocks = [columns[0]]
    for previous, column in itertools.pairwise(columns):
        if _level(previous, column):
            blocks[-1] = blocks[-1] + column
        else:
            blocks.append(column)
    if len(blocks) < 2 or min(len(block) for block in blocks) < APART_LINES:
        return None
    return blocks if all(_steady(block) for block in blocks) else None


def _level(left: Sequence[OcrLine], right: Sequence[OcrLine]) -> bool:
    """Whether the lines of the two sides stand level with each other, row by row, where
    they stand beside a line across (within ACROSS line heights; or too few do to tell): the
    height from each to the nearest line across is the same for most of them. Not "the same
    as zero": a label and its value in bold, or with a descender, differ in their boxes'
    middles by as much as LEVEL. Measured in the closer line pitch of the two: beside a
    column of small print, any line of large print has a line across within a few pixels (and
    RapidOCR's loose boxes are taller than the pitch of a receipt's small print)."""
    if not left or not right:
        return True
    unit = min(_pitch(left), _pitch(right))
    offsets = []
    for side, other in ((left, right), (right, left)):
        centres = sorted(_centre(line) for line in other)
        top, bottom = min(line.box[1] for line in other), max(line.box[3] for line in other)
        for line in side:
            centre = _centre(line)
            if not top <= centre <= bottom:
                continue
            at = bisect.bisect_left(centres, centre)
            nearest = min(
                (centres[i] - centre for i in (at - 1, at) if 0 <= i < len(centres)), key=abs
            )
            if abs(nearest) <= ACROSS * unit:
                offsets.append(nearest if side is left else -nearest)
    if len(offsets) < APART_LINES:
        return True
    usual = statistics.median(offsets)
    level = sum(1 for offset in offsets if abs(offset - usual) <= LEVEL * unit)
    return level >= LEVEL_SHARE * len(offsets)


def _line_height(lines: Sequence[OcrLine]) -> float:
    return statistics.median(max(1, line.box[3] - line.box[1]) for line in lines)


def _steps(lines: Sequence[OcrLine]) -> list[float]:
    """The heights from one row of the lines to the next (boxes of one row aside)."""
    centres = sorted(_centre(line) for line in lines)
    least = 0.5 * _line_height(lines)
    return [b - a for a, b in itertools.pairwise(centres) if b - a >= least]


def _pitch(lines: Sequence[OcrLine]) -> float:
    """The usual height from one row of the lines to the next."""
    steps = _steps(lines)
    return statistics.median(steps) if steps else _line_height(lines)


def _steady(lines: Sequence[OcrLine]) -> bool:
    """Whether STEADY_SHARE of the steps from row to row are the usual one (within STEADY)."""
    steps = _steps(lines)
    if not steps:
        return False
    pitch = statistics.median(steps)
    usual = sum(1 for step in steps if abs(step - pitch) <= STEADY * pitch)
    return usual >= STEADY_SHARE * len(steps)


def _trailing_last(columns: list[list[OcrLine]], unit: float) -> list[list[OcrLine]]:
    """The columns, then the lines that end a column an empty line below the rest of it and
    below every other column: a letter's closing under its two columns of text, a footer at
    the left margin. Read with their column, they came before the next column."""
    below = []
    for position, column in enumerate(columns):
        others = [line for n, other in enumerate(columns) if n != position for line in other]
        floor = max(line.box[3] for line in others)
        tail = [line for line in column if line.box[1] > floor]
        rest = [line for line in column if line.box[1] <= floor]
        if tail and rest:
            gap = min(line.box[1] for line in tail) - max(line.box[3] for line in rest)
            if gap >= BLOCK_GAP * unit:
                columns[position] = rest
                below += tail
    return [*columns, below] if below else columns


def _intruding(columns: Sequence[Sequence[OcrLine]], unit: float) -> list[OcrLine]:
    """Lines reaching into a gutter by INTRUDING line heights beyond every other line of
    their column."""
    found = []
    reach = INTRUDING * unit
    for position, column in enumerate(columns):
        lefts = sorted(line.box[0] for line in column)
        rights = sorted(line.box[2] for line in column)
        for line in column:
            others_right = rights[-2] if line.box[2] == rights[-1] else rights[-1]
            others_left = lefts[1] if line.box[0] == lefts[0] else lefts[0]
            beyond_right = position < len(columns) - 1 and line.box[2] > others_right + reach
            beyond_left = position > 0 and line.box[0] < others_left - reach
            if beyond_right or beyond_left:
                found.append(line)
    return found


def _cut_at(
    lines: Sequence[OcrLine], gutters: Sequence[tuple[float, float]]
) -> list[list[OcrLine]] | None:
    columns = _assign(lines, gutters)
    if all(_is_prose(column) for column in columns):
        return columns
    return None


def _assign(
    lines: Sequence[OcrLine], gutters: Sequence[tuple[float, float]]
) -> list[list[OcrLine]]:
    """The lines in the columns between the gutters, by their middles."""
    columns: list[list[OcrLine]] = [[] for _ in range(len(gutters) + 1)]
    for line in lines:
        centre = (line.box[0] + line.box[2]) / 2
        position = sum(1 for start, _ in gutters if centre >= start)
        columns[position].append(line)
    return columns


def _is_prose(column: Sequence[OcrLine]) -> bool:
    if len(column) < PROSE_LINES:
        return False
    width = max(line.box[2] for line in column) - min(line.box[0] for line in column)
    full = sum(1 for line in column if line.box[2] - line.box[0] >= PROSE_FULL_WIDTH * width)
    characters = sum(len(line.text) for line in column) / len(column)
    return full >= PROSE_FULL_SHARE * len(column) and characters >= PROSE_CHARS


def _split_at_widest_gap(lines: list[OcrLine], unit: float) -> list[list[OcrLine]] | None:
    """The lines above and below the widest empty horizontal strip, or None."""
    if len(lines) < 2:
        return None
    gaps = _free_gaps([(line.box[1], line.box[3]) for line in lines], BLOCK_GAP * unit)
    if not gaps:
        return None
    top, bottom = max(gaps, key=lambda gap: gap[1] - gap[0])
    cut = (top + bottom) / 2
    above = [line for line in lines if _centre(line) < cut]
    below = [line for line in lines if _centre(line) >= cut]
    return [above, below]


def _peel_spanning(lines: list[OcrLine], unit: float) -> list[list[OcrLine]] | None:
    """The lines above the columns, the columns, the lines below them; or None.

    For columns cut off from a heading or a footnote by less than an empty line: a strip
    that only a few lines cross (SPANNING_LINES) is a gutter when those lines all stand
    above or all below the rest, and the rest are columns of running text.
    """
    if len(lines) < 2 * PROSE_LINES + 1:
        return None
    cores = [_core(line, unit) for line in lines]
    allowed = max(SPANNING_LINES, round(SPANNING_SHARE * len(lines)))
    for start, end in _thin_strips(cores, allowed, GUTTER * unit):
        middle = (start + end) / 2
        crossing = {i for i, core in enumerate(cores) if core[0] < middle < core[1]}
        rest = [line for i, line in enumerate(lines) if i not in crossing]
        if _columns(rest, unit) is None:
            continue
        top = min(line.box[1] for line in rest)
        bottom = max(line.box[3] for line in rest)
        beside = {i for i in crossing if top <= _centre(lines[i]) <= bottom}
        pieces = []
        for i in beside:  # lines of two columns the detector ran together: cut them apart
            halves = _cut_line(lines[i], middle)
            if halves is None:
                break
            pieces += halves
        else:
            split = _outside(lines, crossing - beside, [*rest, *pieces])
            if split is not None:
                return split
    return None


def _cut_line(line: OcrLine, at: float) -> list[OcrLine] | None:
    """``line`` cut in two at ``at``: by its words where it has them, else at the space
    nearest to where its characters would reach ``at``; None where it cannot be cut."""
    x0, y0, x1, y1 = line.box
    if line.words:
        left = [word for word in line.words if (word.box[0] + word.box[2]) / 2 < at]
        right = [word for word in line.words if (word.box[0] + word.box[2]) / 2 >= at]
        if not left or not right:
            return None
        return [_line_of_words(left, line.confidence), _line_of_words(right, line.confidence)]
    text = line.text
    guess = round((at - x0) / max(1, x1 - x0) * len(text))
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if not spaces:
        return None
    cut = min(spaces, key=lambda i: abs(i - guess))
    left_text, right_text = text[:cut].strip(), text[cut + 1 :].strip()
    if not left_text or not right_text:
        return None
    middle = round(at)
    return [
        OcrLine(left_text, line.confidence, (x0, y0, min(middle, x1), y1)),
        OcrLine(right_text, line.confidence, (max(middle, x0), y0, x1, y1)),
    ]


def _line_of_words(words: Sequence[OcrWord], confidence: float) -> OcrLine:
    box = enclosing(word.box for word in words)
    return OcrLine(" ".join(word.text for word in words), confidence, box, tuple(words))


def _outside(
    lines: Sequence[OcrLine], chosen: set[int], rest: list[OcrLine]
) -> list[list[OcrLine]] | None:
    """The chosen lines above ``rest``, ``rest``, the chosen lines below; None where a chosen
    line stands beside the rest."""
    top = min(line.box[1] for line in rest)
    bottom = max(line.box[3] for line in rest)
    above = [line for i, line in enumerate(lines) if i in chosen and _centre(line) < top]
    below = [line for i, line in enumerate(lines) if i in chosen and _centre(line) > bottom]
    if len(above) + len(below) != len(chosen):
        return None
    return [part for part in (above, rest, below) if part]


def _thin_strips(
    spans: Sequence[tuple[float, float]], allowed: int, minimum: float
) -> list[tuple[float, float]]:
    """Stretches at least ``minimum`` wide covered by ``allowed`` spans at most, strictly
    between the leftmost start and the rightmost end."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    strips = []
    depth = 0
    opened: float | None = None
    first, last = events[0][0], events[-1][0]
    for position, change in events:
        depth += change
        if depth <= allowed and opened is None:
            opened = position
        elif depth > allowed and opened is not None:
            if position - opened >= minimum and opened > first:
                strips.append((opened, position))
            opened = None
    return [strip for strip in strips if strip[1] < last]


def group_rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Group boxes into visual rows, top to bottom, each row left to right.

    A label and its value detected as two boxes on one row ("Summe", "12,00 EUR") become one
    text line, as a person reads them. A row is compared by its median band, not by the union
    of its boxes: with a union, one tall or slanted box lets the row swallow the next line,
    and two lines of a paragraph come out interleaved word by word. Boxes that overlap
    horizontally are never one row.
    """
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=_centre):
        row = next((row for row in reversed(rows[-RECENT_ROWS:]) if _joins(line, row)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    rows.sort(key=lambda row: statistics.median(_centre(line) for line in row))
    return [sorted(row, key=lambda item: item.box[0]) for row in rows]


def _centre(line: OcrLine) -> float:
    return (line.box[1] + line.box[3]) / 2


def _joins(line: OcrLine, row: Sequence[OcrLine]) -> bool:
    x0, top, x1, bottom = line.box
    band_top = statistics.median(member.box[1] for member in row)
    band_bottom = statistics.median(member.box[3] for member in row)
    overlap = min(bottom, band_bottom) - max(top, band_top)
    shorter = max(1.0, min(bottom - top, band_bottom - band_top))
    if overlap / shorter < ROW_OVERLAP:
        return False
    for member in row:
        shared = min(x1, member.box[2]) - max(x0, member.box[0])
        narrower = max(1, min(x1 - x0, member.box[2] - member.box[0]))
        if shared > SIDE_BY_SIDE * narrower and (
            shared > WORDS_OVERLAP * narrower or not _same_band(line, member)
        ):
            return False
    return True


def _same_band(line: OcrLine, other: OcrLine) -> bool:
    """Whether the two boxes' tops and bottoms lie within SAME_BAND of the shorter's height."""
    shorter = max(1, min(line.box[3] - line.box[1], other.box[3] - other.box[1]))
    return (
        abs(line.box[1] - other.box[1]) <= SAME_BAND * shorter
        and abs(line.box[3] - other.box[3]) <= SAME_BAND * shorter
    )
