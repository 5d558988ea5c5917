"""Text that runs another way than the page: turns from directions, boxes into a turn's frame
and back."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ablage_desktop.engine.results.document import OcrLine
from ablage_desktop.engine.text.turns import (
    in_reading_order_by_turn,
    shown_box,
    turns_of,
    upright_box,
)

SIZE = (600, 800)


def test_a_baseline_direction_is_the_nearest_quarter_turn() -> None:
    directions = [(1, 0), (0, 1), (-1, 0), (0, -1), (1, 0.2), (0.1, -1), (0, 0)]
    dx, dy = (np.array(axis, dtype=float) for axis in zip(*directions, strict=True))

    assert turns_of(dx, dy) == [0, 1, 2, 3, 0, 3, 0]


@given(
    x=st.integers(0, 500),
    y=st.integers(0, 700),
    w=st.integers(1, 100),
    h=st.integers(1, 100),
    turn=st.integers(0, 3),
)
def test_a_box_comes_back_from_its_frame_as_it_went(
    x: int, y: int, w: int, h: int, turn: int
) -> None:
    box = (x, y, x + w, y + h)
    upright = upright_box(box, turn, SIZE)

    assert shown_box(upright, turn, SIZE) == box
    assert min(upright) >= 0  # inside the turned page, as a reading order wants it
    assert upright[2] - upright[0] == (w if turn % 2 == 0 else h)


def test_the_main_turn_is_read_first_and_the_margin_after_it() -> None:
    # Two lines reading top to bottom (turn 1): the one further right comes first.
    first = OcrLine("erste Zeile", 1.0, (500, 100, 520, 400))
    second = OcrLine("zweite Zeile", 1.0, (476, 100, 496, 420))
    note = OcrLine("Rand", 1.0, (10, 700, 60, 712))

    text, lines = in_reading_order_by_turn([note, second, first], [0, 1, 1], SIZE)

    assert text == "erste Zeile\nzweite Zeile\n\nRand"
    assert [line.box for line in lines] == [first.box, second.box, note.box]
