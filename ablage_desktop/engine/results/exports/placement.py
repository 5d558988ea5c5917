"""Where the text of a page goes in the exports that carry geometry (hOCR, ALTO and PDF).

Boxes are ``(x0, y0, x1, y1)`` in pixels of the page image the engine saw, as in
``OcrPage``; the origin is the top left corner.

A page read turned upright (``OcrPage.turns``: scanned on its side) is placed as it reads,
on the page turned upright (``upright``: its lines run across it, its words are shared out
along them, its reading order is a page's), and each box is turned back onto the scan.

Lines without boxes: a vision-language model returns a page's text with no geometry
(``OcrPage.lines`` empty, ``OcrPage.text`` set). Those lines are placed one per text line,
stacked evenly down the whole page and spanning its full width: line ``i`` of ``n`` gets the
band from ``height * i / n`` to ``height * (i + 1) / n``. Blank lines keep their band, so
paragraph breaks keep their place, but produce no line. Such lines are marked ``estimated``;
they make the text searchable and selectable in the right order, not at the right spot.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.preprocess.geometry import quarter_turn_mappers
from ablage_desktop.engine.results.document import (
    OcrDocument,
    OcrLine,
    OcrPage,
    estimated_words,
)

Box = tuple[int, int, int, int]

_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Control characters, lone surrogates (from undecodable file names) and non-characters:
XML 1.0 forbids most of them, and none of them is text a reader wants in a PDF."""


def clean_text(text: str) -> str:
    """``text`` on one line: white space runs become one space, control characters go."""
    return " ".join(_NOT_TEXT.sub("", " ".join(text.split())).split())


def clean_name(text: str) -> str:
    """A file name for display: undecodable bytes become U+FFFD, control characters go."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _NOT_TEXT.sub("", text)


@dataclass(frozen=True, slots=True)
class PlacedWord:
    text: str
    box: Box
    confidence: float | None = None
    """The word's own confidence where the engine gave one (Tesseract)."""


@dataclass(frozen=True, slots=True)
class PlacedLine:
    text: str
    """One line of text, white space collapsed; never empty."""
    box: Box
    confidence: float | None
    """0..1, or None where the engine gave none (estimated lines)."""
    estimated: bool = False
    """True where the box is made up (the engine gave the text without one)."""
    words: tuple[PlacedWord, ...] = ()
    """The engine's own words with their boxes, where it gave them."""


def placed_lines(page: OcrPage) -> list[PlacedLine]:
    """The lines of ``page`` with a box each: the engine's, else estimated (see module doc).

    With engine boxes, every ``OcrLine`` gives one ``PlacedLine`` (its box clipped to the page),
    even one whose text is empty after cleaning; hOCR keeps them all, the PDF skips empty ones.
    """
    width, height = max(1, page.width), max(1, page.height)
    if page.lines:
        return [placed_line(line, width, height) for line in page.lines]
    rows = page.text.strip("\n").split("\n") if page.text.strip() else []
    placed: list[PlacedLine] = []
    for n, row in enumerate(rows):
        text = clean_text(row)
        if not text:
            continue
        top = round(height * n / len(rows))
        bottom = max(top + 1, round(height * (n + 1) / len(rows)))
        placed.append(PlacedLine(text, (0, top, width, bottom), None, estimated=True))
    return placed


def upright(page: OcrPage) -> tuple[OcrPage, Callable[[Box], Box]]:
    """``page`` with its lines and words on the page turned upright as it was read
    (``OcrPage.turns``), and the way from a box there back onto the page as scanned."""
    turns = page.turns % 4
    if not turns:
        return page, lambda box: box
    there, back = quarter_turn_mappers(turns, page.width, page.height)
    lines = tuple(
        dataclasses.replace(
            line,
            box=there.box(line.box),
            words=tuple(dataclasses.replace(word, box=there.box(word.box)) for word in line.words),
        )
        for line in page.lines
    )
    size = {"width": there.width, "height": there.height}
    return dataclasses.replace(page, **size, lines=lines, turns=0), back.box


def text_angle(page: OcrPage) -> int:
    """Degrees counter-clockwise the text stands turned on the page as scanned (hOCR's
    ``textangle``, ALTO's ``ROTATION``): 270 for a page turned a quarter upright."""
    return (360 - 90 * page.turns) % 360


def placed_line(line: OcrLine, width: int, height: int) -> PlacedLine:
    """``line`` of a page of ``width`` x ``height``: its text on one line, control characters
    gone, its box and its words' boxes clipped to the page."""
    return PlacedLine(
        clean_text(line.text),
        _clip(line.box, width, height),
        line.confidence,
        words=tuple(
            PlacedWord(clean_text(word.text), _clip(word.box, width, height), word.confidence)
            for word in line.words
            if clean_text(word.text)
        ),
    )


def _clip(box: Box, width: int, height: int) -> Box:
    """``box`` inside the page, ordered and at least one pixel wide and high."""
    x0, x1 = sorted((int(box[0]), int(box[2])))
    y0, y1 = sorted((int(box[1]), int(box[3])))
    x0, y0 = min(max(0, x0), width - 1), min(max(0, y0), height - 1)
    x1, y1 = min(max(x0 + 1, x1), width), min(max(y0 + 1, y1), height)
    return x0, y0, x1, y1


def word_boxes(line: PlacedLine) -> list[PlacedWord]:
    """The words of ``line``: the engine's own where it gave them (Tesseract), else each with
    a box estimated from the line's box.

    The estimate shares the line's width out in proportion to the character count
    (``estimated_words``): good for monospaced text, close enough for search and selection
    in proportional text.
    """
    if line.words:
        return list(line.words)
    return [PlacedWord(text, box) for text, box in estimated_words(line.text, line.box)]


def exportable_pages(document: OcrDocument, fmt: str) -> list[OcrPage]:
    """The recognised pages of ``document`` in page order; a failed one with none raises.

    A document whose later page failed keeps the pages read before it: those are exported.
    """
    if not document.pages:
        name = clean_name(document.document.name)
        if document.error is not None:
            raise UsageError(
                f"{name} cannot be exported as {fmt}: it was not recognised "
                f"({document.error.message})"
            )
        raise UsageError(f"{name} cannot be exported as {fmt}: it has no recognised pages.")
    return sorted(document.pages, key=lambda page: page.index)


def missing_pages(pages: list[OcrPage]) -> Iterator[int]:
    """Indices of the pages before the last recognised one that have no result."""
    present = {page.index for page in pages}
    return (index for index in range(max(present)) if index not in present)
