"""A recognised line's box over the page, coloured by how sure its engine was.

Green for a line to trust, amber for one to check, red for one that is likely wrong; a
selected line's box is drawn bold, one holding a searched word in orange.
"""

from __future__ import annotations

import enum
import functools

from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QGraphicsRectItem

from ablage_desktop.engine import OcrLine

GOOD_CONFIDENCE = 0.8
FAIR_CONFIDENCE = 0.5
_GOOD = QColor(46, 160, 67)
_FAIR = QColor(230, 150, 0)
_POOR = QColor(220, 50, 47)
_FILL_ALPHA = 45
_SELECTED_FILL_ALPHA = 110
_PEN_WIDTH = 1.5
_SELECTED_PEN_WIDTH = 3.0
_BOX_Z = 1.0
_MARKED_Z = 1.5
_SELECTED_Z = 2.0
_MARKED = QColor(255, 140, 0)
_MARKED_FILL_ALPHA = 80
_MARKED_PEN_WIDTH = 3.0


def confidence_colour(confidence: float) -> QColor:
    """Green for a line to trust, amber for one to check, red for one that is likely wrong."""
    if confidence >= GOOD_CONFIDENCE:
        return QColor(_GOOD)
    if confidence >= FAIR_CONFIDENCE:
        return QColor(_FAIR)
    return QColor(_POOR)


class LineBox(QGraphicsRectItem):
    """The box of one OCR line; knows its line index so a click can name the line."""

    def __init__(self, index: int, line: OcrLine, rect: QRectF) -> None:
        super().__init__(rect)
        self.index = index
        self._colour = confidence_colour(line.confidence)
        self.setToolTip(f"{line.text}\n{line.confidence:.0%} confidence")
        self.selected = False
        self.marked = False
        self._restyle()

    def set_selected(self, selected: bool) -> None:
        self.selected = selected
        self._restyle()

    def set_marked(self, marked: bool) -> None:
        """Marked: the line holds a word being searched for."""
        self.marked = marked
        self._restyle()

    def _restyle(self) -> None:
        if self.selected:
            look = _Look.SELECTED
        elif self.marked:
            look = _Look.MARKED
        else:
            look = _Look.PLAIN
        pen, brush, z = _style(self._colour.rgb(), look)
        self.setPen(pen)
        self.setBrush(brush)
        self.setZValue(z)


class _Look(enum.Enum):
    """How a line's box is drawn."""

    PLAIN = enum.auto()
    SELECTED = enum.auto()
    MARKED = enum.auto()


@functools.lru_cache(maxsize=256)
def _style(rgb: int, look: _Look) -> tuple[QPen, QBrush, float]:
    """Pen, brush and z for a box: shared, since a page has hundreds of boxes in a few styles
    and making a pen and a brush for each took the GUI thread 50 to 150 ms a page
    (``benchmarks/ui_latency.py --profile``: ``LineBox.__init__``)."""
    colour = QColor.fromRgb(rgb)
    if look is _Look.SELECTED:
        width, alpha, z = _SELECTED_PEN_WIDTH, _SELECTED_FILL_ALPHA, _SELECTED_Z
    elif look is _Look.MARKED:
        colour, width, alpha, z = QColor(_MARKED), _MARKED_PEN_WIDTH, _MARKED_FILL_ALPHA, _MARKED_Z
    else:
        width, alpha, z = _PEN_WIDTH, _FILL_ALPHA, _BOX_Z
    # Cosmetic pens keep their width in screen pixels at any zoom.
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    fill = QColor(colour)
    fill.setAlpha(alpha)
    return pen, QBrush(fill), z
