"""The status bar's line about the last batch: it stays until the next batch starts.

(A temporary status message would vanish after a few seconds, or under the next hover tip.)
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel, QWidget


class BatchSummary(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Result of the last batch"))

    def started(self) -> None:
        self.setText(self.tr("Reading ..."))

    def cancelling(self) -> None:
        self.setText(self.tr("Cancelling: the page being read finishes, no new one starts ..."))

    def finished(
        self, done: int, failed: int, cancelled: int, seconds: float, restored: int
    ) -> None:
        """``done``, ``failed`` and ``cancelled`` documents; ``restored`` archive pages."""
        parts = [self.tr("%n document(s) done", "", done)]
        if failed:
            parts.append(self.tr("%n failed", "", failed))
        if cancelled:
            parts.append(self.tr("%n cancelled", "", cancelled))
        text = ", ".join(parts)
        text += " " + self.tr("in {0} s").format(QLocale().toString(seconds, "f", 1))
        if restored:
            text += "; " + self.tr("%n page(s) taken from the archive", "", restored)
        self.setText(text)
