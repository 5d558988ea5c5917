"""Words whose accents on the paper Tesseract's reading does not hold.

Tesseract writes only the characters of its languages' models: German and English together
know ä ö ü ß and é, but not á ó ñ ç ś ř ë è à. A name from elsewhere in a German letter
("Muñoz", "Wiśniewska", "Çelik", "Dvořák", "Noël") comes out with the nearest letter it knows,
and it is sure of it ("Celik" at 0.91, "Wisniewska" 0.92): ``auto`` took such lines as
Tesseract read them, though RapidOCR's recogniser, which knows these letters, reads them right.

The paper tells: an accent is ink standing apart above the letters (a dot, two for a
diaeresis, an acute, a tilde, a caron), a cedilla or ogonek ink below a letter that has no
descender. Tesseract's words come with their boxes, which hold such ink; a word whose marks
above its letters, or whose letters reaching below the line, are more or fewer than its text
can account for (``unicodedata``'s decomposition of each letter: "ó" an acute above, "ä" a
diaeresis, "i" its dot) is not sure, and RapidOCR reads its line. The rule knows no language:
with a French model ("ç" and "à" in Tesseract's text) the same marks are accounted for.
"""

from __future__ import annotations

import dataclasses
import logging
import unicodedata
from collections.abc import Sequence

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
SPECK = 0.08
"""Marks smaller than this share of the x-height on either side are dust, not accents."""
PAIR = 0.75
"""Two marks on one row this many x-heights apart or less are a diaeresis (its dots stood
0.28-0.7 apart in the development set's print and generated pages; an i's dot and an
accent on a neighbour, or two i's dots, 0.85 and more)."""
TWO_DOTS = 14
"""From this x-height in pixels (about 7 pt at 300 dpi) the two dots of a diaeresis stand
apart; below it they may run into one."""

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
DESCENDING = frozenset("gjpqyQJf,;()[]{}|/\\@$§µ3456789")
"""Characters that may reach below the line (in some faces: the old-style figures, an italic
f, a J)."""


def doubt_unwritten(lines: Sequence[OcrLine], image: Image.Image) -> list[OcrLine]:
    """``lines`` (Tesseract's reading of ``image``) with each word it is sure of whose marks
    disagree with its text given ``DOUBTED``."""
    grey: np.ndarray | None = None
    changed: list[OcrLine] = []
    doubted = 0
    for line in lines:
        words = list(line.words)
        for index, word in enumerate(words):
            if word.confidence < SURE or not any(ch.isalpha() for ch in word.text):
                continue
            if grey is None:
                grey = np.asarray(image if image.mode == "L" else image.convert("L"))
            if not marks_agree(_ink(grey, word), word.text):
                words[index] = dataclasses.replace(word, confidence=min(word.confidence, DOUBTED))
                doubted += 1
        changed.append(dataclasses.replace(line, words=tuple(words)) if doubted else line)
    if doubted:
        log.debug("%d sure words show marks their text does not hold", doubted)
    return changed


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


def marks_agree(ink: np.ndarray, text: str) -> bool:
    """Whether the marks above and the descents below the letters of ``ink`` (a word's box)
    are as many as ``text`` can account for; True where the ink cannot tell."""
    from scipy import ndimage

    if ink.size == 0 or not ink.any():
        return True
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    parts = [(s[0].start, s[0].stop, s[1].start, s[1].stop) for s in ndimage.find_objects(labels)]
    height = ink.shape[0]
    letters = [
        part
        for part in parts
        if part[1] - part[0] >= LETTER * height and part[3] - part[2] <= WIDE * height
    ]
    if not letters:
        return True
    baseline = float(np.median([part[1] for part in letters]))
    standing = [part for part in letters if abs(part[1] - baseline) <= STANDING * height]
    if not standing:
        return True
    x_line = max(part[0] for part in standing)  # the lowest top of a letter on the line
    x_height = baseline - x_line
    if x_height < SMALLEST:
        return True  # accents run into their letters
    speck = SPECK * x_height
    two_dots = x_height >= TWO_DOTS
    low, high, pairs = _marks_above(text, two_dots=two_dots)
    pieces = sum(1 for part in parts if max(part[1] - part[0], part[3] - part[2]) >= speck)
    if pieces > BROKEN * (len(text) + high) + 1:
        return True  # letters broken into pieces (faint thermal or dot print): no telling
    marks = [
        (top, bottom, (left + right) / 2)
        for top, bottom, left, right in parts
        if bottom - top < LETTER * height
        and bottom <= x_line + ABOVE * x_height
        and max(bottom - top, right - left) >= speck
        and _over_a_letter(bottom, (left + right) / 2, letters)
    ]
    if not low <= len(marks) <= high:
        return False
    if two_dots and _pairs(marks, x_height) != pairs:
        return False  # "räpido": an acute and an i's dot, as many marks as "ä" and "i"
    below = sum(1 for part in letters if part[1] - baseline > DESCENT * x_height)
    return below <= _descents(text)


def _over_a_letter(bottom: int, middle: float, letters: Sequence[Part]) -> bool:
    """Whether a mark ending at row ``bottom`` stands clear above the letter under its middle:
    an accent or a dot does; a serif or an f's hook broken off its stem by a coarse scan
    (Times' "ff" at 200 dpi) stands beside a stem's top, a JPEG's rim on a figure's top on it."""
    under = [top for top, _, left, right in letters if left <= middle < right]
    return bool(under) and all(bottom < top for top in under)


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


def _marks_above(text: str, *, two_dots: bool) -> tuple[int, int, int]:
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
                low, high, pairs = low + (2 if two_dots else 1), high + 2, pairs + 1
            elif mark in ABOVE_MARKS:
                low, high = low + 1, high + 1
    return low, high, pairs


def _descents(text: str) -> int:
    """How many of ``text``'s characters may reach below the line."""
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
