"""Start the Qt application: translations, settings, the engine bridge and the main window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ablage_desktop.engine import AppConfig, Engine

log = logging.getLogger(__name__)

ORGANIZATION = "Ablage"
APPLICATION = "Ablage Desktop"
TRANSLATIONS = Path(__file__).parent / "translations"
SHUTDOWN_TIMEOUT_MS = 10_000


def install_translator(app: object, language: str | None) -> object | None:
    """German or English from the settings, else from the system locale; None for English."""
    from PySide6.QtCore import QLocale, QTranslator

    code = language or QLocale.system().name().split("_")[0]
    if code == "en":
        return None
    translator = QTranslator(app)  # type: ignore[arg-type]
    if translator.load(str(TRANSLATIONS / f"ablage_{code}.qm")):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        return translator
    log.debug("No translation for %s", code)
    return None


def run_gui(config: AppConfig, paths: Sequence[str] = (), footprints: Path | None = None) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.gui.engine_worker import EngineBridge
    from ablage_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = QSettings()
    language = settings.value("language")
    install_translator(app, str(language) if language else None)
    engine = Engine(config, footprints=footprints)
    bridge = EngineBridge(engine)
    window = MainWindow(bridge, settings)
    window.show()
    bridge.start()
    window.enqueue([str(Path(p)) for p in paths])
    code = app.exec()
    if not bridge.shutdown(SHUTDOWN_TIMEOUT_MS):
        # A model load cannot be interrupted; the process exit ends it (never terminate()).
        import os

        logging.shutdown()
        os._exit(0)
    return code
