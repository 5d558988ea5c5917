"""Exporting a document from the window: the format and file the user picks, then the write
in the control thread, and the words in the status bar for both."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ablage_desktop.engine import display
from ablage_desktop.engine.errors import AblageError, OutputError
from ablage_desktop.gui import export_target
from ablage_desktop.gui.failures import describe

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow


class DocumentExport(QObject):
    """Asks where to, hands the write to the bridge, reports what was written."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def filters(self) -> dict[str, str]:
        """Each export format and how a file dialog names it."""
        return {
            "txt": self.tr("Text (*.txt)"),
            "md": self.tr("Markdown (*.md)"),
            "json": self.tr("JSON (*.json)"),
            "hocr": self.tr("hOCR (*.hocr *.html)"),
            "alto": self.tr("ALTO XML, for archives and libraries (*.xml)"),
            "pdf": self.tr("Searchable PDF (*.pdf)"),
            "csv": self.tr("Table, a row a page (*.csv)"),
        }

    def _format_name(self, fmt: str) -> str:
        names = {"txt": self.tr("text"), "pdf": self.tr("searchable PDF")}
        return {
            **names,
            "md": "Markdown",
            "json": "JSON",
            "hocr": "hOCR",
            "alto": "ALTO",
            "csv": "CSV",
        }.get(fmt, fmt)

    def export_selected(self) -> None:
        """File > Export: the selected document's result, in a format the user picks."""
        self.export_row(self._window.navigation.row)

    def export_row(self, row: int | None) -> None:
        window = self._window
        if row is None or not window.queue.entries[row].exportable:
            window.statusBar().showMessage(self.tr("Select a finished document first."), 5000)
            return
        entry = window.queue.entries[row]
        chosen = export_target.ask(
            window,
            window.settings,
            Path(entry.path),
            self._inputs(),
            self.filters(),
        )
        if chosen is not None:
            self.export_document(row, str(chosen[0]), chosen[1])

    def _inputs(self) -> list[Path]:
        """Every document in the queue: an export never replaces one of them."""
        return [Path(entry.path) for entry in self._window.queue.entries]

    def export_document(self, row: int, path: str, fmt: str) -> None:
        """Write row ``row``'s result to ``path`` as ``fmt``, in the control thread."""
        window = self._window
        entry = window.queue.entries[row]
        if entry.result is None:
            return
        bridge = window.bridge
        bridge.run(
            bridge.engine.export,
            entry.result,
            Path(path),
            fmt,
            self._inputs(),
            on_result=functools.partial(self.exported, path, fmt),
            on_error=self.export_failed,
        )
        window.statusBar().showMessage(
            self.tr("Exporting {0} as {1} ...").format(
                display(Path(entry.path).name), self._format_name(fmt)
            )
        )

    def exported(self, path: str, fmt: str, _none: None = None) -> None:
        self._window.statusBar().showMessage(
            self.tr("Exported as {0}: {1}").format(self._format_name(fmt), path), 15000
        )

    def export_failed(self, error: AblageError) -> None:
        """The engine's words; a write that failed says so itself ("cannot write ...")."""
        kind, message, details = describe(error)
        if not isinstance(error, OutputError):
            message = self.tr("Export failed: {0}").format(message)
        self._window.show_failure(kind, message, details)
