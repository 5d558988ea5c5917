"""The queue in the window: the rows of ``QueueModel`` in a table, its menu and its signals.

Rows are always the model's rows (drop order), whatever column the user sorts by: the view maps
them through its sort proxy, so the window's row numbers stay the same while the view reorders.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from ablage_desktop.engine import DocumentState, OcrDocument, OcrPage
from ablage_desktop.gui.widgets.fitted_columns import FittedColumns
from ablage_desktop.gui.widgets.queue_model import (
    PAGES,
    SORT_ROLE,
    STATE,
    QueueEntry,
    QueueModel,
)

ENGINE_WIDTH = 80
"""The engine column's width: names like rapidocr+tesseract are shortened in the middle."""


class QueueView(QTableView):
    """Rows in the order documents were dropped; selecting one shows it in the viewer."""

    documentSelected = Signal(int)  # row
    exportRequested = Signal(int)  # row
    resumeRequested = Signal(object)  # rows of cancelled documents to read on
    rereadRequested = Signal(int, str)  # row, engine to read it again with
    rowsRemoved = Signal()  # rows were taken out of the queue (Remove, Clear finished)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue_model = QueueModel(self)
        self._sorted = QSortFilterProxyModel(self)
        self._sorted.setSourceModel(self.queue_model)
        self._sorted.setSortRole(SORT_ROLE)
        self.setModel(self._sorted)
        self.setAccessibleName(self.tr("Document queue"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        # Names keep their suffix in view ("scan.pdf" and "scan.png"); the state column holds
        # one short word and never grows with a long reason, which is in the tooltip.
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setWordWrap(False)
        self._arrange_columns()
        self._engines: list[tuple[str, str]] = []
        self._menu_row = 0
        self.selectionModel().selectionChanged.connect(self._selection_changed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def _arrange_columns(self) -> None:
        """The name takes the room left; a third click on a title goes back to drop order."""
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Pages and state as wide as their texts, measured a changed row at a time (Qt's
        # ResizeToContents measured many rows' cells on every page read: fitted_columns.py).
        header.setSectionResizeMode(PAGES, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.Interactive)
        self._fitted = FittedColumns(self, self.queue_model, (PAGES, STATE))
        self._fitted.refit()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, max(ENGINE_WIDTH, header.sectionSizeHint(3)))  # its title
        header.setMinimumSectionSize(36)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    # --- the model's rows, as the window asks for them --------------------------------------------

    @property
    def entries(self) -> list[QueueEntry]:
        return self.queue_model.entries

    def add_batch(self, batch: int, paths: list[str], backend: str = "auto") -> bool:
        """Rows for ``batch`` (``QueueModel.add_batch``); False when they were there."""
        return self.queue_model.add_batch(batch, paths, backend)

    def has_batch(self, batch: int) -> bool:
        return self.queue_model.has_batch(batch)

    def add_archived(self, document: OcrDocument) -> int:
        """A document opened from the archive: its stored pages, nothing read again; its row."""
        return self.queue_model.add_archived(document)

    def has_active(self) -> bool:
        """Whether a document is still queued or being read."""
        return self.queue_model.has_active()

    def entry(self, batch: int, position: int) -> tuple[int, QueueEntry] | None:
        return self.queue_model.entry(batch, position)

    def find_document(self, sha256: str, path: str, page: int = 0) -> int | None:
        """The row of the document with ``sha256`` (see ``QueueModel.find_document``)."""
        return self.queue_model.find_document(sha256, path, page)

    def document_started(self, batch: int, position: int, pages: int) -> None:
        self.queue_model.document_started(batch, position, pages)

    def page_done(self, batch: int, position: int, page: OcrPage) -> None:
        self.queue_model.page_done(batch, position, page)

    def page_restored(self, batch: int, position: int, page: OcrPage) -> None:
        self.queue_model.page_restored(batch, position, page)

    def document_finished(self, batch: int, position: int, result: OcrDocument) -> None:
        self.queue_model.document_finished(batch, position, result)

    def refresh_row(self, row: int) -> None:
        self.queue_model.refresh_row(row)

    def set_engines(self, engines: list[tuple[str, str]]) -> None:
        """(name, label) of the engines a document can be read again with."""
        self._engines = list(engines)

    def remove_rows(self, rows: list[int]) -> None:
        """Take finished rows out of the queue (queued or running ones stay)."""
        if self.queue_model.remove_rows(rows):
            self.rowsRemoved.emit()

    def clear_finished(self) -> None:
        """Remove every row that is not queued or being read."""
        self.remove_rows(list(range(len(self.entries))))

    # --- selection, in the model's rows -------------------------------------------------------

    def selectRow(self, row: int) -> None:
        """Select the model's row ``row``, wherever sorting shows it."""
        shown = self._sorted.mapFromSource(self.queue_model.index(row, 0))
        if shown.isValid():
            super().selectRow(shown.row())

    def selected_row(self) -> int | None:
        """The model's row selected, if any."""
        rows = self.selectionModel().selectedRows()
        return self._sorted.mapToSource(rows[0]).row() if rows else None

    def _selection_changed(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.documentSelected.emit(row)

    # --- the menu ---------------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        shown = self.indexAt(pos)
        if shown.isValid():
            row = self._sorted.mapToSource(shown).row()
            self.context_menu(row).popup(self.viewport().mapToGlobal(pos))

    def context_menu(self, row: int) -> QMenu:
        """The menu of the model's row ``row`` (not shown yet; it deletes itself when closed)."""
        self._menu_row = row
        entry = self.entries[row]
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        export = menu.addAction(self.tr("Export..."))
        export.setEnabled(entry.exportable)
        export.triggered.connect(self._export_menu_row)
        resume = menu.addAction(self.tr("Resume"))
        resume.setToolTip(self.tr("Read the cancelled documents on; pages read so far are kept"))
        cancelled = [r for r, e in enumerate(self.entries) if e.state is DocumentState.CANCELLED]
        resume.setEnabled(entry.state is DocumentState.CANCELLED)
        resume.triggered.connect(lambda: self.resumeRequested.emit(cancelled))
        again = menu.addMenu(self.tr("Read again &with"))
        again.setEnabled(not entry.state.active and bool(self._engines))
        for name, label in self._engines:
            act = again.addAction(label)
            act.triggered.connect(lambda checked=False, n=name: self.rereadRequested.emit(row, n))
        menu.addSeparator()
        remove = menu.addAction(self.tr("&Remove from the queue"))
        remove.setEnabled(not entry.state.active)
        remove.triggered.connect(lambda: self.remove_rows([row]))
        clear = menu.addAction(self.tr("&Clear finished"))
        clear.setEnabled(any(not e.state.active for e in self.entries))
        clear.triggered.connect(self.clear_finished)
        return menu

    def _export_menu_row(self) -> None:
        self.exportRequested.emit(self._menu_row)
