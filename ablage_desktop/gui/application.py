"""Start the Qt application: translations, settings, the engine bridge and the main window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine import AppConfig, Engine, Store
from ablage_desktop.engine.errors import StoreError

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.gui.bridge import EngineBridge
    from ablage_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)

ORGANIZATION = "Ablage"
APPLICATION = "Ablage Desktop"
TRANSLATIONS = Path(__file__).parent / "translations"
SHUTDOWN_TIMEOUT_MS = 10_000


GIL_SWITCH_INTERVAL_S = 0.001
"""How long a thread holding the GIL runs on before the window's thread may take it (Python's
default is 5 ms). The engine's threads run Python between their native calls; at 5 ms a tick
of the window waited behind them often enough to push its 99th percentile past 20 ms
(``benchmarks/ui_latency.py``)."""

NO_GUI_THREAD_POOL = "QT_NO_GUI_THREADPOOL"
"""Set, Qt draws large fills and scales an image in the thread that asks, not in its pool.
With every core busy with OCR, the window's thread handed a fill to the pool and slept until a
pool thread got a core (``py-spy --native``: ``QLatch::wait`` under a progress bar's repaint).
Drawing itself, it uses the core it already has: ``ui_latency.py --follow`` with Tesseract, six
runs each, p99 18.8 -> 15.1 ms (medians), largest gaps 19-39 -> 17-24 ms. Qt asks only
whether it is set, once, at its first drawing: set before the ``QApplication``."""


def prepare_process() -> None:
    """The process-wide settings the window needs, before its ``QApplication`` is made."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    os.environ[NO_GUI_THREAD_POOL] = "1"


def install_translator(app: object, language: str | None) -> object | None:
    """German or English from the settings, else from the system locale; the translator
    installed (for English, the one with the plural forms).

    Qt's own translations (standard buttons and dialogs: "Abbrechen", the file dialog) are
    installed beside the app's; a language chosen in the settings also sets the number
    format ("1,5 GiB" in German).
    """
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    if language:
        QLocale.setDefault(QLocale(language))
    code = language or QLocale.system().name().split("_")[0]
    if code == "en":
        return _install_english_plurals(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_translator = QTranslator(app)  # type: ignore[arg-type]
    if qt_translator.load(f"qtbase_{code}", qt_folder):
        app.installTranslator(qt_translator)  # type: ignore[attr-defined]
    else:
        log.debug("No Qt translation for %s in %s", code, qt_folder)
    translator = QTranslator(app)  # type: ignore[arg-type]
    if translator.load(str(TRANSLATIONS / f"ablage_{code}.qm")):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        return translator
    log.debug("No translation for %s", code)
    return None


def _install_english_plurals(app: object) -> object | None:
    """English is the source language; only its plural forms come from a translation file."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator(app)  # type: ignore[arg-type]
    if translator.load(str(TRANSLATIONS / "ablage_en.qm")):
        app.installTranslator(translator)  # type: ignore[attr-defined]
        return translator
    return None


def open_store(path: Path | None) -> tuple[Store | None, str | None]:
    """The archive at ``path`` (None: no archive), or None and why it cannot be opened."""
    if path is None:
        return None, None
    try:
        return Store(path), None
    except StoreError as exc:
        log.warning("%s", exc.message)
        return None, exc.message


DESKTOP_ID = "de.ablage.AblageDesktop"
PASTED_FOLDER = "pasted"
"""Beside the archive file: the images pasted or dropped into the window."""
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def application_icon() -> QIcon:
    """The app's icon from package data, drawn for each size (an SVG-based QIcon would
    ignore the PNGs, and the small sizes are hand-tuned there)."""
    from importlib.resources import files

    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon

    folder = files("ablage_desktop") / "resources"
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(folder / f"ablage-desktop-{size}.png"), QSize(size, size))
    return icon


def pasted_folder(store: Path | None) -> Path | None:
    """Where the window keeps pasted images: beside the archive, which refers to them by path
    (None without an archive: a temporary folder for each)."""
    return store.parent / PASTED_FOLDER if store is not None else None


def create_window(
    config: AppConfig,
    footprints: Path | None = None,
    store: Path | None = None,
    config_file: Path | None = None,
) -> tuple[QApplication, EngineBridge, MainWindow]:
    """The application, the engine behind its bridge, and the main window (not shown yet).

    ``store`` is the archive file; one that cannot be opened is reported in the window, which
    then works without an archive. ``config_file`` is the user's configuration, where
    servers added in the window are saved.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.gui.bridge import EngineBridge
    from ablage_desktop.gui.main_window import MainWindow

    prepare_process()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName(DESKTOP_ID)  # Wayland: the window belongs to the .desktop entry
    app.setWindowIcon(application_icon())
    settings = QSettings()
    language = settings.value("language")
    install_translator(app, str(language) if language else None)
    archive, problem = open_store(store)
    bridge = EngineBridge(
        Engine(config, footprints=footprints, store=archive), config_file=config_file
    )
    window = MainWindow(bridge, settings, pasted_folder(store))
    if problem is not None:
        window.show_archive_problem(problem)
    return app, bridge, window  # type: ignore[return-value]


def run_window(
    app: QApplication,
    bridge: EngineBridge,
    window: MainWindow,
    paths: Sequence[str] = (),
    shutdown_timeout_ms: int = SHUTDOWN_TIMEOUT_MS,
) -> int:
    """Show the window, run until it closes, then stop the engine within the timeout."""
    import signal

    # Ctrl-C in the terminal closes the window the normal way (the batch's state is kept).
    previous = signal.signal(signal.SIGINT, lambda _number, _frame: window.close())
    window.show()
    try:
        bridge.start()
        window.enqueue([str(Path(p)) for p in paths])
        code = app.exec()
    except BaseException:
        log.exception("The window stopped on an error")
        code = 1
    finally:
        signal.signal(signal.SIGINT, previous)
    if not bridge.shutdown(shutdown_timeout_ms):
        # A model load cannot be interrupted and a QThread is never terminate()d: the
        # process exit ends the load, without Qt's "destroyed while running" abort.
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def run_gui(
    config: AppConfig,
    paths: Sequence[str] = (),
    footprints: Path | None = None,
    store: Path | None = None,
    config_file: Path | None = None,
) -> int:
    """The window; or, when this user's window is already open, hand it ``paths`` and exit."""
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.gui.single_instance import InstanceServer, send_to_running, socket_name

    prepare_process()  # before the QApplication (create_window, for callers of its own, too)
    app = QApplication.instance() or QApplication(sys.argv)
    name = socket_name(str(config_file.parent) if config_file is not None else "")
    if send_to_running([str(Path(p)) for p in paths], name):
        log.info("Ablage Desktop is already open: %d file(s) handed to its window", len(paths))
        return 0
    app, bridge, window = create_window(config, footprints, store, config_file)
    server = InstanceServer(name, window)
    server.pathsReceived.connect(window.enqueue)
    server.activated.connect(window.bring_to_front)
    server.listen()
    try:
        return run_window(app, bridge, window, paths)
    finally:
        server.close()
