"""What the benchmark measures: the models to compare, timed runs, warm-up, the peer engines.

The choices are remembered in the settings (``bench/...``) when a run starts, so the dialog
opens with the last run's choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop.engine import BackendStatus, BenchPlan

MODEL_COLUMNS = 2
MAX_RUNS = 50
MAX_WARMUP = 50


class BenchOptions(QWidget):
    """One checkbox per model (disabled, with why, where a model cannot run) and the run
    settings below them."""

    changed = Signal()  # the models chosen changed

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.checks: dict[str, QCheckBox] = {}
        self.available: dict[str, bool] = {}
        remembered = str(self.settings.value("bench/models", "") or "")
        self._wanted = {name for name in remembered.split(",") if name}
        self.models_box = QGroupBox(self.tr("Models"), self)
        self.models_layout = QGridLayout(self.models_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.models_box)
        layout.addLayout(self._build_run_settings())

    def _build_run_settings(self) -> QHBoxLayout:
        self.runs_spin = QSpinBox(self)
        self.runs_spin.setRange(1, MAX_RUNS)
        self.runs_spin.setValue(self._setting_int("bench/runs", 1, 1, MAX_RUNS))
        self.runs_spin.setAccessibleName(self.tr("Timed runs"))
        self.runs_spin.setToolTip(self.tr("How often every document is read with the clock on"))
        self.warmup_spin = QSpinBox(self)
        self.warmup_spin.setRange(0, MAX_WARMUP)
        self.warmup_spin.setValue(self._setting_int("bench/warmup", 1, 0, MAX_WARMUP))
        self.warmup_spin.setAccessibleName(self.tr("Warm-up pages"))
        self.warmup_spin.setToolTip(
            self.tr("Pages read after a model is loaded and before the clock runs")
        )
        self.peers_check = QCheckBox(
            self.tr("Compare with the engines on their own (tesseract program, RapidOCR)"), self
        )
        self.peers_check.setChecked(str(self.settings.value("bench/peers", "")) == "true")
        row = QHBoxLayout()
        for text, spin in (
            (self.tr("Timed runs:"), self.runs_spin),
            (self.tr("Warm-up pages:"), self.warmup_spin),
        ):
            label = QLabel(text, self)
            label.setBuddy(spin)
            row.addWidget(label)
            row.addWidget(spin)
            row.addSpacing(12)
        row.addWidget(self.peers_check)
        row.addStretch(1)
        return row

    def _setting_int(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(str(self.settings.value(key, default)))
        except ValueError:
            value = default
        return max(low, min(high, value))

    def set_statuses(self, statuses: Sequence[BackendStatus]) -> None:
        """One checkbox per model; a model that cannot run is shown disabled, with why."""
        for status in statuses:
            if ":" in status.name:
                continue  # a language variant made for one request
            check = self.checks.get(status.name)
            if check is None:
                check = QCheckBox(f"{status.name} — {status.title}", self.models_box)
                check.setChecked(status.name in self._wanted)
                check.toggled.connect(self.changed)
                row, column = divmod(len(self.checks), MODEL_COLUMNS)
                self.checks[status.name] = check
                self.models_layout.addWidget(check, row, column)
            self.available[status.name] = status.available
            if status.available:
                check.setToolTip(status.description)
            else:
                check.setChecked(False)
                check.setToolTip(self.tr("Not available: {0}").format(status.reason))

    def select_models(self, names: Sequence[str]) -> None:
        """Check exactly ``names`` (those that are available)."""
        for name, check in self.checks.items():
            check.setChecked(name in names and self.available.get(name, False))

    def selected_models(self) -> list[str]:
        return [
            name
            for name, check in self.checks.items()
            if check.isChecked() and self.available.get(name, False)
        ]

    def set_idle(self, idle: bool) -> None:
        """The choices can change only while nothing runs."""
        for name, check in self.checks.items():
            check.setEnabled(idle and self.available.get(name, False))
        for widget in (self.runs_spin, self.warmup_spin, self.peers_check):
            widget.setEnabled(idle)

    def plan(self, paths: Sequence[str]) -> BenchPlan:
        """The run of the chosen models over ``paths`` (may raise ``AblageError``)."""
        return BenchPlan(
            paths=tuple(Path(path) for path in paths),
            backends=tuple(self.selected_models()),
            runs=self.runs_spin.value(),
            warmup=self.warmup_spin.value(),
            peers=self.peers_check.isChecked(),
        )

    def remember(self, plan: BenchPlan) -> None:
        """Keep the choices of a run that starts for the next time."""
        self._wanted = set(plan.backends)
        self.settings.setValue("bench/models", ",".join(plan.backends))
        self.settings.setValue("bench/runs", plan.runs)
        self.settings.setValue("bench/warmup", plan.warmup)
        self.settings.setValue("bench/peers", "true" if plan.peers else "false")
