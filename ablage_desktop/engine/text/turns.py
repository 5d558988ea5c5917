"""Text that runs another way than the page: a line along the margin, a table turned on its
side, a page shown sideways. Its characters are told apart by their turn, and put into lines
and reading order in a frame where they read left to right, top to bottom.

A turn is the number of quarter turns clockwise the text stands on the page as shown: 0 reads
left to right, 1 top to bottom (its letters' tops face right), 2 upside down, 3 bottom to top
(a margin note, a ``sidewaystable``). The frame of a turn is the page turned back by it, its
boxes as that page's pixels; boxes go back to the page as shown before they leave this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ablage_desktop.engine.results.document import Box, OcrLine
from ablage_desktop.engine.text.layout import in_reading_order

if TYPE_CHECKING:
    import numpy as np

TURNS = 4


def turns_of(dx: np.ndarray, dy: np.ndarray) -> list[int]:
    """The turn of text whose baselines run along ``(dx, dy)`` on the page as shown (y down),
    each the nearest quarter (0 where there is no direction)."""
    import numpy as np

    quarters = np.rint(np.degrees(np.arctan2(dy, dx)) / 90.0).astype(int) % TURNS
    return [int(turn) for turn in quarters.tolist()]


def upright_box(box: Box, turn: int, size: tuple[int, int]) -> Box:
    """``box`` (on a page of ``size`` as shown) in the frame of ``turn``."""
    x0, y0, x1, y1 = box
    width, height = size
    if turn == 1:
        return (y0, width - x1, y1, width - x0)
    if turn == 2:
        return (width - x1, height - y1, width - x0, height - y0)
    if turn == 3:
        return (height - y1, x0, height - y0, x1)
    return box


def shown_box(box: Box, turn: int, size: tuple[int, int]) -> Box:
    """``box`` in the frame of ``turn`` back on the page of ``size`` as shown."""
    u0, v0, u1, v1 = box
    width, height = size
    if turn == 1:
        return (width - v1, u0, width - v0, u1)
    if turn == 2:
        return (width - u1, height - v1, width - u0, height - v0)
    if turn == 3:
        return (v0, height - u1, v1, height - u0)
    return box


def across(box: Box, turn: int) -> int:
    """How tall a character of ``turn`` in ``box`` is across its line (its box's height as
    shown when it stands upright or upside down, its width when on its side)."""
    x0, y0, x1, y1 = box
    return y1 - y0 if turn % 2 == 0 else x1 - x0


def in_reading_order_by_turn(
    lines: Sequence[OcrLine], turns: Sequence[int], size: tuple[int, int]
) -> tuple[str, tuple[OcrLine, ...]]:
    """``in_reading_order`` for lines that run different ways: the lines of the page's main
    turn (the most characters) first, in the reading order of their frame; then the others
    (a margin note), each turn's lines as blocks of their own. Boxes stay as shown. No
    ``turns`` (a layer all of whose text reads left to right): ``in_reading_order``."""
    if all(turn == 0 for turn in turns):
        return in_reading_order(lines)
    weight: Counter[int] = Counter()
    for line, turn in zip(lines, turns, strict=True):
        weight[turn] += len(line.text)
    texts: list[str] = []
    ordered: list[OcrLine] = []
    for turn, _ in weight.most_common():
        framed = [
            _moved(line, upright_box, turn, size)
            for line, line_turn in zip(lines, turns, strict=True)
            if line_turn == turn
        ]
        text, in_order = in_reading_order(framed)
        texts.append(text)
        ordered.extend(_moved(line, shown_box, turn, size) for line in in_order)
    return "\n\n".join(text for text in texts if text), tuple(ordered)


def _moved(
    line: OcrLine,
    move: Callable[[Box, int, tuple[int, int]], Box],
    turn: int,
    size: tuple[int, int],
) -> OcrLine:
    """``line`` with its box and its words' boxes moved by ``move``."""
    if turn == 0:
        return line
    words = tuple(replace(word, box=move(word.box, turn, size)) for word in line.words)
    return replace(line, box=move(line.box, turn, size), words=words)
