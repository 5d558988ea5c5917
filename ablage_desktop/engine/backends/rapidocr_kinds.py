"""A character out of kind with its neighbours, read as the model's own next guess.

RapidOCR's recogniser reads each position on its own, and on small or faint print it takes a
letter for the digit drawn like it ("Fu1ler", "E1in") or a final small l for a capital I
("VinyI"). Its scores know better: at the "1" of "Fu1ler" it gave "l" 0.497 against 0.501,
at the "I" of "VinyI" "l" 0.109 against 0.713. Where a character stands out of kind (a digit
between two letters, a letter between two digits, a capital ending a word after a small
letter) and the model's best character of the kind its neighbours ask for scored at least
``NEXT_GUESS`` of it, that one is read instead. Words that are meant that way ("GmbH", "V2A",
"2p0") had their in-kind alternative at 0.003 of the best or less on the development set, and
stay. A capital inside a word is left alone (generated lines: "LinkedIn" would have become
"Linkedln", "NetzWerk" "Netzwerk"), and so is one drawn like its small letter ("KfW").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NEXT_GUESS = 0.05
"""The in-kind character's score as a share of the model's best at that position, from which
it is read instead. Development set: the slips' alternatives scored 0.09-0.99 of the best
("E1in", "VinyI", "Fu1ler"), the words meant that way 0.012 at most ("e.V", "incL.")."""
SAME_SHAPE = frozenset("COSVWXZ")
"""Capitals drawn like their small letters, larger: a capital of these ending a word stays."""


@dataclass(frozen=True, slots=True)
class CharacterKinds:
    """Which of the model's output columns (blank first) are digits, letters, small letters."""

    digit: np.ndarray
    letter: np.ndarray
    lower: np.ndarray
    same_shape: np.ndarray
    """Capitals drawn like their small letters (C O S V W X Z): only their size tells them
    apart, and the model sees it ("KfW" stays)."""

    @classmethod
    def of(cls, characters: Sequence[str]) -> CharacterKinds:
        def where(test: object) -> np.ndarray:
            return np.fromiter(
                (len(c) == 1 and bool(test(c)) for c in characters),  # type: ignore[operator]
                dtype=bool,
                count=len(characters),
            )

        return cls(
            where(str.isdigit),
            where(str.isalpha),
            where(str.islower),
            where(lambda c: c in SAME_SHAPE),
        )


def read_in_kind(
    scores: np.ndarray, kinds: CharacterKinds, best: np.ndarray | None = None
) -> np.ndarray:
    """``scores`` (lines x time steps x columns) with out-of-kind characters swapped for the
    model's in-kind next guess where that scored well enough (see the module's docstring);
    ``best``: their argmax, where the caller has it."""
    if best is None:
        best = scores.argmax(axis=-1)
    for line in range(scores.shape[0]):
        for steps, wanted in _out_of_kind(best[line], kinds):
            scores = _swap(scores, line, steps, wanted, best[line])
    return scores


def _out_of_kind(best: np.ndarray, kinds: CharacterKinds) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each character out of kind: its time steps and the columns its kind would be."""
    runs = characters_of(best)
    found = []
    for index, (column, steps) in enumerate(runs):
        before = runs[index - 1][0] if index else -1
        after = runs[index + 1][0] if index + 1 < len(runs) else -1
        wanted = _wanted(column, before, after, kinds)
        if wanted is not None:
            found.append((steps, wanted))
    return found


def _wanted(column: int, before: int, after: int, kinds: CharacterKinds) -> np.ndarray | None:
    """The columns a character should be, given its neighbours' (-1: none), or None."""

    def letter(c: int) -> bool:
        return c >= 0 and bool(kinds.letter[c])

    def digit(c: int) -> bool:
        return c >= 0 and bool(kinds.digit[c])

    def lower(c: int) -> bool:
        return c >= 0 and bool(kinds.lower[c])

    if digit(column) and letter(before) and letter(after):
        return kinds.lower if lower(before) and lower(after) else kinds.letter  # Fu1ler, E1in
    if letter(column) and digit(before) and digit(after):
        return kinds.digit  # 4O11
    ends_word = not (letter(after) or digit(after))
    capital = letter(column) and not lower(column) and not kinds.same_shape[column]
    if capital and lower(before) and ends_word:
        return kinds.lower  # VinyI
    return None


def characters_of(best: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """CTC's reading of one line's best columns: each character (not the blank, column 0)
    with the time steps it spans."""
    change = np.flatnonzero(np.diff(best)) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [best.shape[0]]))
    return [
        (int(best[start]), np.arange(start, end))
        for start, end in zip(starts, ends, strict=True)
        if best[start] != 0
    ]


def swap_at(
    scores: np.ndarray, line: int, steps: np.ndarray, column: int, best: np.ndarray
) -> np.ndarray:
    """Read ``column`` at ``steps`` of ``line`` instead of the best there, as ``_swap`` does
    (``rapidocr_lexicon``: a word's one letter)."""
    wanted = np.zeros(scores.shape[-1], dtype=bool)
    wanted[column] = True
    return _swap(scores, line, steps, wanted, best)


def _swap(
    scores: np.ndarray, line: int, steps: np.ndarray, wanted: np.ndarray, best: np.ndarray
) -> np.ndarray:
    """Read the in-kind column at ``steps`` where it scored well enough and does not run into
    a neighbour of the same character (CTC would read the two as one)."""
    rows = scores[line, steps]
    peak = int(rows.max(axis=1).argmax())
    allowed = np.where(wanted, rows[peak], -np.inf)
    alternative = int(allowed.argmax())
    chosen = int(best[steps[peak]])
    if not np.isfinite(allowed[alternative]) or alternative == chosen:
        return scores
    if rows[peak, alternative] < NEXT_GUESS * rows[peak, chosen]:
        return scores
    first, last = int(steps[0]), int(steps[-1])
    if (first and best[first - 1] == alternative) or (
        last + 1 < best.shape[0] and best[last + 1] == alternative
    ):
        return scores
    if not scores.flags.writeable:  # an inference engine's own buffer
        scores = scores.copy()
    kept = scores[line, steps, chosen].copy()
    scores[line, steps, chosen] = scores[line, steps, alternative]
    scores[line, steps, alternative] = kept
    return scores
