"""The OCR language of the next documents, chosen in the window (as ``--lang`` on the CLI).

Only engines that are told their languages (Tesseract) use it; for the others, and for auto,
which routes each page to an engine of its own choosing, the box is disabled and says why.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

CONFIGURED = ""
"""The item that leaves the languages to the configuration."""


class LanguageBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Language of the documents"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for code, label in (
            (CONFIGURED, self.tr("as configured")),
            ("deu", self.tr("German")),
            ("eng", self.tr("English")),
            ("deu+eng", self.tr("German and English")),
        ):
            self.addItem(label, code)
        self.set_applicable(False)

    def languages(self) -> str | None:
        """The ``languages`` for the request; None when the configuration decides."""
        if not self.isEnabled():
            return None
        return str(self.currentData() or "") or None

    def choose(self, code: str) -> None:
        index = self.findData(code)
        self.setCurrentIndex(max(0, index))

    def set_applicable(self, applicable: bool) -> None:
        """Enabled for an engine that takes languages; disabled, with the reason, otherwise."""
        self.setEnabled(applicable)
        if applicable:
            self.setToolTip(self.tr("Language of the next documents, for the chosen engine"))
        else:
            self.setToolTip(
                self.tr(
                    "The language applies to an engine chosen by name that is told its "
                    "languages (Tesseract); the others recognise the language themselves."
                )
            )
