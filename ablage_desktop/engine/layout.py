"""Reading order for engines that return loose line boxes without a layout of their own."""

from __future__ import annotations

from collections.abc import Sequence

from ablage_desktop.engine.results import OcrLine

ROW_OVERLAP = 0.5
"""Two boxes share a row when they overlap vertically by this share of the shorter one."""


def group_rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Group boxes into visual rows, top to bottom, each row left to right.

    A label and its value detected as two boxes on one row ("Summe", "12,00 EUR") become one
    text line, as a person reads them.
    """
    rows: list[list[OcrLine]] = []
    row_top = row_bottom = 0
    for line in sorted(lines, key=lambda item: (item.box[1] + item.box[3]) / 2):
        top, bottom = line.box[1], line.box[3]
        if rows:
            overlap = min(bottom, row_bottom) - max(top, row_top)
            shorter = max(1, min(bottom - top, row_bottom - row_top))
            if overlap / shorter >= ROW_OVERLAP:
                rows[-1].append(line)
                row_top, row_bottom = min(row_top, top), max(row_bottom, bottom)
                continue
        rows.append([line])
        row_top, row_bottom = top, bottom
    return [sorted(row, key=lambda item: item.box[0]) for row in rows]


def rows_to_text(lines: Sequence[OcrLine]) -> str:
    return "\n".join(" ".join(line.text for line in row) for row in group_rows(lines))
