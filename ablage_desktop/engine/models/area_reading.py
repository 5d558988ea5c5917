"""A framed area of a page read again on its own, by the engine the user chose.

Where the page's reading went wrong in one place (small print, a stamp, a table cell), the
person frames it in the window and has it read again. The area is cut out with a margin of
its own paper around it (a frame drawn tight to the print leaves letters touching the cut,
which a text detector misses), read as a page, and its lines are placed back on the page as
a stamp's are (``preprocess.stage.Variant``, its way back a translation).

The command line reads areas of every page (``ocr --area``): a script that wants fields of a
pile of the same form gives each once, in the page's pixels, in millimetres of the paper or in
per cent of the page (``PageArea``), whatever resolution each copy was scanned at, and names
it where it wants several (``nr=60,8,95,12%``).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import geometry
from ablage_desktop.engine.preprocess.geometry import BoxMapper
from ablage_desktop.engine.preprocess.stage import TRANSPOSE, Variant
from ablage_desktop.engine.results.document import Box, OcrPage

MIN_SIDE = 8
"""Pixels an area needs at least either way to hold a character."""
MARGIN = 0.5
"""The paper added around the area, as a share of its shorter side..."""
MAX_MARGIN = 48
"""...at most this many pixels."""
PAPER = 95
"""The percentile of the area's brightness taken for its paper."""
UNITS = ("px", "mm", "%")
"""What an area given before its page is seen is measured in: the page's pixels as a batch
reads it (a JSON result's boxes), millimetres of the paper, per cent of the page's sides."""
MM_PER_INCH = 25.4
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")
"""A field's name: a JSON key and a text result's label a script can grep for."""
INDENT = "  "
"""Before a field's second line and those after it, in the page's text (``labelled_fields``)."""


@dataclass(frozen=True, slots=True)
class PageArea:
    """An area of every page, given before any page is seen: ``LEFT,TOP,RIGHT,BOTTOM`` from
    the page's top left corner, in one of ``UNITS``; ``name`` is the field's where given."""

    left: float
    top: float
    right: float
    bottom: float
    unit: str = "px"
    name: str | None = None

    @classmethod
    def parse(cls, text: str) -> PageArea:
        """``"100,200,900,300"``, ``"20,35,110,50mm"`` or ``"0,0,50,15%"``, each also with a
        name in front, ``"total=60,80,95,85%"``."""
        name, equals, rest = text.partition("=")
        if not equals:
            name, rest = "", text
        elif not NAME.fullmatch(name.strip()):
            raise UsageError(
                f"an area's name is a letter and up to 39 letters, digits, '_', '.' or '-', "
                f"not {name.strip()!r}"
            )
        raw = rest.strip().lower().replace(" ", "")
        unit = next((unit for unit in UNITS if raw.endswith(unit)), "px")
        numbers = raw.removesuffix(unit).split(",")
        form = f"an area is [NAME=]LEFT,TOP,RIGHT,BOTTOM in px (the default), mm or %, not {text!r}"
        try:
            left, top, right, bottom = (float(number) for number in numbers)
        except ValueError:
            raise UsageError(form) from None
        values = (left, top, right, bottom)
        if not all(math.isfinite(value) and value >= 0 for value in values):
            raise UsageError(f"{form}: its numbers are 0 or more")
        if right <= left or bottom <= top:
            raise UsageError(f"{form}: RIGHT is more than LEFT, BOTTOM more than TOP")
        if unit == "%" and max(values) > 100:
            raise UsageError(f"{form}: per cent of the page are 100 at most")
        return cls(left, top, right, bottom, unit, name.strip() or None)

    @classmethod
    def in_percent(cls, box: Box, width: int, height: int, turns: int = 0) -> PageArea:
        """``box`` of a page of ``width`` x ``height`` pixels in per cent of its sides, to a
        tenth: a frame drawn in the window given to ``ocr --area`` for copies scanned at any
        resolution (a tenth of a per cent is 3.5 pixels of a 300-dpi A4 page). On a page
        read turned ``turns`` quarter turns (``OcrPage.turns``), the per cent are of the
        upright page, where ``ocr --area`` places an area."""
        if turns % 4:
            there, _ = geometry.quarter_turn_mappers(turns, width, height)
            box, width, height = there.box(box), there.width, there.height
        x0, y0, x1, y1 = box
        across, down = 100 / width, 100 / height

        def share(value: float, scale: float) -> float:
            return round(min(100.0, max(0.0, value * scale)), 1)

        return cls(share(x0, across), share(y0, down), share(x1, across), share(y1, down), "%")

    def on(self, page: PageImage, frame: tuple[int, int] | None = None) -> Box:
        """The area in ``page``'s pixels (not yet clipped to the page), or in those of
        ``frame`` (width, height): the same page at another scale (a page read from its PDF
        text layer has its lines in the layer's pixels, its image a small render)."""
        width, height = frame or (page.width, page.height)
        if self.unit == "%":
            across, down = width / 100, height / 100
        elif self.unit == "mm":
            if not page.dpi:
                raise UsageError(
                    f"page {page.index + 1} of {page.document.name} does not say its "
                    "resolution: give the area in px or %"
                )
            across = down = page.dpi * width / page.width / MM_PER_INCH
        else:
            across = down = 1.0
        return (
            round(self.left * across),
            round(self.top * down),
            round(self.right * across),
            round(self.bottom * down),
        )

    def __str__(self) -> str:
        """The area as ``parse`` reads it, without its name (``ocr --area`` takes it)."""
        return f"{self.left:g},{self.top:g},{self.right:g},{self.bottom:g}{self.unit}"


def named_areas(areas: Sequence[PageArea]) -> tuple[PageArea, ...]:
    """``areas`` as a form's fields: where there are several, one given without a name is
    called by its place, ``area2``; a name given twice is refused. One area without a name
    stays so (its page's text is the area's alone)."""
    if len(areas) == 1:
        return tuple(areas)
    fields = tuple(
        area if area.name else dataclasses.replace(area, name=f"area{number}")
        for number, area in enumerate(areas, 1)
    )
    names = [area.name for area in fields]
    twice = sorted({name for name in names if names.count(name) > 1 and name})
    if twice:
        raise UsageError(f"each area needs a name of its own: {', '.join(twice)} is given twice")
    return fields


def labelled_fields(fields: Sequence[tuple[str, str]]) -> str:
    """The fields as text, one a line, ``name: text``: a field's further lines follow
    indented by ``INDENT`` (empty lines between its blocks left out), an empty field is
    ``name:``."""
    lines = []
    for name, text in fields:
        first, *rest = [line for line in text.splitlines() if line.strip()] or [""]
        lines.append(f"{name}: {first}".rstrip())
        lines.extend(INDENT + line for line in rest)
    return "\n".join(lines)


def read_area(page: PageImage, area: Box, recognize: Callable[[PageImage], OcrPage]) -> OcrPage:
    """``area`` of ``page`` (its pixels) read by ``recognize``: its lines on the whole page."""
    left, top, right, bottom = within(area, page.width, page.height)
    cut = page.image.crop((left, top, right, bottom))
    margin = min(MAX_MARGIN, round(MARGIN * min(cut.size)))
    padded = ImageOps.expand(cut, border=margin, fill=_paper(cut))
    back = (1.0, 0.0, float(left - margin), 0.0, 1.0, float(top - margin))  # a translation
    variant = Variant(
        dataclasses.replace(page, image=padded, text_layer=None),
        page,
        BoxMapper(back, page.width, page.height),
        (),
    )
    return variant.restore(recognize(variant.page))


def upright_variant(page: PageImage, turns: int) -> Variant:
    """``page`` turned ``turns`` quarter turns counter-clockwise, with the way back onto the
    page as it was (the lines of its reading are placed there)."""
    _, back = geometry.quarter_turn_mappers(turns, page.width, page.height)
    turned = page.image
    if turns % 4:
        turned = turned.transpose(getattr(Image.Transpose, TRANSPOSE[turns % 4]))
    upright = dataclasses.replace(page, image=turned, text_layer=None)
    return Variant(upright, page, back, (), turns % 4)


def read_turned(page: PageImage, turns: int, recognize: Callable[[PageImage], OcrPage]) -> OcrPage:
    """``page`` turned as the user says (the orientation step missed it) and read by
    ``recognize``: its lines on the page as it was, where its preview shows them."""
    variant = upright_variant(page, turns)
    by_hand = f"turned {90 * (turns % 4)}° counter-clockwise by hand"
    return dataclasses.replace(variant, notes=(by_hand,)).restore(recognize(variant.page))


def within(area: Box, width: int, height: int) -> Box:
    """``area`` clipped to a page of ``width`` x ``height``; too small a frame is refused."""
    x0, y0, x1, y1 = area
    left, right = max(0, min(x0, x1)), min(width, max(x0, x1))
    top, bottom = max(0, min(y0, y1)), min(height, max(y0, y1))
    if right - left < MIN_SIDE or bottom - top < MIN_SIDE:
        raise UsageError(f"the area is too small to read ({right - left} x {bottom - top} px)")
    return left, top, right, bottom


def _paper(image: Image.Image) -> int | tuple[int, ...]:
    """The area's paper colour: its bright percentile, channel by channel."""
    pixels = np.asarray(image)
    if pixels.ndim == 2:
        return int(np.percentile(pixels, PAPER))
    return tuple(int(np.percentile(pixels[..., c], PAPER)) for c in range(pixels.shape[2]))
