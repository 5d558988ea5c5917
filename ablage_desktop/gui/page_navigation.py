"""Which document and page the window shows, and turning its pages.

Holds the selected queue row, the page index and the last preview image; draws the page, its
boxes and its text from the queue's entry, and keeps the user's corrections in that entry.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ablage_desktop.engine import DocumentState, Engine, OcrPage
from ablage_desktop.gui.editing import edited_page, with_page
from ablage_desktop.gui.images import preview_qimage
from ablage_desktop.gui.page_details import page_details
from ablage_desktop.gui.reasons import with_detail
from ablage_desktop.gui.widgets.queue_model import QueueEntry

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow


def preview_image(engine: Engine, path: str, index: int) -> QImage:
    """Page ``index`` of ``path`` as the page view draws it (made in the control thread)."""
    return preview_qimage(engine.preview(Path(path), index))  # screen-sized, off the GUI thread


class PageNavigation(QObject):
    """The page viewer's buttons and label, and the document and page shown."""

    previewReady = Signal(object, int)  # path, page index: its image is at hand

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.row: int | None = None
        self.page_index = 0
        self.preview: tuple[str, int, QImage] | None = None
        self._shown: tuple[str, int] | None = None
        """The document and page drawn last (``show_current``)."""

        self.prev_button = QPushButton("<", window)
        self.next_button = QPushButton(">", window)
        self.prev_button.setAccessibleName(self.tr("Previous page"))
        self.next_button.setAccessibleName(self.tr("Next page"))
        self.prev_button.setEnabled(False)  # no document yet
        self.next_button.setEnabled(False)
        self.page_label = QLabel("", window)
        self.page_label.setAccessibleName(self.tr("Page number"))
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)

        self.viewer = QWidget(window)
        viewer_layout = QVBoxLayout(self.viewer)
        viewer_layout.setContentsMargins(0, 0, 0, 0)
        navigation = QHBoxLayout()
        navigation.addWidget(self.prev_button)
        navigation.addWidget(self.page_label)
        navigation.addWidget(self.next_button)
        navigation.addStretch(1)
        viewer_layout.addLayout(navigation)
        viewer_layout.addWidget(window.page_view)

    def current_page(self) -> OcrPage | None:
        """The page shown, as read (and corrected); None before it is read."""
        if self.row is None:
            return None
        return self._window.queue.entries[self.row].pages.get(self.page_index)

    def next_page(self) -> None:
        self.show_page(self.page_index + 1)

    def previous_page(self) -> None:
        self.show_page(self.page_index - 1)

    def document_selected(self, row: int) -> None:
        self.row = row
        self.show_page(0)

    def show_page(self, index: int) -> None:
        if self.row is None:
            return
        entry = self._window.queue.entries[self.row]
        count = max(entry.pages_total, 1)
        self.page_index = max(0, min(index, count - 1))
        self.show_current()
        if entry.state is not DocumentState.ARCHIVED or Path(entry.path).is_file():
            bridge = self._window.bridge
            bridge.run(
                preview_image,
                bridge.engine,
                entry.path,
                self.page_index,
                on_result=functools.partial(self.preview_ready, entry.path, self.page_index),
            )

    def show_current(self) -> None:
        if self.row is None:
            return
        window = self._window
        entry = window.queue.entries[self.row]
        page = entry.pages.get(self.page_index)
        count = max(entry.pages_total, 1)
        label = self.tr("page {0} of {1}").format(self.page_index + 1, count)
        if self.page_index in entry.restored:
            label += self.tr(" (from the archive)")
        if not entry.pages_total and not entry.pages:  # failed, or not opened yet: no pages
            label, count = "", 0
        self.page_label.setText(label)
        self.page_label.setToolTip(page_details(page))
        self.prev_button.setEnabled(self.page_index > 0)
        self.next_button.setEnabled(self.page_index + 1 < count)
        image = None
        if self.preview and self.preview[:2] == (entry.path, self.page_index):
            image = self.preview[2]
        shown = (entry.path, self.page_index)
        line = window.page_view.selected_line if shown == self._shown else None
        self._shown = shown
        window.page_view.show_page(image, page)
        window.text_pane.show_page(page)
        window.page_view.mark_lines(window.text_pane.hit_lines())
        if line is not None:  # the same page drawn again (its image came): the line stays
            window.page_view.select_line(line)
            window.text_pane.select_line(line)
        if page is None and entry.kind and entry.state is not DocumentState.CANCELLED:
            window.text_pane.setPlainText(with_detail(entry.kind, entry.reason))

    def shows(self, batch: int, position: int, page_index: int | None = None) -> bool:
        """Whether the document at ``position`` of ``batch`` is shown (on page ``page_index``
        where given)."""
        found = self._window.queue.entry(batch, position)
        if not found or found[0] != self.row:
            return False
        return page_index is None or page_index == self.page_index

    def preview_ready(self, path: str, index: int, image: QImage) -> None:
        self.preview = (path, index, image)
        if self.row is not None:
            entry = self._window.queue.entries[self.row]
            if (entry.path, self.page_index) == (path, index):
                self.show_current()
        self.previewReady.emit(path, index)

    def open_row(self, row: int, page: int) -> None:
        """Select queue row ``row`` and show its page ``page``."""
        queue = self._window.queue
        queue.blockSignals(True)  # not document_selected: that shows page 1
        try:
            queue.selectRow(row)
        finally:
            queue.blockSignals(False)
        self.row = row
        self.show_page(page)

    def rows_removed(self) -> None:
        """Rows left the queue: show the row selected now, or nothing."""
        window = self._window
        self.row = window.queue.selected_row()
        if self.row is None:
            self.page_index = 0
            self.page_label.setText("")
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)
            window.page_view.show_page(None, None)
            window.text_pane.show_page(None)

    def text_edited(self, text: str) -> None:
        """Keep the corrected text in the document's result: the export writes it."""
        if self.row is None:
            return
        entry = self._window.queue.entries[self.row]
        page = entry.pages.get(self.page_index)
        if page is not None:
            self.keep_page(entry, edited_page(page, text), redraw=False)

    def readable(self) -> tuple[QueueEntry, int] | None:
        """The shown document and page where its reading is done and its file still there
        (to be read again: a frame of it, or the page turned)."""
        if self.row is None or self.current_page() is None:
            return None
        entry = self._window.queue.entries[self.row]
        if entry.result is None or not Path(entry.path).is_file():
            return None
        return entry, self.page_index

    def keep_page(self, entry: QueueEntry, page: OcrPage, redraw: bool = True) -> bool:
        """Keep ``page``, changed by the user, in ``entry``'s result (the export writes it;
        the archive keeps it, ``corrections``), and show it where it is shown (``redraw``:
        not while the text pane is being typed in); False where the entry has left the
        queue or is not read to its end yet."""
        before = entry.pages.get(page.index)
        page = dataclasses.replace(page, corrected=True)
        if not self._put(entry, page, redraw):
            return False
        self._window.corrections.changed(entry, before, page)
        return True

    def put_back(self, entry: QueueEntry, page: OcrPage) -> bool:
        """``page``, the engine's reading, back in ``entry`` in place of its correction (the
        archive's is put back by ``corrections``); False where the entry has left the queue."""
        return self._put(entry, dataclasses.replace(page, corrected=False), redraw=True)

    def _put(self, entry: QueueEntry, page: OcrPage, redraw: bool) -> bool:
        queue = self._window.queue
        row = next((n for n, e in enumerate(queue.entries) if e is entry), None)
        if row is None or entry.result is None:
            return False
        entry.pages[page.index] = page
        entry.result = with_page(entry.result, page)
        queue.refresh_row(row)  # its state says whether it is edited
        if redraw and row == self.row and page.index == self.page_index:
            self.show_current()
        return True
