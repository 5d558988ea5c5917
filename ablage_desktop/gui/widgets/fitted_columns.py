"""Queue columns as wide as their longest text, measured one changed row at a time.

Qt's ``ResizeToContents`` measures the cells of up to 1000 rows (or, set to, the rows in view)
whenever any row changes, through the model's ``data`` in Python for every role of every cell:
with a page read every half second that was 3 ms of the GUI thread per page with the rows in
view, 74 ms with 500 rows measured (``benchmarks/ui_latency.py --documents``). Here only the
changed row's texts are measured, and a column only grows (no jitter as a document's state
moves on); when rows go, every row is measured once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex
from PySide6.QtWidgets import QStyle, QTableView

from ablage_desktop.gui.widgets.queue_model import QueueModel, cell_text

AnyIndex = QModelIndex | QPersistentModelIndex


class FittedColumns(QObject):
    """Keeps ``columns`` of ``view`` (showing ``model``, through any proxy) wide enough."""

    def __init__(self, view: QTableView, model: QueueModel, columns: Sequence[int]) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._columns = tuple(columns)
        model.dataChanged.connect(self._changed)
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self.refit)
        model.modelReset.connect(self.refit)

    def refit(self) -> None:
        """Every column back to its title's width, then grown to fit every row."""
        header = self._view.horizontalHeader()
        for column in self._columns:
            header.resizeSection(column, header.sectionSizeHint(column))
        self._fit(range(len(self._model.entries)))

    def _changed(self, top: AnyIndex, bottom: AnyIndex, _roles: object = None) -> None:
        self._fit(range(top.row(), bottom.row() + 1))

    def _inserted(self, _parent: AnyIndex, first: int, last: int) -> None:
        self._fit(range(first, last + 1))

    def _fit(self, rows: Iterable[int]) -> None:
        entries = self._model.entries
        wanted = [row for row in rows if 0 <= row < len(entries)]
        if not wanted:
            return
        header = self._view.horizontalHeader()
        metrics = self._view.fontMetrics()
        frame = self._view.style().pixelMetric(
            QStyle.PixelMetric.PM_FocusFrameHMargin, None, self._view
        )
        margin = 2 * (frame + 1) + 1  # the delegate's text margins, as Qt's size hint has them
        for column in self._columns:
            widest = max(
                metrics.horizontalAdvance(cell_text(entries[row], column)) for row in wanted
            )
            width = max(widest + margin + self._view.showGrid(), header.sectionSizeHint(column))
            if width > header.sectionSize(column):
                header.resizeSection(column, width)
