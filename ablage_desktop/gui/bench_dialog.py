"""The benchmark dialog: ``ablage-desktop bench`` on the queue's documents, in the window.

The run happens in the ``EngineWorker``'s thread (behind any batch queued before it); this
dialog only builds the plan, shows the progress signals and, at the end, the chart and the
table the worker made. Closing the dialog while it runs cancels the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
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
from ablage_desktop.gui.widgets.bench_options import BenchOptions
from ablage_desktop.gui.widgets.bench_result import BenchResultTabs

PROGRESS_STEPS = 1000
RESULT_SIZE = QSize(1100, 900)


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
        self.options = BenchOptions(self.settings, self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setValue(0)
        self.progress.setAccessibleName(self.tr("Progress of the benchmark"))
        self.status_label = QLabel(self.tr("Ready."), self)
        self.status_label.setAccessibleName(self.tr("State of the benchmark"))
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = BenchResultTabs(self)

        layout = QVBoxLayout(self)
        for widget in (self.documents_label, truth, self.options, self.busy_label):
            layout.addWidget(widget)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addWidget(self.tabs, 1)
        layout.addStretch(0)  # takes the room while there are no tabs to show
        layout.addLayout(self._build_buttons())

    def _build_buttons(self) -> QHBoxLayout:
        """Start and Cancel on the left; save the record or the chart, and Close, on the right."""
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
        return buttons

    def _connect(self) -> None:
        # Bound methods of the dialog, never lambdas: they run in the GUI thread.
        worker = self.bridge.worker
        worker.benchStarted.connect(self._bench_started)
        worker.benchProgress.connect(self._bench_progress)
        worker.benchFinished.connect(self._bench_finished)
        worker.benchFailed.connect(self._bench_failed)
        self.bridge.modelsChanged.connect(self.set_statuses)
        self.options.changed.connect(self._update_controls)
        self.bridge.batchesPendingChanged.connect(self._batches_changed)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.save_record_button.clicked.connect(self.save_record)
        self.save_chart_button.clicked.connect(self.save_chart)

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
        self.options.set_statuses(statuses)
        self._update_controls()

    def plan(self) -> BenchPlan:
        return self.options.plan(self.paths)

    def _update_controls(self) -> None:
        idle = not self.running
        self.options.set_idle(idle)
        ready = bool(self.paths) and bool(self.options.selected_models())
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
        self.options.remember(plan)
        self.report, self.png, self.markdown = None, b"", ""
        self.tabs.clear_result()
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
        self.tabs.show_result(png, text)
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
