"""A word with a letter dropped or one too many, read as the listed word the model's own
scores allow.

``rapidocr_lexicon`` mends a word misread at one letter from the model's next guess there.
The recogniser also drops a letter or reads one too many ("edeemed" lost the r of redeemed,
"subect" the j of subject, "Emnail" has an n too many): CTC reads a letter where one column
outscores the blank for a step, and a faint letter loses to the blank, a smudge wins over
it. Its scores still hold the letter: the blank's step before "edeemed" has the "r" at a
share of the blank's, the "n" too many stands at steps where the blank came close.

Here each such change is a change of the line's best path (``Edit``): one step of the blank
(or a neighbour letter's edge, where the letters touch) given to the dropped letter, or a
letter's steps given to the blank. Its cost is the log of how much less likely the changed
path is than the model's best (``cost``). A change whose path is at least ``NEXT_GUESS`` as
likely as the best and makes a listed word is taken where it is the only one that does: the
same bar as a letter's next guess in ``rapidocr_lexicon``, and the same guards of case (a
capital among capitals, a small letter inside a small word). One of a doubled letter is not
taken out (names double letters the lists' words do not: "Hamann", not "Haman").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ablage_desktop.engine.backends.rapidocr_kinds import characters_of

if TYPE_CHECKING:
    from ablage_desktop.engine.backends.rapidocr_lexicon import Letters

NEXT_GUESS = 0.05
"""How likely a changed path must be, as a share of the best one, for its word to be read
(as ``rapidocr_lexicon.NEXT_GUESS`` for a letter's next guess)."""
MAX_COST = -math.log(NEXT_GUESS)
Run = tuple[int, np.ndarray]
"""A character of the line's reading: its column and the time steps it spans."""


@dataclass(frozen=True, slots=True)
class Edit:
    """A change of the best path at ``steps``, each to the column of ``columns``."""

    steps: tuple[int, ...]
    columns: tuple[int, ...]
    cost: float
    text: str

    @property
    def likelihood(self) -> float:
        """The changed path's likelihood as a share of the best one's."""
        return math.exp(-self.cost)


def changed_reading(
    rows: np.ndarray,
    best: np.ndarray,
    word: list[Run],
    letters: Letters,
    allowed: Callable[[int, int], bool],
    listed: Callable[[str], bool],
) -> Edit | None:
    """The one change of ``word``'s path (a letter put in or taken out) that makes a listed
    word at a cost within ``MAX_COST``; None for none or several. ``rows`` are the line's
    scores (steps x columns), ``best`` its best column at each step, ``allowed(index,
    column)`` whether a letter of that column may stand at that index of the word (its
    case)."""
    characters = letters.characters
    text = "".join(characters[column] for column, _ in word)
    line = characters_of(best)
    first = next(at for at, (_, steps) in enumerate(line) if steps[0] == word[0][1][0])
    before = "".join(characters[column] for column, _ in line[:first])
    after = "".join(characters[column] for column, _ in line[first + len(word) :])
    found: dict[str, Edit] = {}
    edits = _insertions(rows, best, word, letters, allowed, text) + _deletions(rows, word, text)
    for edit in edits:
        if edit.cost > MAX_COST or not listed(edit.text):
            continue
        path = best.copy()
        path[list(edit.steps)] = edit.columns
        # CTC merges a letter with the same one beside it: the path must read as meant
        read = "".join(characters[column] for column, _ in characters_of(path))
        if read != before + edit.text + after:
            continue
        known = found.get(edit.text.lower())
        if known is None or edit.cost < known.cost:
            found[edit.text.lower()] = edit
    if len(found) != 1:
        return None
    return next(iter(found.values()))


def _insertions(
    rows: np.ndarray,
    best: np.ndarray,
    word: list[Run],
    letters: Letters,
    allowed: Callable[[int, int], bool],
    text: str,
) -> list[Edit]:
    """A letter put in before each of the word's letters and after its last: at a blank step
    between them (or around the word), or at a neighbour's edge step where the neighbour
    spans more than one; only the Latin letters within ``MAX_COST`` of the step's best (one
    comparison of the steps' rows at those columns)."""
    places = [
        (index, step) for index in range(len(word) + 1) for step in _gap_steps(best, word, index)
    ]
    if not places:
        return []
    steps = sorted({step for _, step in places})
    chosen = best[steps]
    floor = NEXT_GUESS * rows[steps, chosen]
    near, at = np.nonzero(rows[np.ix_(steps, letters.latin)] >= floor[:, None])
    columns = letters.latin[at]
    guesses: dict[int, list[int]] = {}
    for row, column in zip(near.tolist(), columns.tolist(), strict=True):
        if column and column != chosen[row]:
            guesses.setdefault(steps[row], []).append(column)
    edits = []
    for index, step in places:
        row = rows[step]
        for column in guesses.get(step, ()):
            if not allowed(index, column):
                continue
            cost = float(np.log(row[best[step]]) - np.log(row[column]))
            made = text[:index] + letters.characters[column] + text[index:]
            edits.append(Edit((step,), (column,), cost, made))
    return edits


def _gap_steps(best: np.ndarray, word: list[Run], index: int) -> list[int]:
    """The steps a letter inserted at ``index`` of the word could take."""
    if index == 0:
        end = int(word[0][1][0])
        start = end
        while start > 0 and best[start - 1] == 0:
            start -= 1
        steps = list(range(start, end))
    elif index == len(word):
        start = int(word[-1][1][-1]) + 1
        end = start
        while end < best.shape[0] and best[end] == 0:
            end += 1
        steps = list(range(start, end))
    else:
        start, end = int(word[index - 1][1][-1]) + 1, int(word[index][1][0])
        steps = list(range(start, end))
    if index > 0 and len(word[index - 1][1]) > 1:
        steps.append(int(word[index - 1][1][-1]))
    if index < len(word) and len(word[index][1]) > 1:
        steps.append(int(word[index][1][0]))
    return steps


def _deletions(rows: np.ndarray, word: list[Run], text: str) -> list[Edit]:
    """Each letter of the word given to the blank at all its steps, but for one of a doubled
    letter: names double letters the lists' words do not ("Hamann" read as "Haman" on a
    specked copy), and the model saw two."""
    edits = []
    for index, (column, steps) in enumerate(word):
        if _run_length(text.lower(), index) == 2:
            continue
        kept, blank = rows[steps, column], np.maximum(rows[steps, 0], 1e-12)
        cost = float(np.sum(np.log(kept) - np.log(blank)))
        edits.append(
            Edit(tuple(steps.tolist()), (0,) * len(steps), cost, text[:index] + text[index + 1 :])
        )
    return edits


def _run_length(text: str, index: int) -> int:
    """How many of the same letter stand together at ``index`` of ``text``."""
    start = end = index
    while start > 0 and text[start - 1] == text[index]:
        start -= 1
    while end + 1 < len(text) and text[end + 1] == text[index]:
        end += 1
    return end - start + 1
