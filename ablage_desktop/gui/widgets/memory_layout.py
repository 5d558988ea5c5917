"""How the memory graph draws its items: marker lines and their label rows, budget lines,
the axis ceiling, and the colours taken from the palette.

Kept apart from the widget, which decides what to show: labels of events at the same moment go
to different heights, and the y axis grows in steps that do not jump on every sample.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Final

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGraphicsItem

from ablage_desktop.gui.widgets.memory_series import Marker

MARKER_ROWS: Final = (0.96, 0.78, 0.60, 0.42)
"""Heights (fractions of the plot) of the labels of markers that would overlap."""
MARKER_GAP: Final = 1 / 12
"""Markers closer than this share of the span get labels at different heights."""


def place_markers(
    plot: pg.PlotItem, markers: Iterable[Marker], now: float, span_s: float, color: QColor
) -> None:
    """Draw each marker as a dotted vertical line at its time before ``now``, its label in
    a row of its own where markers are closer than ``MARKER_GAP`` of the span."""
    markers = list(markers)
    pen = pg.mkPen(color, width=1, style=Qt.PenStyle.DotLine)
    rows = marker_rows([m.t for m in markers], span_s * MARKER_GAP)
    for marker, row in zip(markers, rows, strict=True):
        if marker.line is None:
            marker.line = pg.InfiniteLine(
                angle=90,
                pen=pen,
                movable=False,
                label=marker.label,
                labelOpts={
                    "position": 0.97,
                    "rotateAxis": (1, 0),
                    "anchors": [(1, 0), (1, 0)],
                    "color": color,
                },
            )
            marker.line.setZValue(-3)
            cache_drawing(marker.line.label)  # it moves with time; moving keeps the pixmap
            plot.addItem(marker.line, ignoreBounds=True)
        marker.line.setValue(marker.t - now)
        marker.line.label.setPosition(MARKER_ROWS[row % len(MARKER_ROWS)])


def cache_drawing(item: QGraphicsItem) -> None:
    """Keep ``item`` drawn as a pixmap in device pixels: a frame that does not change it only
    copies the pixmap (the item's ``update()`` redraws it)."""
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def marker_rows(times: list[float], gap: float) -> list[int]:
    """For markers at ``times`` (in order), the label row of each: a marker closer than
    ``gap`` to one before it goes one row lower, so labels of events at the same moment
    do not cover each other."""
    rows: list[int] = []
    for i, t in enumerate(times):
        taken = {rows[j] for j in range(i) if abs(t - times[j]) < gap}
        rows.append(next(row for row in range(len(times) + 1) if row not in taken))
    return rows


def nice_ceiling(value: float) -> float:
    """Round up to 1, 2 or 5 times a power of ten, so the axis does not jump on every sample."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10.0**exponent
        if candidate >= value:
            return candidate
    return 10.0 ** (exponent + 1)


def budget_line(name: str, label: str, gib: float, color: str) -> pg.InfiniteLine:
    """A dashed horizontal line at ``gib``, named ``name``, its ``label`` at the right."""
    line = pg.InfiniteLine(
        pos=gib,
        angle=0,
        pen=pg.mkPen(color, width=2, style=Qt.PenStyle.DashLine),
        movable=False,
        label=label,
        labelOpts={"position": 0.99, "color": color, "anchors": [(1, 1), (1, 1)]},
        name=name,
    )
    line.setZValue(-5)
    cache_drawing(line.label)
    return line


def theme_plot(
    plot_widget: pg.PlotWidget,
    legend: pg.LegendItem,
    markers: Iterable[Marker],
    palette: QPalette,
) -> None:
    """Take background and text colours from ``palette``, so light and dark themes work."""
    fg = palette.color(QPalette.ColorRole.WindowText)
    plot_widget.setBackground(palette.color(QPalette.ColorRole.Base))
    for axis_name in ("left", "bottom"):
        axis = plot_widget.getPlotItem().getAxis(axis_name)
        axis.setPen(pg.mkPen(fg))
        axis.setTextPen(pg.mkPen(fg))
    legend.setBrush(pg.mkBrush(None))  # beside the curves, on the plot's own background
    legend.setPen(pg.mkPen(None))
    legend.setLabelTextColor(fg)
    for marker in markers:
        if marker.line is not None:
            marker.line.setPen(pg.mkPen(fg, width=1, style=Qt.PenStyle.DotLine))
            marker.line.label.setColor(fg)


def badge_style(color: QColor) -> str:
    """A label's style sheet: ``color`` behind black or white text, whichever reads."""
    text = "#000000" if color.lightnessF() > 0.5 else "#ffffff"
    return (
        f"QLabel {{ background-color: {color.name()}; color: {text};"
        " border-radius: 3px; padding: 1px 6px; font-weight: bold; }"
    )


def y_ceiling(top: float, budgets: Iterable[float | None]) -> float:
    """The top of the y axis for curves up to ``top`` GiB. A budget far above the curves would
    flatten them: it counts only when it is near them (the summary line always names it)."""
    near = [v for v in budgets if v is not None and v <= 3 * top]
    return nice_ceiling(max([top, *near, 0.1]) * 1.15)


def x_extent(seconds: float, span_s: float) -> float:
    """How many seconds back the x axis reaches: the samples' ``seconds`` rounded up to
    half minutes (at least one), at most the chosen ``span_s``."""
    return min(span_s, max(30.0, 30.0 * math.ceil(seconds * 1.1 / 30.0)))
