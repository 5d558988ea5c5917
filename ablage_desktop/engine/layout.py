"""Reading order for engines that return loose line boxes without a layout of their own."""

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


def rows_to_text(lines: Sequence[OcrLine]) -> str:
    return "\n".join(" ".join(line.text for line in row) for row in group_rows(lines))
