"""The stamps lifted off a page's print (``preprocess/stamps.py``) read on their own and added
to the page's reading, after its text: a stamp is not part of the print's lines and reading
order, and "BEZAHLT 12.03.2026" or "Eingegangen am ..." should still be found by a search."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence

from ablage_desktop.engine.errors import AblageError, Cancelled
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreparedPage
from ablage_desktop.engine.results.document import OcrLine, OcrPage
from ablage_desktop.engine.text.layout import in_reading_order

log = logging.getLogger(__name__)

STAMP_CONFIDENCE = 0.6
MIN_CHARACTERS = 3
"""Lines read on a stamp less surely than this, or with fewer letters and digits, are left
out: where a stamp's frame crossed a line of print, the print's letters stand in it in
negative and read as noise, and Tesseract's layout reads bits of a frame as "<" or "26"."""


def with_stamps(
    result: OcrPage, prepared: PreparedPage, read: Callable[[PageImage], OcrPage]
) -> OcrPage:
    """``result`` with the text of each of ``prepared``'s stamps, as ``read`` reads its ink
    alone, after the page's text; a stamp that fails to read is left out, never the page."""
    lines: list[OcrLine] = []
    for variant in prepared.stamp_variants():
        try:
            reading = variant.restore(read(variant.page))
        except Cancelled:
            raise
        except Exception as exc:  # the page's own reading stands
            message = exc.message if isinstance(exc, AblageError) else repr(exc)
            log.warning(
                "A stamp on page %d of %s could not be read: %s",
                prepared.original.index + 1,
                prepared.original.document.name,
                message,
            )
            continue
        lines += stamp_lines(reading)
    return added(result, lines)


def stamp_lines(reading: OcrPage) -> list[OcrLine]:
    """The lines of a stamp's reading worth adding to its page: without the bars of its frame,
    and only the sure ones of three letters or digits or more."""
    return [line for line in map(_unframed, reading.lines) if _legible(line)]


def _unframed(line: OcrLine) -> OcrLine:
    """``line`` without the bars a stamp's frame reads as at its ends ("| BEZAHLT |")."""
    text = line.text.strip(" |")
    if text == line.text:
        return line
    words = tuple(word for word in line.words if word.text.strip("|"))
    return dataclasses.replace(line, text=text, words=words)


def _legible(line: OcrLine) -> bool:
    characters = sum(character.isalnum() for character in line.text)
    return characters >= MIN_CHARACTERS and line.confidence >= STAMP_CONFIDENCE


def added(result: OcrPage, lines: Sequence[OcrLine]) -> OcrPage:
    """``result`` with ``lines`` after its own lines and their text after its text."""
    if not lines:
        return result
    text, ordered = in_reading_order(lines)
    markdown = result.markdown
    if markdown is not None:  # a layout engine's page: the stamp as a paragraph after it
        markdown = f"{markdown.rstrip()}\n\n{text}\n"
    joined = f"{result.text}\n\n{text}" if result.text.strip() else text
    return dataclasses.replace(
        result, text=joined, lines=(*result.lines, *ordered), markdown=markdown
    )
