"""The main window. For now it lists the engines and whether each can run here."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop import __version__
from ablage_desktop.engine import Engine


class MainWindow(QMainWindow):
    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.setWindowTitle(f"Ablage Desktop {__version__}")
        self.resize(900, 500)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(
            QLabel("Engines on this machine (documents: ablage-desktop ocr PATH ...)", central)
        )
        self.engines = QTableWidget(central)
        statuses = engine.statuses()
        self.engines.setColumnCount(4)
        self.engines.setHorizontalHeaderLabels(["Name", "Kind", "Available", "Engine / reason"])
        self.engines.setRowCount(len(statuses))
        for row, status in enumerate(statuses):
            detail = status.title if status.available else f"{status.title}: {status.reason}"
            cells = [status.name, status.kind, "yes" if status.available else "no", detail]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(status.reason or status.description)
                self.engines.setItem(row, column, item)
        self.engines.resizeColumnsToContents()
        layout.addWidget(self.engines)
        self.setCentralWidget(central)
