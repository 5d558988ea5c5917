"""Exports of a recognised document in the forms other tools read.

``txt`` and ``json`` are ``results.render``'s; ``md`` is Markdown (``markdown``), ``hocr`` is
hOCR 1.2 XHTML (``hocr``), ``alto`` ALTO 4.4 XML (``alto``), ``pdf`` a searchable PDF, the
page images under an invisible text layer (``pdf``), ``csv`` a table of a row a page, its
fields or its text (``csv_table``).
A document that failed before any page was recognised cannot be exported as md, hOCR, ALTO,
PDF or CSV (``UsageError``); one whose later page failed exports the pages it has.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import IntakeLimits
from ablage_desktop.engine.results.atomicfile import write_atomic
from ablage_desktop.engine.results.document import OcrDocument, render
from ablage_desktop.engine.results.exports.alto import render_alto
from ablage_desktop.engine.results.exports.csv_table import render_csv
from ablage_desktop.engine.results.exports.hocr import render_hocr
from ablage_desktop.engine.results.exports.markdown import markdown_plain_text, render_markdown
from ablage_desktop.engine.results.exports.pdf import render_pdf
from ablage_desktop.engine.results.exports.pdf_original import render_pdf_from_file

EXPORT_FORMATS = ("txt", "md", "json", "hocr", "alto", "pdf", "csv")
SUFFIXES = {
    "txt": ".txt",
    "md": ".md",
    "json": ".json",
    "hocr": ".hocr",
    "alto": ".xml",
    "pdf": ".pdf",
    "csv": ".csv",
}
"""The usual file name ending of each format."""

__all__ = [
    "EXPORT_FORMATS",
    "SUFFIXES",
    "markdown_plain_text",
    "render_alto",
    "render_csv",
    "render_export",
    "render_hocr",
    "render_markdown",
    "render_pdf",
    "render_pdf_from_file",
    "write_export",
]


def render_export(
    document: OcrDocument,
    fmt: str,
    limits: IntakeLimits,
    *,
    render_lock: AbstractContextManager[object] | None = None,
    compact: bool = False,
) -> bytes:
    """The bytes of ``document`` in the export format ``fmt`` (one of ``EXPORT_FORMATS``).

    ``pdf`` opens the document again to take its page images, with ``limits`` (those the
    recognition used: the boxes are in pixels of its images), under ``render_lock`` if given
    (pass the engine's beside a running batch); ``compact``: a page its file holds without
    loss as a JPEG where that is smaller (``config.Exports``). Raises ``UsageError`` for an
    unknown format or a document that cannot be exported in it, and ``InputError`` when the
    file is unreadable.
    """
    if fmt in ("txt", "json"):
        return render(document, fmt)
    if fmt == "md":
        return render_markdown(document)
    if fmt == "hocr":
        return render_hocr(document)
    if fmt == "alto":
        return render_alto(document)
    if fmt == "csv":
        return render_csv(document)
    if fmt == "pdf":
        return render_pdf_from_file(document, limits, render_lock, compact=compact)
    raise UsageError(f"There is no export format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}.")


def write_export(
    document: OcrDocument,
    path: Path,
    fmt: str,
    limits: IntakeLimits,
    *,
    render_lock: AbstractContextManager[object] | None = None,
) -> None:
    """Write ``document`` to ``path`` in ``fmt``, atomically: all of it or nothing.

    The whole export is rendered before the file is touched, so a failure leaves an existing
    file as it was and no partial one.
    """
    write_atomic(path, render_export(document, fmt, limits, render_lock=render_lock))
