"""A page whose text the user corrected before exporting it.

The boxes stay where they were as long as the corrected text still has one line per box: each
box gets its corrected line (its word boxes go, since the words changed). When lines were added
or removed, the boxes no longer match and are dropped; the exports then place the text lines
one under the other, as they do for engines that report no boxes.
"""

from __future__ import annotations

import dataclasses

from ablage_desktop.engine import OcrDocument, OcrPage


def edited_page(page: OcrPage, text: str) -> OcrPage:
    """``page`` with ``text`` as its text; its line boxes kept where they still fit."""
    if text == page.text:
        return page
    rows = [row for row in text.split("\n") if row.strip()]
    if page.lines and len(rows) == len(page.lines):
        lines = tuple(
            dataclasses.replace(line, text=row.strip(), words=())
            for line, row in zip(page.lines, rows, strict=True)
        )
    else:
        lines = ()
    return dataclasses.replace(page, text=text, lines=lines)


def with_page(document: OcrDocument, page: OcrPage) -> OcrDocument:
    """A copy of ``document`` with its page of the same index replaced by ``page``."""
    pages = [page if p.index == page.index else p for p in document.pages]
    return dataclasses.replace(document, pages=pages)
