"""Spaces RapidOCR's recogniser dropped, put back where the crop's ink shows a gap between two
characters it printed together, of a kind it drops ("7 %", "Braunschweig 12345"), and nowhere
else (inside words, inside numbers, where a character stands in the gap)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ablage_desktop.engine.backends.rapidocr_spaces import (
    character_centres,
    ink_gaps,
    spaced,
)


@dataclass
class Positions:
    """The recogniser's characters and time steps, as RapidOCR's ``WordInfo`` holds them."""

    words: list[list[str]]
    word_cols: list[list[int]]


def line(*inked: tuple[int, int], width: int = 400, height: int = 48) -> np.ndarray:
    """A white crop with black ink in the column ranges ``inked``."""
    crop = np.full((height, width, 3), 255, dtype=np.uint8)
    for start, end in inked:
        crop[10:38, start:end] = 0
    return crop


def positions(text: str, steps: list[int]) -> Positions:
    """One word per run of non-space characters; ``steps`` for each character in order."""
    words, cols, at = [], [], 0
    for word in text.split():
        words.append(list(word))
        cols.append(steps[at : at + len(word)])
        at += len(word)
    return Positions(words, cols)


def test_the_gaps_are_the_ink_free_runs_inside_the_line() -> None:
    assert ink_gaps(line((12, 28), (52, 68), (70, 80))) == [(28, 52), (68, 70)]
    assert ink_gaps(line()) == []


def test_characters_sit_where_the_recogniser_saw_them() -> None:
    # a time step is 8 pixels of the 48-pixel-high input: 16 of a 96-pixel-high crop
    assert character_centres("7%", positions("7%", [2, 7]), 48) == [20.0, 60.0]
    assert character_centres("7%", positions("7%", [2, 7]), 96) == [40.0, 120.0]
    assert character_centres("7%", positions("7X", [2, 7]), 48) is None  # not this text


def test_a_wide_gap_between_characters_run_together_is_a_space() -> None:
    # "7" centred at 20, "%" at 60; ink 12-28 and 52-68: a gap of 24 px (0.5 line heights)
    assert spaced("7%", positions("7%", [2, 7]), line((12, 28), (52, 68))) == "7 %"
    assert (
        spaced("Nr.4711", positions("Nr.4711", [2, 4, 6, 10, 12, 14, 16]), line((8, 56), (72, 136)))
        == "Nr. 4711"
    )


def test_no_space_where_the_gap_is_narrow_or_of_a_kind_rapidocr_keeps() -> None:
    narrow = line((12, 28), (36, 68))  # 8 px: a gap between two characters of a word
    assert spaced("7%", positions("7%", [2, 7]), narrow) == "7%"
    wide = line((12, 28), (52, 68))
    assert spaced("ab", positions("ab", [2, 7]), wide) == "ab"  # inside a word of small letters
    assert spaced("31", positions("31", [2, 7]), wide) == "31"  # inside a number


def test_no_space_where_a_character_stands_in_the_gap_or_one_is_already_there() -> None:
    wide = line((12, 28), (52, 68))
    # the recogniser saw "%" inside the ink-free stretch: the gap is not between the two
    assert spaced("7%", positions("7%", [2, 5]), wide) == "7%"
    assert spaced("7 %", positions("7 %", [2, 7]), wide) == "7 %"
    assert spaced("7%", None, wide) == "7%"  # no positions: as read


def test_in_monospaced_print_a_gap_beside_a_full_stop_is_the_cell_not_a_space() -> None:
    """A full stop alone in its monospaced cell has paper on both sides as wide as a space
    elsewhere ("z. B.", "E-Mail : info" on generated DejaVu Sans Mono lines): a space must be
    wider than the line's gaps between characters of one word; gaps between two digits do not
    count (figures are set in cells of one width)."""
    steps = [1, 4, 7, 10, 13, 16, 19]
    digits = ((100, 116), (124, 140), (148, 164))
    monospaced = line((2, 22), (26, 44), (58, 64), (80, 96), *digits)  # "r." 14 px, ".4" 16
    assert spaced("Nr.4711", positions("Nr.4711", steps), monospaced) == "Nr.4711"
    steps = [1, 4, 6, 9, 13, 16, 19]
    proportional = line((2, 22), (26, 44), (48, 54), (70, 86), *digits)  # "r." 4 px, ".4" 16
    assert spaced("Nr.4711", positions("Nr.4711", steps), proportional) == "Nr. 4711"
