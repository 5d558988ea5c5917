"""A PDF page's own text layer: its words and lines, and whether it can stand in for OCR.

Born-digital PDFs (e-invoices, statements) carry their exact text; reading it takes
milliseconds where OCR takes seconds and guesses. But a layer can lie: an earlier OCR's
invisible text over a scan (of unknown quality), text hidden under a picture, fonts whose
glyphs map to no character, or a page that is half typed text and half a pasted scan. So the
layer is only used when measurement says it covers what the page shows (``read_layer``):

* its characters map to real Unicode (no unmapped glyphs, U+FFFD, private-use codes);
* they are drawn visibly (not render mode 3/7, not under an image drawn after them);
* the page shows ink where the layer has characters;
* and the page shows no text-like ink outside them (letter-sized marks the layer lacks).

The characters come from pdfium in the decoder process (``engine.pdf_text``); this module has
no pdfium in it, so its results travel to the app with the page and a later engine that
reads layers its own way (Docling) can be judged the same.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord, enclosing
from ablage_desktop.engine.text.turns import across, in_reading_order_by_turn, upright_box

if TYPE_CHECKING:
    import numpy as np

    from ablage_desktop.engine.intake.documents import PageImage

BACKEND = "pdf-text"
"""The ``backend`` of a page read from its text layer."""
MODES = ("auto", "always_ocr", "layer_only")
"""``intake.pdf_text``: judge each page's layer; never use it; use it whenever there is one."""

WORD_GAP = 0.25
"""A gap wider than this share of the line height between two characters ends a word (some
generators draw no space characters at all)."""
CELL_GAP = 1.5
"""A gap wider than this many line heights ends a line box: beyond it lies another column or
table cell, and the reading order decides what follows."""
SAME_LINE = 0.5
"""Two characters are on one line when their vertical centres differ by less than this share
of the line height."""
MAX_UNMAPPED = 0.02
"""A layer with a larger share of characters that map to nothing real is garbage."""
MAX_HIDDEN = 0.1
"""A layer with a larger share of invisible or covered characters is an earlier OCR's."""
MIN_INKED = 0.7
"""At least this share of the visible characters must show ink on the rendered page."""
MAX_UNCOVERED = 0.15
MIN_UNCOVERED = 15
"""Letter-sized marks outside the layer's characters: more than this share of all letters
(and more than this many) and the layer is partial."""
INK_LEVEL = 200
INK_MARGIN = 55
"""Grey levels below this, and this much darker than the paper, are ink."""
JUDGE_HEIGHT = 16
"""Characters are this many pixels high on the page rendered to judge the layer (about 100
dpi for 10 pt type): enough to see ink, a sixteenth of the pixels of a 300 dpi page."""
LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


@dataclass(frozen=True, slots=True)
class LayerChar:
    """One character of a text layer: its code point, its box in page pixels and flags."""

    code: int
    box: tuple[int, int, int, int]
    flags: int = 0
    text: str = ""
    """The character as text (ligatures spelled out); ``of`` fills it in."""
    turn: int = 0
    """Quarter turns clockwise it stands on the page as shown (``turns``: 3 for a note
    along the margin that reads bottom to top)."""

    GENERATED: ClassVar[int] = 1
    """Added by the reader (a space or line break it inferred), not drawn."""
    UNMAPPED: ClassVar[int] = 2
    """The font gives no Unicode value for the glyph (the code is a guess)."""
    HIDDEN: ClassVar[int] = 4
    """Drawn invisibly, or under an image drawn after it."""

    @classmethod
    def of(
        cls, code: int, box: tuple[int, int, int, int], flags: int = 0, turn: int = 0
    ) -> LayerChar:
        try:
            char = chr(code)
        except (ValueError, OverflowError):
            char = "\ufffd"
        return cls(code, box, flags, LIGATURES.get(char, char), turn)

    @property
    def height(self) -> int:
        """Its height across its line, whichever way it runs."""
        return across(self.box, self.turn)

    @property
    def garbage(self) -> bool:
        code = self.code
        return bool(
            self.flags & LayerChar.UNMAPPED
            or code in (0, 0xFFFD)
            or code < 0x20
            or 0xE000 <= code <= 0xF8FF
            or code >= 0xF0000
        )


@dataclass(frozen=True, slots=True)
class TextLayer:
    """A page's text layer as lines in page pixels, and the verdict on it."""

    lines: tuple[OcrLine, ...]
    usable: bool
    """The layer covers the page's visible text: ``auto`` reads the page from it."""
    reason: str
    """Why, in words."""
    characters: int = 0
    """Characters in the layer (not counting spaces)."""
    seconds: float = 0.0
    """What extracting and judging the layer cost in the decoder."""
    size: tuple[int, int] = (0, 0)
    """The page's size in the pixels the boxes are in (the page rendered at
    ``intake.pdf_dpi``), whatever the size of the image that travels with it: a page read from
    its layer is only rendered small, to judge the layer."""
    turns: tuple[int, ...] = ()
    """Each line's turn (``turns``), in the order of ``lines``; empty where all read left to
    right."""


def read_layer(
    chars: Sequence[LayerChar],
    grey: np.ndarray | None,
    *,
    size: tuple[int, int] = (0, 0),
    scale: float = 1.0,
    seconds: float = 0.0,
) -> TextLayer:
    """The layer made of ``chars`` (as ``pdf_text.page_characters`` gives them, boxes in
    pixels of a page of ``size``), judged against ``grey``, the page rendered ``scale`` times
    that size (None: only the layer's own signs are judged)."""
    started = time.perf_counter()
    real = [c for c in chars if not c.flags & LayerChar.GENERATED and not c.text.isspace()]
    if not real:
        return TextLayer((), False, "no text layer", 0, seconds, size)
    shown = [c for c in real if not c.flags & LayerChar.HIDDEN]
    lines, turns = _lines(
        chars if len(shown) == len(real) else _without_hidden(chars, bool(shown)), size
    )
    verdict = _verdict(real, shown, lines, grey, scale)
    spent = seconds + time.perf_counter() - started
    reason = verdict or _covers(len(real))
    turns = turns if any(turns) else ()
    return TextLayer(lines, verdict is None, reason, len(real), spent, size, turns)


def visible_characters(chars: Sequence[LayerChar]) -> list[LayerChar]:
    """The characters of a layer that draw something: not inferred, not space, not hidden."""
    return [
        c
        for c in chars
        if not c.flags & (LayerChar.GENERATED | LayerChar.HIDDEN) and not c.text.isspace()
    ]


def _covers(count: int) -> str:
    return f"its text layer covers the visible text ({count} characters)"


def _without_hidden(chars: Sequence[LayerChar], any_shown: bool) -> list[LayerChar]:
    if not any_shown:  # only hidden text: layer_only reads it all the same
        return list(chars)
    return [c for c in chars if not c.flags & LayerChar.HIDDEN]


def _verdict(
    real: Sequence[LayerChar],
    shown: Sequence[LayerChar],
    lines: Sequence[OcrLine],
    grey: np.ndarray | None,
    scale: float,
) -> str | None:
    """Why the layer cannot stand in for OCR, or None when it can."""
    total = len(real)
    garbage = sum(1 for c in real if c.garbage)
    if garbage > MAX_UNMAPPED * total and garbage >= 3:
        return (
            f"{garbage} of {total} characters of its text layer map to no known character "
            "(unmapped glyphs)"
        )
    hidden = total - len(shown)
    if hidden > MAX_HIDDEN * total:
        return (
            f"its text layer is invisible ({hidden} of {total} characters drawn invisibly or "
            "under an image: an earlier OCR's, of unknown quality)"
        )
    if grey is None:
        return None
    return _ink_verdict(shown, lines, grey, scale)


def _ink_verdict(
    shown: Sequence[LayerChar], lines: Sequence[OcrLine], grey: np.ndarray, scale: float
) -> str | None:
    """Whether the page shows ink in the layer's words, and no letters outside them."""
    import cv2

    heights = [c.height for c in shown if c.height > 0]
    if not heights:
        return "its text layer has no character boxes"
    unit = statistics.median(heights) * scale
    factor = max(1, int(unit // 10))
    ink = _ink(grey, factor)
    x0, y0, x1, y1 = _word_boxes(lines, scale / factor, ink.shape)
    table = cv2.integral(ink)
    inked = (table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]) > 0
    share = float(inked.mean())
    if share < MIN_INKED:
        return (
            f"only {share:.0%} of its text layer's words show ink on the page "
            "(white or hidden text)"
        )
    pad = max(1, round(0.3 * unit / factor))
    residual = ink.copy()
    for left, top, right, bottom in zip(x0, y0, x1, y1, strict=True):
        residual[max(0, top - pad) : bottom + pad, max(0, left - pad) : right + pad] = 0
    letters = _letters(residual, unit / factor)
    if letters >= MIN_UNCOVERED and letters > MAX_UNCOVERED * (letters + len(shown)):
        return (
            f"the page shows text its layer lacks (about {letters} letters outside it, "
            f"{len(shown)} in it)"
        )
    return None


def _ink(grey: np.ndarray, factor: int) -> np.ndarray:
    """Where the page is inked (1) or paper (0), ``factor`` times smaller than ``grey``."""
    import cv2
    import numpy as np

    # Ink is darker than the paper by a good margin (grey scans have grey paper).
    paper = float(np.percentile(grey[:: max(1, grey.shape[0] // 200)], 95))
    level = min(float(INK_LEVEL), paper - INK_MARGIN)
    _, ink = cv2.threshold(grey, level, 255, cv2.THRESH_BINARY_INV)
    if factor > 1:
        height, width = ink.shape
        ink = cv2.resize(
            ink, (max(1, width // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA
        )
    return (ink > 0).astype(np.uint8)


def _word_boxes(
    lines: Sequence[OcrLine], scale: float, shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The words' boxes on the ink mask (``scale``: mask pixels per layer pixel), as arrays of
    left, top, right and bottom, each at least one pixel and inside the mask."""
    import numpy as np

    rows, cols = shape
    words = [word.box for line in lines for word in line.words]
    boxes = (np.array(words, dtype=np.float64) * scale).astype(int)
    x0 = np.clip(boxes[:, 0], 0, cols - 1)
    y0 = np.clip(boxes[:, 1], 0, rows - 1)
    x1 = np.clip(np.maximum(boxes[:, 2], boxes[:, 0] + 1), 1, cols)
    y1 = np.clip(np.maximum(boxes[:, 3], boxes[:, 1] + 1), 1, rows)
    return x0, y0, x1, y1


def _letters(residual: np.ndarray, letter: float) -> int:
    """About how many letters the ink of ``residual`` holds (``letter``: a letter's height
    in its pixels): blobs shaped like text, counted by their width."""
    import cv2
    import numpy as np

    count, _, stats, _ = cv2.connectedComponentsWithStats(residual, connectivity=8)
    widths, heights = stats[1:count, cv2.CC_STAT_WIDTH], stats[1:count, cv2.CC_STAT_HEIGHT]
    areas = stats[1:count, cv2.CC_STAT_AREA]
    density = areas / np.maximum(1, widths * heights)
    textlike = (
        (heights >= 0.25 * letter)
        & (heights <= 2.0 * letter)
        & (widths <= 30 * letter)
        & (density >= 0.08)
        & (density <= 0.85)
    )
    return int(np.maximum(1, np.rint(widths[textlike] / (0.5 * letter))).sum())


def _lines(
    chars: Sequence[LayerChar], size: tuple[int, int]
) -> tuple[tuple[OcrLine, ...], tuple[int, ...]]:
    """Words and line boxes from characters in reading order of the file, and each line's
    turn. Characters are compared in the frame where they read left to right (``turns``),
    so that a note along the margin is one line, not a line per character."""
    lines: list[list[list[LayerChar]]] = []
    turns: list[int] = []
    line: list[list[LayerChar]] = []
    word: list[LayerChar] = []

    def end_word() -> None:
        nonlocal word
        if word:
            line.append(word)
            word = []

    def end_line() -> None:
        nonlocal line
        end_word()
        if line:
            lines.append(line)
            turns.append(line[0][0].turn)
            line = []

    previous: LayerChar | None = None
    before: tuple[int, int, int, int] = (0, 0, 0, 0)
    for char in chars:
        text = char.text
        if char.flags & LayerChar.GENERATED or text.isspace():
            if text in ("\r", "\n"):
                end_line()
                previous = None
            else:
                end_word()
            continue
        box = upright_box(char.box, char.turn, size)
        if previous is not None and char.turn != previous.turn:
            end_line()
        elif previous is not None:
            height = max(1, min(before[3] - before[1], box[3] - box[1]))
            jump = abs(box[1] + box[3] - before[1] - before[3]) / 2
            gap = box[0] - before[2]
            if jump > SAME_LINE * height or gap > CELL_GAP * height or gap < -height:
                end_line()
            elif gap > WORD_GAP * height:
                end_word()
        word.append(char)
        previous, before = char, box
    end_line()
    return tuple(_ocr_line(words) for words in lines), tuple(turns)


def _ocr_line(words: Sequence[Sequence[LayerChar]]) -> OcrLine:
    ocr_words = tuple(
        OcrWord("".join(c.text for c in word), 1.0, enclosing(c.box for c in word))
        for word in words
    )
    return OcrLine(
        " ".join(w.text for w in ocr_words),
        1.0,
        enclosing(w.box for w in ocr_words),
        ocr_words,
    )


def page_from_layer(page: PageImage, layer: TextLayer, reason: str, started: float) -> OcrPage:
    """The page's result read from its layer, in the app's reading order."""
    width, height = layer.size if layer.size != (0, 0) else (page.width, page.height)
    text, lines = in_reading_order_by_turn(layer.lines, layer.turns, (width, height))
    return OcrPage(
        index=page.index,
        width=width,
        height=height,
        backend=BACKEND,
        seconds=layer.seconds + time.perf_counter() - started,
        text=text,
        lines=lines,
        route=reason,
    )
