"""A frame read on every page of the document: a pile of forms scanned into one PDF.

Forty invoices scanned into one file, each page the same form: the person frames the invoice
number on one page, and the page's menu reads that place on every page (Read the frame on
every page), as ``ocr --area`` does on the command line (the frame in per cent of the page, so
a page scanned at another resolution gives the same place; the words whose middle is in it;
a page lying the other way turned upright first; a page read from its PDF text layer cut from
it). The pages come one after the other into a table, a row a page, while the batch thread
reads them (after any batch queued before); the table is copied as tab-separated rows, which
a spreadsheet pastes into cells, or saved as CSV (``render_csv``, with the byte order mark
Excel needs). Closing the table stops the reading before its next page. Nothing of it goes
into the archive: it is not the pages' reading.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
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
from ablage_desktop.gui.failures import describe
from ablage_desktop.gui.tasks import Task
from ablage_desktop.gui.widgets.page_view import Area

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow


@dataclasses.dataclass(frozen=True, slots=True)
class PageField:
    """What the frame held on one page: its text, or why the page could not be read."""

    index: int
    page: OcrPage | None
    failure: str = ""


def read_every_page(
    engine: Engine,
    path: Path,
    pages: int,
    area: PageArea,
    backend: str,
    languages: str | None,
) -> Iterator[PageField]:
    """``area`` of each of the ``pages`` pages of ``path``, one request a page (so each comes
    as soon as it is read, and a cancel stops before the next); a page that fails says why
    and the next is read."""
    for index in range(pages):
        request = OcrRequest(
            [path],
            backend=backend,
            languages=languages,
            archive=False,
            areas=(area,),
            pages=PageSelection(((index + 1, index + 1),)),
        )
        try:
            (document,) = engine.ocr(request)
        except AblageError as exc:  # the engine itself (not loaded): no page will read
            yield PageField(index, None, describe(exc)[1])
            return
        read = document.pages[0] if document.pages else None
        why = document.error.message if document.error is not None else ""
        yield PageField(index, read, "" if read is not None else why)


class FramePages(QObject):
    """The page menu's Read the frame on every page: starts the reading, opens its table."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: FramePagesDialog | None = None

    def start(self, area: Area) -> FramePagesDialog | None:
        """Read ``area`` of the shown page (its pixels) on every page of its document, with
        the engine chosen in the engine box."""
        window = self._window
        shown = window.navigation.readable()
        page = window.navigation.current_page()
        if shown is None or page is None:
            window.statusBar().showMessage(
                self.tr("Frame an area of a page that has been read first."), 6000
            )
            return None
        entry, _ = shown
        backend = window.engine_choice.backend()
        status = window.engine_choice.status(backend)
        languages = window.language_box.languages() if status and status.takes_languages else None
        pages = max(entry.pages_total, len(entry.pages), 1)
        dialog = FramePagesDialog(window, Path(entry.path), pages, backend)
        bridge = window.bridge
        dialog.task = bridge.run_batch(
            read_every_page,
            bridge.engine,
            Path(entry.path),
            pages,
            PageArea.in_percent(area, page.width, page.height),
            backend,
            languages,
            on_item=dialog.add,
            on_finished=dialog.reading_ended,
            on_error=dialog.failed,
        )
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.close()  # its reading stops; it goes once its last page came
        self.dialog = dialog
        dialog.show()
        return dialog


class FramePagesDialog(QDialog):
    """The frame's text of each page as it is read: copied as a table or saved as CSV."""

    def __init__(self, parent: QWidget, path: Path, pages: int, backend: str) -> None:
        super().__init__(parent)
        self.path = path
        self.pages = pages
        self.backend = backend
        self.task: Task | None = None
        self.fields: list[PageField] = []
        self.ended = False
        """The reading has ended (the dialog may go: no page will come to it any more)."""
        self.setWindowTitle(self.tr("The frame on every page: {0}").format(display(path.name)))
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Page"), self.tr("Text in the frame")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName(self.tr("The frame's text on each page"))
        self.status = QLabel(self.tr("Reading page 1 of {0} with {1}...").format(pages, backend))
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
        self.resize(640, 420)

    def add(self, field: PageField) -> None:
        """One page's row, as it comes."""
        self.fields.append(field)
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(str(field.index + 1)))
        text = field.page.text if field.page is not None else ""
        item = QTableWidgetItem(text.replace("\n", " / ") if text else "")
        if field.page is None:
            item = QTableWidgetItem(self.tr("(not read: {0})").format(field.failure))
        item.setToolTip(text or field.failure)
        self.table.setItem(row, 1, item)
        if field.index + 1 < self.pages:
            self.status.setText(
                self.tr("Reading page {0} of {1} with {2}...").format(
                    field.index + 2, self.pages, self.backend
                )
            )

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

    def rows(self) -> list[tuple[int, str]]:
        """Each page read and the frame's text on it, in page order."""
        return [
            (field.index + 1, field.page.text)
            for field in sorted(self.fields, key=lambda field: field.index)
            if field.page is not None
        ]

    def copy(self) -> None:
        """The table as tab-separated rows (a cell's lines joined by spaces): a spreadsheet
        pastes them into cells."""
        lines = [self.tr("Page") + "\t" + self.tr("Text in the frame")]
        lines += [f"{number}\t{' '.join(text.split())}" for number, text in self.rows()]
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
        self.status.setText(self.tr("Copied {0} row(s).").format(len(lines) - 1))

    def ask_where(self) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the table"),
            str(Path.home() / f"{self.path.stem}-frame.csv"),
            self.tr("Table, a row a page (*.csv)"),
        )
        if target:
            self.save(Path(target))

    def save(self, target: Path) -> None:
        """The table as CSV, ``document,page,text``, all or nothing."""
        pages = [field.page for field in self.fields if field.page is not None]
        if not pages:
            self.status.setText(self.tr("No page has been read yet."))
            return
        document = OcrDocument(self.path, pages=sorted(pages, key=lambda page: page.index))
        try:
            write_atomic(target, render_csv(document))
        except (OSError, AblageError) as exc:
            message = exc.message if isinstance(exc, AblageError) else str(exc.strerror or exc)
            self.status.setText(self.tr("Not saved: {0}").format(message))
            return
        self.status.setText(self.tr("Saved {0}.").format(display(target)))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the reading before its next page; the dialog goes when nothing can come to it
        any more (the page being read still does)."""
        if self.task is not None:
            self.task.cancel()
        if self.ended:
            self.deleteLater()
        super().closeEvent(event)
