"""A frame read on every page: the same field of a pile of forms, into a table.

Forty invoices scanned into the queue (a file each, or one file of forty pages), each the
same form: the person frames the invoice number on one page, and the page's menu reads that
place on every page of the document or of every document read in the queue, as ``ocr --area``
does on the command line (the frame in per cent of the page, so a page scanned at another
resolution gives the same place; the words whose middle is in it; a page lying the other way
turned upright first; a page read from its PDF text layer cut from it). The pages come into a
table, a row a page, while the batch thread reads them, a few pages of a document at a time
(after any batch queued before); the table is copied as tab-separated rows, which a
spreadsheet pastes into cells, or saved as CSV (``render_csv``, with the byte order mark Excel
needs). Closing the table stops the reading before its next page. Nothing of it goes into
the archive: it is not the pages' reading.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ablage_desktop.engine import (
    CancelToken,
    Engine,
    OcrDocument,
    OcrPage,
    OcrRequest,
    PageArea,
    PageSelection,
    display,
    render_csv,
    write_atomic,
)
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui import export_target
from ablage_desktop.gui.failures import describe
from ablage_desktop.gui.tasks import Task
from ablage_desktop.gui.widgets.line_box import GOOD_CONFIDENCE, confidence_colour
from ablage_desktop.gui.widgets.page_view import Area
from ablage_desktop.gui.widgets.queue_model import QueueEntry

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

UNSURE_ALPHA = 90
"""How strongly a value the engine was unsure of is shaded in its box's colour."""
PAGES_A_REQUEST = 4
"""Pages of a document read in one request, side by side as a batch reads them: a request a
page opened the document for each and read one page at a time (a frame on 12 pages of a PDF
took 1.5-1.8 times as long with Tesseract, 1.6-1.9 times with RapidOCR); their rows come
together."""


@dataclasses.dataclass(frozen=True, slots=True)
class PageField:
    """What the frame held on one page of ``path``: its text, or why it could not be read."""

    path: Path
    index: int
    page: OcrPage | None
    failure: str = ""

    @property
    def sureness(self) -> float | None:
        """How sure the engine was of the frame's text: its least sure line's confidence;
        None where nothing was read there."""
        lines = [line for line in self.page.lines if line.in_text] if self.page else []
        return min((line.confidence for line in lines), default=None)


def read_every_page(
    engine: Engine,
    documents: list[tuple[Path, int]],
    area: PageArea,
    backend: str,
    languages: str | None,
    cancel: CancelToken,
) -> Iterator[PageField]:
    """``area`` of each page of ``documents`` (each file and its number of pages), a request
    for each ``PAGES_A_REQUEST`` pages of a document; ``cancel`` stops the reading before
    its next page. A page that fails says why and the next is read."""
    for path, pages in documents:
        for first in range(0, pages, PAGES_A_REQUEST):
            if cancel.cancelled:
                return
            last = min(first + PAGES_A_REQUEST, pages)
            request = OcrRequest(
                [path],
                backend=backend,
                languages=languages,
                archive=False,
                areas=(area,),
                pages=PageSelection(((first + 1, last),)),
            )
            try:
                (document,) = engine.ocr(request, cancel)
            except AblageError as exc:  # the engine itself (not loaded): no page will read
                yield PageField(path, first, None, describe(exc)[1])
                return
            read = {page.index: page for page in document.pages}
            why = document.error.message if document.error is not None else ""
            for index in range(first, last):
                if cancel.cancelled and index not in read:
                    return  # the pages read before the cancel have come
                page = read.get(index)
                yield PageField(path, index, page, "" if page is not None else why)


class FramePages(QObject):
    """The page menu's Read the frame on every page: starts the reading, opens its table."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: FramePagesDialog | None = None

    def in_document(self, area: Area) -> FramePagesDialog | None:
        """Read ``area`` of the shown page (its pixels) on every page of its document."""
        shown = self._window.navigation.readable()
        return self._start(area, [] if shown is None else [shown[0]])

    def in_queue(self, area: Area) -> FramePagesDialog | None:
        """Read ``area`` of the shown page on every page of every document of the queue
        that has been read and whose file is still there."""
        entries = [
            entry
            for entry in self._window.queue.entries
            if entry.result is not None and entry.result.pages and Path(entry.path).is_file()
        ]
        return self._start(area, entries)

    def _start(self, area: Area, entries: list[QueueEntry]) -> FramePagesDialog | None:
        """The reading of ``area`` on every page of ``entries``, with the engine chosen in
        the engine box, and its table."""
        window = self._window
        page = window.navigation.current_page()
        if not entries or page is None:
            window.statusBar().showMessage(
                self.tr("Frame an area of a page that has been read first."), 6000
            )
            return None
        backend = window.engine_choice.backend()
        status = window.engine_choice.status(backend)
        languages = window.language_box.languages() if status and status.takes_languages else None
        documents = [
            (Path(entry.path), max(entry.pages_total, len(entry.pages), 1)) for entry in entries
        ]
        folder = export_target.default_folder(window.settings)
        dialog = FramePagesDialog(window, documents, backend, folder)
        dialog.pageChosen.connect(self.show_page)
        bridge = window.bridge
        dialog.task = bridge.run_batch(
            read_every_page,
            bridge.engine,
            documents,
            PageArea.in_percent(area, page.width, page.height, page.turns),
            backend,
            languages,
            dialog.stopped,
            on_item=dialog.add,
            on_finished=dialog.reading_ended,
            on_error=dialog.failed,
        )
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.close()  # its reading stops; it goes once its last page came
        self.dialog = dialog
        dialog.show()
        return dialog

    def show_page(self, path: str, index: int) -> None:
        """Show page ``index`` of ``path`` in the window (a row of the table double-clicked:
        the value checked on its page), where its document is still in the queue."""
        entries = self._window.queue.entries
        row = next((n for n, entry in enumerate(entries) if entry.path == path), None)
        if row is not None:
            self._window.navigation.open_row(row, index)


class FramePagesDialog(QDialog):
    """The frame's text of each page as it is read: copied as a table or saved as CSV; a row
    double-clicked shows its page in the window (``pageChosen``)."""

    pageChosen = Signal(str, int)  # the document's path, the page's index

    def __init__(
        self, parent: QWidget, documents: list[tuple[Path, int]], backend: str, folder: Path
    ) -> None:
        super().__init__(parent)
        self.documents = documents
        self.folder = folder
        """Where Save as CSV proposes the file: the folder exported to last."""
        self.pages = sum(pages for _, pages in documents)
        self.backend = backend
        self.task: Task | None = None
        self.stopped = CancelToken()
        """Cancelled as the dialog closes: the reading stops before its next page."""
        self.fields: list[PageField] = []
        self.ended = False
        """The reading has ended (the dialog may go: no page will come to it any more)."""
        first = documents[0][0]
        title = display(first.name) if len(documents) == 1 else self.tr("the queue")
        self.setWindowTitle(self.tr("The frame on every page: {0}").format(title))
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Document"), self.tr("Page"), self.tr("Text in the frame")]
        )
        header = self.table.horizontalHeader()
        for column in (0, 1):  # a pile's names and page numbers: short, the text takes the rest
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("The frame's text on each page"))
        self.table.setToolTip(self.tr("Double-click a row to see its page"))
        self.table.cellDoubleClicked.connect(self._chosen)
        self.status = QLabel(self._progress(0))
        self.copy_button = QPushButton(self.tr("&Copy as table"), self)
        self.save_button = QPushButton(self.tr("&Save as CSV..."), self)
        close = QPushButton(self.tr("C&lose"), self)
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self.ask_where)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for widget in (self.copy_button, self.save_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(720, 440)

    def _progress(self, done: int) -> str:
        return self.tr("Reading page {0} of {1} with {2}...").format(
            done + 1, self.pages, self.backend
        )

    def add(self, field: PageField) -> None:
        """One page's row, as it comes."""
        self.fields.append(field)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(display(field.path.name)))
        self.table.setItem(row, 1, QTableWidgetItem(str(field.index + 1)))
        text = field.page.text if field.page is not None else ""
        item = QTableWidgetItem(text.replace("\n", " / "))
        if field.page is None:
            item = QTableWidgetItem(self.tr("(not read: {0})").format(field.failure))
        item.setToolTip(text or field.failure)
        sure = field.sureness
        if sure is not None:  # the value to check stands out as its box does on the page
            item.setToolTip(self.tr("{0}\n{1:.0%} sure").format(text, sure))
            if sure < GOOD_CONFIDENCE:
                shade = confidence_colour(sure)
                shade.setAlpha(UNSURE_ALPHA)
                item.setBackground(shade)
        self.table.setItem(row, 2, item)
        if len(self.fields) < self.pages:
            self.status.setText(self._progress(len(self.fields)))

    def _chosen(self, row: int, _column: int) -> None:
        field = self.fields[row]
        self.pageChosen.emit(str(field.path), field.index)

    def reading_ended(self) -> None:
        self.ended = True
        if not self.isVisible():  # closed while a page was being read: it came, now it goes
            self.deleteLater()
            return
        read = sum(field.page is not None for field in self.fields)
        self.status.setText(
            self.tr("Read the frame on {0} of {1} pages with {2}.").format(
                read, self.pages, self.backend
            )
        )

    def failed(self, error: AblageError) -> None:
        self.status.setText(describe(error)[1])

    def rows(self) -> list[tuple[str, int, str]]:
        """Each page read: its document's name, its number and the frame's text on it."""
        return [
            (field.path.name, field.index + 1, field.page.text)
            for field in self.fields
            if field.page is not None
        ]

    def copy(self) -> None:
        """The table as tab-separated rows (a cell's lines joined by spaces): a spreadsheet
        pastes them into cells."""
        header = "\t".join((self.tr("Document"), self.tr("Page"), self.tr("Text in the frame")))
        lines = [header] + [
            f"{name}\t{number}\t{' '.join(text.split())}" for name, number, text in self.rows()
        ]
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
        self.status.setText(self.tr("Copied {0} row(s).").format(len(lines) - 1))

    def ask_where(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the table"),
            str(self.folder / f"{self.documents[0][0].stem}-frame.csv"),
            self.tr("Table, a row a page (*.csv)"),
        )
        if target:
            self.save(Path(target))

    def save(self, target: Path) -> None:
        """The table as CSV, ``document,page,text``, one table for every document, all or
        nothing."""
        read: dict[Path, list[OcrPage]] = {}
        for field in self.fields:
            if field.page is not None:
                read.setdefault(field.path, []).append(field.page)
        if not read:
            self.status.setText(self.tr("No page has been read yet."))
            return
        data = b"".join(
            render_csv(OcrDocument(path, pages=pages), header=n == 0, bom=n == 0)
            for n, (path, pages) in enumerate(read.items())
        )
        try:
            write_atomic(target, data)
        except OSError as exc:
            self.status.setText(self.tr("Not saved: {0}").format(exc.strerror or exc))
            return
        self.status.setText(self.tr("Saved {0}.").format(display(target)))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the reading before its next page; the dialog goes when nothing can come to it
        any more (the page being read still does)."""
        if self.task is not None:
            self.task.cancel()
        self.stopped.cancel()
        if self.ended:
            self.deleteLater()
        super().closeEvent(event)
