"""Words Tesseract glued across a gap the paper shows.

In monospaced print (Courier invoices, typewriter forms) a space is a whole character cell,
and Tesseract's word breaks miss some: the taxi invoice's "7 %" came out as "7%", sure at
0.94, though its own boxes for the two characters stand more than a line height apart. A word
is cut where two neighbouring characters' boxes lie at least ``WIDE_GAP`` of the word's height
apart and the break is one the ink decides (``text.word_breaks.gap_break``: a number before
"%", the kinds RapidOCR drops, but none beside punctuation); letter-spaced words
("S u m m e") and numbers keep their characters together, as the same rule does for
RapidOCR's lines (``rapidocr_spaces``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ablage_desktop.engine.results.document import Box, OcrWord
from ablage_desktop.engine.text.word_breaks import gap_break

WIDE_GAP = 0.4
"""A gap this wide (in the word's height) between two characters of one word is a space. On
the development set the breaks that are spaces on the paper ("7 %", "17 %", "0 %") stood
0.41-1.31 heights apart; between two words Tesseract broke, ``models.combine`` trusts 0.3."""
NARROW_MARKS = frozenset(".,:;()")
"""Marks that sit alone in a monospaced cell, with a space's width of paper beside them."""


def may_be_glued(text: str) -> bool:
    """Whether ``text`` holds a break that may be cut, so its characters' boxes are worth
    reading (most words hold none)."""
    return any(_cuttable(text, offset) for offset in range(1, len(text)))


def _cuttable(text: str, offset: int) -> bool:
    """A break ``gap_break`` allows, but none beside a full stop, colon or the like: in
    monospaced print such a mark sits alone in its cell, and the gap beside it is as wide as
    a space in proportional print (generated lines in DejaVu Sans Mono: "Nr. 4711", "z. B.",
    "ID : 0011" where the paper had none)."""
    if text[offset - 1] in NARROW_MARKS or text[offset] in NARROW_MARKS:
        return False
    return gap_break(text, offset)


def split_at_gaps(word: OcrWord, characters: Sequence[tuple[str, Box]]) -> list[OcrWord]:
    """``word`` cut where its characters (text and box, in order) show a space; the word as
    it is where they do not spell it."""
    if "".join(text for text, _ in characters) != word.text or len(characters) < 2:
        return [word]
    x0, y0, x1, y1 = word.box
    wide = WIDE_GAP * max(1, y1 - y0)
    cuts = [
        index
        for index in range(1, len(characters))
        if characters[index][1][0] - characters[index - 1][1][2] >= wide
        and _cuttable(word.text, _offset(characters, index))
    ]
    if not cuts:
        return [word]
    pieces: list[OcrWord] = []
    for start, end in zip([0, *cuts], [*cuts, len(characters)], strict=True):
        part = characters[start:end]
        left = x0 if start == 0 else part[0][1][0]
        right = x1 if end == len(characters) else part[-1][1][2]
        text = "".join(piece for piece, _ in part)
        pieces.append(OcrWord(text, word.confidence, (left, y0, right, y1)))
    return pieces


def _offset(characters: Sequence[tuple[str, Box]], index: int) -> int:
    """Where in the word's text the ``index``-th character begins (a "character" may be more
    than one code point: a ligature Tesseract reports as "fi")."""
    return sum(len(text) for text, _ in characters[:index])
