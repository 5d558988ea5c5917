"""What the batch signals do in the window: rows in the queue, the progress bar, Cancel and
the summary of the last batch.

The widgets live in the status bar and stay attributes of the window (``window.progress``,
``window.cancel_button``, ``window.summary_label``); their state lives here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QProgressBar, QPushButton

from ablage_desktop.engine import AUTO, DocumentState, OcrDocument, OcrPage, display
from ablage_desktop.gui.widgets.batch_summary import BatchSummary

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

BAR_INTERVAL_MS = 100


class BatchProgress(QObject):
    """Follows the batches from queued to finished; Cancel stops them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._running: set[int] = set()
        self._restored_pages: dict[int, int] = {}
        self._engines: dict[int, str] = {}
        self._cancelling = False
        self._stopped = False
        """The last batch was cancelled: the progress bar says so until the next one."""

        self.bar = QProgressBar(window)
        self.bar.setAccessibleName(self.tr("Progress of the batch"))
        self.bar.setMaximumWidth(240)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.cancel_button = QPushButton(self.tr("Cancel"), window)
        self.cancel_button.setAccessibleName(self.tr("Cancel the batch"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.summary = BatchSummary(window)
        # The bar sums every row of the queue: after a page, it is redrawn at most this often
        # (5,000 rows cost 6 ms of the GUI thread a sum; pages come every 0.3 s or so).
        self._bar_timer = QTimer(self)
        self._bar_timer.setSingleShot(True)
        self._bar_timer.setInterval(BAR_INTERVAL_MS)
        self._bar_timer.timeout.connect(self.update)

    # --- the batch signals, in the order they come -------------------------------------------

    def engine_asked(self, batch: int, backend: str) -> None:
        self._engines[batch] = backend

    def documents_announced(self, batch: int, backend: str, paths: list[str]) -> None:
        """A drop's rows while earlier batches still run (the batch thread confirms them)."""
        if not self._window.queue.has_batch(batch):
            self._rows_added(batch, paths, backend)

    def documents_queued(self, batch: int, paths: list[str], skipped: int) -> None:
        """The batch's documents at its turn: they replace the rows announced at the drop."""
        self._rows_added(batch, paths, self._engines.pop(batch, AUTO))
        if skipped:
            self._window.statusBar().showMessage(
                self.tr("{0} files were not documents and were skipped.").format(skipped), 8000
            )

    def _rows_added(self, batch: int, paths: list[str], backend: str) -> None:
        window = self._window
        first_new = len(window.queue.entries)
        if not window.queue.add_batch(batch, paths, backend):
            return  # the rows announced at the drop are these
        if window.navigation.row is None:
            window.queue.selectRow(first_new)
        self.update()
        window.update_bench_action()
        if window.bench_dialog is not None:
            window.bench_dialog.set_paths(window.queue_paths())

    def batch_started(self, batch: int, paths: list[str]) -> None:
        self._running.add(batch)
        if not self._cancelling:
            self._stopped = False
            self.cancel_button.setEnabled(True)
            self.summary.started()
        self.update()

    def page_done(self, batch: int, position: int, page: OcrPage) -> None:
        self._window.queue.page_done(batch, position, page)
        self._show_if_shown(batch, position, page.index)

    def page_restored(self, batch: int, position: int, page: OcrPage) -> None:
        self._restored_pages[batch] = self._restored_pages.get(batch, 0) + 1
        self._window.queue.page_restored(batch, position, page)
        self._show_if_shown(batch, position, page.index)

    def document_finished(self, batch: int, position: int, result: OcrDocument) -> None:
        self._window.queue.document_finished(batch, position, result)
        self._show_if_shown(batch, position)

    def batch_finished(
        self, batch: int, done: int, failed: int, seconds: float, cancelled: bool
    ) -> None:
        entries = self._window.queue.entries
        self._running.discard(batch)
        stopped = sum(1 for e in entries if e.batch == batch and e.state is DocumentState.CANCELLED)
        restored = self._restored_pages.pop(batch, 0)
        if not self._window.bridge.batches_pending:
            self._stopped = self._cancelling or cancelled
            self._cancelling = False
        self.cancel_button.setEnabled(bool(self._running) and not self._cancelling)
        self.summary.finished(done, failed, stopped, seconds, restored)
        self.update()

    def _show_if_shown(self, batch: int, position: int, page_index: int | None = None) -> None:
        navigation = self._window.navigation
        if navigation.shows(batch, position, page_index):
            navigation.show_current()
        if not self._bar_timer.isActive():
            self._bar_timer.start()

    # --- cancel and the progress bar ---------------------------------------------------------

    def cancel(self) -> None:
        """Stop reading: the pages being read finish, no new one starts; what is not read
        stays "cancelled" in the queue (Resume in its menu reads it on)."""
        self._window.bridge.cancel()
        self._cancelling = True
        self.cancel_button.setEnabled(False)
        self.summary.cancelling()
        self.update()

    def update(self) -> None:
        """The bar: pages read of all pages in the queue, and what is read now."""
        self._bar_timer.stop()
        entries = self._window.queue.entries
        total_pages = sum(max(e.pages_total, 1) for e in entries) or 1
        done_pages = sum(
            max(e.pages_total, 1) if e.state.finished else len(e.pages) for e in entries
        )
        self.bar.setRange(0, total_pages)
        self.bar.setValue(done_pages)
        running = [e for e in entries if e.state is DocumentState.RUNNING]
        if self._cancelling:
            self.bar.setFormat(self.tr("cancelling ..."))
        elif self._stopped:
            self.bar.setFormat(self.tr("cancelled"))
        elif running:
            entry = running[0]
            self.bar.setFormat(
                f"{display(Path(entry.path).name)} {len(entry.pages)}/{entry.pages_total or '?'}"
            )
        else:
            self.bar.setFormat("%p%")
