"""The main window: queue, page with boxes, text, models, memory graph, status.

Thin by design: every decision is the engine's; the window arranges widgets, forwards the
user's requests to the ``EngineBridge`` and shows what comes back. Its jobs have their own
modules: the menus (``menus.py``), the batch's progress and Cancel (``batch_progress.py``),
the page shown (``page_navigation.py``), the engine and language choice (``engine_choice.py``),
resuming and searching the archive (``archive_panel.py``), Open and Paste (``intake.py``),
exporting (``document_export.py``) and the memory news (``memory_status.py``).
The widgets they make stay attributes of the window.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop import __version__
from ablage_desktop.engine import AUTO, DocumentState
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui.about import show_about
from ablage_desktop.gui.archive_panel import ArchivePanel
from ablage_desktop.gui.area_actions import AreaActions
from ablage_desktop.gui.batch_progress import BatchProgress
from ablage_desktop.gui.bench_dialog import BenchDialog
from ablage_desktop.gui.bridge import EngineBridge
from ablage_desktop.gui.close_guard import CloseQuestion, QuitGuard
from ablage_desktop.gui.corrections import ArchivedCorrections
from ablage_desktop.gui.document_export import DocumentExport
from ablage_desktop.gui.engine_choice import EngineChoice
from ablage_desktop.gui.export_all import ExportAll
from ablage_desktop.gui.failures import describe
from ablage_desktop.gui.frame_pages import FramePages
from ablage_desktop.gui.intake import DocumentIntake
from ablage_desktop.gui.memory_status import MemoryStatus
from ablage_desktop.gui.menus import WindowMenus
from ablage_desktop.gui.page_navigation import PageNavigation
from ablage_desktop.gui.page_turns import PageTurns
from ablage_desktop.gui.pdf_passwords import PdfPasswords
from ablage_desktop.gui.reasons import in_user_words, reason_text
from ablage_desktop.gui.unsure_lines import UnsureLines
from ablage_desktop.gui.watched_folders import WatchedFolders
from ablage_desktop.gui.widgets.memory_graph import MemoryGraph
from ablage_desktop.gui.widgets.models_panel import ModelsPanel
from ablage_desktop.gui.widgets.page_view import PageView
from ablage_desktop.gui.widgets.queue_view import QueueView
from ablage_desktop.gui.widgets.server_dialog import ServerDialog
from ablage_desktop.gui.widgets.text_pane import TextPane

log = logging.getLogger(__name__)

GRAPH_WINDOW_S = 900.0
"""The memory graph keeps 15 minutes; it shows the last 5 until the user zooms."""


class MainWindow(QMainWindow):
    def __init__(
        self,
        bridge: EngineBridge,
        settings: QSettings | None = None,
        pasted_folder: Path | None = None,
    ) -> None:
        """``pasted_folder``: where pasted and dropped images are kept (beside the archive that
        refers to them); None: a temporary folder each time."""
        super().__init__()
        self.bridge = bridge
        self.settings = settings or QSettings()
        self._pasted_folder = pasted_folder
        self.setWindowTitle(f"Ablage Desktop {__version__}")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self.last_error: tuple[str, str] | None = None
        self.bench_dialog: BenchDialog | None = None
        self.quit_guard = QuitGuard(
            self,
            lambda: sum(e.state.active for e in self.queue.entries),
            self.close,
        )
        self.about_box: QMessageBox | None = None

        self._build_widgets()
        self._build_status_bar()
        self._connect_widgets()
        self.menus = WindowMenus(self)
        self.menus.build()
        self._connect_models_menu()
        self._connect_bridge()
        self._restore_settings()

    # --- layout -----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.queue = QueueView(self)
        self.page_view = PageView(self)
        self.text_pane = TextPane(self)
        self.models = ModelsPanel(self)
        self.graph = MemoryGraph(self, window_s=GRAPH_WINDOW_S)
        self.engine_choice = EngineChoice(self)
        self.backend_box = self.engine_choice.backend_box
        self.language_box = self.engine_choice.language_box
        self.navigation = PageNavigation(self)
        self.corrections = ArchivedCorrections(self)
        self.area_actions = AreaActions(self)
        self.page_turns = PageTurns(self)
        self.unsure_lines = UnsureLines(self)
        self.frame_pages = FramePages(self)
        self.prev_button = self.navigation.prev_button
        self.next_button = self.navigation.next_button
        self.page_label = self.navigation.page_label

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.top_splitter.addWidget(self.queue)
        self.top_splitter.addWidget(self.navigation.viewer)
        self.top_splitter.addWidget(self.text_pane)
        self.top_splitter.setSizes([380, 520, 380])
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.bottom_splitter.addWidget(self.models)
        self.bottom_splitter.addWidget(self.graph)
        self.bottom_splitter.setSizes([560, 720])
        self.main_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.main_splitter.addWidget(self.top_splitter)
        self.main_splitter.addWidget(self.bottom_splitter)
        self.main_splitter.setSizes([540, 260])
        # The search results dock takes its height from the documents, not the models table.
        self.main_splitter.setStretchFactor(0, 1)
        self.main_splitter.setStretchFactor(1, 0)

        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(2)
        self.archive_panel = ArchivePanel(self, central)
        panel = self.archive_panel
        self.resume_bar, self.archive_bar = panel.resume_bar, panel.archive_bar
        self.resume_button, self.discard_button = panel.resume_button, panel.discard_button
        self.search_field, self.search_panel = panel.search_field, panel.search_panel
        self.search_dock = panel.search_dock
        self.pdf_passwords = PdfPasswords(self, central)
        central_layout.addWidget(self.resume_bar)
        central_layout.addWidget(self.archive_bar)
        central_layout.addWidget(self.pdf_passwords.bar)
        central_layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

    def _build_status_bar(self) -> None:
        self.batch_progress = BatchProgress(self)
        self.progress = self.batch_progress.bar
        self.cancel_button = self.batch_progress.cancel_button
        self.summary_label = self.batch_progress.summary
        self.memory_status = MemoryStatus(self)
        self.pressure_label = self.memory_status.pressure_label
        status = self.statusBar()
        status.addPermanentWidget(self.summary_label)
        status.addPermanentWidget(self.pressure_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        self.exports = DocumentExport(self)
        self.export_all = ExportAll(self)
        self.intake = DocumentIntake(self, self._pasted_folder)
        self.watched = WatchedFolders(self)
        status.addPermanentWidget(self.watched.label)

    def _connect_widgets(self) -> None:
        self.page_view.lineClicked.connect(self.text_pane.select_line)
        self.text_pane.lineSelected.connect(self.page_view.select_line)
        self.queue.documentSelected.connect(self.navigation.document_selected)
        self.queue.exportRequested.connect(self.export_row)
        self.queue.resumeRequested.connect(self.resume_rows)
        self.queue.rereadRequested.connect(self.read_again)
        self.queue.rowsRemoved.connect(self._rows_removed)
        self.text_pane.textEdited.connect(self.navigation.text_edited)
        self.models.loadRequested.connect(self.bridge.models.load)
        self.models.unloadRequested.connect(self.bridge.models.unload)
        self.models.unloadAllRequested.connect(self.bridge.models.unload_all)

    def _connect_models_menu(self) -> None:
        choice = self.engine_choice
        self.quantization_menu.chosen.connect(choice.quantize)
        self.quantization_menu.aboutToShow.connect(choice.update_quantization_menu)
        self.models.table.itemSelectionChanged.connect(choice.update_quantization_menu)
        choice.update_quantization_menu()
        self.update_bench_action()

    def _connect_bridge(self) -> None:
        bridge, worker, batches = self.bridge, self.bridge.worker, self.batch_progress
        # Bound methods of objects in the GUI thread, never lambdas: a lambda has no thread of
        # its own, so PySide6 would run it in the worker's thread and touch widgets from there.
        # (The callbacks of ``bridge.run`` may be anything: the task calls them in this thread.)
        bridge.modelsChanged.connect(self.engine_choice.models_changed)
        bridge.message.connect(self._show_message)
        bridge.failed.connect(self.show_error)
        bridge.resumable.connect(self.archive_panel.offer_resume)
        worker.batchEngine.connect(batches.engine_asked)
        worker.documentsQueued.connect(batches.documents_queued)
        bridge.documentsAnnounced.connect(batches.documents_announced)
        worker.message.connect(self._show_message)
        worker.batchStarted.connect(batches.batch_started)
        worker.documentStarted.connect(self.queue.document_started)
        worker.pageDone.connect(batches.page_done)
        worker.pageRestored.connect(batches.page_restored)
        worker.documentFinished.connect(batches.document_finished)
        worker.documentFinished.connect(self.pdf_passwords.document_finished)
        worker.batchFinished.connect(batches.batch_finished)
        self.bridge.memorySampled.connect(self.memory_status.memory_sampled)
        self.bridge.modelEvent.connect(self.memory_status.model_event)
        self.bridge.leaked.connect(self.memory_status.leaked)

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    @property
    def _preview(self) -> tuple[str, int, QImage] | None:
        """The last preview image: (path, page index, image)."""
        return self.navigation.preview

    # --- input --------------------------------------------------------------------------------

    def enqueue(self, paths: list[str]) -> None:
        if paths:
            self.bridge.enqueue(paths, self.engine_choice.backend(), self.language_box.languages())

    def bring_to_front(self) -> None:
        """A second launch of the app asked for this window."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
        if paths:
            self.enqueue(paths)
        elif mime.hasImage():
            self.intake.enqueue_image(QImage(mime.imageData()))
        event.acceptProposedAction()

    # --- what the parts do, asked of the window -------------------------------------------------

    def cancel_batch(self) -> None:
        """Stop reading (see ``BatchProgress.cancel``)."""
        self.batch_progress.cancel()

    def show_page(self, index: int) -> None:
        """Show page ``index`` of the selected document."""
        self.navigation.show_page(index)

    def export_row(self, row: int | None) -> None:
        self.exports.export_row(row)

    def export_document(self, row: int, path: str, fmt: str) -> None:
        """Write row ``row``'s result to ``path`` as ``fmt``, in the control thread."""
        self.exports.export_document(row, path, fmt)

    def show_archive_problem(self, message: str) -> None:
        """The archive could not be opened: the window works on without it."""
        self.archive_panel.show_archive_problem(message)

    def search(self, words: str) -> None:
        """Search the archive for ``words`` (as if typed); the results show in their panel."""
        self.archive_panel.search(words)

    def set_editing(self, editing: bool) -> None:
        self.text_pane.set_editable(editing)
        if editing:
            self.text_pane.setFocus()

    # --- models -------------------------------------------------------------------------------

    def add_server(self) -> ServerDialog:
        """Ask for a server's settings; on OK the engine adds, saves and checks it."""
        dialog = ServerDialog({s.name for s in self.engine_choice.statuses}, self)
        dialog.setModal(True)

        def accepted() -> None:
            self.bridge.models.add_server(dialog.name(), dialog.entry(), dialog.first_in_auto())

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    # --- benchmark ----------------------------------------------------------------------------

    def queue_paths(self) -> list[str]:
        """The queue's documents, each once, in queue order."""
        return list(dict.fromkeys(entry.path for entry in self.queue.entries))

    def update_bench_action(self) -> None:
        if self.queue.entries:
            tip = self.tr("Speed, memory and accuracy of the models on the queue's documents")
        else:
            tip = self.tr("Add documents to the queue first: the benchmark reads them.")
        self.bench_action.setEnabled(bool(self.queue.entries))
        self.bench_action.setToolTip(tip)
        self.bench_action.setStatusTip(tip)

    def open_bench(self) -> None:
        paths = self.queue_paths()
        if not paths:
            self.statusBar().showMessage(
                self.tr("Add documents to the queue first: the benchmark reads them."), 8000
            )
            return
        if self.bench_dialog is None:
            self.bench_dialog = BenchDialog(
                self.bridge, self.engine_choice.statuses, paths, self.settings, parent=self
            )
        else:
            self.bench_dialog.set_paths(paths)
        self.bench_dialog.show()
        self.bench_dialog.raise_()
        self.bench_dialog.activateWindow()

    # --- errors and closing -----------------------------------------------------------------

    def show_error(self, error: AblageError) -> None:
        """An engine error, in words (see ``show_failure``)."""
        self.show_failure(*describe(error))

    def show_failure(self, kind: str, message: str, details: str) -> None:
        """An error of ``kind``: its sentence in the status bar, a box for a bug."""
        self.last_error = (kind, message)
        log.warning("Engine error (%s): %s", kind, message)
        # A typed error's message is written for users (in English: the window puts the
        # sentence for its kind in the user's language before it); an unexpected one (a bug,
        # raw library words) shows as a sentence, its text only in the box's details.
        headline = reason_text(kind) if kind == "internal" else in_user_words(kind, message)
        self.statusBar().showMessage(self.tr("Error: {0}").format(headline), 15000)
        if kind == "internal":
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Something went wrong"),
                headline,
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setInformativeText(message)
            box.setDetailedText(details)
            box.setModal(False)
            box.show()

    def _about(self) -> None:
        self.about_box = show_about(self)

    def _restore_settings(self) -> None:
        state = self.settings.value("window_state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(state)
        for key, widget in (
            ("geometry", self),
            ("main_splitter", self.main_splitter),
            ("top_splitter", self.top_splitter),
            ("bottom_splitter", self.bottom_splitter),
        ):
            value = self.settings.value(key)
            if isinstance(value, QByteArray | bytes):
                if widget is self:
                    self.restoreGeometry(value)
                else:
                    widget.restoreState(value)  # type: ignore[union-attr]

    def _save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("main_splitter", self.main_splitter.saveState())
        self.settings.setValue("top_splitter", self.top_splitter.saveState())
        self.settings.setValue("bottom_splitter", self.bottom_splitter.saveState())
        self.settings.setValue("backend", self.backend_box.currentData() or AUTO)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        # The user closing the window asks first while documents are read; a close from
        # the program (Ctrl-C in the terminal, a test) does not.
        if event.spontaneous() and self.quit_guard.asks():
            event.ignore()
            return
        if self.bench_dialog is not None:
            self.bench_dialog.reject()  # cancels a running benchmark
        self._save_settings()
        self.corrections.write_now()
        self.graph.stop()
        self.watched.close()
        event.accept()

    # --- quitting, and what the queue's menu asks for -----------------------------------------

    def request_quit(self) -> None:
        """File > Quit: asks first while documents are being read."""
        if not self.quit_guard.asks():
            self.close()

    @property
    def close_question(self) -> CloseQuestion | None:
        """The open "quit while reading?" question, if any."""
        return self.quit_guard.question

    def resume_rows(self, rows: list[int]) -> None:
        """Read the cancelled documents of ``rows`` on, each with the engine it was read
        with; pages already read come from the archive. Their old rows make way."""
        entries = [
            self.queue.entries[r]
            for r in rows
            if self.queue.entries[r].state is DocumentState.CANCELLED
        ]
        self.queue.remove_rows(rows)
        by_engine: dict[str, list[str]] = {}
        for entry in entries:
            by_engine.setdefault(entry.backend, []).append(entry.path)
        for backend, paths in by_engine.items():
            self.bridge.enqueue(paths, backend, self.language_box.languages())

    def read_again(self, row: int, backend: str) -> None:
        """Read row ``row``'s document again with ``backend``; the archive keeps both
        readings (one per engine), and the queue gets a row for the new one."""
        entry = self.queue.entries[row]
        self.bridge.enqueue([entry.path], backend, force=backend == entry.backend)

    def _rows_removed(self) -> None:
        self.navigation.rows_removed()
        self.batch_progress.update()
        self.update_bench_action()
