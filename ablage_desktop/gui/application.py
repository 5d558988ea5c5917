"""Start the Qt application with the main window."""

from __future__ import annotations

import sys

from ablage_desktop.engine import AppConfig, Engine


def run_gui(config: AppConfig) -> int:
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Ablage Desktop")
    engine = Engine(config)
    window = MainWindow(engine)
    window.show()
    try:
        return app.exec()
    finally:
        engine.close()
