"""One page read by RapidOCR, with Tesseract re-reading only the words where that pays.

Measured on the development set (``benchmarks/quality.py``, benchmarks/RESULTS.md): RapidOCR
recognises characters far better (receipts, forms, German invoices), but it runs words
together where they stand wide apart ("HandelsrechnungNr.47110815vom31.10.2018",
"Kundenstraße15"). Tesseract segments words well and knows when it is sure. Tesseract reading
every page first bought no more than Tesseract reading those run-together words alone: lines
RapidOCR is unsure of (confidence below 0.9) changed no word when Tesseract read them too,
and the words RapidOCR's detector missed that Tesseract added changed none either.

So, per page: RapidOCR reads it. ``suspects`` finds the words that may be two run together: a
word of small letters meets a number ("Kundenstraße15", "47110815vom"), a capitalised word
follows a small letter ("AbschlagStammkundenrabatt"), a letter or digit follows a colon or
full stop (but not 30.10.2018 or 14:11), or a date or time is glued to another number
("20.03.201817:09:28"). Codes and units of capitals and digits ("RM12.60",
"DE136695976", "GmbH", "5KG") are one word as they stand: on the development set Tesseract
broke none of them, and leaving them out spared it 77 of the 132 words it read again, half
its time, at the same F1. Only the stretch of the line around such words is cut
out; all of a page's stretches are stacked into one strip (``LineStrip``) that Tesseract reads
in one call. Where no word qualifies, RapidOCR's reading stands alone and Tesseract is not run.
Tesseract's sure words then put back the spaces RapidOCR dropped (``respace``), only inside
the suspect words, where Tesseract read the same characters, and where the break is of a kind
RapidOCR drops. Everything else is RapidOCR's.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ablage_desktop.engine.results.document import Box, OcrPage, OcrWord
from ablage_desktop.engine.text.layout import in_reading_order

if TYPE_CHECKING:
    from PIL import Image

SURE = 0.9
"""Tesseract's word confidence from which it is right nearly always."""
WIDE_GAP = 0.3
"""A gap between two of Tesseract's words this wide (in their height) is a space on the paper,
however unsure it is of the characters ("Verkäufer-IBAN : DE12" with the colon at 0.89 and
DE12 at 0.67): on the development set, with the break before a colon, +5 words, none lost."""
BREAK_AFTER = frozenset(".:;)")
MARGIN_CHARACTERS = 6
"""A suspect word is cut out with this many characters either side (RapidOCR gives the line's
box only, so the word's place in it is estimated from its characters)..."""
MARGIN_SHARE = 0.12
"""...and this share of the line's width, for lines of wide and narrow letters. On the
development set 3 characters and 8 % lost a space Tesseract misread with less context
around it (F1 0.9138 against 0.9144 for whole lines); 6 and 12 % lost none and send Tesseract
a fifth less than whole lines."""
STRIP_GAP = 0.6
"""Empty space between the pieces of a strip, in line heights (Tesseract keeps them apart)."""
STRIP_PAD = 0.5
"""White border around each piece in the strip, in line heights."""

_DATE_THEN_DIGIT = re.compile(
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}[./-]\d{1,2}[./-]\d{2})(?=\d)"
)
_DIGIT_THEN_TIME = re.compile(r"(?<=\d)\d{2}:\d{2}")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


@dataclass(frozen=True, slots=True)
class Suspect:
    """Words of one RapidOCR line that may be two run together, and where to look at them."""

    line: int
    """Index of the line in the page's ``lines``."""
    spans: tuple[tuple[int, int], ...]
    """The words, as ranges of characters of the line's text."""
    box: Box
    """The stretch of the line holding them, in the page's pixels."""


@dataclass(frozen=True, slots=True)
class Combination:
    page: OcrPage
    spaces: int = 0
    """Spaces put back into RapidOCR's lines."""
    reread: int = 0
    """Suspect words Tesseract read again."""

    @property
    def summary(self) -> str:
        return (
            f"read by {self.page.backend}: {self.reread} word(s) re-read by Tesseract, "
            f"{self.spaces} space(s) put back"
        )


def suspect_spans(text: str) -> list[tuple[int, int]]:
    """The words of ``text`` that may be two run together (see the module's docstring)."""
    spans = []
    start = 0
    for word in text.split(" "):
        end = start + len(word)
        if any(_breaks(word, offset) for offset in range(1, len(word))):
            spans.append((start, end))
        start = end + 1
    return spans


def suspects(page: OcrPage) -> list[Suspect]:
    """Every stretch of the page's lines Tesseract should read again; empty: none."""
    found = []
    for index, line in enumerate(page.lines):
        spans = suspect_spans(line.text)
        if not spans:
            continue
        x0, y0, x1, y1 = line.box
        per_character = (x1 - x0) / max(1, len(line.text))
        margin = MARGIN_CHARACTERS * per_character + MARGIN_SHARE * (x1 - x0)
        stretches: list[tuple[list[tuple[int, int]], float, float]] = []
        for start, end in spans:
            left = max(x0, x0 + start * per_character - margin)
            right = min(x1, x0 + end * per_character + margin)
            if stretches and left <= stretches[-1][2]:  # overlaps the one before: one piece
                stretches[-1][0].append((start, end))
                stretches[-1] = (stretches[-1][0], stretches[-1][1], right)
            else:
                stretches.append(([(start, end)], left, right))
        for members, left, right in stretches:
            box = (int(left), y0, max(int(left) + 1, round(right)), y1)
            found.append(Suspect(index, tuple(members), box))
    return found


def respace(
    primary: OcrPage,
    found: Sequence[Suspect],
    words: Sequence[Sequence[OcrWord]],
    helper: OcrPage,
    helper_scale: float = 1.0,
) -> Combination:
    """RapidOCR's page ``primary`` with spaces from Tesseract's ``words`` for each suspect.

    ``words[i]`` are the words Tesseract read in ``found[i]``'s stretch, in the helper's
    page coordinates; ``helper_scale`` is the size of the helper's page over the primary's
    (Tesseract may read an upscaled page). ``helper`` is Tesseract's reading of the strip,
    for its name and time.
    """
    texts = {index: line.text for index, line in enumerate(primary.lines)}
    spaces = 0
    # Right to left within a line, so that inserted spaces do not move the spans still to do.
    order = sorted(range(len(found)), key=lambda i: (found[i].line, -found[i].spans[0][0]))
    for position in order:
        suspect = found[position]
        seen = sorted(
            (_scaled(word, helper_scale) for word in words[position]),
            key=lambda word: word.box[0],
        )
        text = texts[suspect.line]
        for start, end in reversed(suspect.spans):
            respaced = _respaced_word(text[start:end], seen)
            if respaced is not None:
                spaces += respaced.count(" ")
                text = text[:start] + respaced + text[end:]
        texts[suspect.line] = text
    lines = [
        dataclasses.replace(line, text=texts[index]) if texts[index] != line.text else line
        for index, line in enumerate(primary.lines)
    ]
    text, ordered = in_reading_order(lines)
    page = dataclasses.replace(
        primary,
        backend=f"{primary.backend}+{helper.backend}",
        seconds=primary.seconds + helper.seconds,
        text=text,
        lines=ordered,
    )
    reread = sum(len(suspect.spans) for suspect in found)
    return Combination(page, spaces, reread)


def _scaled(word: OcrWord, scale: float) -> OcrWord:
    if scale == 1.0:
        return word
    x0, y0, x1, y1 = word.box
    box = (round(x0 / scale), round(y0 / scale), round(x1 / scale), round(y1 / scale))
    return dataclasses.replace(word, box=box)


def _same(character: str) -> str:
    return unicodedata.normalize("NFKC", character).translate(_DASHES)


def _respaced_word(word: str, seen: Sequence[OcrWord]) -> str | None:
    """``word`` (RapidOCR's, no spaces) with the breaks Tesseract's sure words show inside it,
    or None when nothing changes.

    Tesseract's words around it are read as one run of characters; ``word`` must stand in it
    exactly once, character for character, or RapidOCR's reading stands.
    """
    helper: list[str] = []
    sure_breaks: set[int] = set()
    for position, found in enumerate(seen):
        helper += [_same(ch) for ch in found.text if not ch.isspace()]
        following = seen[position + 1] if position + 1 < len(seen) else None
        if following and _sure_break(found, following):
            sure_breaks.add(len(helper))
    wanted = [_same(ch) for ch in word]
    starts = [
        start
        for start in range(len(helper) - len(wanted) + 1)
        if helper[start : start + len(wanted)] == wanted
    ]
    if len(starts) != 1:
        return None  # the readings differ, or the word is there twice: RapidOCR's stands
    at = starts[0]
    out: list[str] = []
    for offset, ch in enumerate(word):
        if offset and at + offset in sure_breaks and _breaks(word, offset):
            out.append(" ")
        out.append(ch)
    respaced = "".join(out)
    return respaced if respaced != word else None


def _sure_break(left: OcrWord, right: OcrWord) -> bool:
    """Whether Tesseract's break between two neighbouring words can be trusted."""
    if left.confidence >= SURE and right.confidence >= SURE:
        return True
    height = max(left.box[3] - left.box[1], right.box[3] - right.box[1], 1)
    return right.box[0] - left.box[2] >= WIDE_GAP * height


def _glued_date_or_time(word: str) -> set[int]:
    """Where a date or a time may be glued to the number before or after it: after a date
    with its year ("20.03.201817:09:28", "2016/05/0114:11:20") and before a time's two hour
    digits that follow another digit. Any other break between two digits is inside a number."""
    return {match.end() for match in _DATE_THEN_DIGIT.finditer(word)} | {
        match.start() for match in _DIGIT_THEN_TIME.finditer(word)
    }


def _breaks(word: str, offset: int) -> bool:
    """Whether a break before ``word[offset]`` is one RapidOCR drops (see the module's
    docstring for the kinds).

    Tesseract also splits inside words now and then ("Te lefax", "16, 90"); those breaks
    (between two small letters, inside a number) are never taken over.
    """
    before, after = word[offset - 1], word[offset]
    earlier = word[offset - 2] if offset >= 2 else ""
    later = word[offset + 1] if offset + 1 < len(word) else ""
    if before in BREAK_AFTER:
        # 30.10.2018, 14:11: one word
        return after.isalnum() and not (earlier.isdigit() and after.isdigit())
    if after == ":" and later:
        return before.isalpha()  # "Nummer : 4711", as receipts and some invoices print it
    if before.isdigit() and after.isdigit():
        return offset in _glued_date_or_time(word)
    return (
        (before.islower() and earlier.islower() and after.isdigit())
        or (before.isdigit() and after.islower() and later.islower())
        or (before.islower() and after.isupper() and later.islower())
    )


@dataclass(frozen=True, slots=True)
class LineStrip:
    """Stretches of a page's lines cut out and stacked under each other, for one Tesseract
    call.

    ``placements`` holds, per stretch, its box on the page and its top in the strip; the
    words Tesseract finds in the strip go back onto the page through ``words_by_piece``.
    """

    image: Image.Image
    placements: tuple[tuple[Box, int], ...]
    pad: int

    @classmethod
    def cut(cls, image: Image.Image, boxes: Sequence[Box]) -> LineStrip:
        """The strip of ``boxes`` (page pixels of ``image``), top to bottom."""
        from PIL import Image as PILImage

        grey = image if image.mode == "L" else image.convert("L")
        height = max(box[3] - box[1] for box in boxes)
        pad = max(4, round(STRIP_PAD * height))
        gap = max(4, round(STRIP_GAP * height))
        width = max(box[2] - box[0] for box in boxes) + 2 * pad
        total = sum(box[3] - box[1] for box in boxes) + gap * (len(boxes) - 1) + 2 * pad
        strip = PILImage.new("L", (width, total), 255)
        placements = []
        top = pad
        for box in boxes:
            strip.paste(grey.crop(box), (pad, top))
            placements.append((box, top))
            top += box[3] - box[1] + gap
        return cls(strip, tuple(placements), pad)

    def words_by_piece(self, reading: OcrPage) -> list[list[OcrWord]]:
        """Tesseract's words in the strip, per piece, moved back onto the page."""
        found: list[list[OcrWord]] = [[] for _ in self.placements]
        for line in reading.lines:
            for word in line.words:
                centre = (word.box[1] + word.box[3]) / 2
                for position, (box, top) in enumerate(self.placements):
                    if top <= centre <= top + box[3] - box[1]:
                        dx, dy = box[0] - self.pad, box[1] - top
                        x0, y0, x1, y1 = word.box
                        moved = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
                        found[position].append(dataclasses.replace(word, box=moved))
                        break
        return found
