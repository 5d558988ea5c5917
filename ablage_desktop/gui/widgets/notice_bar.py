"""A bar across the top of the window with a message and a few buttons; it never blocks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

_STYLES = {
    "info": "background: #fff4ce; border: 1px solid #e3c76a;",
    "warning": "background: #fde7e9; border: 1px solid #e8a0a8;",
}


class NoticeBar(QFrame):
    """A message with buttons, shown until a button is clicked (``dismiss_button`` hides it)."""

    def __init__(self, kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"notice-{kind}")
        self.setStyleSheet(f"#notice-{kind} {{ {_STYLES[kind]} border-radius: 4px; }}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 4, 8, 4)
        self._layout.addWidget(self.label, 1)
        self.dismiss_button = QPushButton(self.tr("Dismiss"), self)
        self.dismiss_button.clicked.connect(self.hide)
        self._layout.addWidget(self.dismiss_button)
        self.hide()

    def add_button(self, text: str) -> QPushButton:
        """A button before the dismiss button; the caller connects it."""
        button = QPushButton(text, self)
        self._layout.insertWidget(self._layout.count() - 1, button)
        return button

    def show_message(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleDescription(text)
        self.show()

    @property
    def text(self) -> str:
        return self.label.text()
