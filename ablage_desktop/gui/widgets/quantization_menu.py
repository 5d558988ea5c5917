"""Models > Quantization: the choices the selected model has; the others are disabled."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

QUANTIZATIONS = ("fp32", "fp16", "bf16", "int8", "int4")


class QuantizationMenu(QMenu):
    chosen = Signal(str)  # a quantization for the selected model

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        for quantization in QUANTIZATIONS:
            act = QAction(quantization, self)
            act.setData(quantization)
            act.triggered.connect(lambda checked=False, q=quantization: self.chosen.emit(q))
            self.addAction(act)
        self.show_model(None, ())

    def show_model(self, name: str | None, choices: tuple[str, ...]) -> None:
        """Enable the ``choices`` of model ``name`` (None: no model selected)."""
        for act in self.actions():
            act.setEnabled(act.data() in choices)
        if name is None:
            tip = self.tr("Select a model in the models table first.")
        elif not choices:
            tip = self.tr("{0} has no quantization to choose.").format(name)
        else:
            tip = ""
        self.setToolTip(tip)
        self.menuAction().setToolTip(tip)
