"""The main window: queue, page with boxes, text, models, memory graph, status.

Thin by design: every decision is the engine's; this file only arranges widgets, forwards the
user's requests to the ``EngineBridge`` and shows what comes back.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QDateTime, QLocale, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop import __version__
from ablage_desktop.engine import BackendStatus, ModelStateChanged, OcrDocument, OcrPage
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.pathtext import display
from ablage_desktop.engine.store import Job, SearchHit
from ablage_desktop.gui import export_target
from ablage_desktop.gui.about import show_about
from ablage_desktop.gui.bench_dialog import BenchDialog
from ablage_desktop.gui.bridge import AUTO, EngineBridge
from ablage_desktop.gui.close_guard import CloseQuestion, QuitGuard
from ablage_desktop.gui.editing import edited_page, with_page
from ablage_desktop.gui.quantization import quantization_choices, shown_quantization
from ablage_desktop.gui.reasons import in_user_words, reason_text, with_detail
from ablage_desktop.gui.widgets.batch_summary import BatchSummary
from ablage_desktop.gui.widgets.language_box import LanguageBox
from ablage_desktop.gui.widgets.memory_graph import MemoryGraph
from ablage_desktop.gui.widgets.models_panel import ModelsPanel, size_text
from ablage_desktop.gui.widgets.notice_bar import NoticeBar
from ablage_desktop.gui.widgets.page_view import PageView
from ablage_desktop.gui.widgets.quantization_menu import QuantizationMenu
from ablage_desktop.gui.widgets.queue_view import QueueView
from ablage_desktop.gui.widgets.search_panel import SearchPanel
from ablage_desktop.gui.widgets.server_dialog import ServerDialog
from ablage_desktop.gui.widgets.text_pane import TextPane

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 350
SEARCH_DOCK_HEIGHT = 180
GRAPH_WINDOW_S = 900.0
"""The memory graph keeps 15 minutes; it shows the last 5 until the user zooms."""


class MainWindow(QMainWindow):
    def __init__(self, bridge: EngineBridge, settings: QSettings | None = None) -> None:
        super().__init__()
        self.bridge = bridge
        self.settings = settings or QSettings()
        self.setWindowTitle(f"Ablage Desktop {__version__}")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self._row: int | None = None
        self._page_index = 0
        self._preview: tuple[str, int, QImage] | None = None
        self._statuses: list[BackendStatus] = []
        self._running_batches: set[int] = set()
        self._restored_pages: dict[int, int] = {}
        self._interrupted: list[Job] = []
        self._search_request = 0
        self.last_error: tuple[str, str] | None = None
        self.bench_dialog: BenchDialog | None = None
        self._batch_engines: dict[int, str] = {}
        self._cancelling = False
        self._stopped = False
        """The last batch was cancelled: the progress bar says so until the next one."""
        self.quit_guard = QuitGuard(
            self,
            lambda: sum(e.state in ("queued", "running") for e in self.queue.entries),
            self.close,
        )
        self._backend_filled = False
        self.about_box: QMessageBox | None = None

        self._build_widgets()
        self._build_actions()
        self._connect_bridge()
        self._restore_settings()

    # --- layout -----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.queue = QueueView(self)
        self.page_view = PageView(self)
        self.text_pane = TextPane(self)
        self.models = ModelsPanel(self)
        self.graph = MemoryGraph(self, window_s=GRAPH_WINDOW_S)

        self.backend_box = QComboBox(self)
        self.backend_box.setAccessibleName(self.tr("Engine for the next documents"))
        self.backend_box.setToolTip(self.tr("Engine for the next documents"))
        self.backend_box.addItem(self.tr("auto (chosen per page)"), AUTO)
        # Wide enough for its longest entry: "got_ocr2 — not downloaded, ~1.2 GiB" uncut.
        self.backend_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language_box = LanguageBox(self)
        self.language_box.choose(str(self.settings.value("ocr_language", "") or ""))
        self.language_box.currentIndexChanged.connect(self._language_changed)

        self.prev_button = QPushButton("<", self)
        self.next_button = QPushButton(">", self)
        self.prev_button.setAccessibleName(self.tr("Previous page"))
        self.next_button.setAccessibleName(self.tr("Next page"))
        self.prev_button.setEnabled(False)  # no document yet
        self.next_button.setEnabled(False)
        self.page_label = QLabel("", self)
        self.page_label.setAccessibleName(self.tr("Page number"))
        self.prev_button.clicked.connect(lambda: self.show_page(self._page_index - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self._page_index + 1))

        viewer = QWidget(self)
        viewer_layout = QVBoxLayout(viewer)
        viewer_layout.setContentsMargins(0, 0, 0, 0)
        navigation = QHBoxLayout()
        navigation.addWidget(self.prev_button)
        navigation.addWidget(self.page_label)
        navigation.addWidget(self.next_button)
        navigation.addStretch(1)
        viewer_layout.addLayout(navigation)
        viewer_layout.addWidget(self.page_view)

        self.top_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.top_splitter.addWidget(self.queue)
        self.top_splitter.addWidget(viewer)
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
        self.resume_bar = NoticeBar("info", central)
        self.resume_button = self.resume_bar.add_button(self.tr("Resume"))
        self.discard_button = self.resume_bar.add_button(self.tr("Discard"))
        self.resume_bar.dismiss_button.setText(self.tr("Later"))
        self.resume_button.clicked.connect(self.resume_interrupted)
        self.discard_button.clicked.connect(self.discard_interrupted)
        self.archive_bar = NoticeBar("warning", central)
        central_layout.addWidget(self.resume_bar)
        central_layout.addWidget(self.archive_bar)
        central_layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)

        self.search_field = QLineEdit(self)
        self.search_field.setAccessibleName(self.tr("Search the archive"))
        self.search_field.setPlaceholderText(self.tr("Search the archive (Ctrl+F)"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMaximumWidth(320)
        if not self.bridge.has_archive:
            self.search_field.setEnabled(False)
            self.search_field.setToolTip(self.tr("Search needs the archive, which is not open."))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_typed)
        self.search_field.textEdited.connect(self._search_timer.start)
        self.search_field.returnPressed.connect(self._search_typed)
        self.search_panel = SearchPanel(self)
        self.search_panel.hitActivated.connect(self.open_hit)
        self.search_dock = QDockWidget(self.tr("Search results"), self)
        self.search_dock.setObjectName("search-dock")
        self.search_dock.setWidget(self.search_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.search_dock)
        self.search_dock.hide()

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("Progress of the batch"))
        self.progress.setMaximumWidth(240)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.pressure_label = QLabel(self.tr("memory: normal"), self)
        self.pressure_label.setAccessibleName(self.tr("Memory pressure"))
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel the batch"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_batch)
        self.summary_label = BatchSummary(self)
        status = self.statusBar()
        status.addPermanentWidget(self.summary_label)
        status.addPermanentWidget(self.pressure_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)

        self.page_view.lineClicked.connect(self.text_pane.select_line)
        self.text_pane.lineSelected.connect(self.page_view.select_line)
        self.queue.documentSelected.connect(self._document_selected)
        self.queue.exportRequested.connect(self.export_row)
        self.queue.resumeRequested.connect(self.resume_rows)
        self.queue.rereadRequested.connect(self.read_again)
        self.queue.rowsRemoved.connect(self._rows_removed)
        self.text_pane.textEdited.connect(self._text_edited)
        self.models.loadRequested.connect(self.bridge.load)
        self.models.unloadRequested.connect(self.bridge.unload)
        self.models.unloadAllRequested.connect(self.bridge.unload_all)
        self.backend_box.currentIndexChanged.connect(self._backend_changed)

    def _build_actions(self) -> None:
        def action(text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
            act = QAction(text, self)
            act.triggered.connect(slot)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            self.addAction(act)
            return act

        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = action(
            self.tr("&Open documents..."), self.open_files, QKeySequence.StandardKey.Open
        )
        self.open_folder_action = action(
            self.tr("Open &folder..."), self.open_folder, "Ctrl+Shift+O"
        )
        self.paste_action = action(
            self.tr("&Paste image"), self.paste_image, QKeySequence.StandardKey.Paste
        )
        self.export_action = action(self.tr("&Export..."), self.export_selected, "Ctrl+E")
        self.export_action.setShortcuts(
            [QKeySequence("Ctrl+E"), QKeySequence(QKeySequence.StandardKey.Save)]
        )
        self.export_action.setToolTip(
            self.tr("Save the selected document's text as text, Markdown, JSON, hOCR or PDF")
        )
        self.quit_action = action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        for act in (
            self.open_action,
            self.open_folder_action,
            self.paste_action,
            self.export_action,
        ):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        # File > Quit asks first while documents are read; a close from the program does not.
        self.quit_action.triggered.disconnect(self.close)
        self.quit_action.triggered.connect(self.request_quit)

        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.copy_all_action = action(
            self.tr("Copy &all text"), self.text_pane.copy_all, "Ctrl+Shift+C"
        )
        edit_menu.addAction(self.copy_all_action)
        self.edit_text_action = action(self.tr("&Correct the text"), self._set_editing, "F2")
        self.edit_text_action.setCheckable(True)
        self.edit_text_action.setToolTip(
            self.tr("Correct the recognised text; the export writes the corrected text")
        )
        edit_menu.addAction(self.edit_text_action)
        self.clear_action = action(self.tr("C&lear finished documents"), self.queue.clear_finished)
        edit_menu.addAction(self.clear_action)
        self.find_action = action(
            self.tr("&Find in the archive"), self.focus_search, QKeySequence.StandardKey.Find
        )
        self.find_action.setEnabled(self.bridge.has_archive)
        edit_menu.addAction(self.find_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.zoom_in_action = action(
            self.tr("Zoom &in"), self.page_view.zoom_in, QKeySequence.StandardKey.ZoomIn
        )
        self.zoom_out_action = action(
            self.tr("Zoom &out"), self.page_view.zoom_out, QKeySequence.StandardKey.ZoomOut
        )
        self.fit_action = action(self.tr("&Fit width"), self.page_view.fit_width, "Ctrl+0")
        self.boxes_action = action(
            self.tr("Show line &boxes"), self.page_view.set_boxes_visible, "Ctrl+B"
        )
        self.boxes_action.setCheckable(True)
        self.boxes_action.setChecked(True)
        self.next_action = action(
            self.tr("&Next page"), lambda: self.show_page(self._page_index + 1), "PgDown"
        )
        self.prev_action = action(
            self.tr("&Previous page"), lambda: self.show_page(self._page_index - 1), "PgUp"
        )
        for act in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
            self.boxes_action,
            self.next_action,
            self.prev_action,
        ):
            view_menu.addAction(act)
        view_menu.addSeparator()
        view_menu.addAction(self.search_dock.toggleViewAction())

        models_menu = self.menuBar().addMenu(self.tr("&Models"))
        self.unload_all_action = action(self.tr("Unload &all"), self.bridge.unload_all)
        models_menu.addAction(self.unload_all_action)
        self.quantization_menu = QuantizationMenu(
            self.tr("&Quantization of the selected model"), models_menu
        )
        models_menu.addMenu(self.quantization_menu)
        self.quantization_menu.chosen.connect(self._quantize)
        self.quantization_menu.aboutToShow.connect(self._update_quantization_menu)
        self.models.table.itemSelectionChanged.connect(self._update_quantization_menu)
        self._update_quantization_menu()
        self.add_server_action = action(self.tr("Add inference &server..."), self.add_server)
        models_menu.addAction(self.add_server_action)
        models_menu.addSeparator()
        self.bench_action = action(self.tr("&Benchmark..."), self.open_bench)
        models_menu.addAction(self.bench_action)
        models_menu.setToolTipsVisible(True)
        self._update_bench_action()

        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("&Language"))
        current = str(self.settings.value("language", ""))
        for code, label in (("", self.tr("System")), ("en", "English"), ("de", "Deutsch")):
            act = QAction(label, self)
            act.setCheckable(True)
            act.setChecked(code == current)
            act.triggered.connect(lambda checked=False, c=code: self._set_language(c))
            language_menu.addAction(act)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(action(self.tr("&About"), self._about))

        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("main-toolbar")
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.export_action)
        toolbar.addWidget(QLabel(self.tr(" Engine: "), self))
        toolbar.addWidget(self.backend_box)
        toolbar.addWidget(QLabel(self.tr(" Language: "), self))
        toolbar.addWidget(self.language_box)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_field)
        self.addToolBar(toolbar)

    def _connect_bridge(self) -> None:
        control, worker = self.bridge.control, self.bridge.worker
        control.batchEngine.connect(self._batch_engine)
        control.documentsQueued.connect(self._documents_queued)
        control.previewReady.connect(self._preview_ready)
        control.modelsChanged.connect(self._models_changed)
        # Bound methods of the window, never lambdas: a lambda has no thread of its own, so
        # PySide6 would run it in the worker's thread and touch widgets from there.
        control.message.connect(self._show_message)
        control.failed.connect(self._failed)
        control.exported.connect(self._exported)
        archive = self.bridge.archive
        archive.resumable.connect(self._offer_resume)
        archive.discarded.connect(self._discarded)
        archive.searchDone.connect(self._search_done)
        archive.documentOpened.connect(self._archived_opened)
        archive.message.connect(self._show_message)
        archive.failed.connect(self._failed)
        worker.batchStarted.connect(self._batch_started)
        worker.documentStarted.connect(self.queue.document_started)
        worker.pageDone.connect(self._page_done)
        worker.pageRestored.connect(self._page_restored)
        worker.documentFinished.connect(self._document_finished)
        worker.batchFinished.connect(self._batch_finished)
        worker.failed.connect(self._failed)
        self.bridge.memorySampled.connect(self._memory_sampled)
        self.bridge.modelEvent.connect(self._model_event)
        self.bridge.leaked.connect(self._leaked)

    def _show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _leaked(self, model: str, objects: list[str]) -> None:
        self.statusBar().showMessage(
            self.tr("Memory leak: {0} is still referenced after unloading").format(model), 10000
        )

    # --- input --------------------------------------------------------------------------------

    def enqueue(self, paths: list[str]) -> None:
        if paths:
            backend = self.backend_box.currentData() or AUTO
            self.bridge.enqueue(paths, backend, self.language_box.languages())

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
            self._enqueue_image(QImage(mime.imageData()))
        event.acceptProposedAction()

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Open documents"),
            str(self.settings.value("last_folder", str(Path.home()))),
            self.tr(
                "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp);;All files (*)"
            ),
        )
        if files:
            self.settings.setValue("last_folder", str(Path(files[0]).parent))
            self.enqueue(files)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Open a folder of documents"), str(self.settings.value("last_folder", ""))
        )
        if folder:
            self.settings.setValue("last_folder", folder)
            self.enqueue([folder])

    def paste_image(self) -> None:
        from PySide6.QtWidgets import QApplication

        clipboard = QApplication.clipboard()
        mime = clipboard.mimeData()
        if mime is not None and mime.hasUrls():
            self.enqueue([url.toLocalFile() for url in mime.urls() if url.isLocalFile()])
            return
        image = clipboard.image()
        if image.isNull():
            self.statusBar().showMessage(self.tr("The clipboard holds no image."), 5000)
            return
        self._enqueue_image(image)

    def _enqueue_image(self, image: QImage) -> None:
        folder = Path(tempfile.mkdtemp(prefix="ablage-paste-"))
        path = folder / "pasted.png"
        if image.save(str(path), "PNG"):
            self.enqueue([str(path)])

    # --- batches ------------------------------------------------------------------------------

    def _batch_engine(self, batch: int, backend: str) -> None:
        self._batch_engines[batch] = backend

    def _documents_queued(self, batch: int, paths: list[str], skipped: int) -> None:
        first_new = self.queue.rowCount()
        self.queue.add_batch(batch, paths, self._batch_engines.pop(batch, AUTO))
        if skipped:
            self.statusBar().showMessage(
                self.tr("{0} files were not documents and were skipped.").format(skipped), 8000
            )
        if self._row is None:
            self.queue.selectRow(first_new)
        self._update_progress()
        self._update_bench_action()
        if self.bench_dialog is not None:
            self.bench_dialog.set_paths(self.queue_paths())

    def _batch_started(self, batch: int, paths: list[str]) -> None:
        self._running_batches.add(batch)
        if not self._cancelling:
            self._stopped = False
            self.cancel_button.setEnabled(True)
            self.summary_label.started()
        self._update_progress()

    def _page_done(self, batch: int, position: int, page: OcrPage) -> None:
        self.queue.page_done(batch, position, page)
        found = self.queue.entry(batch, position)
        if found and found[0] == self._row and page.index == self._page_index:
            self._show_current()
        self._update_progress()

    def _page_restored(self, batch: int, position: int, page: OcrPage) -> None:
        self._restored_pages[batch] = self._restored_pages.get(batch, 0) + 1
        self.queue.page_restored(batch, position, page)
        found = self.queue.entry(batch, position)
        if found and found[0] == self._row and page.index == self._page_index:
            self._show_current()
        self._update_progress()

    def _document_finished(self, batch: int, position: int, result: object) -> None:
        self.queue.document_finished(batch, position, result)  # type: ignore[arg-type]
        found = self.queue.entry(batch, position)
        if found and found[0] == self._row:
            self._show_current()
        self._update_progress()

    def _batch_finished(
        self, batch: int, done: int, failed: int, seconds: float, cancelled: bool
    ) -> None:
        self._running_batches.discard(batch)
        stopped = sum(1 for e in self.queue.entries if e.batch == batch and e.state == "cancelled")
        restored = self._restored_pages.pop(batch, 0)
        if not self.bridge.batches_pending:
            self._stopped = self._cancelling or cancelled
            self._cancelling = False
        self.cancel_button.setEnabled(bool(self._running_batches) and not self._cancelling)
        self.summary_label.finished(done, failed, stopped, seconds, restored)
        self._update_progress()

    def cancel_batch(self) -> None:
        """Stop reading: the pages being read finish, no new one starts; what is not read
        stays "cancelled" in the queue (Resume in its menu reads it on)."""
        self.bridge.cancel()
        self._cancelling = True
        self.cancel_button.setEnabled(False)
        self.summary_label.cancelling()
        self._update_progress()

    def _update_progress(self) -> None:
        entries = self.queue.entries
        total_pages = sum(max(e.pages_total, 1) for e in entries) or 1
        done_pages = sum(
            max(e.pages_total, 1) if e.state in ("done", "failed", "archived") else len(e.pages)
            for e in entries
        )
        self.progress.setRange(0, total_pages)
        self.progress.setValue(done_pages)
        running = [e for e in entries if e.state == "running"]
        if self._cancelling:
            self.progress.setFormat(self.tr("cancelling ..."))
        elif self._stopped:
            self.progress.setFormat(self.tr("cancelled"))
        elif running:
            entry = running[0]
            self.progress.setFormat(
                f"{display(Path(entry.path).name)} {len(entry.pages)}/{entry.pages_total or '?'}"
            )
        else:
            self.progress.setFormat("%p%")

    # --- the selected document --------------------------------------------------------------

    def _document_selected(self, row: int) -> None:
        self._row = row
        self.show_page(0)

    def show_page(self, index: int) -> None:
        if self._row is None:
            return
        entry = self.queue.entries[self._row]
        count = max(entry.pages_total, 1)
        self._page_index = max(0, min(index, count - 1))
        self._show_current()
        if entry.state != "archived" or Path(entry.path).is_file():
            self.bridge.request_preview(entry.path, self._page_index)

    def _show_current(self) -> None:
        if self._row is None:
            return
        entry = self.queue.entries[self._row]
        page = entry.pages.get(self._page_index)
        count = max(entry.pages_total, 1)
        label = self.tr("page {0} of {1}").format(self._page_index + 1, count)
        if self._page_index in entry.restored:
            label += self.tr(" (from the archive)")
        if not entry.pages_total and not entry.pages:  # failed, or not opened yet: no pages
            label, count = "", 0
        self.page_label.setText(label)
        self.prev_button.setEnabled(self._page_index > 0)
        self.next_button.setEnabled(self._page_index + 1 < count)
        image = None
        if self._preview and self._preview[:2] == (entry.path, self._page_index):
            image = self._preview[2]
        self.page_view.show_page(image, page)
        self.text_pane.show_page(page)
        self.page_view.mark_lines(self.text_pane.hit_lines())
        if page is None and entry.kind and entry.kind != "cancelled":
            self.text_pane.setPlainText(with_detail(entry.kind, entry.reason))

    def _preview_ready(self, path: str, index: int, image: QImage) -> None:
        self._preview = (path, index, image)
        if self._row is not None:
            entry = self.queue.entries[self._row]
            if (entry.path, self._page_index) == (path, index):
                self._show_current()

    def _open_row(self, row: int, page: int) -> None:
        """Select queue row ``row`` and show its page ``page``."""
        self.queue.blockSignals(True)  # not _document_selected: that shows page 1
        try:
            self.queue.selectRow(row)
        finally:
            self.queue.blockSignals(False)
        self._row = row
        self.show_page(page)

    # --- export -------------------------------------------------------------------------------

    def _export_filters(self) -> dict[str, str]:
        return {
            "txt": self.tr("Text (*.txt)"),
            "md": self.tr("Markdown (*.md)"),
            "json": self.tr("JSON (*.json)"),
            "hocr": self.tr("hOCR (*.hocr *.html)"),
            "pdf": self.tr("Searchable PDF (*.pdf)"),
        }

    def _format_name(self, fmt: str) -> str:
        names = {"txt": self.tr("text"), "pdf": self.tr("searchable PDF")}
        return {**names, "md": "Markdown", "json": "JSON", "hocr": "hOCR"}.get(fmt, fmt)

    def export_selected(self) -> None:
        """File > Export: the selected document's result, in a format the user picks."""
        self.export_row(self._row)

    def export_row(self, row: int | None) -> None:
        if row is None or not self.queue.entries[row].exportable:
            self.statusBar().showMessage(self.tr("Select a finished document first."), 5000)
            return
        entry = self.queue.entries[row]
        chosen = export_target.ask(
            self,
            self.settings,
            Path(entry.path),
            self._inputs(),
            self._export_filters(),
        )
        if chosen is not None:
            self.export_document(row, str(chosen[0]), chosen[1])

    def _inputs(self) -> list[Path]:
        """Every document in the queue: an export never replaces one of them."""
        return [Path(entry.path) for entry in self.queue.entries]

    def export_document(self, row: int, path: str, fmt: str) -> None:
        """Write row ``row``'s result to ``path`` as ``fmt``, in the control thread."""
        entry = self.queue.entries[row]
        if entry.result is None:
            return
        self.bridge.export(entry.result, path, fmt, self._inputs())
        self.statusBar().showMessage(
            self.tr("Exporting {0} as {1} ...").format(
                display(Path(entry.path).name), self._format_name(fmt)
            )
        )

    def _exported(self, path: str, fmt: str) -> None:
        self.statusBar().showMessage(
            self.tr("Exported as {0}: {1}").format(self._format_name(fmt), path), 15000
        )

    # --- the archive ----------------------------------------------------------------------------

    def show_archive_problem(self, message: str) -> None:
        """The archive could not be opened: the window works on without it."""
        self.archive_bar.show_message(
            self.tr(
                "The archive cannot be used, so nothing read now is kept and search is off. {0}"
            ).format(message)
        )

    def _offer_resume(self, jobs: list[Job]) -> None:
        self._interrupted = list(jobs)
        self._offer_next()

    def _offer_next(self) -> None:
        if not self._interrupted:
            self.resume_bar.hide()
            return
        job = self._interrupted[0]
        when = local_time(job.created)
        count = len(job.documents)
        if count == 1:
            text = self.tr("A batch of one document was interrupted on {0}.").format(when)
        else:
            text = self.tr("A batch of {0} documents was interrupted on {1}; {2} are not read yet.")
            text = text.format(count, when, len(job.remaining))
        self.resume_bar.show_message(text)

    def resume_interrupted(self) -> None:
        """Queue the unfinished documents of the batch offered in the bar."""
        if self._interrupted:
            self.bridge.resume(self._interrupted.pop(0).id)
        self._offer_next()

    def discard_interrupted(self) -> None:
        """Forget the batch offered in the bar: it is not offered again."""
        if self._interrupted:
            self.bridge.discard(self._interrupted.pop(0).id)
        self._offer_next()

    def _discarded(self, job: int) -> None:
        self.statusBar().showMessage(
            self.tr("The interrupted batch was discarded; its pages read so far stay archived."),
            8000,
        )

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def search(self, words: str) -> None:
        """Search the archive for ``words`` (as if typed); the results show in their panel."""
        self.search_field.setText(words)
        self._search_typed()

    def _search_typed(self) -> None:
        self._search_timer.stop()
        words = self.search_field.text()
        if not words.strip():
            self._search_request = 0
            self.search_panel.clear()
            self._set_search_words("")
            return
        self._search_request = self.bridge.search(words)

    def _search_done(self, request: int, words: str, hits: list[SearchHit]) -> None:
        if request != self._search_request:
            return  # an answer to words typed before the current ones
        self.search_panel.set_hits(words, hits)
        if self.search_dock.isHidden():
            self.search_dock.show()
            self.resizeDocks([self.search_dock], [SEARCH_DOCK_HEIGHT], Qt.Orientation.Vertical)
        self.search_dock.raise_()

    def open_hit(self, hit: SearchHit) -> None:
        """Show the page of ``hit`` with the search words marked: from the queue if the
        document is there, else its stored pages from the archive."""
        self._set_search_words(self.search_panel.words)
        row = self.queue.find_document(hit.sha256, str(hit.document), hit.page)
        if row is not None:
            self._open_row(row, hit.page)
        else:
            self.bridge.open_archived(hit.sha256, str(hit.document), hit.page)

    def _archived_opened(self, sha256: str, document: OcrDocument, page: int) -> None:
        row = self.queue.find_document(sha256, str(document.document), page)
        if row is None:
            row = self.queue.add_archived(document)
            self._update_progress()
            self._update_bench_action()
        self._open_row(row, page)

    def _set_search_words(self, words: str) -> None:
        self.text_pane.set_search_words(words)
        self.page_view.mark_lines(self.text_pane.hit_lines())

    # --- models and memory ------------------------------------------------------------------

    def _models_changed(self, statuses: list[BackendStatus]) -> None:
        self._statuses = list(statuses)
        quantization = {
            s.name: shown_quantization(self.bridge.engine.options(s.name), s.device)[0]
            for s in statuses
        }
        self.models.set_statuses(statuses, quantization)
        self._fill_backend_box(statuses)
        self.queue.set_engines(
            [(s.name, s.name) for s in statuses if s.available and ":" not in s.name]
        )
        self._update_quantization_menu()

    def _update_quantization_menu(self) -> None:
        name = self.models.selected_model()
        choices: tuple[str, ...] = ()
        if name is not None:
            try:
                choices = quantization_choices(self.bridge.engine.options(name))
            except Exception:  # a model that went away
                choices = ()
        self.quantization_menu.show_model(name, choices)

    def _fill_backend_box(self, statuses: list[BackendStatus]) -> None:
        current = self.backend_box.currentData()
        self.backend_box.blockSignals(True)
        while self.backend_box.count() > 1:
            self.backend_box.removeItem(1)
        model = self.backend_box.model()
        for status in statuses:
            if ":" in status.name:
                continue  # a language variant made for one request
            state = self.models.state_label(status.state)
            size = self.models.device_text(status) if status.remote else None
            text = f"{status.name} — {state}, {size or '~' + size_text(status.estimated_bytes)}"
            self.backend_box.addItem(text, status.name)
            row = self.backend_box.count() - 1
            self.backend_box.setItemData(
                row, status.reason or status.description, Qt.ItemDataRole.ToolTipRole
            )
            if not status.available:
                item = model.item(row)  # type: ignore[attr-defined]
                item.setEnabled(False)
        # The user's choice: the box's own until the first fill, where it is still "auto"
        # and the saved one counts; an engine unavailable now falls back to auto (and comes
        # back when it is available again, as the setting is kept).
        if self._backend_filled:
            wanted = current or AUTO
        else:
            wanted = str(self.settings.value("backend", AUTO) or AUTO)
            self._backend_filled = True
        index = self.backend_box.findData(wanted)
        if index > 0 and not model.item(index).isEnabled():  # type: ignore[attr-defined]
            index = 0
        self.backend_box.setCurrentIndex(max(0, index))
        self.backend_box.blockSignals(False)
        self.backend_box.adjustSize()
        self._update_language_box()

    def _backend_changed(self) -> None:
        self.settings.setValue("backend", self.backend_box.currentData() or AUTO)
        self._update_language_box()

    def _update_language_box(self) -> None:
        name = self.backend_box.currentData() or AUTO
        try:
            options = self.bridge.engine.options(name) if name != AUTO else None
            takes = options is not None and "languages" in type(options).model_fields
        except Exception:  # a model that went away: no languages to choose
            takes = False
        self.language_box.set_applicable(takes)

    def _language_changed(self) -> None:
        self.settings.setValue("ocr_language", self.language_box.currentData() or "")

    def add_server(self) -> ServerDialog:
        """Ask for a server's settings; on OK the engine adds, saves and checks it."""
        dialog = ServerDialog({s.name for s in self._statuses}, self)
        dialog.setModal(True)

        def accepted() -> None:
            self.bridge.add_server(dialog.name(), dialog.entry(), dialog.first_in_auto())

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def _quantize(self, quantization: str) -> None:
        name = self.models.selected_model()
        if name is None:
            self.statusBar().showMessage(self.tr("Select a model in the models table first."), 5000)
            return
        self.bridge.set_quantization(name, quantization)

    def _memory_sampled(self, t: float, snapshot: MemorySnapshot, pressure: str) -> None:
        if not self.graph.sample_count:
            manager = self.bridge.engine.manager
            vram = manager.budget("gpu", snapshot) if snapshot.has_gpu else None
            self.graph.set_budgets(manager.budget("cpu", snapshot), vram)
        self.graph.add_sample(t, snapshot, pressure)
        labels = {
            "normal": self.tr("normal"),
            "warning": self.tr("warning"),
            "critical": self.tr("critical"),
        }
        self.pressure_label.setText(self.tr("memory: {0}").format(labels.get(pressure, pressure)))

    def _model_event(self, event: ModelStateChanged) -> None:
        if event.state in ("ready", "unloaded") and event.previous in ("loading", "unloading"):
            if event.state == "ready":
                label = self.tr("{0} loaded").format(event.model)
            else:
                label = self.tr("{0} unloaded").format(event.model)
            self.graph.add_marker(time.monotonic(), label)

    # --- benchmark ----------------------------------------------------------------------------

    def queue_paths(self) -> list[str]:
        """The queue's documents, each once, in queue order."""
        return list(dict.fromkeys(entry.path for entry in self.queue.entries))

    def _update_bench_action(self) -> None:
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
                self.bridge, self._statuses, paths, self.settings, parent=self
            )
        else:
            self.bench_dialog.set_paths(paths)
        self.bench_dialog.show()
        self.bench_dialog.raise_()
        self.bench_dialog.activateWindow()

    # --- errors and closing -----------------------------------------------------------------

    def _failed(self, kind: str, message: str, details: str) -> None:
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

    def _set_language(self, code: str) -> None:
        self.settings.setValue("language", code)
        self.statusBar().showMessage(
            self.tr("The language changes the next time Ablage Desktop starts."), 8000
        )

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
        self.graph.stop()
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
            self.queue.entries[r] for r in rows if self.queue.entries[r].state == "cancelled"
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
        self._row = self.queue.selected_row()
        if self._row is None:
            self._page_index = 0
            self.page_label.setText("")
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)
            self.page_view.show_page(None, None)
            self.text_pane.show_page(None)
        self._update_progress()
        self._update_bench_action()

    def _set_editing(self, editing: bool) -> None:
        self.text_pane.set_editable(editing)
        if editing:
            self.text_pane.setFocus()

    def _text_edited(self, text: str) -> None:
        """Keep the corrected text in the document's result: the export writes it."""
        if self._row is None:
            return
        entry = self.queue.entries[self._row]
        page = entry.pages.get(self._page_index)
        if page is None or entry.result is None:
            return
        page = edited_page(page, text)
        entry.pages[page.index] = page
        entry.result = with_page(entry.result, page)
        if not entry.edited:
            entry.edited = True
            self.queue.refresh_row(self._row)


def local_time(iso: str) -> str:
    """An archive time (ISO 8601, UTC) as the user's local date and time."""
    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODateWithMs)
    if not moment.isValid():
        return iso
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no locale set: ISO, not "27 11 2026"
        return moment.toLocalTime().toString("yyyy-MM-dd HH:mm")
    return locale.toString(moment.toLocalTime(), QLocale.FormatType.ShortFormat)
