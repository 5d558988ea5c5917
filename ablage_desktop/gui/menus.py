"""The window's menu bar, toolbar and their actions.

The actions stay attributes of the window (``window.export_action``, ``window.quit_action``
...): the window enables them, and tests trigger them. Their slots are the window's and its
parts'; this module only arranges them into menus.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QToolBar

from ablage_desktop.gui.widgets.quantization_menu import QuantizationMenu

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow

LANGUAGES = (("en", "English"), ("de", "Deutsch"))
"""The languages of the user interface besides the system's: code, name in that language."""
PDF_IMAGES_KEY = "pdf_images"
"""The window's setting for searchable PDFs' pages of images: "original" or "compact"."""


class WindowMenus(QObject):
    """Builds the window's menus and toolbar; answers the Settings menu's choices (the
    language, compact PDF pages)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def build(self) -> None:
        window = self._window
        bar = window.menuBar()
        self._file_menu(bar.addMenu(self.tr("&File")))
        self._edit_menu(bar.addMenu(self.tr("&Edit")))
        self._view_menu(bar.addMenu(self.tr("&View")))
        self._models_menu(bar.addMenu(self.tr("&Models")))
        self._settings_menu(bar.addMenu(self.tr("&Settings")))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About"), window._about))
        self._toolbar()

    def _action(
        self, text: str, slot: Callable[..., object], shortcut: QKeySequence | str | None = None
    ) -> QAction:
        act = QAction(text, self._window)
        act.triggered.connect(slot)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        self._window.addAction(act)
        return act

    def _file_menu(self, menu: QMenu) -> None:
        window, action = self._window, self._action
        window.open_action = action(
            self.tr("&Open documents..."), window.intake.open_files, QKeySequence.StandardKey.Open
        )
        window.open_folder_action = action(
            self.tr("Open &folder..."), window.intake.open_folder, "Ctrl+Shift+O"
        )
        window.paste_action = action(
            self.tr("&Paste image"), window.intake.paste_image, QKeySequence.StandardKey.Paste
        )
        window.export_action = action(
            self.tr("&Export..."), window.exports.export_selected, "Ctrl+E"
        )
        window.export_action.setShortcuts(
            [QKeySequence("Ctrl+E"), QKeySequence(QKeySequence.StandardKey.Save)]
        )
        window.export_action.setToolTip(
            self.tr("Save the selected document's text as text, Markdown, JSON, hOCR or PDF")
        )
        # File > Quit asks first while documents are read; a close from the program does not.
        window.quit_action = action(
            self.tr("&Quit"), window.request_quit, QKeySequence.StandardKey.Quit
        )
        window.export_all_action = action(
            self.tr("Export &all..."), window.export_all.ask, "Ctrl+Shift+E"
        )
        window.export_all_action.setToolTip(
            self.tr("Save every document's text into one folder, in one format")
        )
        window.watch_action = action(self.tr("&Watch a folder..."), window.watched.choose)
        window.watch_action.setToolTip(
            self.tr("Read every document that arrives in a folder, such as a scanner's")
        )
        for act in (
            window.open_action,
            window.open_folder_action,
            window.paste_action,
            window.export_action,
            window.export_all_action,
        ):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(window.watch_action)
        stop_menu = menu.addMenu(self.tr("&Stop watching"))
        stop_menu.aboutToShow.connect(lambda: window.watched.fill_menu(stop_menu))
        menu.addSeparator()
        menu.addAction(window.quit_action)

    def _edit_menu(self, menu: QMenu) -> None:
        window, action = self._window, self._action
        window.copy_all_action = action(
            self.tr("Copy &all text"), window.text_pane.copy_all, "Ctrl+Shift+C"
        )
        menu.addAction(window.copy_all_action)
        window.copy_running_action = action(
            self.tr("Copy as &running text"), window.text_pane.copy_running_text, "Ctrl+Alt+C"
        )
        window.copy_running_action.setToolTip(
            self.tr(
                "Copy the page text with each paragraph in one line and words broken by a "
                "hyphen joined again, for a mail or a document"
            )
        )
        menu.addAction(window.copy_running_action)
        window.copy_area_action = action(
            self.tr("Copy the text of an ar&ea"), window.area_actions.choose, "Ctrl+Shift+A"
        )
        window.copy_area_action.setToolTip(
            self.tr("Frame an area on the page to copy the text in it (or drag with Shift held)")
        )
        menu.addAction(window.copy_area_action)
        window.frame_selection_action = action(
            self.tr("Fra&me the lines selected in the text"),
            window.area_actions.frame_selection,
            "Ctrl+Shift+L",
        )
        window.frame_selection_action.setToolTip(
            self.tr(
                "Draw the frame around the lines the text's selection (or the cursor) is in: "
                "to read them again or copy the frame without the mouse"
            )
        )
        menu.addAction(window.frame_selection_action)
        window.read_area_action = action(
            self.tr("Read the frame a&gain"), window.area_actions.read_with_chosen, "Ctrl+Shift+R"
        )
        window.read_area_action.setToolTip(
            self.tr(
                "Read the area framed on the page again with the engine chosen in the engine "
                "box; its lines take the place of what stood there"
            )
        )
        menu.addAction(window.read_area_action)
        window.edit_text_action = action(self.tr("&Correct the text"), window.set_editing, "F2")
        window.edit_text_action.setCheckable(True)
        window.edit_text_action.setToolTip(
            self.tr("Correct the recognised text; the export writes the corrected text")
        )
        menu.addAction(window.edit_text_action)
        window.next_unsure_action = action(
            self.tr("Go to the &next unsure line"), window.unsure_lines.next, "F4"
        )
        window.next_unsure_action.setToolTip(
            self.tr(
                "Select the next line the engine was unsure of (an amber or red box), on this "
                "page or the next ones, to check it"
            )
        )
        menu.addAction(window.next_unsure_action)
        window.previous_unsure_action = action(
            self.tr("Go to the &previous unsure line"), window.unsure_lines.previous, "Shift+F4"
        )
        menu.addAction(window.previous_unsure_action)
        window.undo_corrections_action = action(
            self.tr("&Undo the corrections of the page"), window.corrections.undo
        )
        window.undo_corrections_action.setToolTip(
            self.tr("Put the engine's reading of the page back, also in the archive")
        )
        menu.addAction(window.undo_corrections_action)
        window.clear_action = action(
            self.tr("C&lear finished documents"), window.queue.clear_finished
        )
        menu.addAction(window.clear_action)
        window.find_action = action(
            self.tr("&Find in the archive"),
            window.archive_panel.focus_search,
            QKeySequence.StandardKey.Find,
        )
        window.find_action.setEnabled(window.bridge.has_archive)
        menu.addAction(window.find_action)

    def _view_menu(self, menu: QMenu) -> None:
        window, action = self._window, self._action
        page_view, navigation = window.page_view, window.navigation
        window.zoom_in_action = action(
            self.tr("Zoom &in"), page_view.zoom_in, QKeySequence.StandardKey.ZoomIn
        )
        window.zoom_out_action = action(
            self.tr("Zoom &out"), page_view.zoom_out, QKeySequence.StandardKey.ZoomOut
        )
        window.fit_action = action(self.tr("&Fit width"), page_view.fit_width, "Ctrl+0")
        window.boxes_action = action(
            self.tr("Show line &boxes"), page_view.set_boxes_visible, "Ctrl+B"
        )
        window.boxes_action.setCheckable(True)
        window.boxes_action.setChecked(True)
        window.next_action = action(self.tr("&Next page"), navigation.next_page, "PgDown")
        window.prev_action = action(self.tr("&Previous page"), navigation.previous_page, "PgUp")
        for act in (
            window.zoom_in_action,
            window.zoom_out_action,
            window.fit_action,
            window.boxes_action,
            window.next_action,
            window.prev_action,
        ):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(window.archive_panel.search_dock.toggleViewAction())

    def _models_menu(self, menu: QMenu) -> None:
        window, action = self._window, self._action
        window.unload_all_action = action(self.tr("Unload &all"), window.bridge.models.unload_all)
        menu.addAction(window.unload_all_action)
        window.quantization_menu = QuantizationMenu(
            self.tr("&Quantization of the selected model"), menu
        )
        menu.addMenu(window.quantization_menu)
        window.add_server_action = action(self.tr("Add inference &server..."), window.add_server)
        menu.addAction(window.add_server_action)
        menu.addSeparator()
        window.bench_action = action(self.tr("&Benchmark..."), window.open_bench)
        menu.addAction(window.bench_action)
        menu.setToolTipsVisible(True)

    def _settings_menu(self, menu: QMenu) -> None:
        language_menu = menu.addMenu(self.tr("&Language"))
        current = str(self._window.settings.value("language", ""))
        for code, label in (("", self.tr("System")), *LANGUAGES):
            act = QAction(label, self._window)
            act.setCheckable(True)
            act.setChecked(code == current)
            act.triggered.connect(lambda checked=False, c=code: self.set_language(c))
            language_menu.addAction(act)
        self._window.pdf_images_action = self._pdf_images_action()
        menu.addAction(self._window.pdf_images_action)
        menu.setToolTipsVisible(True)

    def _pdf_images_action(self) -> QAction:
        """Settings > Compact PDF pages: kept in the window's settings, given to the engine
        at the start; without a choice there, the configuration's is shown."""
        window = self._window
        act = QAction(self.tr("&Compact PDF pages"), window)
        act.setCheckable(True)
        act.setToolTip(
            self.tr(
                "Searchable PDFs: a page its file holds without loss (a photograph kept as a "
                "PNG) goes in as a JPEG where that is smaller"
            )
        )
        chosen = window.settings.value(PDF_IMAGES_KEY)
        engine = window.bridge.engine
        if chosen in ("original", "compact"):
            act.setChecked(chosen == "compact")
            window.bridge.run(engine.set_pdf_images, chosen)
        else:

            def show(configured: str) -> None:
                with QSignalBlocker(act):  # shown, not chosen: the configuration stays in charge
                    act.setChecked(configured == "compact")

            window.bridge.run(lambda: engine.config.exports.pdf_images, on_result=show)
        act.toggled.connect(self.set_pdf_images)
        return act

    def set_pdf_images(self, compact: bool) -> None:
        choice = "compact" if compact else "original"
        self._window.settings.setValue(PDF_IMAGES_KEY, choice)
        self._window.bridge.run(self._window.bridge.engine.set_pdf_images, choice)

    def set_language(self, code: str) -> None:
        self._window.settings.setValue("language", code)
        self._window.statusBar().showMessage(
            self.tr("The language changes the next time Ablage Desktop starts."), 8000
        )

    def _toolbar(self) -> None:
        window = self._window
        toolbar = QToolBar(self.tr("Main"), window)
        toolbar.setObjectName("main-toolbar")
        toolbar.addAction(window.open_action)
        toolbar.addAction(window.export_action)
        toolbar.addWidget(QLabel(self.tr(" Engine: "), window))
        toolbar.addWidget(window.backend_box)
        toolbar.addWidget(QLabel(self.tr(" Language: "), window))
        toolbar.addWidget(window.language_box)
        toolbar.addSeparator()
        toolbar.addWidget(window.search_field)
        window.addToolBar(toolbar)
