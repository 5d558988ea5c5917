"""Scripted per-position scores of RapidOCR's recogniser, and their CTC reading, for the tests
of what the app does with them (``rapidocr_kinds``, ``rapidocr_lexicon``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def scripted(characters: Sequence[str], *positions: str | dict[str, float]) -> np.ndarray:
    """One line: a character read surely (0.99) or a scripted row; a blank between each.
    ``characters`` are the model's columns, the blank first."""
    rows: list[dict[str, float]] = []
    for position in positions:
        rows.append(position if isinstance(position, dict) else {position: 0.99})
        rows.append({"blank": 0.99})
    table = np.full((1, len(rows), len(characters)), 0.0001, dtype=np.float32)
    for step, row in enumerate(rows):
        for character, score in row.items():
            table[0, step, list(characters).index(character)] = score
    return table


def read(characters: Sequence[str], table: np.ndarray, line: int = 0) -> str:
    """CTC's reading of the best column at each step: repeats merged, blanks dropped."""
    best = table[line].argmax(axis=-1)
    return "".join(
        characters[c] for k, c in enumerate(best) if c != 0 and (k == 0 or best[k - 1] != c)
    )
