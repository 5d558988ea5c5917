"""One page read by RapidOCR and Tesseract together, better than either alone.

Measured on the development set (``benchmarks/quality.py``): RapidOCR recognises characters
far better (receipts, forms, German invoices), but it runs words together where they stand
wide apart ("HandelsrechnungNr.47110815vom31.10.2018", "Kundenstraße15"), its detector now and
then misses a word, and it reads lettering in logos. Tesseract segments words well and knows
when it is sure; where it is sure of every word on the page, its reading stands and RapidOCR
is not run at all.

So, per page: Tesseract first. Sure of every word -> Tesseract's reading. Otherwise RapidOCR
reads the page, and Tesseract's sure words (1) put back the spaces RapidOCR dropped, only where
the characters on both sides are the same in both readings and the break is of a kind
RapidOCR drops (letter/digit, lower/upper case, after a colon or full stop), and (2) add the
words RapidOCR's detector missed. Everything else is RapidOCR's.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ablage_desktop.engine.layout import in_reading_order
from ablage_desktop.engine.results import Box, OcrLine, OcrPage, OcrWord

SURE = 0.9
"""Tesseract's word confidence from which it is right nearly always."""
MIN_WORDS = 3
"""Fewer words than this and "sure of every word" says nothing about the page."""
MISSED_CHARACTERS = 2
"""A word RapidOCR missed is added only with this many letters or digits (no stray marks)."""
BOX_MARGIN = 0.2
"""A Tesseract word belongs to a RapidOCR line when its centre lies in the line's box grown by
this share of the line's height (RapidOCR's boxes are loose, Tesseract's tight)."""
BREAK_AFTER = frozenset(".:;)")

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


@dataclass(frozen=True, slots=True)
class Combination:
    page: OcrPage
    spaces: int = 0
    """Spaces put back into RapidOCR's lines."""
    added: int = 0
    """Words RapidOCR missed, added from Tesseract."""

    @property
    def summary(self) -> str:
        if "+" not in self.page.backend:
            return f"{self.page.backend} alone (its reading has no line boxes to combine)"
        return (
            f"read by {self.page.backend}: {self.spaces} space(s) and {self.added} missed "
            "word(s) from Tesseract"
        )


def sure_of_every_word(page: OcrPage) -> bool:
    words = [word for line in page.lines for word in line.words]
    return len(words) >= MIN_WORDS and all(word.confidence >= SURE for word in words)


def combine(primary: OcrPage, helper: OcrPage, helper_scale: float = 1.0) -> Combination:
    """RapidOCR's page ``primary`` with the help of Tesseract's ``helper``.

    ``helper_scale`` is the size of the helper's page over the primary's (Tesseract may read an
    upscaled page); the result is in the primary's coordinates.
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
    missed = _missed_runs(helper.lines, words, claimed)
    text, ordered = in_reading_order([*lines, *missed])
    page = dataclasses.replace(
        primary,
        backend=f"{primary.backend}+{helper.backend}",
        seconds=primary.seconds + helper.seconds,
        text=text,
        lines=ordered,
    )
    return Combination(page, spaces, sum(len(line.words) for line in missed))


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
