"""Results on stdout (``--out -``): for scripts that pipe them on, as ``tesseract ... -`` does.

Documents come in the batch's order. Text: each document's pages as in its file, documents
apart by a form feed, as pages are. JSON: one document a line (JSON Lines), a failed one's
record too, so that a script sees every document. Markdown: documents one after the other.
CSV: one table, its header once, a row a page.
hOCR, ALTO and a searchable PDF are whole files of one document each: one document only, and
the PDF not onto a terminal. The progress and the summary go to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

from ablage_desktop.engine import Engine, OcrDocument, render_csv

STDOUT = Path("-")
"""``--out -``."""
ONE_DOCUMENT_FORMATS = ("hocr", "alto", "pdf")
DOCUMENT_SEPARATOR = b"\f"


def refusal(fmt: str, documents: int, terminal: bool) -> str | None:
    """Why the batch's results cannot go to stdout as ``fmt``, or None."""
    if fmt in ONE_DOCUMENT_FORMATS and documents > 1:
        return (
            f"--format {fmt} writes one whole file a document: to stdout it takes one "
            f"document, not {documents} (give --out a folder)"
        )
    if fmt == "pdf" and terminal:
        return "a searchable PDF is not written onto a terminal: redirect stdout or give --out"
    return None


class StdoutWriter:
    """Writes each result onto ``stream`` (stdout's bytes) as it comes."""

    def __init__(self, stream: BinaryIO, fmt: str, engine: Engine) -> None:
        self._stream = stream
        self._fmt = fmt
        self._engine = engine
        self._written = 0

    def write(self, document: OcrDocument) -> None:
        if self._fmt == "json":
            line = json.dumps(document.to_json(), ensure_ascii=False) + "\n"
            self._put(line.encode("utf-8", "backslashreplace"))
            return
        if not document.ok:
            return  # its reason is in the summary on stderr
        if self._fmt == "csv":  # one table: the header once, no byte order mark in a pipe
            self._put(render_csv(document, header=not self._written, bom=False))
            return
        data = self._engine.export_bytes(document, self._fmt)
        if self._written and self._fmt == "txt":
            data = DOCUMENT_SEPARATOR + data
        elif self._written:
            data = b"\n" + data
        self._put(data)

    def _put(self, data: bytes) -> None:
        self._stream.write(data)
        self._stream.flush()  # a script reading the pipe sees each document when it is done
        self._written += 1
