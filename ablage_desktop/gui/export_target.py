"""Where File > Export writes: a place the user chose, never one of the documents being read.

The proposal is ``<export folder>/<name>.<suffix>``: the folder the user exported to last, or
``ablage-out`` in their Documents folder, never the input's own folder by default (a searchable
PDF proposed beside a scanned PDF of the same name would replace it after one "Yes"). Qt's file
dialog asks before it replaces an existing file and names it; a target that is one of the
inputs, or inside a folder being read, is refused with the reason whatever the user answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ablage_desktop.engine import SUFFIXES, output_conflict

FORMAT_OF_SUFFIX = {suffix: fmt for fmt, suffix in SUFFIXES.items()} | {".html": "hocr"}
DEFAULT_FOLDER_NAME = "ablage-out"
SAME_NAME_MARK = "-ocr"
"""Added to the proposed name where the plain one would be an input (x.pdf -> x-ocr.pdf)."""


def default_folder(settings: QSettings) -> Path:
    """The folder exported to last, else ``ablage-out`` in the user's Documents folder."""
    last = str(settings.value("export_folder", "") or "")
    if last:
        return Path(last)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home()) / DEFAULT_FOLDER_NAME


def proposal(folder: Path, source: Path, fmt: str, inputs: Iterable[Path]) -> Path:
    """``folder/<stem>.<suffix>``; ``<stem>-ocr.<suffix>`` where that would be an input."""
    inputs = list(inputs)
    plain = folder / (source.stem + SUFFIXES[fmt])
    if output_conflict(plain, [source, *inputs]) is None:
        return plain
    return folder / (source.stem + SAME_NAME_MARK + SUFFIXES[fmt])


def ask(
    parent: QWidget,
    settings: QSettings,
    source: Path,
    inputs: list[Path],
    filters: dict[str, str],
) -> tuple[Path, str] | None:
    """The target and format the user chose, or None (cancelled or refused, with a message)."""
    last = str(settings.value("export_format", "pdf"))
    last = last if last in filters else "pdf"
    target, chosen = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("MainWindow", "Export the result"),
        str(proposal(default_folder(settings), source, last, inputs)),
        ";;".join(filters.values()),
        filters[last],
    )
    if not target:
        return None
    path = Path(target)
    fmt = FORMAT_OF_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        fmt = next((f for f, text in filters.items() if text == chosen), last)
        path = path.with_name(path.name + SUFFIXES[fmt])
    refusal = output_conflict(path, [source, *inputs])
    if refusal is not None:
        QMessageBox.warning(
            parent,
            QCoreApplication.translate("MainWindow", "Not exported"),
            QCoreApplication.translate("MainWindow", "Nothing was written: {0}.").format(refusal),
        )
        return None
    settings.setValue("export_format", fmt)
    settings.setValue("export_folder", str(path.parent))
    return path, fmt
