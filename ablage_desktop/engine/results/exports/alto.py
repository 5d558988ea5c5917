"""ALTO 4.4 XML (https://www.loc.gov/standards/alto/): the page text with its geometry as
libraries and archives keep it (METS/ALTO, the DFG-Viewer, Goobi and Kitodo read it).

One ``Page`` per recognised page (``PHYSICAL_IMG_NR`` counted from 1, its size in pixels,
``MeasurementUnit`` pixel), its ``PrintSpace`` the whole page; the lines go into
``TextBlock``s as the reading order arranges them (columns, parts apart: ``text.layout``),
row by row; lettering kept out of the text (``OcrLine.in_text``: a logo's) is a block of its
own after them. Each ``TextLine`` holds its words as ``String`` elements with ``SP`` between
them, ``WC`` the confidence 0..1: the engine's own word boxes where it gives them (Tesseract),
else the line's box shared out by characters (``placement.word_boxes``), as hOCR does.

Lines without boxes (a vision-language model's text) are placed as ``placement`` describes,
stacked evenly down the page, without ``WC`` (the engine gave no confidence). A page read
turned upright is arranged as it reads and its boxes turned back onto the scan
(``placement.upright``); its ``Page`` says how its text stands (``ROTATION``, degrees
counter-clockwise, as ALTO 4.4 defines it).
"""

from __future__ import annotations

from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from ablage_desktop import __version__
from ablage_desktop.engine.results.document import OcrDocument, OcrPage, enclosing
from ablage_desktop.engine.results.exports.placement import (
    Box,
    PlacedLine,
    clean_name,
    clean_text,
    exportable_pages,
    placed_line,
    placed_lines,
    text_angle,
    upright,
    word_boxes,
)
from ablage_desktop.engine.text.layout import arrange

NAMESPACE = "http://www.loc.gov/standards/alto/ns-v4#"
SCHEMA = "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"


def render_alto(document: OcrDocument) -> bytes:
    """``document`` as ALTO 4.4; raises ``UsageError`` for a document with no pages.

    Needs no page images: the page sizes are in the results."""
    pages = exportable_pages(document, "ALTO")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<alto xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NAMESPACE} {SCHEMA}">',
        "  <Description>",
        "    <MeasurementUnit>pixel</MeasurementUnit>",
        "    <sourceImageInformation>",
        f"      <fileName>{escape(clean_name(str(document.document)))}</fileName>",
        "    </sourceImageInformation>",
        '    <Processing ID="OCR_0">',
        "      <processingStepDescription>contentGeneration</processingStepDescription>",
        "      <processingSoftware>",
        "        <softwareName>ablage-desktop</softwareName>",
        f"        <softwareVersion>{escape(__version__)}</softwareVersion>",
        "      </processingSoftware>",
        "    </Processing>",
        "  </Description>",
        "  <Layout>",
    ]
    for page in pages:
        out.extend(_page(page))
    out += ["  </Layout>", "</alto>", ""]
    return "\n".join(out).encode("utf-8")


def _page(page: OcrPage) -> list[str]:
    number = page.index + 1
    size = f'WIDTH="{page.width}" HEIGHT="{page.height}"'
    rotation = f' ROTATION="{text_angle(page)}"' if page.turns % 4 else ""
    out = [
        f'    <Page ID="page_{number}" PHYSICAL_IMG_NR="{number}" {size} PROCESSING="OCR_0"'
        f"{rotation}>",
        f'      <PrintSpace HPOS="0" VPOS="0" {size}>',
    ]
    standing, back = upright(page)  # a page read turned: arranged as it reads, turned back
    for n, block in enumerate(_blocks(standing), start=1):
        ident = f"{number}_{n}"
        box = enclosing(line.box for line in block)
        out.append(f'        <TextBlock ID="block_{ident}" {_geometry(back(box))}>')
        for m, line in enumerate(block, start=1):
            out.extend(_line(line, f"{ident}_{m}", back))
        out.append("        </TextBlock>")
    out += ["      </PrintSpace>", "    </Page>"]
    return out


def _blocks(page: OcrPage) -> list[list[PlacedLine]]:
    """The page's lines in blocks as its reading order arranges them (columns, parts apart,
    ``text.layout.arrange``), each block's lines row by row; the lettering kept out of the
    text a block of its own, last."""
    if not page.lines:
        placed = placed_lines(page)  # text without boxes: one block, stacked down the page
        return [placed] if placed else []
    width, height = max(1, page.width), max(1, page.height)
    shown = [line for line in page.lines if line.in_text and clean_text(line.text)]
    blocks = [
        [placed_line(line, width, height) for row in block for line in row]
        for block in arrange(shown)
    ]
    aside = [
        placed_line(line, width, height)
        for line in page.lines
        if not line.in_text and clean_text(line.text)
    ]
    return [block for block in [*blocks, aside] if block]


def _line(line: PlacedLine, ident: str, back: Callable[[Box], Box]) -> list[str]:
    out = [f'          <TextLine ID="line_{ident}" {_geometry(back(line.box))}>']
    words = word_boxes(line)
    for n, word in enumerate(words, start=1):
        confidence = line.confidence if word.confidence is None else word.confidence
        wc = "" if line.estimated or confidence is None else f' WC="{_unit(confidence)}"'
        out.append(
            f'            <String ID="string_{ident}_{n}" {_geometry(back(word.box))} '
            f"CONTENT={quoteattr(word.text)}{wc}/>"
        )
        if n < len(words):
            out.append("            <SP/>")
    out.append("          </TextLine>")
    return out


def _geometry(box: Box) -> str:
    x0, y0, x1, y1 = box
    return f'HPOS="{x0}" VPOS="{y0}" WIDTH="{x1 - x0}" HEIGHT="{y1 - y0}"'


def _unit(confidence: float) -> str:
    return f"{min(1.0, max(0.0, confidence)):.2f}"
