"""A document as a table, a row a page: the fields of a pile of forms in a spreadsheet.

``ocr --area nr=... --area total=...`` reads the same fields of every page; as CSV each page
is a row, ``document,page,nr,total``, which a spreadsheet opens as it is (the invoice number
and the total of two hundred scans, one under the other). A page read whole has its text in
one column, ``document,page,text`` (a cell may hold several lines: CSV quotes it).

RFC 4180: commas, quotes where needed, CRLF between rows. A file gets a UTF-8 byte order mark
(``bom``), without which Excel takes UTF-8 for the system's code page and garbles umlauts;
LibreOffice, Python's ``csv`` with ``utf-8-sig`` and pandas read it either way. On stdout the
rows follow each other without one, the header only before the first document's (``header``).
"""

from __future__ import annotations

import csv
import io
import os

from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.results.exports.placement import exportable_pages

BOM = "\ufeff"
TEXT_COLUMN = "text"
PLAIN = ("document", "page", TEXT_COLUMN)
"""The header of a document read whole."""


def columns(document: OcrDocument) -> list[str]:
    """The header: the document, the page's number, then its fields' names (those of its
    first page that has any: a batch gives every page the same), or its text."""
    fields = next((page.fields for page in document.pages if page.fields), ())
    return ["document", "page", *(name for name, _ in fields)] if fields else [*PLAIN]


def render_csv(document: OcrDocument, *, header: bool = True, bom: bool = True) -> bytes:
    """The rows of ``document``'s pages, after the header where ``header``; with a byte order
    mark where ``bom``. A document that failed before any page raises ``UsageError``."""
    pages = exportable_pages(document, "CSV")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    names = columns(document)
    if header:
        writer.writerow(names)
    source = os.fsdecode(document.document)
    plain = tuple(names) == PLAIN
    for page in pages:
        values = dict(page.fields)
        cells = [page.text] if plain else [values.get(name, "") for name in names[2:]]
        writer.writerow([source, page.index + 1, *cells])
    text = (BOM if bom else "") + out.getvalue()
    return text.encode("utf-8", "surrogateescape")
