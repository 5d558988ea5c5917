"""The engine's memory news in the window: the samples into the graph (with the budgets on
the first), the pressure in the status bar, load and unload markers, and leaks."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from ablage_desktop.engine import MemoryBudgets, MemorySnapshot, ModelState, ModelStateChanged

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

MARKED_ENTERED = frozenset({ModelState.READY, ModelState.UNLOADED})
MARKED_LEFT = frozenset({ModelState.LOADING, ModelState.UNLOADING})
"""The memory graph marks a model loaded or unloaded: the end of a load or an unload."""


class MemoryStatus(QObject):
    """Answers the bridge's ``memorySampled``, ``modelEvent`` and ``leaked``."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.pressure_label = QLabel(self.tr("memory: normal"), window)
        self.pressure_label.setAccessibleName(self.tr("Memory pressure"))
        self._budgets_asked = False

    def memory_sampled(self, t: float, snapshot: MemorySnapshot, pressure: str) -> None:
        graph = self._window.graph
        if not self._budgets_asked:  # the budgets of the first sample, asked of the engine
            self._budgets_asked = True
            bridge = self._window.bridge
            bridge.run(bridge.engine.memory_budgets, snapshot, on_result=self._budgets_known)
        graph.add_sample(t, snapshot, pressure)
        labels = {
            "normal": self.tr("normal"),
            "warning": self.tr("warning"),
            "critical": self.tr("critical"),
        }
        self.pressure_label.setText(self.tr("memory: {0}").format(labels.get(pressure, pressure)))

    def _budgets_known(self, budgets: MemoryBudgets) -> None:
        self._window.graph.set_budgets(budgets.cpu, budgets.gpu)

    def model_event(self, event: ModelStateChanged) -> None:
        if event.state in MARKED_ENTERED and event.previous in MARKED_LEFT:
            if event.state is ModelState.READY:
                label = self.tr("{0} loaded").format(event.model)
            else:
                label = self.tr("{0} unloaded").format(event.model)
            self._window.graph.add_marker(time.monotonic(), label)

    def leaked(self, model: str, objects: list[str]) -> None:
        self._window.statusBar().showMessage(
            self.tr("Memory leak: {0} is still referenced after unloading").format(model), 10000
        )
