"""Documents into the queue from the user's hands: the Open dialogs and a pasted image.

What is chosen goes to ``window.enqueue`` (the engine and language of the toolbar); an image
from the clipboard or a drop is saved as a PNG in a folder of its own first.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow


class DocumentIntake(QObject):
    """File > Open documents, Open folder and Paste image."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def open_files(self) -> None:
        window = self._window
        files, _ = QFileDialog.getOpenFileNames(
            window,
            self.tr("Open documents"),
            str(window.settings.value("last_folder", str(Path.home()))),
            self.tr(
                "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)"
            ),
        )
        if files:
            window.settings.setValue("last_folder", str(Path(files[0]).parent))
            window.enqueue(files)

    def open_folder(self) -> None:
        window = self._window
        folder = QFileDialog.getExistingDirectory(
            window,
            self.tr("Open a folder of documents"),
            str(window.settings.value("last_folder", "")),
        )
        if folder:
            window.settings.setValue("last_folder", folder)
            window.enqueue([folder])

    def paste_image(self) -> None:
        clipboard = QApplication.clipboard()
        mime = clipboard.mimeData()
        if mime is not None and mime.hasUrls():
            self._window.enqueue([url.toLocalFile() for url in mime.urls() if url.isLocalFile()])
            return
        image = clipboard.image()
        if image.isNull():
            self._window.statusBar().showMessage(self.tr("The clipboard holds no image."), 5000)
            return
        self.enqueue_image(image)

    def enqueue_image(self, image: QImage) -> None:
        folder = Path(tempfile.mkdtemp(prefix="ablage-paste-"))
        path = folder / "pasted.png"
        if image.save(str(path), "PNG"):
            self._window.enqueue([str(path)])
