"""One page read by RapidOCR, with Tesseract re-reading only the lines where that pays.

Measured on the development set (``benchmarks/quality.py``): RapidOCR recognises characters
far better (receipts, forms, German invoices), but it runs words together where they stand
wide apart ("HandelsrechnungNr.47110815vom31.10.2018", "Kundenstraße15"). Tesseract segments
words well and knows when it is sure. Re-reading every line, or the whole page, with
Tesseract bought nothing more than re-reading those lines alone: lines RapidOCR is unsure of
(confidence below 0.9) changed no word, and the words RapidOCR's detector missed that
Tesseract added changed none either (see benchmarks/RESULTS.md).

So, per page: RapidOCR reads it. ``needs_rereading`` picks the lines whose words may have run
together: a word in which a letter meets a digit, a small letter a capital, or a letter
follows a colon or full stop. Only those lines are cut out, stacked into one strip
(``LineStrip``) and read by Tesseract in one call; where none qualifies, RapidOCR's reading
stands alone. Tesseract's sure words then put back the spaces RapidOCR dropped (``combine``),
only where the characters on both sides are the same in both readings and the break is of a
kind RapidOCR drops. Everything else is RapidOCR's.
"""

from __future__ import annotations

import dataclasses
import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ablage_desktop.engine.layout import in_reading_order
from ablage_desktop.engine.results import Box, OcrLine, OcrPage, OcrWord

if TYPE_CHECKING:
    from PIL import Image

SURE = 0.9
"""Tesseract's word confidence from which it is right nearly always."""
MISSED_CHARACTERS = 2
"""A word RapidOCR missed is added only with this many letters or digits (no stray marks)."""
BOX_MARGIN = 0.2
"""A Tesseract word belongs to a RapidOCR line when its centre lies in the line's box grown by
this share of the line's height (RapidOCR's boxes are loose, Tesseract's tight)."""
BREAK_AFTER = frozenset(".:;)")
STRIP_GAP = 0.6
"""Empty space between the lines of a strip, in line heights (Tesseract keeps them apart)."""
STRIP_PAD = 0.5
"""White border around each line in the strip, in line heights."""

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


@dataclass(frozen=True, slots=True)
class Combination:
    page: OcrPage
    spaces: int = 0
    """Spaces put back into RapidOCR's lines."""
    added: int = 0
    """Words RapidOCR missed, added from Tesseract."""

    reread: int = 0
    """RapidOCR's lines Tesseract read again."""

    @property
    def summary(self) -> str:
        if "+" not in self.page.backend:
            return f"{self.page.backend} alone (its reading has no line boxes to combine)"
        return (
            f"read by {self.page.backend}: {self.reread} line(s) re-read by Tesseract, "
            f"{self.spaces} space(s) and {self.added} missed word(s) taken from it"
        )


def needs_rereading(line: OcrLine) -> bool:
    """Whether a word of RapidOCR's line may be two run together (a break ``_breaks``
    allows inside it), other than a full stop or colon between digits (30.10.2018, 14:11),
    which is one word."""
    for word in line.text.split():
        for before, (here, after) in zip(" " + word, itertools.pairwise(word), strict=False):
            if not _breaks(here, after):
                continue
            if here in BREAK_AFTER and before.isdigit() and after.isdigit():
                continue
            return True
    return False


def combine(
    primary: OcrPage, helper: OcrPage, helper_scale: float = 1.0, add_missed: bool = True
) -> Combination:
    """RapidOCR's page ``primary`` with the help of Tesseract's ``helper``.

    ``helper_scale`` is the size of the helper's page over the primary's (Tesseract may read an
    upscaled page); the result is in the primary's coordinates. ``add_missed``: Tesseract's
    sure words outside every RapidOCR line are added (only where Tesseract read the page,
    not a strip of RapidOCR's own lines).
    """
    if not primary.lines:  # text without boxes: nothing to place Tesseract's words against
        return Combination(primary)
    words = [_scaled(word, helper_scale) for line in helper.lines for word in line.words]
    claimed: set[int] = set()
    lines: list[OcrLine] = []
    spaces = 0
    for line in primary.lines:
        mine = [i for i, word in enumerate(words) if i not in claimed and _inside(word, line.box)]
        claimed.update(mine)
        text = _respaced(line.text, sorted((words[i] for i in mine), key=lambda w: w.box[0]))
        if text is None:
            lines.append(line)
        else:
            spaces += text.count(" ") - line.text.count(" ")
            lines.append(dataclasses.replace(line, text=text))
    missed = _missed_runs(helper.lines, words, claimed) if add_missed else []
    text, ordered = in_reading_order([*lines, *missed])
    page = dataclasses.replace(
        primary,
        backend=f"{primary.backend}+{helper.backend}",
        seconds=primary.seconds + helper.seconds,
        text=text,
        lines=ordered,
    )
    added = sum(len(line.words) for line in missed)
    return Combination(page, spaces, added)


def _scaled(word: OcrWord, scale: float) -> OcrWord:
    if scale == 1.0:
        return word
    x0, y0, x1, y1 = word.box
    box = (round(x0 / scale), round(y0 / scale), round(x1 / scale), round(y1 / scale))
    return dataclasses.replace(word, box=box)


def _inside(word: OcrWord, box: Box) -> bool:
    margin = BOX_MARGIN * (box[3] - box[1])
    x = (word.box[0] + word.box[2]) / 2
    y = (word.box[1] + word.box[3]) / 2
    return box[0] - margin <= x <= box[2] + margin and box[1] - margin <= y <= box[3] + margin


def _same(character: str) -> str:
    return unicodedata.normalize("NFKC", character).translate(_DASHES)


def _respaced(text: str, words: Sequence[OcrWord]) -> str | None:
    """``text`` with the spaces Tesseract's sure words show, or None when nothing changes."""
    if len(words) < 2:
        return None
    helper: list[str] = []
    sure_breaks: set[int] = set()
    for position, word in enumerate(words):
        helper += [_same(ch) for ch in word.text if not ch.isspace()]
        following = words[position + 1] if position + 1 < len(words) else None
        if following and word.confidence >= SURE and following.confidence >= SURE:
            sure_breaks.add(len(helper))
    if [_same(ch) for ch in text if not ch.isspace()] != helper:
        return None  # the readings differ in their characters: RapidOCR's stands
    out: list[str] = []
    count = 0
    for ch in text:
        if not ch.isspace():
            if count in sure_breaks and out and not out[-1].isspace() and _breaks(out[-1], ch):
                out.append(" ")
            count += 1
        out.append(ch)
    respaced = "".join(out)
    return respaced if respaced != text else None


def _breaks(before: str, after: str) -> bool:
    """Whether a word break between these two characters is one RapidOCR drops.

    Tesseract also splits inside words now and then ("Te lefax", "16, 90"); those breaks
    (between two lower-case letters, inside a number) are never taken over.
    """
    return (
        (before.isalpha() and after.isdigit())
        or (before.isdigit() and after.isalpha())
        or (before.islower() and after.isupper())
        or (before in BREAK_AFTER and after.isalnum())
    )


def _missed_runs(
    helper_lines: Sequence[OcrLine],
    words: Sequence[OcrWord],
    claimed: set[int],
) -> list[OcrLine]:
    """Tesseract's sure words outside every RapidOCR box, a line per run of neighbours."""
    runs: list[list[OcrWord]] = []
    index = 0
    for line in helper_lines:
        run: list[OcrWord] = []
        for _ in line.words:
            word = words[index]
            wanted = (
                index not in claimed
                and word.confidence >= SURE
                and sum(ch.isalnum() for ch in word.text) >= MISSED_CHARACTERS
            )
            index += 1
            if wanted:
                run.append(word)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
    return [_line_of(run) for run in runs]


def _line_of(run: Sequence[OcrWord]) -> OcrLine:
    box = (
        min(word.box[0] for word in run),
        min(word.box[1] for word in run),
        max(word.box[2] for word in run),
        max(word.box[3] for word in run),
    )
    text = " ".join(word.text for word in run)
    return OcrLine(text, min(word.confidence for word in run), box, tuple(run))


@dataclass(frozen=True, slots=True)
class LineStrip:
    """Some lines of a page cut out and stacked under each other, for one Tesseract call.

    ``placements`` holds, per line, its box on the page and its top in the strip; the
    words Tesseract finds in the strip go back onto the page through ``words_on_page``.
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

    def words_on_page(self, reading: OcrPage) -> OcrPage:
        """Tesseract's reading of the strip as lines on the page, one per strip line."""
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
        lines = tuple(
            _line_of(sorted(words, key=lambda word: word.box[0])) for words in found if words
        )
        text = "\n".join(line.text for line in lines)
        return dataclasses.replace(reading, text=text, lines=lines)
