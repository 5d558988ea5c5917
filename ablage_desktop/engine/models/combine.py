"""RapidOCR's lines with the spaces it ran together put back from Tesseract's reading.

RapidOCR recognises characters far better than Tesseract (receipts, forms, German invoices),
but it runs words together where they stand wide apart ("HandelsrechnungNr.47110815vom
31.10.2018", "Kundenstraße15"). Tesseract segments words well and knows when it is sure. In
``auto`` Tesseract has read the whole page (``line_words`` settles the lines it is sure of);
in the lines RapidOCR recognised, the words that may be two run together take the breaks
Tesseract's words on that line show: a word of small letters meets a number
("Kundenstraße15", "47110815vom"), a capitalised word follows a small letter
("AbschlagStammkundenrabatt"), a letter or digit follows a colon, full stop or per cent
sign (but not 30.10.2018 or 14:11), a date or time is glued to another number
("20.03.201817:09:28"), or a per cent sign to its number ("7%" where the invoice prints
"7 %": ``text.word_breaks.gap_break``). Codes and units of capitals and digits ("RM12.60",
"DE136695976", "GmbH", "5KG") are one word as they stand: on the development set
Tesseract broke none of them. A break is taken only where Tesseract is sure of it and read
the characters on both sides as RapidOCR did. Its look-alike slips ("Fu1ler", "VinyI") are
mended where Tesseract is sure of the letter (``confusions``). Everything else is
RapidOCR's.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ablage_desktop.engine.models.confusions import mended_word
from ablage_desktop.engine.models.line_words import SURE
from ablage_desktop.engine.results.document import Box, OcrPage, OcrWord
from ablage_desktop.engine.text.layout import in_reading_order
from ablage_desktop.engine.text.word_breaks import gap_break

WIDE_GAP = 0.3
"""A gap between two of Tesseract's words this wide (in their height) is a space on the paper,
however unsure it is of the characters ("Verkäufer-IBAN : DE12" with the colon at 0.89 and
DE12 at 0.67): on the development set, with the break before a colon, +5 words, none lost."""
ALIGNED = 0.8
"""Share of a word's characters that must be found, together, in Tesseract's reading of its
line when the two readings differ."""

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


@dataclass(frozen=True, slots=True)
class Combination:
    page: OcrPage
    settled: int = 0
    """Lines taken as Tesseract read them."""
    spaces: int = 0
    """Spaces put back into the lines RapidOCR recognised."""
    mended: int = 0
    """Words of RapidOCR's whose look-alike characters were taken from Tesseract's
    (``confusions``)."""
    pictures: int = 0
    """Lines inside pictures, left out of the page's text (``pictures``)."""

    @property
    def summary(self) -> str:
        aside = (
            f", {self.pictures} line(s) in pictures left out of the text" if self.pictures else ""
        )
        return (
            f"read by {self.page.backend}: {self.settled} of {len(self.page.lines)} line(s) "
            f"as Tesseract read them, {self.spaces} space(s) put back, "
            f"{self.mended} word(s) mended{aside}"
        )


def suspect_spans(text: str) -> list[tuple[int, int]]:
    """The words of ``text`` that may be two run together (see the module's docstring)."""
    spans = []
    start = 0
    for word in text.split(" "):
        end = start + len(word)
        if any(gap_break(word, offset) for offset in range(1, len(word))):
            spans.append((start, end))
        start = end + 1
    return spans


def respace_lines(
    primary: OcrPage, on_line: Mapping[Box, Sequence[OcrWord]], helper: OcrPage
) -> Combination:
    """RapidOCR's page ``primary`` with the spaces Tesseract's words show put back into the
    lines RapidOCR recognised, in reading order; ``on_line`` holds Tesseract's words by line
    box (on ``primary``'s page), ``helper`` is Tesseract's reading, for its name and time.

    Settled lines are Tesseract's own and carry its words; RapidOCR's carry none. The lines
    are put in reading order here, once (``RapidOcrBackend.recognize_where`` leaves them in
    the detector's).
    """
    spaces = mended = 0
    lines = []
    for line in primary.lines:
        if line.words:
            lines.append(line)
            continue
        seen = on_line.get(line.box, ())
        text = line.text
        for start, end in reversed(suspect_spans(text) if seen else []):
            respaced = _respaced_word(text[start:end], seen)
            if respaced is not None:
                spaces += respaced.count(" ")
                text = text[:start] + respaced + text[end:]
        words = text.split(" ")
        for index, word in enumerate(words):
            better = mended_word(word, seen)
            if better is not None:
                words[index] = better
                mended += 1
        text = " ".join(words)
        lines.append(dataclasses.replace(line, text=text) if text != line.text else line)
    text, ordered = in_reading_order(lines)
    page = dataclasses.replace(
        primary,
        backend=f"{primary.backend}+{helper.backend}",
        seconds=primary.seconds + helper.seconds,
        text=text,
        lines=ordered,
    )
    return Combination(page, sum(1 for line in lines if line.words), spaces, mended)


def scaled_word(word: OcrWord, scale: float) -> OcrWord:
    """A word of a page read ``scale`` times larger, on the page itself."""
    if scale == 1.0:
        return word
    return dataclasses.replace(word, box=scaled_box(word.box, scale))


def scaled_box(box: Box, scale: float) -> Box:
    """A box on a page ``scale`` times larger, on the page itself."""
    x0, y0, x1, y1 = box
    return (round(x0 / scale), round(y0 / scale), round(x1 / scale), round(y1 / scale))


def _same(character: str) -> str:
    return unicodedata.normalize("NFKC", character).translate(_DASHES)


def _respaced_word(word: str, seen: Sequence[OcrWord]) -> str | None:
    """``word`` (RapidOCR's, no spaces) with the breaks Tesseract's sure words show inside it,
    or None when nothing changes.

    Tesseract's words on the line are read as one run of characters and ``word`` is aligned
    with it: where it stands there exactly once, character for character, every break of a
    kind RapidOCR drops is taken; elsewhere (Tesseract misread a character or two around it,
    "Verkäufer--IBAN :DEI2") only a break with the same characters on both sides, and only
    where nearly all of the word was found together. Otherwise RapidOCR's reading stands.
    """
    helper: list[str] = []
    sure_breaks: set[int] = set()
    for position, found in enumerate(seen):
        helper += [_same(ch) for ch in found.text if not ch.isspace()]
        following = seen[position + 1] if position + 1 < len(seen) else None
        if following and _sure_break(found, following):
            sure_breaks.add(len(helper))
    offsets = _aligned(helper, [_same(ch) for ch in word])
    if offsets is None:
        return None
    cuts = {
        offsets[at]
        for at in sure_breaks
        if at in offsets and offsets.get(at - 1) == offsets[at] - 1
    }
    out: list[str] = []
    for offset, ch in enumerate(word):
        if offset in cuts and gap_break(word, offset):
            out.append(" ")
        out.append(ch)
    respaced = "".join(out)
    return respaced if respaced != word else None


def _aligned(helper: Sequence[str], wanted: Sequence[str]) -> dict[int, int] | None:
    """Characters of ``helper`` (by index) that are ``wanted``'s (their offsets in it), or
    None where the word cannot be placed in it surely."""
    from difflib import SequenceMatcher

    starts = [
        start
        for start in range(len(helper) - len(wanted) + 1)
        if helper[start : start + len(wanted)] == wanted
    ]
    if len(starts) == 1:
        return {starts[0] + offset: offset for offset in range(len(wanted))}
    if starts:
        return None  # the word is there twice
    blocks = SequenceMatcher(None, helper, wanted, autojunk=False).get_matching_blocks()
    pairs = {a + k: b + k for a, b, size in blocks for k in range(size)}
    if len(pairs) < ALIGNED * len(wanted):
        return None
    if max(pairs) - min(pairs) + 1 > (2 - ALIGNED) * len(wanted):
        return None  # the characters found lie scattered along the line
    return pairs


def _sure_break(left: OcrWord, right: OcrWord) -> bool:
    """Whether Tesseract's break between two neighbouring words can be trusted."""
    if left.confidence >= SURE and right.confidence >= SURE:
        return True
    height = max(left.box[3] - left.box[1], right.box[3] - right.box[1], 1)
    return right.box[0] - left.box[2] >= WIDE_GAP * height
