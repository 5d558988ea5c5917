"""Locked PDFs in the queue: a bar offers to enter the password, and the documents that asked
for one are read again with it.

The password is kept for this session only (the engine tries it from the next batch on);
``intake.pdf_passwords`` in the configuration file keeps passwords for good. The documents'
failed rows give way to their new reading.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from ablage_desktop.engine import OcrDocument
from ablage_desktop.gui.widgets.notice_bar import NoticeBar

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

LOCKED = "encrypted"
"""The engine's error kind of a PDF that asks for a password it was not given."""


class PdfPasswords(QObject):
    """The bar, the password dialog and the documents waiting for a password."""

    def __init__(self, window: MainWindow, central: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._locked: list[str] = []
        self.bar = NoticeBar("info", central)
        self.enter_button = self.bar.add_button(self.tr("Enter password…"))
        self.enter_button.clicked.connect(self.ask)

    def document_finished(self, batch: int, position: int, result: OcrDocument) -> None:
        error = result.error
        if error is None or error.kind != LOCKED:
            return
        path = str(result.document)
        if path not in self._locked:
            self._locked.append(path)
        self.bar.show_message(
            self.tr("Protected by a password: {0}. Enter it to read them.").format(self._names())
        )

    def ask(self) -> None:
        """Ask for the password; with one, read the locked documents again."""
        if not self._locked:
            self.bar.hide()
            return
        password, ok = QInputDialog.getText(
            self._window,
            self.tr("PDF password"),
            self.tr("The password of {0} (kept until the app closes):").format(self._names()),
            QLineEdit.EchoMode.Password,
        )
        if not ok or not password:
            return
        locked, self._locked = self._locked, []
        self.bar.hide()
        self._window.bridge.add_pdf_password(password)
        queue = self._window.queue
        refused = [
            row
            for row, entry in enumerate(queue.entries)
            if entry.kind == LOCKED and entry.path in locked
        ]
        queue.remove_rows(refused)  # their new reading takes their place
        self._window.enqueue(locked)

    def _names(self) -> str:
        return ", ".join(Path(locked).name for locked in self._locked)
