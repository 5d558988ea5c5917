"""The text of an area of a page: what a person drew a frame around in the window.

An amount column of a table, the sender's address, an IBAN beside other print: a person wants
the words standing in the frame, not whole lines that reach out of it. So each line is taken
in parts: its words where the engine gave their boxes (Tesseract), else its words placed as
its characters share its box (RapidOCR's boxes hold one run of print, its characters about
evenly wide). A word is in the area where its middle is; a line is on it where its middle
height is. The parts go through the page's own reading order (``layout.in_reading_order``),
so a frame around the whole page gives the page's text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ablage_desktop.engine.results.document import (
    Box,
    OcrLine,
    OcrPage,
    OcrWord,
    enclosing,
    estimated_words,
)
from ablage_desktop.engine.text.layout import in_reading_order
from ablage_desktop.engine.text.markdown_spans import with_text_replaced


def text_in_area(lines: Sequence[OcrLine], area: Box) -> str:
    """The text of the parts of ``lines`` inside ``area`` (page pixels), in reading order;
    lines kept out of the page's text (``OcrLine.in_text``: a logo's lettering) are left out,
    as the page's text leaves them."""
    text, _ = in_reading_order([part for part in parts_in_area(lines, area) if part])
    return text


def parts_in_area(lines: Sequence[OcrLine], area: Box) -> list[OcrLine | None]:
    """For each of ``lines``, its part inside ``area``; None where none is, or where the line
    is kept out of the page's text (the window marks the parts in the text it shows)."""
    return [split(line, area)[0] if line.in_text else None for line in lines]


def with_area_read(page: OcrPage, area: Box, reading: Sequence[OcrLine]) -> OcrPage:
    """``page`` with what stood in ``area`` replaced by ``reading`` (lines on the page, read
    again from the area alone): the parts of its lines outside the area stay, and the text
    follows the lines in reading order. A layout engine's Markdown gets the reading where
    the text it replaces stood (``markdown_spans``), or is dropped where that is not found."""
    parts = [split(line, area) for line in page.lines]
    result = _with_lines(page, [*(outside for _, outside in parts if outside), *reading])
    if page.markdown is None:
        return result
    stood = [inside.text for inside, _ in parts if inside is not None and inside.in_text]
    _, read = in_reading_order([line for line in reading if line.in_text])
    markdown = with_text_replaced(page.markdown, stood, [line.text for line in read])
    return dataclasses.replace(result, markdown=markdown)


def within_area(page: OcrPage, area: Box) -> OcrPage:
    """``page`` cut to ``area``: the parts of its lines inside it, the text theirs in reading
    order (a PDF page read from its own text, of which ``ocr --area`` wants one field). A
    layout engine's Markdown no longer matches and is dropped."""
    return _with_lines(page, [part for line in page.lines if (part := split(line, area)[0])])


def _with_lines(page: OcrPage, lines: Sequence[OcrLine]) -> OcrPage:
    """``page`` holding ``lines``: its text theirs in reading order, lettering kept out of
    the text last; a layout engine's Markdown, which no longer matches, dropped."""
    text, ordered = in_reading_order([line for line in lines if line.in_text])
    aside = tuple(line for line in lines if not line.in_text)
    return dataclasses.replace(page, text=text, lines=(*ordered, *aside), markdown=None)


def split(line: OcrLine, area: Box) -> tuple[OcrLine | None, OcrLine | None]:
    """The part of ``line`` in ``area`` and the part outside it (either the line itself where
    all of it is on one side; None where nothing is)."""
    x0, y0, x1, y1 = line.box
    left, top, right, bottom = area
    if not top <= (y0 + y1) / 2 <= bottom:
        return None, line
    if y1 - y0 > x1 - x0:  # standing upright (printed up a page's edge): whole or nothing
        return (line, None) if left <= (x0 + x1) / 2 <= right else (None, line)
    words = _placed_words(line)
    within = [left <= (word.box[0] + word.box[2]) / 2 <= right for word in words]
    if not any(within):
        return None, line
    if all(within):
        return line, None
    inside = [word for word, there in zip(words, within, strict=True) if there]
    outside = [word for word, there in zip(words, within, strict=True) if not there]
    return _line_of(line, inside), _line_of(line, outside)


def _line_of(line: OcrLine, words: Sequence[OcrWord]) -> OcrLine:
    """A part of ``line``: these of its words (their boxes kept where the engine gave them)."""
    return dataclasses.replace(
        line,
        text=" ".join(word.text for word in words),
        box=enclosing(word.box for word in words),
        words=tuple(words) if line.words else (),
    )


def _placed_words(line: OcrLine) -> tuple[OcrWord, ...]:
    """The line's words with their boxes: the engine's where they spell the line's text, else
    each given the share of the line's box its characters take of its text."""
    if line.words and [word.text for word in line.words] == line.text.split():
        return line.words
    return tuple(
        OcrWord(text, line.confidence, box) for text, box in estimated_words(line.text, line.box)
    )
