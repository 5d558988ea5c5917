"""The queue: every dropped document with its pages, state and the engine that read it."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ablage_desktop.engine import OcrDocument, OcrPage, display
from ablage_desktop.gui.reasons import with_detail

COLUMNS = ("name", "pages", "state", "backend")
ENGINE_WIDTH = 80
"""The engine column's width: names like rapidocr+tesseract are shortened in the middle."""
ACTIVE = ("queued", "running")
ARCHIVED_BATCH = 0
"""The batch id of documents opened from the archive (batches the engine runs count from 1)."""


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
    kind: str = ""
    """The engine's error kind of a failed document (``empty``, ``encrypted`` ...)."""
    backend: str = "auto"
    """The engine the user asked for: a resumed document is read on with it."""
    edited: bool = False
    result: OcrDocument | None = None
    restored: set[int] = field(default_factory=set)
    """Indices of the pages taken from the archive instead of being recognised again."""

    @property
    def exportable(self) -> bool:
        return self.result is not None and bool(self.result.pages)

    @property
    def backends(self) -> str:
        return ", ".join(sorted({page.backend for page in self.pages.values()}))


class QueueView(QTableWidget):
    """Rows in the order documents were dropped; selecting one shows it in the viewer."""

    documentSelected = Signal(int)  # row
    exportRequested = Signal(int)  # row
    resumeRequested = Signal(object)  # rows of cancelled documents to read on
    rereadRequested = Signal(int, str)  # row, engine to read it again with
    rowsRemoved = Signal()  # rows were taken out of the queue (Remove, Clear finished)

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
        # Names keep their suffix in view ("scan.pdf" and "scan.png"); the state column holds
        # one short word and never grows with a long reason, which is in the tooltip.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, max(ENGINE_WIDTH, header.sectionSizeHint(3)))  # its title
        header.setMinimumSectionSize(36)
        self._engines: list[tuple[str, str]] = []
        self.entries: list[QueueEntry] = []
        self._rows: dict[tuple[int, int], int] = {}
        self._archived = itertools.count()
        self._menu_row = 0
        self.itemSelectionChanged.connect(self._selection_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def add_batch(self, batch: int, paths: list[str], backend: str = "auto") -> None:
        for position, path in enumerate(paths):
            self._add(QueueEntry(batch, position, path, backend=backend))

    def has_active(self) -> bool:
        """Whether a document is still queued or being read."""
        return any(entry.state in ACTIVE for entry in self.entries)

    def set_engines(self, engines: list[tuple[str, str]]) -> None:
        """(name, label) of the engines a document can be read again with."""
        self._engines = list(engines)

    def remove_rows(self, rows: list[int]) -> None:
        """Take finished rows out of the queue (queued or running ones stay)."""
        gone = {row for row in rows if 0 <= row < len(self.entries)}
        gone = {row for row in gone if self.entries[row].state not in ACTIVE}
        if not gone:
            return
        for row in sorted(gone, reverse=True):
            del self.entries[row]
            self.removeRow(row)
        self._rows = {(e.batch, e.position): row for row, e in enumerate(self.entries)}
        self.rowsRemoved.emit()

    def clear_finished(self) -> None:
        """Remove every row that is not queued or being read."""
        self.remove_rows(list(range(len(self.entries))))

    def add_archived(self, document: OcrDocument) -> int:
        """A document opened from the archive: its stored pages, nothing read again; its row."""
        pages = {page.index: page for page in document.pages}
        entry = QueueEntry(
            ARCHIVED_BATCH,
            next(self._archived),
            str(document.document),
            pages_total=max(pages, default=-1) + 1,
            pages=pages,
            state="archived",
            result=document,
            restored=set(pages),
        )
        return self._add(entry)

    def _add(self, entry: QueueEntry) -> int:
        row = len(self.entries)
        self._rows[(entry.batch, entry.position)] = row
        self.entries.append(entry)
        self.insertRow(row)
        for column in range(len(COLUMNS)):
            self.setItem(row, column, QTableWidgetItem())
        self._show(row)
        return row

    def find_document(self, sha256: str, path: str, page: int = 0) -> int | None:
        """The row showing the document with ``sha256`` (or, before its result, at ``path``):
        the latest one that has page ``page``, else the latest one at all."""
        wanted = os.path.normpath(path)
        rows = [
            row
            for row, entry in enumerate(self.entries)
            if (entry.result is not None and entry.result.sha256 == sha256)
            or (entry.result is None and os.path.normpath(entry.path) == wanted)
        ]
        with_page = [row for row in rows if page in self.entries[row].pages]
        found = with_page or rows
        return found[-1] if found else None

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

    def page_restored(self, batch: int, position: int, page: OcrPage) -> None:
        """A page taken from the archive (read before), not recognised again."""
        found = self.entry(batch, position)
        if found:
            found[1].restored.add(page.index)
            self.page_done(batch, position, page)

    def document_finished(self, batch: int, position: int, result: OcrDocument) -> None:
        found = self.entry(batch, position)
        if found:
            row, entry = found
            entry.result = result
            for page in result.pages:
                entry.pages[page.index] = page
            if result.error is None:
                entry.state, entry.reason, entry.kind = "done", "", ""
            elif result.error.kind == "cancelled":
                entry.state, entry.reason, entry.kind = "cancelled", "", "cancelled"
            else:
                entry.state, entry.kind = "failed", result.error.kind
                entry.reason = result.error.message
            self._show(row)

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def refresh_row(self, row: int) -> None:
        self._show(row)

    def _show(self, row: int) -> None:
        entry = self.entries[row]
        labels = {
            "queued": self.tr("queued"),
            "running": self.tr("running"),
            "done": self.tr("done"),
            "failed": self.tr("failed"),
            "cancelled": self.tr("cancelled"),
            "archived": self.tr("from the archive"),
        }
        pages = str(entry.pages_total) if entry.pages_total else ""
        if entry.state == "running" and entry.pages_total:
            pages = f"{len(entry.pages)}/{entry.pages_total}"
        state = labels.get(entry.state, entry.state)
        if entry.restored and entry.state != "archived":
            state += self.tr(" ({0} from the archive)").format(len(entry.restored))
        if entry.edited:
            state += self.tr(" (edited)")
        tip = with_detail(entry.kind, entry.reason) if entry.kind else entry.path
        if entry.restored:
            tip += "\n" + self.tr("{0} page(s) taken from the archive, not read again").format(
                len(entry.restored)
            )
        texts = (Path(entry.path).name, pages, state, entry.backends)
        for column, text in enumerate(texts):
            item = self.item(row, column)
            item.setText(display(text))  # a name that is not UTF-8 shows U+FFFD, not nothing
            item.setToolTip(display(tip))
            if column == 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _selection_changed(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.documentSelected.emit(row)

    def _context_menu(self, pos: QPoint) -> None:
        row = self.rowAt(pos.y())
        if row >= 0:
            self.context_menu(row).popup(self.viewport().mapToGlobal(pos))

    def context_menu(self, row: int) -> QMenu:
        """The menu of row ``row`` (not shown yet; it deletes itself when closed)."""
        self._menu_row = row
        entry = self.entries[row]
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        export = menu.addAction(self.tr("Export..."))
        export.setEnabled(entry.exportable)
        export.triggered.connect(self._export_menu_row)
        resume = menu.addAction(self.tr("Resume"))
        resume.setToolTip(self.tr("Read the cancelled documents on; pages read so far are kept"))
        cancelled = [r for r, e in enumerate(self.entries) if e.state == "cancelled"]
        resume.setEnabled(entry.state == "cancelled")
        resume.triggered.connect(lambda: self.resumeRequested.emit(cancelled))
        again = menu.addMenu(self.tr("Read again &with"))
        again.setEnabled(entry.state not in ACTIVE and bool(self._engines))
        for name, label in self._engines:
            act = again.addAction(label)
            act.triggered.connect(lambda checked=False, n=name: self.rereadRequested.emit(row, n))
        menu.addSeparator()
        remove = menu.addAction(self.tr("&Remove from the queue"))
        remove.setEnabled(entry.state not in ACTIVE)
        remove.triggered.connect(lambda: self.remove_rows([row]))
        clear = menu.addAction(self.tr("&Clear finished"))
        clear.setEnabled(any(e.state not in ACTIVE for e in self.entries))
        clear.triggered.connect(self.clear_finished)
        return menu

    def _export_menu_row(self) -> None:
        self.exportRequested.emit(self._menu_row)
