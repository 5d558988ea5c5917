"""The benchmark dialog: ``ablage-desktop bench`` on the queue's documents, in the window.

The run happens in the ``EngineWorker``'s thread (behind any batch queued before it); this
dialog only builds the plan, shows the progress signals and, at the end, the chart and the
table the worker made. Closing the dialog while it runs cancels the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QMargins, QSettings, QSize, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop.engine import (
    AblageError,
    BackendStatus,
    BenchPlan,
    BenchProgress,
    BenchReport,
    write_atomic,
    write_json,
)
from ablage_desktop.gui.bridge import EngineBridge

PROGRESS_STEPS = 1000
MODEL_COLUMNS = 2
RESULT_SIZE = QSize(1100, 900)
MAX_RUNS = 50
MAX_WARMUP = 50


class ChartView(QScrollArea):
    """The chart scaled to fit the view, keeping its proportions, never above its own size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._pixmap = QPixmap()

    @property
    def pixmap(self) -> QPixmap:
        """The chart at its own size (null when there is none)."""
        return self._pixmap

    def set_png(self, data: bytes) -> None:
        self._pixmap = QPixmap()
        if data:
            self._pixmap.loadFromData(data, "PNG")
        self._fit()

    def clear(self) -> None:
        self.set_png(b"")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap.isNull():
            self.label.clear()
            return
        room = self.viewport().size().shrunkBy(QMargins(2, 2, 2, 2))
        size = self._pixmap.size().boundedTo(room.expandedTo(QSize(1, 1)))
        self.label.setPixmap(
            self._pixmap.scaled(
                size,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


class BenchDialog(QDialog):
    """Choose models and runs, start, watch, read the result, save it."""

    def __init__(
        self,
        bridge: EngineBridge,
        statuses: Sequence[BackendStatus],
        paths: Sequence[str],
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.settings = settings or QSettings()
        self.setWindowTitle(self.tr("Benchmark"))
        self.setModal(False)
        self.resize(760, 560)
        self.paths: list[str] = []
        self.report: BenchReport | None = None
        self.png = b""
        self.markdown = ""
        self._bench: int | None = None
        self._cancelling = False
        self._checks: dict[str, QCheckBox] = {}
        self._available: dict[str, bool] = {}
        remembered = str(self.settings.value("bench/models", "") or "")
        self._wanted = {name for name in remembered.split(",") if name}

        self._build_widgets()
        self._connect()
        self.set_statuses(statuses)
        self.set_paths(paths)
        self._update_controls()

    # --- layout -----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.documents_label = QLabel(self)
        self.documents_label.setWordWrap(True)
        truth = QLabel(
            self.tr(
                "The error rate (CER) is measured on the documents that have their "
                "transcription beside them, as name.gt.txt."
            ),
            self,
        )
        truth.setWordWrap(True)
        self.busy_label = QLabel(
            self.tr("Documents are being read; the benchmark starts when they are done."), self
        )
        self.busy_label.setWordWrap(True)
        self.busy_label.setVisible(False)

        self.models_box = QGroupBox(self.tr("Models"), self)
        self.models_layout = QGridLayout(self.models_box)

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
        options = QHBoxLayout()
        for text, spin in (
            (self.tr("Timed runs:"), self.runs_spin),
            (self.tr("Warm-up pages:"), self.warmup_spin),
        ):
            label = QLabel(text, self)
            label.setBuddy(spin)
            options.addWidget(label)
            options.addWidget(spin)
            options.addSpacing(12)
        options.addWidget(self.peers_check)
        options.addStretch(1)

        self.start_button = QPushButton(self.tr("&Start"), self)
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("&Cancel"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.save_record_button = QPushButton(self.tr("Save &record..."), self)
        self.save_record_button.setToolTip(self.tr("Every figure of the run as JSON"))
        self.save_chart_button = QPushButton(self.tr("Save c&hart..."), self)
        self.save_chart_button.setToolTip(self.tr("The chart as a PNG image"))
        self.start_button.setAutoDefault(False)
        for button in (
            self.cancel_button,
            self.close_button,
            self.save_record_button,
            self.save_chart_button,
        ):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.save_record_button, self.save_chart_button, self.close_button):
            buttons.addWidget(button)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setAccessibleName(self.tr("Progress of the benchmark"))
        self.status_label = QLabel(self.tr("Ready."), self)
        self.status_label.setAccessibleName(self.tr("State of the benchmark"))
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.chart = ChartView(self)
        self.chart.setAccessibleName(self.tr("Benchmark chart"))
        self.table = QTextBrowser(self)
        self.table.setAccessibleName(self.tr("Benchmark table"))
        self.table.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.chart, self.tr("Chart"))
        self.tabs.addTab(self.table, self.tr("Table"))
        self.tabs.setVisible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.documents_label)
        layout.addWidget(truth)
        layout.addWidget(self.models_box)
        layout.addLayout(options)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addStretch(0)  # takes the room while there are no tabs to show
        layout.addLayout(buttons)

    def _connect(self) -> None:
        # Bound methods of the dialog, never lambdas: they run in the GUI thread.
        worker = self.bridge.worker
        worker.benchStarted.connect(self._bench_started)
        worker.benchProgress.connect(self._bench_progress)
        worker.benchFinished.connect(self._bench_finished)
        worker.benchFailed.connect(self._bench_failed)
        self.bridge.modelsChanged.connect(self.set_statuses)
        self.bridge.batchesPendingChanged.connect(self._batches_changed)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.save_record_button.clicked.connect(self.save_record)
        self.save_chart_button.clicked.connect(self.save_chart)

    def _setting_int(self, key: str, default: int, low: int, high: int) -> int:
        try:
            value = int(str(self.settings.value(key, default)))
        except ValueError:
            value = default
        return max(low, min(high, value))

    # --- what to measure --------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._bench is not None

    def set_paths(self, paths: Sequence[str]) -> None:
        """The queue's documents (each once, in queue order); used by the next start."""
        self.paths = list(dict.fromkeys(paths))
        if self.paths:
            self.documents_label.setText(
                self.tr("{0} document(s) from the queue.").format(len(self.paths))
            )
        else:
            self.documents_label.setText(self.tr("The queue is empty: add documents first."))
        self.documents_label.setToolTip("\n".join(self.paths))
        self._update_controls()

    def set_statuses(self, statuses: Sequence[BackendStatus]) -> None:
        """One checkbox per model; a model that cannot run is shown disabled, with why."""
        for status in statuses:
            if ":" in status.name:
                continue  # a language variant made for one request
            check = self._checks.get(status.name)
            if check is None:
                check = QCheckBox(f"{status.name} — {status.title}", self.models_box)
                check.setChecked(status.name in self._wanted)
                check.toggled.connect(self._update_controls)
                row, column = divmod(len(self._checks), MODEL_COLUMNS)
                self._checks[status.name] = check
                self.models_layout.addWidget(check, row, column)
            self._available[status.name] = status.available
            if status.available:
                check.setToolTip(status.description)
            else:
                check.setChecked(False)
                check.setToolTip(self.tr("Not available: {0}").format(status.reason))
        self._update_controls()

    def select_models(self, names: Sequence[str]) -> None:
        """Check exactly ``names`` (those that are available)."""
        for name, check in self._checks.items():
            check.setChecked(name in names and self._available.get(name, False))

    def selected_models(self) -> list[str]:
        return [
            name
            for name, check in self._checks.items()
            if check.isChecked() and self._available.get(name, False)
        ]

    def plan(self) -> BenchPlan:
        return BenchPlan(
            paths=tuple(Path(path) for path in self.paths),
            backends=tuple(self.selected_models()),
            runs=self.runs_spin.value(),
            warmup=self.warmup_spin.value(),
            peers=self.peers_check.isChecked(),
        )

    def _update_controls(self) -> None:
        idle = not self.running
        for name, check in self._checks.items():
            check.setEnabled(idle and self._available.get(name, False))
        for widget in (self.runs_spin, self.warmup_spin, self.peers_check):
            widget.setEnabled(idle)
        ready = bool(self.paths) and bool(self.selected_models())
        self.start_button.setEnabled(idle and ready)
        if idle and not ready:
            self.start_button.setToolTip(
                self.tr("Add documents to the queue and choose at least one model.")
            )
        else:
            self.start_button.setToolTip("")
        self.cancel_button.setEnabled(self.running and not self._cancelling)
        has_result = idle and self.report is not None
        self.save_record_button.setEnabled(has_result)
        self.save_chart_button.setEnabled(has_result and bool(self.png))
        self.busy_label.setVisible(idle and self.bridge.batches_pending > 0)

    # --- running ----------------------------------------------------------------------------

    def start(self) -> None:
        if self.running:
            return
        try:
            plan = self.plan()
        except AblageError as exc:
            self.status_label.setText(exc.message)
            return
        self._remember(plan)
        self.report, self.png, self.markdown = None, b"", ""
        self.chart.clear()
        self.table.clear()
        self.tabs.setVisible(False)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self._cancelling = False
        self._bench = self.bridge.start_bench(plan)
        if self.bridge.batches_pending:
            self.status_label.setText(self.tr("Waiting for the documents being read to finish ..."))
        else:
            self.status_label.setText(self.tr("Starting ..."))
        self._update_controls()

    def cancel(self) -> None:
        if self._bench is None or self._cancelling:
            return
        self._cancelling = True
        self.bridge.cancel_bench(self._bench)
        self.status_label.setText(self.tr("Cancelling ..."))
        self._update_controls()

    def reject(self) -> None:
        """Close (the button, Escape, the title bar): a running benchmark is cancelled."""
        self.cancel()
        super().reject()

    def _remember(self, plan: BenchPlan) -> None:
        self._wanted = set(plan.backends)
        self.settings.setValue("bench/models", ",".join(plan.backends))
        self.settings.setValue("bench/runs", plan.runs)
        self.settings.setValue("bench/warmup", plan.warmup)
        self.settings.setValue("bench/peers", "true" if plan.peers else "false")

    def _bench_started(self, bench: int) -> None:
        if bench == self._bench and not self._cancelling:
            self.status_label.setText(self.tr("Starting ..."))

    def _bench_progress(self, bench: int, progress: BenchProgress) -> None:
        if bench != self._bench or self._cancelling:
            return
        fraction = 0.0
        if progress.pages_total:
            fraction = min(progress.pages_done / progress.pages_total, 1.0)
        overall = (progress.row + fraction) / max(progress.rows, 1)
        self.progress.setValue(round(overall * PROGRESS_STEPS))
        steps = {
            "loading": self.tr("loading"),
            "warming up": self.tr("warming up"),
            "starting": self.tr("starting"),
            "restoring models": self.tr("loading the models again that were loaded before"),
        }
        if progress.message:
            detail = steps.get(progress.message, progress.message)
        else:
            detail = self.tr("{0}/{1} pages").format(progress.pages_done, progress.pages_total)
        self.status_label.setText(f"{progress.row + 1}/{progress.rows} {progress.label}: {detail}")

    def _bench_finished(self, bench: int, report: BenchReport, png: bytes, text: str) -> None:
        if bench != self._bench:
            return
        self._bench = None
        self._cancelling = False
        if report.cancelled:
            self.progress.setValue(0)
            self.status_label.setText(self.tr("Cancelled."))
            self._update_controls()
            return
        self.report, self.png, self.markdown = report, png, text
        self.progress.setValue(PROGRESS_STEPS)
        self.chart.set_png(png)
        self.table.setMarkdown(text)
        self.tabs.setVisible(True)
        self.tabs.setCurrentWidget(self.chart)
        self._grow()
        missed = sum(1 for row in report.rows if row.status != "ok")
        summary = self.tr("Done in {0:.0f} s.").format(report.seconds)
        if missed:
            summary += " " + self.tr(
                "{0} setting(s) could not be measured; the table says why."
            ).format(missed)
        self.status_label.setText(summary)
        self._update_controls()

    def _grow(self) -> None:
        """Room for the chart: up to ``RESULT_SIZE``, within the screen."""
        wanted = self.size().expandedTo(RESULT_SIZE)
        screen = self.screen()
        if screen is not None:
            wanted = wanted.boundedTo(screen.availableGeometry().size())
        if wanted != self.size():
            self.resize(wanted)

    def _bench_failed(self, bench: int, kind: str, message: str, details: str) -> None:
        if bench != self._bench:
            return
        self._bench = None
        self._cancelling = False
        self.progress.setValue(0)
        self.status_label.setText(self.tr("The benchmark failed: {0}").format(message))
        self.status_label.setToolTip(details)
        self._update_controls()

    def _batches_changed(self, pending: int) -> None:
        self._update_controls()

    # --- saving -----------------------------------------------------------------------------

    def _target(self, title: str, name: str, filter_text: str, suffix: str) -> Path | None:
        folder = Path(str(self.settings.value("last_folder", str(Path.home()))))
        target, _ = QFileDialog.getSaveFileName(self, title, str(folder / name), filter_text)
        if not target:
            return None
        path = Path(target)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        self.settings.setValue("last_folder", str(path.parent))
        return path

    def save_record(self) -> None:
        if self.report is None:
            return
        path = self._target(
            self.tr("Save the benchmark record"),
            "bench.json",
            self.tr("JSON record (*.json)"),
            ".json",
        )
        if path is not None:
            self.write_record(path)

    def save_chart(self) -> None:
        if not self.png:
            return
        path = self._target(
            self.tr("Save the benchmark chart"), "bench.png", self.tr("PNG image (*.png)"), ".png"
        )
        if path is not None:
            self.write_chart(path)

    def write_record(self, path: Path) -> bool:
        assert self.report is not None
        try:
            write_json(self.report, path)
        except OSError as exc:
            self.status_label.setText(self.tr("Cannot write {0}: {1}").format(path, exc))
            return False
        self.status_label.setText(self.tr("Saved {0}.").format(path))
        return True

    def write_chart(self, path: Path) -> bool:
        try:
            write_atomic(path, self.png)
        except OSError as exc:
            self.status_label.setText(self.tr("Cannot write {0}: {1}").format(path, exc))
            return False
        self.status_label.setText(self.tr("Saved {0}.").format(path))
        return True
