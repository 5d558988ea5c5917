"""hOCR 1.2 (https://kba.github.io/hocr-spec/1.2/) as well-formed XHTML.

One ``ocr_page`` per recognised page (``bbox 0 0 W H; ppageno N`` with N counted from 0, as
Tesseract does, and ``image`` naming the source document), one ``ocr_line`` per ``OcrLine``
with its ``bbox`` and ``x_wconf`` (confidence 0..100), and one ``ocrx_word`` per word inside.

Word boxes are the engine's own where it gives words (Tesseract, with each word's ``x_wconf``);
otherwise each line's box is split among its words in proportion to their character counts
(see ``placement.word_boxes``).

Lines without boxes (a vision-language model's text) are placed as ``placement`` describes,
stacked evenly down the page at full width; their ``title`` carries the non-standard property
``x_source estimated`` and no ``x_wconf`` (the engine gave no confidence). The lines of a page
read turned upright are placed as it reads, their boxes turned back onto the scan
(``placement.upright``), with ``textangle``, degrees counter-clockwise, as Tesseract writes it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ablage_desktop import __version__
from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.results.exports.placement import (
    Box,
    PlacedLine,
    clean_name,
    exportable_pages,
    placed_lines,
    text_angle,
    upright,
    word_boxes,
)

CAPABILITIES = "ocr_page ocr_line ocrx_word ocrp_wconf"


def render_hocr(document: OcrDocument) -> bytes:
    """``document`` as hOCR; raises ``UsageError`` for a document with no pages.

    Needs no page images: the page sizes are in the results.
    """
    pages = exportable_pages(document, "hOCR")
    name = clean_name(document.document.name)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!DOCTYPE html>",
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
        "<head>",
        f"  <title>{escape(name)}</title>",
        '  <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>',
        f'  <meta name="ocr-system" content="ablage-desktop {escape(__version__)}"/>',
        f'  <meta name="ocr-capabilities" content="{CAPABILITIES}"/>',
        f'  <meta name="ocr-number-of-pages" content="{len(pages)}"/>',
        "</head>",
        "<body>",
    ]
    image = _quoted(clean_name(str(document.document)))
    for page in pages:
        out.extend(_page(page, image))
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


def _page(page: OcrPage, image: str) -> list[str]:
    number = page.index + 1
    title = f"image {image}; bbox 0 0 {page.width} {page.height}; ppageno {page.index}"
    out = [f'  <div class="ocr_page" id="page_{number}" title="{escape(title)}">']
    standing, back = upright(page)  # a page read turned: placed as it reads, turned back
    angle = f"; textangle {text_angle(page)}" if page.turns % 4 else ""
    for n, line in enumerate(placed_lines(standing), start=1):
        out.append(_line(line, f"{number}_{n}", back, angle))
    out.append("  </div>")
    return out


def _line(line: PlacedLine, ident: str, back: Callable[[Box], Box], angle: str) -> str:
    extra = "; x_source estimated" if line.estimated else _wconf(line.confidence)
    words = []
    for n, word in enumerate(word_boxes(line), start=1):
        confidence = line.confidence if word.confidence is None else word.confidence
        words.append(
            f'<span class="ocrx_word" id="word_{ident}_{n}" '
            f'title="{_bbox(back(word.box))}{_wconf(confidence)}">{escape(word.text)}</span>'
        )
    return (
        f'    <span class="ocr_line" id="line_{ident}" '
        f'title="{_bbox(back(line.box))}{angle}{extra}">' + " ".join(words) + "</span>"
    )


def _bbox(box: Box) -> str:
    return "bbox {} {} {} {}".format(*box)


def _wconf(confidence: float | None) -> str:
    if confidence is None:
        return ""
    return f"; x_wconf {round(min(1.0, max(0.0, confidence)) * 100)}"


def _quoted(value: str) -> str:
    """A string property value of a ``title``: in double quotes, backslash-escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
