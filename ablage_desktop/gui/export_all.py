"""File > Export all: every document of the queue that has pages, into one folder, in one format.

After a batch of fifty scans the user wants their texts (or searchable PDFs) side by side, not
fifty save dialogs. Names are the documents' own (``scan.pdf`` -> ``scan.txt``), numbered where
two would meet (``scan-2.txt``), never one of the documents being read; files already in the
folder are replaced only after the user said so, once for all.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from ablage_desktop.engine import SUFFIXES, display, output_conflict
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.gui import export_target

if TYPE_CHECKING:
    from ablage_desktop.engine import Engine, OcrDocument
    from ablage_desktop.gui.main_window import MainWindow

Export = tuple["OcrDocument", Path]


class ExportAll(QObject):
    """Asks for the folder and format, writes every result in the control thread, reports."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def ask(self) -> None:
        """File > Export all."""
        window = self._window
        if not self._documents():
            window.statusBar().showMessage(self.tr("No document with pages to export yet."), 5000)
            return
        folder = QFileDialog.getExistingDirectory(
            window,
            self.tr("Export all into"),
            str(export_target.default_folder(window.settings)),
        )
        if not folder:
            return
        filters = window.exports.filters()  # named as File > Export's dialog names them
        formats, labels = list(filters), list(filters.values())
        last = str(window.settings.value("export_format", "pdf"))
        label, ok = QInputDialog.getItem(
            window,
            self.tr("Export all"),
            self.tr("Format:"),
            labels,
            formats.index(last) if last in formats else 0,
            False,
        )
        if not ok:
            return
        fmt = formats[labels.index(label)]
        exports = self.targets(Path(folder), fmt)
        there = [target for _, target in exports if target.exists()]
        if there and not self._replace(there):
            return
        window.settings.setValue("export_format", fmt)
        window.settings.setValue("export_folder", folder)
        self.export(exports, fmt)

    def targets(self, folder: Path, fmt: str) -> list[Export]:
        """Each document with pages and the file it goes to in ``folder``."""
        inputs = self._inputs()
        taken: set[str] = set()
        exports = []
        for document in self._documents():
            target = export_target.proposal(folder, document.document, fmt, inputs)
            stem, number = target.stem, 1
            while target.name.casefold() in taken or output_conflict(target, inputs):
                number += 1
                target = target.with_name(f"{stem}-{number}{SUFFIXES[fmt]}")
            taken.add(target.name.casefold())
            exports.append((document, target))
        return exports

    def export(self, exports: list[Export], fmt: str) -> None:
        """Write ``exports`` as ``fmt`` in the control thread; the words come when it is done."""
        bridge = self._window.bridge
        self._window.statusBar().showMessage(
            self.tr("Exporting {0} document(s) ...").format(len(exports))
        )
        folder = exports[0][1].parent if exports else None
        done = functools.partial(self._done, len(exports), folder)
        bridge.run(_write_all, bridge.engine, exports, fmt, self._inputs(), on_result=done)

    def _done(self, count: int, folder: Path | None, failures: list[tuple[Path, str]]) -> None:
        window = self._window
        if not failures:
            window.statusBar().showMessage(
                self.tr("Exported {0} document(s) into {1}.").format(count, display(folder or "")),
                15000,
            )
            return
        lines = "\n".join(f"{display(path)}: {message}" for path, message in failures)
        QMessageBox.warning(
            window,
            self.tr("Not every document was exported"),
            self.tr("These were not written:\n{0}").format(lines),
        )

    def _replace(self, there: list[Path]) -> bool:
        answer = QMessageBox.question(
            self._window,
            self.tr("Replace files?"),
            self.tr("{0} of the files are in the folder already ({1}). Replace them?").format(
                len(there), display(there[0].name)
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _documents(self) -> list[OcrDocument]:
        return [
            entry.result
            for entry in self._window.queue.entries
            if entry.exportable and entry.result is not None
        ]

    def _inputs(self) -> list[Path]:
        return [Path(entry.path) for entry in self._window.queue.entries]


def _write_all(
    engine: Engine, exports: list[Export], fmt: str, inputs: list[Path]
) -> list[tuple[Path, str]]:
    """Write each export; the ones that failed, with why (the others are written)."""
    failures = []
    for document, target in exports:
        try:
            engine.export(document, target, fmt, inputs)
        except AblageError as exc:
            failures.append((target, exc.message))
    return failures
