"""The real main window for GUI tests: built as the app builds it, checked on the way out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from ablage_desktop.engine import AppConfig
    from ablage_desktop.gui.main_window import MainWindow


@contextmanager
def open_window(
    qtbot: QtBot,
    folder: Path,
    config: AppConfig | None = None,
    store: Path | None = None,
    config_file: Path | None = None,
) -> Iterator[MainWindow]:
    """A shown window with its engine running; on exit, no engine thread may be left.

    ``store``: the archive file the window records into (opened as ``create_window`` does),
    None for no archive. The window closes the archive when it shuts down.
    """
    from PySide6.QtCore import QSettings

    from ablage_desktop.engine import Engine, load_config
    from ablage_desktop.gui.application import open_store, pasted_folder
    from ablage_desktop.gui.bridge import EngineBridge
    from ablage_desktop.gui.main_window import MainWindow

    archive, problem = open_store(store)
    engine = Engine(config or load_config(), footprints=folder / "footprints.json", store=archive)
    bridge = EngineBridge(engine, config_file=config_file)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(bridge, settings, pasted_folder(store) or folder / "pasted")
    if problem is not None:
        window.show_archive_problem(problem)
    qtbot.addWidget(window)
    window.show()
    bridge.start()
    yield window
    window.close()
    assert bridge.shutdown(30_000)
    assert not bridge.batch_thread.isRunning() and not bridge.control_thread.isRunning()
    left = _engine_threads_left()
    assert not left, f"engine threads left after the window closed: {', '.join(left)}"


def _engine_threads_left(grace_s: float = 3.0) -> list[str]:
    """The engine's threads still running ``grace_s`` after the shutdown (one ending on a
    loaded machine is joined first, so that a leak, not a slow end, fails), by name."""
    left = [t for t in threading.enumerate() if t.name.startswith("ablage-")]
    for thread in left:
        thread.join(grace_s / max(1, len(left)))
    return [t.name for t in left if t.is_alive()]
