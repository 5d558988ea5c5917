"""Documents into the queue from the user's hands: the Open dialogs and a pasted image.

What is chosen goes to ``window.enqueue`` (the engine and language of the toolbar); an image
from the clipboard or a drop is saved as a PNG first, named by when it came ("Pasted
2026-12-05 19-03-13.png"). The app's window keeps them in the folder beside the archive, which
refers to them by path: in a temporary folder they were gone after a restart, with the page
view of every pasted document in the archive.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog

from ablage_desktop.engine import SUPPORTED_SUFFIXES

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow


log = logging.getLogger(__name__)


def document_filter(
    documents: str, all_files: str, both_cases: bool = sys.platform.startswith("linux")
) -> str:
    """The Open dialog's filters: every type the engine reads (by name), or any file.

    Linux's native dialogs (GTK's, the desktop portal's) match a pattern's case: without
    ``*.HEIC`` an iPhone's IMG_0001.HEIC, or a scanner's SCAN0001.PDF, would not be offered."""
    suffixes = sorted(SUPPORTED_SUFFIXES)
    if both_cases:
        suffixes += [suffix.upper() for suffix in suffixes]
    patterns = " ".join(f"*{suffix}" for suffix in suffixes)
    return f"{documents} ({patterns});;{all_files} (*)"


def pasted_path(folder: Path, when: datetime) -> Path:
    """A free file name in ``folder`` for an image pasted at ``when``."""
    stem = f"Pasted {when:%Y-%m-%d %H-%M-%S}"
    path = folder / f"{stem}.png"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"{stem} ({number}).png"
    return path


class DocumentIntake(QObject):
    """File > Open documents, Open folder and Paste image."""

    def __init__(self, window: MainWindow, pasted_folder: Path | None = None) -> None:
        """``pasted_folder``: where pasted images are kept; None: a temporary folder each."""
        super().__init__(window)
        self._window = window
        self._pasted_folder = pasted_folder

    def open_files(self) -> None:
        window = self._window
        files, _ = QFileDialog.getOpenFileNames(
            window,
            self.tr("Open documents"),
            str(window.settings.value("last_folder", str(Path.home()))),
            document_filter(self.tr("Documents"), self.tr("All files")),
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
        folder = self._pasted_folder
        try:
            if folder is None:
                folder = Path(tempfile.mkdtemp(prefix="ablage-paste-"))
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("no folder for a pasted image: %s", exc)
            self._could_not_save(folder)
            return
        path = pasted_path(folder, datetime.now())
        if not image.save(str(path), "PNG"):
            self._could_not_save(folder)
            return
        self._window.enqueue([str(path)])

    def _could_not_save(self, folder: Path | None) -> None:
        where = str(folder) if folder is not None else self.tr("a temporary folder")
        self._window.statusBar().showMessage(
            self.tr("The pasted image could not be saved in {0}.").format(where), 10_000
        )
