"""Live memory graph: process RSS, system RAM and VRAM over the last few minutes.

The user watches it while models load and unload, so it has to answer at a glance "how full is
the machine, and what just happened": curves, the configured budgets as dashed lines, load and
unload markers, and the current pressure level as a coloured band. It only draws what the engine
worker hands it (``MemorySnapshot`` plus a pressure label); no memory logic lives here.

Appending a sample is cheap (a tuple into a deque); a child ``QTimer`` redraws at most every
``refresh_ms`` and only when something changed, so a fast probe never floods the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Final

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QHideEvent, QPalette, QShowEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ablage_desktop.engine import MemorySnapshot
from ablage_desktop.gui.widgets.memory_layout import (
    badge_style,
    budget_line,
    cache_drawing,
    marker_rows,
    place_markers,
    theme_plot,
    x_extent,
    y_ceiling,
)
from ablage_desktop.gui.widgets.memory_series import (
    CURVES,
    GIB,
    RAM,
    RSS,
    VRAM_ALLOCATED,
    VRAM_RESERVED,
    VRAM_USED,
    WORKERS,
    Marker,
    MemorySeries,
    brings_curve,
)
from ablage_desktop.gui.widgets.memory_text import (
    RAM_BUDGET,
    VRAM_BUDGET,
    gib,
    pressure_text,
    summary_text,
    translated,
)

__all__ = [
    "GIB",
    "PRESSURE_COLORS",
    "RAM",
    "RSS",
    "VRAM_ALLOCATED",
    "VRAM_RESERVED",
    "VRAM_USED",
    "WORKERS",
    "MemoryGraph",
    "gib",
    "marker_rows",
]

log = logging.getLogger(__name__)

SPANS_S: Final = (60.0, 120.0, 300.0, 600.0, 900.0)
"""The time spans the graph can show (the span box, or the mouse wheel over the plot)."""

PRESSURE_COLORS: Final[dict[str, QColor | None]] = {
    "normal": None,
    "warning": QColor("#ffb000"),
    "critical": QColor("#d32f2f"),
}
"""Tint per pressure level; None = no tint (the palette's own colours)."""

LEGEND_ROW: Final = 4
"""The row of the plot's grid below its time axis (title, top axis, curves, time axis)."""

_TINT_ALPHA: Final = 45  # how strongly the plot background is tinted (0-255)


class MemoryGraph(QWidget):
    """RSS, RAM and VRAM curves over a rolling window, with budgets, markers and pressure."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        window_s: float = 300.0,
        refresh_ms: int = 250,
        max_samples: int = 20_000,
    ) -> None:
        super().__init__(parent)
        if window_s <= 0:
            raise ValueError(f"window_s must be positive, got {window_s}")
        self._window_s = float(window_s)
        self._span_s = min(300.0, self._window_s)
        self._series = MemorySeries(self._window_s, max_samples)
        self._pressure = "normal"
        self._budgets: dict[str, float | None] = {RAM_BUDGET: None, VRAM_BUDGET: None}
        self._dirty = False
        self._y_max = 1.0

        self.setObjectName("memoryGraph")
        self.setAccessibleName(self.tr("Memory graph"))
        self.setAccessibleDescription(
            self.tr("Process RSS, system RAM and VRAM over the last minutes")
        )
        self.setToolTip(
            self.tr(
                "Memory in GiB: the app's RSS, its helper processes' RSS (page decoding,\n"
                "models that read in a process of their own), system RAM,\n"
                "and VRAM where a GPU is present.\n"
                "Dashed lines: budgets. Vertical lines: model loads and unloads.\n"
                "Band colour: memory pressure (amber = warning, red = critical).\n"
                "The mouse wheel over the curves shows more or fewer minutes."
            )
        )

        self._curves: dict[str, pg.PlotDataItem] = {}
        self._budget_lines: dict[str, pg.InfiniteLine] = {}
        self._build_header()
        self._build_plot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._header)
        layout.addWidget(self.plot_widget, 1)

        self._timer = QTimer(self)
        self._timer.setObjectName("memoryGraphRefresh")
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self._on_timer)

        self._apply_palette()
        self._apply_pressure()

    def _build_header(self) -> None:
        """The summary line, the span box and the pressure label above the plot."""
        self.summary_label = QLabel(self.tr("no samples yet"), self)
        self.span_box = QComboBox(self)
        self.span_box.setAccessibleName(self.tr("Time span of the memory graph"))
        for span in SPANS_S:
            if span <= self._window_s:
                self.span_box.addItem(self.tr("last %n min", "", int(span // 60)), span)
        self.span_box.setCurrentIndex(max(0, self.span_box.findData(self._span_s)))
        self.span_box.currentIndexChanged.connect(self._span_chosen)
        self.summary_label.setAccessibleName(self.tr("Memory summary"))
        self.pressure_label = QLabel(self)
        self.pressure_label.setAccessibleName(self.tr("Memory pressure"))
        self.pressure_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pressure_label.setMinimumWidth(140)
        self._header = QHBoxLayout()
        self._header.setContentsMargins(4, 2, 4, 0)
        self._header.addWidget(self.summary_label, 1)
        self._header.addWidget(self.span_box)
        self._header.addWidget(self.pressure_label)

    def _build_plot(self) -> None:

        self.plot_widget = pg.PlotWidget(self)
        self.plot_widget.setAccessibleName(self.tr("Memory curves"))
        self._plot = self.plot_widget.getPlotItem()
        self._plot.setMenuEnabled(False)
        self._plot.setMouseEnabled(x=False, y=False)
        self._plot.hideButtons()
        self._plot.showGrid(x=True, y=True, alpha=0.2)
        self._plot.setLabel("left", self.tr("memory (GiB)"))
        self._plot.setLabel("bottom", self.tr("seconds before now"))
        self._plot.disableAutoRange()
        self._plot.setXRange(-self._span_s, 0, padding=0.02)
        self._x_min = -self._span_s
        self._plot.setYRange(0, 1, padding=0)
        # In a row of its own below the time axis, outside the curves: over them, it hid the
        # lowest ones (the process RSS lies near the bottom), and the marker labels hang from
        # the top. PlotItem adds named curves to ``legend``.
        self._legend = pg.LegendItem(offset=None, colCount=len(CURVES))
        self._plot.legend = self._legend
        self._legend.layout.setContentsMargins(4, 0, 4, 0)
        self._plot.layout.addItem(self._legend, LEGEND_ROW, 1)
        # The axes (with the grid they draw over the whole plot), the legend and the labels
        # change far less often than the curves: each is kept as a pixmap and repainted only
        # when it changes. Redrawn from their pictures on every new sample they cost the GUI
        # thread 15 to 60 ms a frame (ui_latency.py --profile: AxisItem's QPicture.play).
        for axis in ("left", "bottom"):
            cache_drawing(self._plot.getAxis(axis))
        cache_drawing(self._legend)
        self.plot_widget.viewport().installEventFilter(self)

    # -- public API ----------------------------------------------------------------------------

    @property
    def window_s(self) -> float:
        """How long samples are kept: the longest span the graph can show."""
        return self._window_s

    @property
    def span_s(self) -> float:
        """The seconds the graph shows now (the last N minutes)."""
        return self._span_s

    def set_span(self, seconds: float) -> None:
        """Show the last ``seconds`` (at most ``window_s``)."""
        self._span_s = max(30.0, min(float(seconds), self._window_s))
        index = self.span_box.findData(self._span_s)
        if index >= 0 and index != self.span_box.currentIndex():
            self.span_box.blockSignals(True)
            self.span_box.setCurrentIndex(index)
            self.span_box.blockSignals(False)
        self._dirty = True
        self.refresh()

    def zoom(self, steps: int) -> None:
        """``steps`` spans shorter (positive: zoom in) or longer (negative)."""
        spans = [span for span in SPANS_S if span <= self._window_s] or [self._window_s]
        nearest = min(range(len(spans)), key=lambda i: abs(spans[i] - self._span_s))
        self.set_span(spans[max(0, min(len(spans) - 1, nearest - steps))])

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            delta = event.angleDelta().y()
            if delta:
                self.zoom(1 if delta > 0 else -1)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    def _span_chosen(self) -> None:
        self.set_span(float(self.span_box.currentData()))

    @property
    def pressure(self) -> str:
        """The last pressure level given: "normal", "warning" or "critical"."""
        return self._pressure

    @property
    def pressure_color(self) -> QColor | None:
        """The tint shown for the current pressure level; None when normal."""
        color = PRESSURE_COLORS[self._pressure]
        return QColor(color) if color is not None else None

    @property
    def sample_count(self) -> int:
        """Samples inside the window now."""
        return len(self._series.samples)

    @property
    def has_gpu(self) -> bool:
        """Whether any sample so far carried VRAM readings."""
        return self._series.gpu_seen

    @property
    def refresh_timer(self) -> QTimer:
        """The redraw timer (a child of this widget), exposed for tests and diagnostics."""
        return self._timer

    def curve_names(self) -> list[str]:
        """Names of the curves shown, in legend order."""
        return list(self._curves)

    def markers(self) -> list[tuple[float, str]]:
        """(t, label) of the markers inside the window."""
        return [(m.t, m.label) for m in self._series.markers]

    def budget_lines(self) -> dict[str, float]:
        """Label -> height in GiB of each budget line shown."""
        return {name: line.value() for name, line in self._budget_lines.items()}

    def add_sample(self, t: float, snapshot: MemorySnapshot, pressure: str) -> None:
        """Append one reading; cheap, the drawing happens on the next timer tick."""
        if pressure not in PRESSURE_COLORS:
            raise ValueError(
                f"unknown pressure level {pressure!r}; expected {list(PRESSURE_COLORS)}"
            )
        if not self._series.append(t, snapshot):
            return
        for name, field_name, color in CURVES:
            if name not in self._curves and brings_curve(field_name, snapshot):
                self._add_curve(name, color)
        self._advance(float(t))
        if pressure != self._pressure:
            log.debug("memory pressure %s -> %s", self._pressure, pressure)
            self._pressure = pressure
            self._apply_pressure()
        self._dirty = True

    def set_budgets(self, ram_budget: int | None, vram_budget: int | None) -> None:
        """Show the budgets (bytes) the model manager works within; None hides a line."""
        for name, value, color in (
            (RAM_BUDGET, ram_budget, "#2ca02c"),
            (VRAM_BUDGET, vram_budget, "#9467bd"),
        ):
            self._budgets[name] = None if value is None else value / GIB
            line = self._budget_lines.pop(name, None)
            if line is not None:
                self._plot.removeItem(line)
            if value is None:
                continue
            line = budget_line(name, translated(name), value / GIB, color)
            self._plot.addItem(line, ignoreBounds=True)
            self._budget_lines[name] = line
        self._dirty = True
        self._refresh_soon()

    def add_marker(self, t: float, label: str) -> None:
        """Mark an event (e.g. "load rapidocr") at time t with a vertical line."""
        self._series.add_marker(t, label)
        log.debug("memory graph marker at %s: %s", t, label)
        self._advance(float(t))
        self._dirty = True

    def refresh(self) -> None:
        """Redraw now: curves, marker positions, y range and the summary line."""
        self._dirty = False
        series = self._series
        now = series.now if series.now is not None else 0.0
        if series.samples:
            data = series.array()
            x = data[:, 0] - now
            for column, (name, _, _) in enumerate(CURVES, start=1):
                curve = self._curves.get(name)
                if curve is not None:
                    curve.setData(x, data[:, column], connect="finite")
        else:
            for curve in self._curves.values():
                curve.setData([], [])
        y_max = y_ceiling(series.top(), self._budgets.values())
        if y_max != self._y_max:  # each range change emits several pyqtgraph signals
            self._y_max = y_max
            self._plot.setYRange(0, y_max, padding=0)
        x_min = -x_extent(series.seconds(), self._span_s)
        if x_min != self._x_min:
            self._x_min = x_min
            self._plot.setXRange(x_min, 0, padding=0.02)
        place_markers(self._plot, series.markers, now, self._span_s, self._foreground())
        self._update_summary()

    def stop(self) -> None:
        """Stop redrawing (the app shuts down, or the graph is taken out of the window)."""
        self._timer.stop()

    def clear(self) -> None:
        """Forget every sample and marker (budgets and curves stay)."""
        self._remove_lines(self._series.clear())
        self._dirty = True
        self._refresh_soon()

    # -- Qt events -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._apply_palette()
            self._apply_pressure()

    # -- internals -----------------------------------------------------------------------------

    def _on_timer(self) -> None:
        if self._dirty:
            self.refresh()

    def _refresh_soon(self) -> None:
        """Redraw at once when nobody will tick the timer (hidden), so state is never stale."""
        if not self._timer.isActive():
            self.refresh()

    def _add_curve(self, name: str, color: str) -> None:
        curve = self._plot.plot(name=translated(name), pen=pg.mkPen(color, width=2))
        curve.setClipToView(True)
        curve.setDownsampling(auto=True, method="peak")
        self._curves[name] = curve

    def _advance(self, t: float) -> None:
        """Move "now" forward to t; markers that left the window leave the plot."""
        self._remove_lines(self._series.advance(t))

    def _remove_lines(self, markers: list[Marker]) -> None:
        for marker in markers:
            if marker.line is not None:
                self._plot.removeItem(marker.line)

    def _update_summary(self) -> None:
        samples = self._series.samples
        latest = samples[-1] if samples else None
        text = summary_text(latest, self._series.gpu_seen, self._budgets)
        self.summary_label.setText(text)
        self.setAccessibleDescription(f"{text}; {pressure_text(self._pressure)}")

    def _foreground(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _apply_palette(self) -> None:
        """Take background and text colours from the palette, so light and dark themes work."""
        theme_plot(self.plot_widget, self._legend, self._series.markers, self.palette())

    def _apply_pressure(self) -> None:
        color = PRESSURE_COLORS[self._pressure]
        self.pressure_label.setText(pressure_text(self._pressure))
        if color is None:
            self.pressure_label.setStyleSheet("")
            self._plot.getViewBox().setBackgroundColor(None)
            return
        self.pressure_label.setStyleSheet(badge_style(color))
        tint = QColor(color)
        tint.setAlpha(_TINT_ALPHA)
        self._plot.getViewBox().setBackgroundColor(tint)
