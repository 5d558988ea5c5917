"""The models table: device, quantization, state, memory and activity, with Load / Unload.

A remote model (an inference server) shows where its pages go: "server: this machine" for a
loopback address, otherwise "server: HOST" in the warning colour, with the address in the
tooltip, because sending documents off the machine is the user's explicit choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TRANSLATE_NOOP, QLocale, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop.engine import BackendStatus, ModelState

MIB = 1 << 20

ESTIMATED_COLUMN = 4
MEASURED_COLUMN = 5

_RowLook = tuple[tuple[str, ...], str, str, bool]
"""A model row's cells, its tooltip, the estimate cell's tooltip, whether it is off-machine."""


def size_text(size: int | None) -> str:
    """A size with the user's decimal separator ("1,5 GiB" in German)."""
    if not size:
        return "-"
    if size >= 1 << 30:
        return f"{QLocale().toString(size / (1 << 30), 'f', 1)} GiB"
    return f"{QLocale().toString(size / MIB, 'f', 0)} MiB"


class ModelsPanel(QWidget):
    loadRequested = Signal(str)
    unloadRequested = Signal(str)
    unloadAllRequested = Signal()

    HEADERS = (
        QT_TRANSLATE_NOOP("ModelsPanel", "Model"),
        QT_TRANSLATE_NOOP("ModelsPanel", "Device"),
        QT_TRANSLATE_NOOP("ModelsPanel", "Quantization"),
        QT_TRANSLATE_NOOP("ModelsPanel", "State"),
        QT_TRANSLATE_NOOP("ModelsPanel", "Estimated"),
        QT_TRANSLATE_NOOP("ModelsPanel", "Measured"),
        QT_TRANSLATE_NOOP("ModelsPanel", "Activity"),
    )
    HEADER_TIPS = (
        (
            ESTIMATED_COLUMN,
            QT_TRANSLATE_NOOP(
                "ModelsPanel",
                "What the memory manager budgets for the model: loaded, and reading a page",
            ),
        ),
        (
            MEASURED_COLUMN,
            QT_TRANSLATE_NOOP(
                "ModelsPanel",
                "What loading the model took on this machine, before any page\n"
                "(a page adds to it while it is read)",
            ),
        ),
    )
    """The size columns hold different things: side by side they looked like an estimate
    off by 30x (RapidOCR: 965 MiB with a page against 33 MiB at its load)."""
    OFF_MACHINE = QColor(176, 96, 0)
    """The colour of a model that sends pages to another machine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        for column, tip in self.HEADER_TIPS:
            self.table.horizontalHeaderItem(column).setToolTip(self.tr(tip))
        self.table.setAccessibleName(self.tr("Models"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.load_button = QPushButton(self.tr("&Load"), self)
        self.unload_button = QPushButton(self.tr("&Unload"), self)
        self.unload_all_button = QPushButton(self.tr("Unload &all"), self)
        for button, name in (
            (self.load_button, self.tr("Load the selected model")),
            (self.unload_button, self.tr("Unload the selected model")),
            (self.unload_all_button, self.tr("Unload every model")),
        ):
            button.setAccessibleName(name)
            button.setToolTip(name)
        self.load_button.clicked.connect(self._load)
        self.unload_button.clicked.connect(self._unload)
        self.unload_all_button.clicked.connect(self.unloadAllRequested)
        buttons = QHBoxLayout()
        for button in (self.load_button, self.unload_button, self.unload_all_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self._statuses: list[BackendStatus] = []
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_statuses(self, statuses: Sequence[BackendStatus], quantization: dict[str, str]) -> None:
        selected = self.selected_model()
        self._statuses = list(statuses)
        self.table.setRowCount(len(statuses))
        for row, status in enumerate(statuses):
            # Qt's items ignore a value they already hold: a refresh for page progress
            # changes one cell, or none.
            self._show_row(row, *self._row_look(status, quantization.get(status.name, "-")))
            if status.name == selected:
                self.table.selectRow(row)
        self._update_buttons()

    def _row_look(self, status: BackendStatus, quantization: str) -> _RowLook:
        """The texts of a model's row, its tooltip, the estimate's tooltip and whether it runs
        off this machine."""
        state = self.state_label(status.state) if status.available else self.tr("unavailable")
        cells = (
            status.name,
            self.device_text(status),
            quantization,
            state,
            size_text(status.estimated_bytes),
            size_text(status.measured_bytes),
            self.activity_text(status),
        )
        tooltip = status.reason or status.description or status.title
        if status.remote:
            tooltip = f"{self.destination_text(status)}\n{tooltip}"
        if status.notes:  # what more installed would add (Docling: weights, tables)
            tooltip = "\n".join((tooltip, *status.notes))
        # the estimate's column explains itself: the per-page memory plan, in words
        planned = f"{status.memory_plan_text}\n{tooltip}" if status.memory_plan_text else tooltip
        return cells, tooltip, planned, status.destination is not None

    def _show_row(
        self, row: int, cells: tuple[str, ...], tooltip: str, planned: str, off_machine: bool
    ) -> None:
        for column, text in enumerate(cells):
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, column, item)
            item.setText(text)
            item.setToolTip(planned if column == ESTIMATED_COLUMN else tooltip)
            grey = column == 1 and off_machine
            item.setForeground(QBrush(self.OFF_MACHINE) if grey else QBrush())

    def device_text(self, status: BackendStatus) -> str:
        if not status.remote:
            return status.device
        if status.destination is None:
            return self.tr("server: this machine")
        return self.tr("server: {0}").format(urlsplit(status.destination).hostname or "?")

    def destination_text(self, status: BackendStatus) -> str:
        if status.destination is None:
            return self.tr("Pages go to a server on this machine.")
        return self.tr("Pages are sent to {0} (send_documents is on for this model).").format(
            status.destination
        )

    def activity_text(self, status: BackendStatus) -> str:
        """Latency and queue of a model: pages in flight and waiting, seconds per page."""
        parts = []
        if status.remote and status.loaded and status.load_seconds is not None:
            parts.append(self.tr("{0:.0f} ms").format(status.load_seconds * 1000))
        if status.page_seconds is not None:
            parts.append(
                self.tr("{0} s/page").format(QLocale().toString(status.page_seconds, "f", 2))
            )
        if status.in_flight or status.queued:
            parts.append(self.tr("%n running", "", status.in_flight))
            parts.append(self.tr("%n waiting", "", status.queued))
        return ", ".join(parts) or "-"

    def state_label(self, state: ModelState) -> str:
        """A model state in the user's language."""
        labels = {
            ModelState.UNLOADED: self.tr("unloaded"),
            ModelState.LOADING: self.tr("loading"),
            ModelState.READY: self.tr("ready"),
            ModelState.BUSY: self.tr("busy"),
            ModelState.UNLOADING: self.tr("unloading"),
            ModelState.FAILED: self.tr("failed"),
        }
        return labels[state]

    def state_of(self, name: str) -> ModelState | None:
        for status in self._statuses:
            if status.name == name:
                return status.state
        return None

    def selected_model(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._statuses):
            return None
        return self._statuses[rows[0].row()].name

    def select_model(self, name: str) -> None:
        for row, status in enumerate(self._statuses):
            if status.name == name:
                self.table.selectRow(row)

    def _status(self) -> BackendStatus | None:
        name = self.selected_model()
        return next((s for s in self._statuses if s.name == name), None)

    def _update_buttons(self) -> None:
        status = self._status()
        # A server that did not answer may be tried again at once (it may be back).
        loadable = status is not None and (
            status.available or (status.remote and status.error != "")
        )
        self.load_button.setEnabled(status is not None and loadable and not status.state.resident)
        self.unload_button.setEnabled(status is not None and status.loaded)
        self.unload_all_button.setEnabled(any(s.loaded for s in self._statuses))

    def _load(self) -> None:
        name = self.selected_model()
        if name:
            self.loadRequested.emit(name)

    def _unload(self) -> None:
        name = self.selected_model()
        if name:
            self.unloadRequested.emit(name)
