"""Spaces RapidOCR's recogniser dropped, put back where the line's own ink shows them.

RapidOCR runs words together that stand apart on the paper ("Braunschweig12345",
"20.03.201817:09:28", ":12345676"). The crop it read holds the answer: a stretch of columns
without ink as wide as a third of the line's height between two characters it printed
together. Each such gap is placed in the text by the recogniser's own positions for its
characters (the CTC time steps, 8 pixels of the 48-pixel-high input each), and a space goes
in only where it falls cleanly between two of them and the break is of a kind
``text.word_breaks.gap_break`` allows: on the development set, narrower gaps and other kinds
split dates ("30 .10 .2018") and words ("Fu1 ler").
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ablage_desktop.engine.text.word_breaks import gap_break

WIDE_GAP = 0.3
"""An ink-free stretch this wide (in the crop's height) between two characters is a space:
on the development set 9 spaces put back on RapidOCR's own pages, none wrong (0.25: 15, with
"Fu1 ler" and "Kundennummer :" among them)."""
OVER_LETTER_GAPS = 1.3
"""A space is this much wider than the widest gap between two characters of one word in the
same line (two digits aside: figures are set in cells of one width, a "1" with paper on both
sides). In proportional print letters stand close and this never decides; in monospaced
print a full stop, colon or narrow letter sits alone in its cell with a third of the line's
height of paper beside it ("31.10.2018", "firma.de"), as wide as a space between words
elsewhere: generated lines in DejaVu Sans Mono read "z. B." and "E-Mail : info" without it."""
STEP_PIXELS = 8
"""Input pixels per time step of the PP-OCR recogniser."""
INPUT_HEIGHT = 48
"""The height the recogniser scales each crop to."""


def ink_gaps(crop: np.ndarray) -> list[tuple[int, int]]:
    """Ink-free column runs (start, end) between the crop's first and last inked column."""
    import cv2

    grey = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    inked = np.flatnonzero(ink.any(axis=0))
    if inked.size < 2:
        return []
    steps = np.diff(inked)
    return [(int(inked[i]) + 1, int(inked[i + 1])) for i in np.flatnonzero(steps > 1)]


def character_centres(text: str, info: Any, height: int) -> list[float] | None:
    """Where in the crop (x, pixels) the recogniser saw each non-space character of ``text``,
    or None where its positions do not spell the text."""
    words = getattr(info, "words", None)
    columns = getattr(info, "word_cols", None)
    if not words or not columns:
        return None
    found = [
        (ch, col)
        for word, cols in zip(words, columns, strict=False)
        for ch, col in zip(word, cols, strict=False)
    ]
    printed = [ch for ch in text if not ch.isspace()]
    if [ch for ch, _ in found] != printed:
        return None
    pixels = STEP_PIXELS * height / INPUT_HEIGHT
    return [(col + 0.5) * pixels for _, col in found]


def spaced(text: str, info: Any, crop: np.ndarray) -> str:
    """``text`` as the recogniser read ``crop``, with the spaces its ink shows put back."""
    height = crop.shape[0]
    centres = character_centres(text, info, height)
    if centres is None or len(centres) < 2:
        return text
    printed: list[str] = []
    spaced_before: list[bool] = []
    pending = False
    for ch in text:
        if ch.isspace():
            pending = True
            continue
        printed.append(ch)
        spaced_before.append(pending)
        pending = False
    word = "".join(printed)
    candidates: dict[int, int] = {}
    letter_gaps = [0]
    for start, end in ink_gaps(crop):
        left = [i for i, x in enumerate(centres) if x < start]
        right = [i for i, x in enumerate(centres) if x >= end]
        if not left or not right or right[0] != left[-1] + 1:
            continue  # a character stands in the gap, or the gap is at an end of the line
        at = right[0]
        if spaced_before[at]:
            continue
        if _breaks_here(word, at, spaced_before):
            candidates[at] = end - start
        elif not (word[at - 1].isdigit() and word[at].isdigit()):
            letter_gaps.append(end - start)  # digits are set in cells of one width: no measure
    wide = max(WIDE_GAP * height, OVER_LETTER_GAPS * max(letter_gaps))
    breaks = {at for at, gap in candidates.items() if gap >= wide}
    if not breaks:
        return text
    out = []
    for index, ch in enumerate(printed):
        if index and (spaced_before[index] or index in breaks):
            out.append(" ")
        out.append(ch)
    return "".join(out)


def _breaks_here(word: str, at: int, spaced_before: list[bool]) -> bool:
    """Whether a break before ``word[at]`` (the line's characters without spaces) is one
    RapidOCR drops, judged within the word it stands in."""
    start = max((i for i in range(at) if spaced_before[i]), default=0)
    end = next((i for i in range(at + 1, len(word)) if spaced_before[i]), len(word))
    return gap_break(word[start:end], at - start)
