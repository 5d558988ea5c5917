"""Surya's answer for a page -> the app's lines, in Surya's reading order, with boxes.

Surya reads a page as blocks (a paragraph, a heading, a table) in reading order, each with
its box and HTML; its text detector finds the printed lines. A block's text lines take the
detected lines inside the block where they pair up one to one (``line_boxes.place_lines``),
else even bands of the block's box.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from ablage_desktop.engine.backends.line_boxes import place_lines
from ablage_desktop.engine.results.document import Box, OcrLine

ROLES = {
    "SectionHeader": "heading",
    "Title": "title",
    "Text": "paragraph",
    "ListGroup": "list_item",
    "ListItem": "list_item",
    "Caption": "caption",
    "Footnote": "footnote",
    "PageHeader": "page_header",
    "PageFooter": "page_footer",
    "Equation": "formula",
    "Code": "code",
    "Table": "table_cell",
    "TableOfContents": "paragraph",
    "Form": "form_field",
    "Bibliography": "paragraph",
    "Picture": "picture_text",
    "Figure": "picture_text",
    "Diagram": "picture_text",
}
"""Surya's block labels -> ``OcrLine.role``; an unknown label reads as a paragraph."""


@dataclasses.dataclass(frozen=True, slots=True)
class SuryaBlock:
    label: str
    box: tuple[float, float, float, float]
    confidence: float
    lines: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SuryaBlock:
        x0, y0, x1, y1 = (float(value) for value in data["box"])
        return cls(
            str(data.get("label", "Text")),
            (x0, y0, x1, y1),
            float(data.get("confidence", 0.0)),
            tuple(str(line) for line in data.get("lines", ())),
        )


def page_lines(
    blocks: Sequence[SuryaBlock],
    detected: Sequence[Sequence[float]],
    width: int,
    height: int,
) -> tuple[str, tuple[OcrLine, ...]]:
    """The page's text (blocks apart by a blank line) and its lines in reading order."""
    boxes = [_clamped(box, width, height) for box in detected]
    lines: list[OcrLine] = []
    paragraphs: list[str] = []
    for block in blocks:
        if not block.lines:
            continue
        area = _clamped(block.box, width, height)
        role = ROLES.get(block.label, "paragraph")
        confidence = max(0.0, min(1.0, block.confidence))
        inside = [box for box in boxes if _centre_in(box, area)]
        placed = place_lines("\n".join(block.lines), inside)
        found = [line.box for line in placed] if placed else _bands(area, len(block.lines))
        lines.extend(
            OcrLine(text, confidence, box, role=role)
            for text, box in zip(block.lines, found, strict=True)
        )
        paragraphs.append("\n".join(block.lines))
    return "\n\n".join(paragraphs), tuple(lines)


def _clamped(box: Sequence[float], width: int, height: int) -> Box:
    x0, y0, x1, y1 = (round(value) for value in box[:4])
    x0, x1 = max(0, min(x0, width - 1)), max(0, min(x1, width))
    y0, y1 = max(0, min(y0, height - 1)), max(0, min(y1, height))
    return (x0, y0, max(x0 + 1, x1), max(y0 + 1, y1))


def _centre_in(box: Box, area: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] <= cx <= area[2] and area[1] <= cy <= area[3]


def _bands(area: Box, count: int) -> list[Box]:
    """``count`` horizontal bands of equal height filling ``area``."""
    x0, y0, x1, y1 = area
    step = (y1 - y0) / count
    return [
        (x0, round(y0 + i * step), x1, max(round(y0 + i * step) + 1, round(y0 + (i + 1) * step)))
        for i in range(count)
    ]
