"""Words whose marks on the paper Tesseract's reading does not hold: accents, superscripts.

Tesseract writes only the characters of its languages' models: German and English together
know ä ö ü ß and é, but not á ó ñ ç ś ř ë è à, nor ² ³. A name from elsewhere in a German
letter ("Muñoz", "Wiśniewska", "Çelik", "Dvořák", "Noël") comes out with the nearest letter it
knows, a flat's "75 m²" as "75 m?", and it is sure of them ("Celik" at 0.91, "m?" at 0.96):
``auto`` took such lines as Tesseract read them, though RapidOCR's recogniser, which knows
these characters, reads them right.

The paper tells. Tesseract's word boxes hold all of a word's ink, and a word is not sure where
that ink shows what its text cannot account for: marks standing clear above its letters (a
dot, two side by side for a diaeresis, an acute, a tilde, a caron) more or fewer than its
characters have (``unicodedata``'s decomposition of each: "ó" an acute above, "ä" a
diaeresis, "i" its dot), letters reaching below the line (a cedilla, an ogonek) where none of
its characters may, a part standing raised beside the letters (a superscript figure, a
quote), fewer dots and commas on the line than its punctuation has ("?" without its dot), or
a stroke across the stem of a letter read t, l or L (ł and Ł: "Michat", "Wroctaw", "Lukasz").
Its line is then left to RapidOCR. The rule knows no language: with a French model ("ç" and
"à" in Tesseract's text) the same marks are accounted for. A word of small print or of letters
broken into pieces is not judged (the ink cannot tell).
"""

from __future__ import annotations

import dataclasses
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from PIL import Image

from ablage_desktop.engine.models.line_words import SURE
from ablage_desktop.engine.results.document import OcrLine, OcrWord

log = logging.getLogger(__name__)

Part = tuple[int, int, int, int]
"""A connected part of a word's ink: top, bottom (exclusive), left, right (exclusive)."""

DOUBTED = 0.5
"""The confidence a word whose marks disagree with its text is given: below ``SURE``, so its
line is left to RapidOCR and none of its characters or breaks is taken over."""
LETTER = 0.35
"""A part of the word's ink at least this share of the word box's height tall is a letter
(or a letter's body); smaller parts are marks, dots, punctuation."""
LINE_FEET = 6
"""A line's own baseline is asked where its judged words have this many letters or more."""
SMALLEST = 8
"""Below this x-height in pixels (10 pt print at 100 dpi: the development set's forms) an
accent or an umlaut's dots run into the letter under them: the ink cannot tell."""
STANDING = 0.1
"""Letters whose foot lies within this share of the box's height of the baseline stand on it
(not a comma's tail, not an exclamation mark's bar): the lowest top of them is the x-height's
top line."""
DESCENT = 0.25
"""A letter reaching this share of the x-height below the word's baseline descends."""
ABOVE = 0.05
"""A mark is above the letters where its lowest row is no lower than the x-height's top line
(give or take this share of the x-height)."""
WIDE = 2.5
"""A part of ink wider than this many box heights is a rule, a frame or an underline run into
letters: neither a letter nor a mark."""
BROKEN = 1.25
"""A word of more pieces of ink than this many times its characters and dots has letters
broken apart (faint thermal print, a dot-matrix printer, a coarse JPEG): pieces of them
stand where marks would."""
RAISED = 0.5
"""A part of ink whose foot is this many x-heights above the baseline or more, beside the
letters rather than over one, stands raised: a superscript figure, a quote, a degree sign."""
TALL = 0.3
"""Raised parts reach this share of the x-height above its top line, and are as tall at
least: shorter ones are dots, dashes or dust, lower ones a letter's arm broken off (Times'
"w" at 200 dpi)."""
LOW = 0.45
"""A small part of ink whose top lies within this share of the x-height above the baseline
(or lower) is a full stop, a comma, the dot of a question mark or colon."""
GAP = 2
"""Rows of paper between a mark and a tall letter under it, flush with its edge, from which
it is a mark: 1 for an ascender's top a fold's light line cut off (``copies.py --modes
folded``); umlauts stand 1-8 rows over capitals, but inside them."""
STEM = 0.1
"""A letter whose top (what is left of it under a cut) lies this share of the x-height above
the x-height's top line is tall: its stem may have been cut, an i's may not."""
FLAT = 3.0
"""A mark at most this many times as wide as it is tall: a longer one is a piece of a fold's
crease or a rule run across the line's top (a folded letter's crease over its ascenders read
as six words' accents), not an accent (a macron would be; German and English paper has
none)."""
SPECK = 0.08
"""Marks smaller than this share of the x-height on either side are dust, not accents."""
PAIR = 0.75
"""Two marks on one row this many x-heights apart or less are a diaeresis (its dots stood
0.28-0.7 apart in the development set's print and generated pages; an i's dot and an
accent on a neighbour, or two i's dots, 0.85 and more)."""
CLEAR = 14
"""From this x-height in pixels (about 7 pt at 300 dpi) the two dots of a diaeresis stand
apart, an accent clear of its letter, a question mark's dot clear of its hook; below it they
may run into one another (bold 9 pt at 150 dpi, a blurred scan): there a word is not doubted
for marks or dots missing, only for marks its text cannot have."""

ABOVE_MARKS = frozenset(range(0x0300, 0x0316)) | {0x031A, 0x033D, 0x033E, 0x033F, 0x0340}
"""Combining marks drawn above a letter (acute, grave, circumflex, tilde, macron, breve, dot,
diaeresis, ring, double acute, caron...)."""
BELOW_MARKS = frozenset({0x0326, 0x0327, 0x0328})
"""Combining marks drawn below a letter and joined to it: comma below, cedilla, ogonek."""
TWO_PART = frozenset({0x0308, 0x030B})
"""Marks of two parts: the diaeresis, the double acute."""
DOTTED = frozenset("ij")
"""Letters with a dot of their own (none in a ligature "fi": nought to one)."""
PLAIN = frozenset(
    "abcdefghklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,-_()[]{}<>/\\|&+#@$€£§ßıłøæœØÆŒ"
)
"""Characters with no mark above their letters."""
LOW_DOTS = {":": 1, ";": 1, "!": 1, "?": 1, "…": 3, "„": 1, "‚": 1}
"""How many dots or commas on the line each of these signs holds at least (low quotes' two
commas may run into one). A full stop or a comma is not asked for: run into the letter before
it in a coarse scan, it would doubt a word for nothing."""
RAISED_PARTS = dict.fromkeys("…„‚–—=×÷±", 0) | dict.fromkeys(":;!?", 1)
"""How many parts standing raised beside the letters signs outside ``PLAIN`` may have: none
for these, one for a colon's upper dot or a question mark's hook, two for any other (the
two strokes of a quote)."""
STROKED = MappingProxyType(
    {
        "t": ((0.42, 0.68), (0.15, 0.95)),
        "l": ((0.42, 0.68), (0.15, 0.95)),
        "L": ((0.6, 1.0), (1.0, 1.25)),
    }
)
"""The letters German and English Tesseract writes for ł and Ł, whose stroke it cannot: for
each, the rows a stroke crosses and the rows of its stem alone, in x-heights above the
baseline. ł's stroke crosses from 0.5 to 0.9 in the faces measured (DejaVu, Liberation,
Nimbus, URW, Carlito, Caladea, FreeFont), a t's bar lies higher (from 0.7 in bold faces) and
its top tapers above it; Ł's from 0.5 to 1.1, an L's foot reaches 0.5 in slab serif faces."""
SHORT = frozenset("acemnorsuvwxz")
"""Letters as tall as the x-height: a word's lowest letter top is its x-height's top line only
where it has one (in "USt." the t's top is the lowest, and its bar stood where ł's stroke
does)."""
STEM_SHARE = 25
"""The stem's width: this percentile of its rows' widths (a stroke crosses fewer than three
quarters of them)."""
STROKE = 0.09
STROKE_PIXELS = 2
"""A letter that much wider across the stroke's rows than its stem, in x-heights and in
pixels at least, is crossed (ł is 0.11-0.3 wider in the faces measured)."""
DESCENDING = frozenset("gjpqyQJf,;()[]{}|/\\@$§µ3456789")
"""Characters that may reach below the line (in some faces: the old-style figures, an italic
f, a J)."""


def doubt_unwritten(lines: Sequence[OcrLine], image: Image.Image) -> list[OcrLine]:
    """``lines`` (Tesseract's reading of ``image``) with each word it is sure of whose marks
    disagree with its text given ``DOUBTED``."""
    grey: np.ndarray | None = None
    changed: list[OcrLine] = []
    for line in lines:
        words = list(line.words)
        judged = [
            index
            for index, word in enumerate(words)
            if word.confidence >= SURE and any(ch.isalpha() for ch in word.text)
        ]
        if not judged:
            changed.append(line)
            continue
        if grey is None:
            grey = np.asarray(image if image.mode == "L" else image.convert("L"))
        shapes = {index: _shape(_ink(grey, words[index])) for index in judged}
        line_foot = _line_baseline([(words[index], shape) for index, shape in shapes.items()])
        for index, shape in shapes.items():
            word = words[index]
            foot = None if line_foot is None else line_foot - max(0, word.box[1])
            reason = None if shape is None else _disagreement(shape, word.text, foot)
            if reason is not None:
                log.debug("%r is not sure: %s", word.text, reason)
                words[index] = dataclasses.replace(word, confidence=min(word.confidence, DOUBTED))
        same = all(new is old for new, old in zip(words, line.words, strict=True))
        changed.append(line if same else dataclasses.replace(line, words=tuple(words)))
    return changed


@dataclass(frozen=True, slots=True)
class _Shape:
    """A word's ink in parts: all of them, and those tall enough to be letters."""

    parts: list[Part]
    letters: list[Part]
    height: int
    labels: np.ndarray
    """Each pixel's part, numbered as ``ids`` says."""
    ids: dict[Part, int]


def _ink(grey: np.ndarray, word: OcrWord) -> np.ndarray:
    """The word's box as ink (True) and paper, split between the box's own paper and ink."""
    x0, y0, x1, y1 = word.box
    crop = grey[max(0, y0) : max(0, y1 + 1), max(0, x0) : max(0, x1 + 1)]
    if crop.size == 0:
        return np.zeros((0, 0), dtype=bool)
    paper, ink = np.percentile(crop, (90, 2))
    if paper - ink < 32:
        return np.zeros((0, 0), dtype=bool)  # no contrast to tell marks by
    return crop < (paper + ink) / 2


def _shape(ink: np.ndarray) -> _Shape | None:
    """``ink`` in parts; None where it holds no letter."""
    from scipy import ndimage

    if ink.size == 0 or not ink.any():
        return None
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    ids = {
        (s[0].start, s[0].stop, s[1].start, s[1].stop): number
        for number, s in enumerate(ndimage.find_objects(labels), start=1)
    }
    parts = list(ids)
    height = ink.shape[0]
    letters = [
        part
        for part in parts
        if part[1] - part[0] >= LETTER * height and part[3] - part[2] <= WIDE * height
    ]
    return _Shape(parts, letters, height, labels, ids) if letters else None


def _line_baseline(words: Sequence[tuple[OcrWord, _Shape | None]]) -> float | None:
    """The row most of a line's letters stand on, on the page: where a word's own letters
    stand as many on two rows ("Jerry's" at 200 dpi: "J" and "rry" run together reach below,
    "e" and "s" stand on the line), the line's row decides."""
    feet = [
        max(0, word.box[1]) + part[1]
        for word, shape in words
        if shape is not None
        for part in shape.letters
    ]
    heights = [shape.height for _, shape in words if shape is not None]
    if len(feet) < LINE_FEET:
        return None
    return _baseline(feet, STANDING * float(np.median(heights)), None)


def marks_agree(ink: np.ndarray, text: str) -> bool:
    """Whether the marks above and the descents below the letters of ``ink`` (a word's box)
    are as many as ``text`` can account for; True where the ink cannot tell."""
    return disagreement(ink, text) is None


def disagreement(ink: np.ndarray, text: str, line_foot: float | None = None) -> str | None:
    """What of ``ink`` (a word's box) ``text`` cannot account for, in words; None where it
    can, or where the ink cannot tell."""
    shape = _shape(ink)
    return None if shape is None else _disagreement(shape, text, line_foot)


def _disagreement(shape: _Shape, text: str, line_foot: float | None) -> str | None:
    """What of a word's ink ``text`` cannot account for; None where it can, or where the ink
    cannot tell. ``line_foot``: the line's baseline in the word's box, where known."""
    parts, letters, height = shape.parts, shape.letters, shape.height
    baseline = _baseline([part[1] for part in letters], STANDING * height, line_foot)
    standing = [part for part in letters if abs(part[1] - baseline) <= STANDING * height]
    if not standing:
        return None
    x_line = max(part[0] for part in standing)  # the lowest top of a letter on the line
    x_height = baseline - x_line
    if x_height < SMALLEST:
        return None  # accents run into their letters
    speck = SPECK * x_height
    clear = x_height >= CLEAR
    low, high, pairs = _marks_above(text)
    pieces = sum(1 for part in parts if max(part[1] - part[0], part[3] - part[2]) >= speck)
    if pieces > BROKEN * (len(text) + high) + 1:
        return None  # letters broken into pieces (faint thermal or dot print): no telling
    marks = [
        (top, bottom, (left + right) / 2)
        for top, bottom, left, right in parts
        if bottom - top < LETTER * height
        and bottom <= x_line + ABOVE * x_height
        and max(bottom - top, right - left) >= speck
        and right - left <= FLAT * (bottom - top)  # not a piece of a crease or a rule
        and _over_a_letter((top, bottom, left, right), letters, x_line, x_height)
    ]
    if not (low if clear else 0) <= len(marks) <= high:
        return f"{len(marks)} marks above the letters, not {low}-{high}"
    if clear and _pairs(marks, x_height) != pairs:
        return "no diaeresis"  # "räpido": an acute and an i's dot, as many as "ä" and "i" have
    below = sum(1 for part in letters if part[1] - baseline > DESCENT * x_height)
    beneath = sum(
        1
        for top, bottom, left, right in parts
        if top > baseline + ABOVE * x_height
        and speck <= max(bottom - top, right - left) <= x_height  # not a table's rule
    )
    if below > _descents(text) or (clear and beneath > _descents(text)):
        return f"{below} letters reaching below the line, {beneath} marks beneath it"  # "Celik"
    if _stroked(shape, text, baseline, x_height):
        return "a stem crossed by a stroke"  # "Michat", "Wroctaw", "Lukasz" for ł and Ł
    raised_most, dots_fewest = _punctuation(text)
    grounded = [part for part in letters if part[1] >= baseline - STANDING * height]
    raised = sum(
        1
        for top, bottom, left, right in parts
        if bottom <= baseline - RAISED * x_height
        and top <= x_line - TALL * x_height
        and bottom - top >= TALL * x_height
        and not _over(left, right, grounded)
    )
    if raised > raised_most:
        return f"{raised} raised parts beside the letters"  # a quote, a degree sign not read
    dots = sum(
        1
        for top, bottom, left, right in parts
        if top >= baseline - LOW * x_height and max(bottom - top, right - left) >= speck
    )
    if clear and dots < dots_fewest:
        return f"{dots} dots on the line, not {dots_fewest}"  # "m?" for "m²": no "?"'s dot
    return None


def _stroked(shape: _Shape, text: str, baseline: float, x_height: float) -> bool:
    """Whether a letter read t, l or L is crossed by a stroke halfway up the x-height, as ł
    and Ł are (German and English Tesseract writes "Michat", "Wroctaw", "Lukasz", sure of
    them). Asked only where the letters stand apart, one part of ink each: which part is
    which letter is then known."""
    characters = [character for character in text if character.isalnum()]
    if not STROKED.keys() & set(characters) or len(characters) != len(shape.letters):
        return False
    if not SHORT.intersection(unicodedata.normalize("NFD", text)):
        return False  # no letter as tall as the x-height ("USt."): its top line is unknown
    letters = sorted(shape.letters, key=lambda part: part[2])
    return any(
        character in STROKED and _crossed(shape, part, character, baseline, x_height)
        for character, part in zip(characters, letters, strict=True)
    )


def _crossed(shape: _Shape, part: Part, character: str, baseline: float, x_height: float) -> bool:
    """Whether ``part`` (a t, l or L) is wider where a stroke crosses ł or Ł than its stem
    is: a t's bar stands at the x-height's top, an L's foot on the line."""
    (stroke_low, stroke_high), (stem_low, stem_high) = STROKED[character]
    top, bottom, left, right = part
    pixels = shape.labels[top:bottom, left:right] == shape.ids[part]
    stem: list[int] = []
    band: list[int] = []
    for row, ink in enumerate(pixels):
        columns = np.flatnonzero(ink)
        if columns.size == 0:
            continue
        width = int(columns[-1] - columns[0] + 1)
        height = (baseline - (top + row + 0.5)) / x_height
        if stem_low <= height <= stem_high:
            stem.append(width)
        if stroke_low <= height <= stroke_high:
            band.append(width)
    if not stem or not band:
        return False
    return max(band) - np.percentile(stem, STEM_SHARE) >= max(STROKE_PIXELS, STROKE * x_height)


def _baseline(feet: Sequence[int], near: float, hint: float | None) -> float:
    """The row most letters stand on: the foot with most others within ``near`` of it (of
    two such, the one nearer ``hint``, or the lower), as their median (a raised figure, "m²",
    or a cedilla does not move it)."""
    support = [sum(1 for other in feet if abs(other - foot) <= near) for foot in feet]
    best = [foot for foot, count in zip(feet, support, strict=True) if count == max(support)]
    foot = max(best) if hint is None else min(best, key=lambda each: (abs(each - hint), -each))
    return float(np.median([other for other in feet if abs(other - foot) <= near]))


def _over(left: int, right: int, letters: Sequence[Part]) -> bool:
    """Whether the middle of ``left``..``right`` lies over a letter."""
    middle = (left + right) / 2
    return any(start <= middle < end for _, _, start, end in letters)


def _over_a_letter(mark: Part, letters: Sequence[Part], x_line: float, x_height: float) -> bool:
    """Whether ``mark`` stands clear above the letter under its middle: an accent or a dot
    does; a serif or an f's hook broken off its stem by a coarse scan (Times' "ff" at 200 dpi)
    stands beside a stem's top, a JPEG's rim on a figure's top on it; the top of a tall
    letter's stem cut off by a fold's light line (``copies.py --modes folded``) stands one row
    above it, flush with its edge."""
    _, bottom, left, right = mark
    middle = (left + right) / 2
    under = [letter for letter in letters if letter[2] <= middle < letter[3]]
    return bool(under) and all(
        bottom < letter[0] and not _cut_stem(mark, letter, x_line - STEM * x_height)
        for letter in under
    )


def _cut_stem(mark: Part, letter: Part, tall: float) -> bool:
    """Whether ``mark`` is the top of ``letter``'s stem cut off: the letter reaches above
    ``tall``, the mark stands less than ``GAP`` rows above it, flush with its left or right
    edge (umlauts over capitals stand inside them, an i's dot over a short letter)."""
    _, bottom, left, right = mark
    flush = abs(left - letter[2]) <= 1 or abs(right - letter[3]) <= 1
    return letter[0] <= tall and letter[0] - bottom < GAP and flush


def _pairs(marks: Sequence[tuple[int, int, float]], x_height: float) -> int:
    """How many pairs of marks stand side by side as a diaeresis' dots do: on one row, their
    middles within ``PAIR`` x-heights (a letter broken in two by a coarse scan still has its
    pair; an i's dot and an accent on the next letter stand farther apart)."""
    found, ordered = 0, sorted(marks, key=lambda mark: mark[2])
    index = 0
    while index + 1 < len(ordered):
        (top, bottom, middle), (next_top, next_bottom, next_middle) = ordered[index : index + 2]
        one_row = min(bottom, next_bottom) > max(top, next_top)
        if one_row and next_middle - middle <= PAIR * x_height:
            found, index = found + 1, index + 2
        else:
            index += 1
    return found


def _marks_above(text: str) -> tuple[int, int, int]:
    """The fewest and most marks above the letters ``text`` may show, and how many of its
    letters have marks of two parts."""
    low = high = pairs = 0
    for character in text:
        if character in DOTTED:
            high += 1
            continue
        if character in PLAIN:
            continue
        marks = _combining(character)
        if not marks:
            high += 2  # a quote, a degree sign, an asterisk: maybe marks of their own
            continue
        for mark in marks:
            if mark in TWO_PART:
                low, high, pairs = low + 2, high + 2, pairs + 1
            elif mark in ABOVE_MARKS:
                low, high = low + 1, high + 1
    return low, high, pairs


def _punctuation(text: str) -> tuple[int, int]:
    """The most parts of ``text``'s ink that may stand raised beside its letters (quotes, a
    degree sign, an asterisk, a question mark's hook) and the fewest dots and commas on its
    line (a colon's, a question mark's)."""
    raised = dots = 0
    for character in text:
        if character in PLAIN or character in DOTTED or _combining(character):
            continue
        if character in LOW_DOTS:
            dots += LOW_DOTS[character]
        raised += RAISED_PARTS.get(character, 2)  # a quote: maybe two parts
    return raised, dots


def _descents(text: str) -> int:
    """How many of ``text``'s characters may reach below the line, or have a mark beneath it
    (a cedilla, a comma below: "ș" in "Brașov")."""
    return sum(
        1
        for character in text
        if character in DESCENDING
        or any(mark in BELOW_MARKS for mark in _combining(character))
        or (character not in PLAIN and character not in DOTTED and not _combining(character))
    )


def _combining(character: str) -> list[int]:
    """The combining marks of ``character``'s canonical decomposition, in code points."""
    decomposed = unicodedata.normalize("NFD", character)
    return [ord(part) for part in decomposed[1:] if unicodedata.combining(part)]
