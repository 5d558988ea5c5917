"""Reading order of a page's line boxes, the same for every engine that returns boxes.

People read office paper in two ways at once: a form or a table row by row, across the page
("Summe" then "12,00 EUR", even when there is a wide gap between them), and columns of running
text one after the other, top to bottom. RapidOCR returns loose boxes with no order at all;
Tesseract orders its own blocks, but splits every label/value form into a column of labels
followed by a column of values. Both go through ``arrange``.

``arrange`` cuts the page recursively, XY-cut style: first into columns, but only where every
side of a vertical gutter holds running text (several lines, most of them filling the
column's width, and long enough to be prose: labels, table cells and figures are not), then
at the widest horizontal gap; what cannot be cut is grouped into rows (``group_rows``).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from ablage_desktop.engine.results import OcrLine

ROW_OVERLAP = 0.5
"""A box joins a row when it overlaps the row's typical band vertically by this share of the
shorter of the two."""
SIDE_BY_SIDE = 0.2
"""Boxes of one row stand side by side: they may overlap horizontally by at most this share of
the narrower one (more, and they are two lines of text, one above the other)."""
RECENT_ROWS = 4
"""How many of the latest rows a box may still join (a short box can sit beside a taller one)."""

GUTTER = 1.0
"""A vertical strip free of text at least this many line heights wide may separate columns
(the space between two words is about a third of a line height)."""
BLOCK_GAP = 1.0
"""A horizontal strip free of text at least this many line heights tall separates blocks
(an empty line: paragraphs, sections)."""
PROSE_LINES = 4
"""A column of running text has at least this many lines..."""
PROSE_FULL_WIDTH = 0.6
PROSE_FULL_SHARE = 0.5
"""...at least this share of them at least PROSE_FULL_WIDTH of the column's width..."""
PROSE_CHARS = 25
"""...and this many characters per line on average (labels and table cells have fewer)."""

Block = list[list[OcrLine]]
"""Rows of boxes, each row left to right."""


def arrange(lines: Sequence[OcrLine]) -> list[Block]:
    """The boxes as blocks in reading order; blocks are columns or parts split by empty space."""
    if not lines:
        return []
    unit = statistics.median(max(1, line.box[3] - line.box[1]) for line in lines)
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
    columns = _columns(lines, unit)
    if columns is not None:
        for column in columns:
            _arrange(column, unit, blocks)
        return
    parts = _split_at_widest_gap(lines, unit)
    if parts is not None:
        for part in parts:
            _arrange(part, unit, blocks)
        return
    blocks.append(group_rows(lines))


def _free_gaps(spans: Sequence[tuple[int, int]], minimum: float) -> list[tuple[int, int]]:
    """Stretches of at least ``minimum`` that no span covers, between the first and last span."""
    gaps = []
    ordered = sorted(spans)
    reach = ordered[0][1]
    for start, end in ordered[1:]:
        if start - reach >= minimum:
            gaps.append((reach, start))
        reach = max(reach, end)
    return gaps


def _columns(lines: list[OcrLine], unit: float) -> list[list[OcrLine]] | None:
    """The lines cut into columns of running text, left to right, or None."""
    if len(lines) < 2 * PROSE_LINES:
        return None
    gutters = _free_gaps([(line.box[0], line.box[2]) for line in lines], GUTTER * unit)
    if not gutters:
        return None
    columns: list[list[OcrLine]] = [[] for _ in range(len(gutters) + 1)]
    for line in lines:
        position = sum(1 for _, end in gutters if line.box[0] >= end)
        columns[position].append(line)
    if all(_is_prose(column) for column in columns):
        return columns
    return None


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
        if shared > SIDE_BY_SIDE * narrower:
            return False
    return True
