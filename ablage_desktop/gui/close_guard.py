"""Closing the window while documents are being read asks first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
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


class QuitGuard(QObject):
    """Asks before the window closes while documents are unfinished; closes it on Quit.

    ``unfinished`` counts the documents queued or being read; ``close`` closes the window.
    """

    def __init__(
        self, window: QWidget, unfinished: Callable[[], int], close: Callable[[], object]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._unfinished = unfinished
        self._close = close
        self.question: CloseQuestion | None = None
        self.confirmed = False

    def asks(self) -> bool:
        """Open the question when documents are unfinished; True when it is open."""
        unfinished = self._unfinished()
        if not unfinished or self.confirmed:
            return False
        if self.question is None:
            self.question = CloseQuestion(self._window, unfinished)
            self.question.finished.connect(self._answered)
            self.question.open()
        return True

    def _answered(self, answer: int) -> None:
        question, self.question = self.question, None
        if question is not None:
            question.deleteLater()
        if answer == QMessageBox.StandardButton.Yes:
            self.confirmed = True
            self._close()
