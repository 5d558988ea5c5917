"""The queue: every dropped document with its pages, state and the engine that read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ablage_desktop.engine import OcrDocument, OcrPage

COLUMNS = ("name", "pages", "state", "backend")


@dataclass
class QueueEntry:
    """One document of the queue and what the engine said about it so far."""

    batch: int
    position: int
    path: str
    pages_total: int = 0
    pages: dict[int, OcrPage] = field(default_factory=dict)
    state: str = "queued"
    reason: str = ""
    result: OcrDocument | None = None

    @property
    def backends(self) -> str:
        return ", ".join(sorted({page.backend for page in self.pages.values()}))


class QueueView(QTableWidget):
    """Rows in the order documents were dropped; selecting one shows it in the viewer."""

    documentSelected = Signal(int)  # row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(
            [self.tr("Document"), self.tr("Pages"), self.tr("State"), self.tr("Engine")]
        )
        self.setAccessibleName(self.tr("Document queue"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.entries: list[QueueEntry] = []
        self._rows: dict[tuple[int, int], int] = {}
        self.itemSelectionChanged.connect(self._selection_changed)

    def add_batch(self, batch: int, paths: list[str]) -> None:
        for position, path in enumerate(paths):
            entry = QueueEntry(batch, position, path)
            self._rows[(batch, position)] = len(self.entries)
            self.entries.append(entry)
            row = self.rowCount()
            self.insertRow(row)
            for column in range(len(COLUMNS)):
                self.setItem(row, column, QTableWidgetItem())
            self._show(row)

    def entry(self, batch: int, position: int) -> tuple[int, QueueEntry] | None:
        row = self._rows.get((batch, position))
        return None if row is None else (row, self.entries[row])

    def document_started(self, batch: int, position: int, pages: int) -> None:
        found = self.entry(batch, position)
        if found:
            row, entry = found
            entry.pages_total, entry.state = pages, "running"
            self._show(row)

    def page_done(self, batch: int, position: int, page: OcrPage) -> None:
        found = self.entry(batch, position)
        if found:
            row, entry = found
            entry.pages[page.index] = page
            entry.state = "running"
            self._show(row)

    def document_finished(self, batch: int, position: int, result: OcrDocument) -> None:
        found = self.entry(batch, position)
        if found:
            row, entry = found
            entry.result = result
            for page in result.pages:
                entry.pages[page.index] = page
            if result.error is None:
                entry.state, entry.reason = "done", ""
            else:
                entry.state = "cancelled" if result.error.kind == "cancelled" else "failed"
                entry.reason = result.error.message
            self._show(row)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _show(self, row: int) -> None:
        entry = self.entries[row]
        labels = {
            "queued": self.tr("queued"),
            "running": self.tr("running"),
            "done": self.tr("done"),
            "failed": self.tr("failed"),
            "cancelled": self.tr("cancelled"),
        }
        pages = str(entry.pages_total) if entry.pages_total else ""
        if entry.state == "running" and entry.pages_total:
            pages = f"{len(entry.pages)}/{entry.pages_total}"
        state = labels.get(entry.state, entry.state)
        if entry.reason:
            state = f"{state}: {entry.reason}"
        texts = (Path(entry.path).name, pages, state, entry.backends)
        for column, text in enumerate(texts):
            item = self.item(row, column)
            item.setText(text)
            item.setToolTip(entry.reason or entry.path)
            if column == 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _selection_changed(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.documentSelected.emit(row)
