"""A page whose text the user corrected before exporting it.

The boxes stay where they were as long as the corrected text still has one line per box: each
box gets its corrected line (its word boxes go, since the words changed); lines kept out of
the text (``OcrLine.in_text``: a logo's lettering) stay as they were. When lines were added
or removed, the boxes no longer match and are dropped; the exports then place the text lines
one under the other, as they do for engines that report no boxes.

A page a layout engine read shows its Markdown (``OcrPage.markdown``), so the user corrects
the Markdown: it is kept as the page's Markdown (the md export writes it), and its text without
the markup becomes the page's text (txt, json, hOCR, PDF and the archive's search).
"""

from __future__ import annotations

import dataclasses

from ablage_desktop.engine import OcrDocument, OcrPage, markdown_plain_text


def edited_page(page: OcrPage, text: str) -> OcrPage:
    """``page`` with ``text`` as its text (its Markdown, for a page that has one, as the
    text pane shows it); its line boxes kept where they still fit."""
    if page.markdown is not None:
        if text == page.markdown:
            return page
        markdown = text
        text = markdown_plain_text(text)
    elif text == page.text:
        return page
    else:
        markdown = None
    rows = [row for row in text.split("\n") if row.strip()]
    shown = [line for line in page.lines if line.in_text]
    if shown and len(rows) == len(shown):
        rows_left = iter(rows)
        lines = tuple(
            dataclasses.replace(line, text=next(rows_left).strip(), words=())
            if line.in_text
            else line  # lettering kept out of the text (a logo's): the user did not see it
            for line in page.lines
        )
    else:
        lines = ()
    return dataclasses.replace(page, text=text, lines=lines, markdown=markdown)


def with_page(document: OcrDocument, page: OcrPage) -> OcrDocument:
    """A copy of ``document`` with its page of the same index replaced by ``page``."""
    pages = [page if p.index == page.index else p for p in document.pages]
    return dataclasses.replace(document, pages=pages)
