"""The archive's search results: one row per page found, its snippet with the hits in bold."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop.engine import HIT_END, HIT_START, SearchHit, display

HTML_ROLE = Qt.ItemDataRole.UserRole + 1
_SPACE = re.compile(r"\s+")


def snippet_html(snippet: str) -> str:
    """The archive's snippet as HTML: the text escaped, each hit in ``<b>``, on one line."""
    parts: list[str] = []
    bold = False
    for char_run in re.split(f"([{HIT_START}{HIT_END}])", _SPACE.sub(" ", snippet)):
        if char_run == HIT_START:
            bold = True
        elif char_run == HIT_END:
            bold = False
        elif char_run:
            text = html.escape(char_run, quote=False)
            parts.append(f"<b>{text}</b>" if bold else text)
    return "".join(parts).strip()


def snippet_text(snippet: str) -> str:
    """The snippet as plain text (for screen readers, tooltips and copying)."""
    return _SPACE.sub(" ", snippet.replace(HIT_START, "").replace(HIT_END, "")).strip()


class HtmlDelegate(QStyledItemDelegate):
    """Paints the HTML of ``HTML_ROLE`` (a line with bold parts) inside a normal item."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setHtml(str(index.data(HTML_ROLE) or ""))
        return document

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        document = self._document(options, index)  # type: ignore[arg-type]
        options.text = ""
        widget = options.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, options, painter, widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.Text
        if options.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            role = QPalette.ColorRole.HighlightedText
        context.palette.setColor(QPalette.ColorRole.Text, options.palette.color(role))  # type: ignore[attr-defined]
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, options, widget)
        painter.save()
        top = rect.top() + max(0.0, (rect.height() - document.size().height()) / 2)
        painter.translate(rect.left(), top)
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        document = self._document(option, index)  # type: ignore[arg-type]
        return QSize(int(document.idealWidth()) + 8, int(document.size().height()) + 6)


class SearchPanel(QWidget):
    """What the last search found; activating a row (double click, Enter) emits its hit."""

    hitActivated = Signal(object)  # SearchHit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self.tr("Type words in the search field to search the archive."))
        self.summary.setAccessibleName(self.tr("Search summary"))
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Document"), self.tr("Page"), self.tr("Text")]
        )
        self.table.setAccessibleName(self.tr("Search results"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setItemDelegateForColumn(2, HtmlDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.words = ""
        self.hits: list[SearchHit] = []
        self.table.itemActivated.connect(self._activated)

    def set_hits(self, words: str, hits: list[SearchHit]) -> None:
        """Show the ``hits`` of a search for ``words``, best first."""
        self.words, self.hits = words, list(hits)
        self.table.setRowCount(0)
        self.table.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            name = QTableWidgetItem(display(Path(hit.document).name))
            name.setToolTip(display(hit.document))
            page = QTableWidgetItem(str(hit.page + 1))
            page.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            text = QTableWidgetItem(snippet_text(hit.snippet))
            text.setData(HTML_ROLE, snippet_html(hit.snippet))
            text.setToolTip(self.tr("{0}, read by {1}").format(hit.document, hit.backend))
            for column, item in enumerate((name, page, text)):
                self.table.setItem(row, column, item)
        if hits:
            self.summary.setText(
                self.tr("{0} page(s) found for “{1}”; double-click one to open it.").format(
                    len(hits), words
                )
            )
        else:
            self.summary.setText(self.tr("Nothing in the archive matches “{0}”.").format(words))

    def clear(self) -> None:
        self.words, self.hits = "", []
        self.table.setRowCount(0)
        self.summary.setText(self.tr("Type words in the search field to search the archive."))

    def activate(self, row: int) -> None:
        """Open the hit of ``row``, as a double click does."""
        if 0 <= row < len(self.hits):
            self.table.selectRow(row)
            self.hitActivated.emit(self.hits[row])

    def _activated(self, item: QTableWidgetItem) -> None:
        self.activate(item.row())
