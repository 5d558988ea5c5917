"""File > Watch a folder: the documents that arrive in a folder (a scanner's scan folder) are
queued as they come, each once it has stopped growing (``engine.Arrivals``). The folders are
kept in the settings and watched again at the next start; what was there before is read too,
answered from the archive where it was read already.
"""

from __future__ import annotations

import functools
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu

from ablage_desktop.engine import AblageError, Arrivals, display

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

log = logging.getLogger(__name__)

SETTINGS_KEY = "watched_folders"
SINCE_KEY = "watched_since"
"""When the folders were last looked at (seconds since the epoch): at the next start, what
arrived after it is read, not what was there before."""
SAVE_SINCE_S = 60.0
"""How far the watermark moves on, with nothing arrived, before it is saved again: a start
after a crash reads again at most what arrived in the last minute (answered from the archive)."""


class WatchedFolders(QObject):
    """The folders watched, their arrivals queued in the window, and the menu that sets them."""

    def __init__(self, window: MainWindow) -> None:
        """How often it looks and how long a file must stand still: the configuration's
        ``intake.watch_poll_s`` and ``intake.watch_settle_s``."""
        super().__init__(window)
        intake = window.bridge.engine.config.intake
        self._window = window
        self._settle_s = intake.watch_settle_s
        self._arrivals: Arrivals | None = None
        self._polling = False
        self.timer = QTimer(self)
        self.timer.setInterval(round(1000 * intake.watch_poll_s))
        self.timer.timeout.connect(self._poll)
        self.label = QLabel(window)
        saved = window.settings.value(SETTINGS_KEY, []) or []
        self.folders = [str(f) for f in ([saved] if isinstance(saved, str) else saved)]
        since = window.settings.value(SINCE_KEY)
        self._since = float(since) if since is not None else time.time()
        self._saved_since = self._mark = self._since
        self._restart()

    def choose(self) -> None:
        """Ask for a folder to watch."""
        folder = QFileDialog.getExistingDirectory(self._window, self.tr("Watch a folder"))
        if folder:
            self.add(folder)

    def add(self, folder: str) -> None:
        """Watch ``folder`` from now on: what is in it already is left (File > Open folder
        reads it)."""
        if folder not in self.folders:
            self.folders.append(folder)
            self._since = self._mark = time.time()
            self._save()
            self._save_since()
        self._window.statusBar().showMessage(
            self.tr(
                "Watching {0}: documents that arrive there from now on are read (File > Open "
                "folder reads what is there already)."
            ).format(display(folder)),
            8000,
        )

    def stop(self, folder: str) -> None:
        if folder in self.folders:
            self.folders.remove(folder)
            self._save()

    def fill_menu(self, menu: QMenu) -> None:
        """The "Stop watching" menu: one entry a folder."""
        menu.clear()
        for folder in self.folders:
            act = menu.addAction(display(folder))
            act.triggered.connect(lambda checked=False, f=folder: self.stop(f))
        if not self.folders:
            menu.addAction(self.tr("(no folder is watched)")).setEnabled(False)

    def _save(self) -> None:
        self._window.settings.setValue(SETTINGS_KEY, self.folders)
        self._restart()

    def _restart(self) -> None:
        folders = tuple(Path(folder) for folder in self.folders)
        if not folders:
            self._arrivals = None
            self.timer.stop()
            self.label.hide()
            return
        self._arrivals = Arrivals(folders, self._settle_s, since=self._since)
        names = ", ".join(Path(folder).name or folder for folder in self.folders)
        self.label.setText(self.tr("Watching: {0}").format(names))
        self.label.setToolTip("\n".join(display(folder) for folder in self.folders))
        self.label.show()
        self.timer.start()

    def _poll(self) -> None:
        """Look at the folders in the control thread (a network share may be slow to list)."""
        if self._polling or self._arrivals is None:
            return
        self._polling = True
        self._window.bridge.run(
            self._arrivals.poll,
            time.monotonic(),
            on_result=functools.partial(self._arrived, time.time()),
            on_error=self._poll_failed,
        )

    def _arrived(self, looked: float, paths: list[Path]) -> None:
        self._polling = False
        if self._arrivals is None:
            return
        self._mark = self._arrivals.watermark(looked)
        if paths or self._mark - self._saved_since >= SAVE_SINCE_S:  # not a write each poll
            self._save_since()
        if paths:
            self._window.enqueue([str(path) for path in paths])

    def close(self) -> None:
        """The window closes: no more looking, and the watermark kept for the next start."""
        self.timer.stop()
        if self._arrivals is not None:
            self._save_since()

    def _save_since(self) -> None:
        self._window.settings.setValue(SINCE_KEY, self._mark)
        self._saved_since = self._mark

    def _poll_failed(self, error: AblageError) -> None:
        self._polling = False
        log.warning("Looking at the watched folders failed: %s", error)
