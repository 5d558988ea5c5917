"""Closing the window while documents are being read asks first."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class CloseQuestion(QMessageBox):
    """Quit while ``unfinished`` documents are queued or being read?

    Quit stops reading after the current page; the batch stays in the archive and is offered
    for resuming at the next start. The caller opens the box and acts on ``Yes``.
    """

    def __init__(self, parent: QWidget, unfinished: int) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(self.tr("Quit while reading?"))
        self.setText(self.tr("%n document(s) are not read yet.", "", unfinished))
        self.setInformativeText(
            self.tr(
                "If you quit now, reading stops after the current page. The batch is kept "
                "and offered for resuming at the next start."
            )
        )
        self.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        self.button(QMessageBox.StandardButton.Yes).setText(self.tr("&Quit"))
        self.setDefaultButton(QMessageBox.StandardButton.Cancel)
