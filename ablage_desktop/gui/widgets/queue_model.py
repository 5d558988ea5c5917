"""The queue's rows as a table model: every dropped document, its pages, state and engine.

The model holds the documents in the order they were dropped; the view (``queue_view.py``) only
shows them, sorted where the user asks. A page read changes one row, and only that row is
announced (``dataChanged``), so a long batch does not repaint the whole queue. Its words keep
the translation context ``QueueView``, where they were first written.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from ablage_desktop.engine import DocumentState, OcrDocument, OcrPage, display
from ablage_desktop.gui.reasons import with_detail

COLUMNS = ("name", "pages", "state", "backend")
NAME, PAGES, STATE, BACKEND = range(len(COLUMNS))
ARCHIVED_BATCH = 0
"""The batch id of documents opened from the archive (batches the engine runs count from 1)."""
SORT_ROLE = Qt.ItemDataRole.UserRole
"""What a column sorts by: numbers for the pages, names without case for the rest."""

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class QueueEntry:
    """One document of the queue and what the engine said about it so far."""

    batch: int
    position: int
    path: str
    pages_total: int = 0
    pages: dict[int, OcrPage] = field(default_factory=dict)
    state: DocumentState = DocumentState.PENDING
    reason: str = ""
    kind: str = ""
    """The engine's error kind of a failed document (``empty``, ``encrypted`` ...)."""
    backend: str = "auto"
    """The engine the user asked for: a resumed document is read on with it."""
    result: OcrDocument | None = None
    restored: set[int] = field(default_factory=set)
    """Indices of the pages taken from the archive instead of being recognised again."""

    @property
    def edited(self) -> bool:
        """A page of it was changed in the window (now, or before: from the archive)."""
        return any(page.corrected for page in self.pages.values())

    @property
    def exportable(self) -> bool:
        return self.result is not None and bool(self.result.pages)

    @property
    def backends(self) -> str:
        return ", ".join(sorted({page.backend for page in self.pages.values()}))


def header_titles() -> tuple[str, ...]:
    """The column titles, in the user's language."""
    return (
        QCoreApplication.translate("QueueView", "Document"),
        QCoreApplication.translate("QueueView", "Pages"),
        QCoreApplication.translate("QueueView", "State"),
        QCoreApplication.translate("QueueView", "Engine"),
    )


def state_word(state: DocumentState) -> str:
    """One short word for a document's state: the reason of a failure is in the tooltip."""
    words = {
        DocumentState.PENDING: QCoreApplication.translate("QueueView", "queued"),
        DocumentState.RUNNING: QCoreApplication.translate("QueueView", "running"),
        DocumentState.DONE: QCoreApplication.translate("QueueView", "done"),
        DocumentState.FAILED: QCoreApplication.translate("QueueView", "failed"),
        DocumentState.CANCELLED: QCoreApplication.translate("QueueView", "cancelled"),
        DocumentState.ARCHIVED: QCoreApplication.translate("QueueView", "from the archive"),
    }
    return words[state]


def state_text(entry: QueueEntry) -> str:
    """The state column: the word, and how many pages were read of a document that failed,
    came from the archive or were edited."""
    text = state_word(entry.state)
    if entry.state is DocumentState.FAILED and entry.pages:  # read as far as it went
        text += QCoreApplication.translate("QueueView", " ({0} page(s) read)").format(
            len(entry.pages)
        )
    if entry.restored and entry.state is not DocumentState.ARCHIVED:
        text += QCoreApplication.translate("QueueView", " ({0} from the archive)").format(
            len(entry.restored)
        )
    if entry.edited:
        text += QCoreApplication.translate("QueueView", " (edited)")
    return text


def pages_text(entry: QueueEntry) -> str:
    """Pages read of all while the document is read, else how many it has (blank if unknown)."""
    if entry.state is DocumentState.RUNNING and entry.pages_total:
        return f"{len(entry.pages)}/{entry.pages_total}"
    return str(entry.pages_total) if entry.pages_total else ""


def tooltip(entry: QueueEntry) -> str:
    """The whole story of a row: the reason of a failure (or the path) and restored pages."""
    tip = with_detail(entry.kind, entry.reason) if entry.kind else entry.path
    if entry.restored:
        tip += "\n" + QCoreApplication.translate(
            "QueueView", "{0} page(s) taken from the archive, not read again"
        ).format(len(entry.restored))
    return display(tip)


def cell_text(entry: QueueEntry, column: int) -> str:
    """What column ``column`` of the entry's row shows (a name that is not UTF-8 shows
    U+FFFD, not nothing)."""
    texts = (Path(entry.path).name, pages_text(entry), state_text(entry), entry.backends)
    return display(texts[column])


def sort_key(entry: QueueEntry, column: int) -> int | str:
    if column == PAGES:
        return entry.pages_total
    if column == STATE:
        return state_word(entry.state).casefold()
    return cell_text(entry, column).casefold()


class QueueModel(QAbstractTableModel):
    """The queue's documents in drop order, found by row or by (batch, position)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[QueueEntry] = []
        self._rows: dict[tuple[int, int], int] = {}
        self._archived = itertools.count()

    # --- the table ------------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry, column = self.entries[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(entry)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PAGES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return sort_key(entry, column)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            titles = header_titles()
            return titles[section] if 0 <= section < len(titles) else None
        return super().headerData(section, orientation, role)

    def refresh_row(self, row: int) -> None:
        """Announce that row ``row`` changed (its cells and tooltips), and nothing else."""
        if 0 <= row < len(self.entries):
            last = len(COLUMNS) - 1
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    # --- rows in and out ------------------------------------------------------------------------

    def add_batch(self, batch: int, paths: list[str], backend: str = "auto") -> bool:
        """Rows for ``batch``'s documents; False when it has exactly these rows already.

        Rows announced at the drop that differ from the list the batch reads (a folder
        changed in between) are replaced, where they were.
        """
        rows = [row for row, entry in enumerate(self.entries) if entry.batch == batch]
        if [self.entries[row].path for row in rows] == paths:
            return False
        at = rows[0] if rows else len(self.entries)
        if rows:
            self.beginRemoveRows(QModelIndex(), rows[0], rows[-1])
            del self.entries[rows[0] : rows[-1] + 1]
            self.endRemoveRows()
        if paths:
            self.beginInsertRows(QModelIndex(), at, at + len(paths) - 1)
            for offset, path in enumerate(paths):
                self.entries.insert(at + offset, QueueEntry(batch, offset, path, backend=backend))
            self.endInsertRows()
        self._reindex()
        return True

    def has_batch(self, batch: int) -> bool:
        return any(entry.batch == batch for entry in self.entries)

    def add_archived(self, document: OcrDocument) -> int:
        """A document opened from the archive: its stored pages, nothing read again; its row."""
        pages = {page.index: page for page in document.pages}
        entry = QueueEntry(
            ARCHIVED_BATCH,
            next(self._archived),
            str(document.document),
            pages_total=max(pages, default=-1) + 1,
            pages=pages,
            state=DocumentState.ARCHIVED,
            result=document,
            restored=set(pages),
        )
        return self._add(entry)

    def _add(self, entry: QueueEntry) -> int:
        row = len(self.entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows[(entry.batch, entry.position)] = row
        self.entries.append(entry)
        self.endInsertRows()
        return row

    def remove_rows(self, rows: list[int]) -> bool:
        """Take finished rows out (queued or running ones stay); whether any went."""
        gone = {row for row in rows if 0 <= row < len(self.entries)}
        gone = {row for row in gone if not self.entries[row].state.active}
        for row in sorted(gone, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.entries[row]
            self.endRemoveRows()
        if gone:
            self._reindex()
        return bool(gone)

    def _reindex(self) -> None:
        self._rows = {(e.batch, e.position): row for row, e in enumerate(self.entries)}

    # --- finding rows ---------------------------------------------------------------------------

    def has_active(self) -> bool:
        """Whether a document is still queued or being read."""
        return any(entry.state.active for entry in self.entries)

    def entry(self, batch: int, position: int) -> tuple[int, QueueEntry] | None:
        row = self._rows.get((batch, position))
        return None if row is None else (row, self.entries[row])

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

    # --- what the engine says -------------------------------------------------------------------

    def document_started(self, batch: int, position: int, pages: int) -> None:
        found = self.entry(batch, position)
        if found:
            row, entry = found
            entry.pages_total, entry.state = pages, DocumentState.RUNNING
            self.refresh_row(row)

    def page_done(self, batch: int, position: int, page: OcrPage) -> None:
        found = self.entry(batch, position)
        if found:
            row, entry = found
            entry.pages[page.index] = page
            entry.state = DocumentState.RUNNING
            self.refresh_row(row)

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
            entry.state, error = DocumentState.of(result), result.error
            entry.kind = error.kind if error else ""
            entry.reason = error.message if error and entry.state is DocumentState.FAILED else ""
            self.refresh_row(row)
