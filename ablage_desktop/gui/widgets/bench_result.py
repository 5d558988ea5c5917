"""The benchmark's chart and table, each in its tab: what the benchmark dialog shows at the end."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QTextBrowser, QWidget


class ChartView(QScrollArea):
    """The chart scaled to fit the view, keeping its proportions, never above its own size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pixmap = QPixmap()

    @property
    def pixmap(self) -> QPixmap:
        """The chart at its own size (null when there is none)."""
        return self._pixmap

    def set_png(self, data: bytes) -> None:
        self._pixmap = QPixmap()
        if data:
            self._pixmap.loadFromData(data, "PNG")
        self._fit()

    def clear(self) -> None:
        self.set_png(b"")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap.isNull():
            self.label.clear()
            return
        room = self.viewport().size().shrunkBy(QMargins(2, 2, 2, 2))
        size = self._pixmap.size().boundedTo(room.expandedTo(QSize(1, 1)))
        self.label.setPixmap(
            self._pixmap.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


class BenchResultTabs(QTabWidget):
    """The chart and the table of one finished run; hidden until there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = ChartView(self)
        self.chart.setAccessibleName(self.tr("Benchmark chart"))
        self.table = QTextBrowser(self)
        self.table.setAccessibleName(self.tr("Benchmark table"))
        self.table.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.addTab(self.chart, self.tr("Chart"))
        self.addTab(self.table, self.tr("Table"))
        self.setVisible(False)

    def show_result(self, png: bytes, markdown: str) -> None:
        """Show the chart (first) and the table of a finished run."""
        self.chart.set_png(png)
        self.table.setMarkdown(markdown)
        self.setVisible(True)
        self.setCurrentWidget(self.chart)

    def clear_result(self) -> None:
        """Nothing to show (a new run starts)."""
        self.chart.clear()
        self.table.clear()
        self.setVisible(False)
