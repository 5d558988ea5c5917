"""Every page read in given areas only (``ocr --area``): a form's fields from each copy of a pile.

``InArea`` stands in front of ``TextLayerFirst``. What is read is the words whose middle lies
in the area, as the window copies a frame's text (``text.area``): an area given in millimetres
before the page was seen runs through letters and words at its edges, and half a letter is
misread ("Fälliakeit" for a g cut at its descender). So a page read from its PDF text layer
is read whole (the layer costs nothing), and any other page has the area cut out with
``REACH`` of the page around it and read on its own (``area_reading``, as the window's "Read
the frame again" does): the engine reads little more than the field, its edges whole. Then
the reading is cut to the area (``within_area``). A page lying on its side or upside down (a
copy put into the feeder the other way round) is turned upright first, the area placed on
the upright page (``Preprocessor.turns``: a PDF's text layer stands upright already). The
lines keep their places on the page as scanned, and the route says which area.

Several areas (or one with a name) are a form's fields: the page is opened, turned and its
layer read once, each area read on its own, and the page holds them all: its lines each
area's in turn, ``OcrPage.fields`` each area's name and text, and its text one field a
line, ``name: text`` (``area_reading.labelled_fields``: a field of several lines goes on in
lines indented by two spaces), so that a script can take a field with grep as well as from
the JSON's ``fields``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.area_reading import (
    PageArea,
    labelled_fields,
    named_areas,
    read_area,
    upright_variant,
    within,
)
from ablage_desktop.engine.results.document import Box, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.text_route import TextLayerFirst
from ablage_desktop.engine.text.area import within_area

log = logging.getLogger(__name__)

REACH = 1 / 50
"""Around the area, this share of the page's longer side is read too (6 mm of an A4 page:
a line and a half of office print, a word's first letters)."""
MAX_CUTS = 5
"""More areas than this are cut from the page read whole: each area read alone costs about
a fifth of a whole page's reading (the dispatcher's work on a cut, RapidOCR's above all),
and the page read whole and cut a sixth more than the page alone (its orientation is
checked before, for the areas' places). On the data set (``benchmarks/area_reading.py``
and RESULTS.md): 5 fields read alone 22.7 s, cut from the whole pages 24.7 s; 6 fields
29.7 s against 24.5 s. One large area is read alone however much of the page it covers:
55 % of the page alone 17.4 s, whole and cut 23.5 s."""


class InArea:
    """A page recognizer reading only ``areas`` of each page (at least one), through
    ``pages``; ``turns`` tells how a page lies (``Preprocessor.turns``): the areas lie on the
    upright page."""

    def __init__(
        self,
        pages: TextLayerFirst,
        areas: Sequence[PageArea],
        turns: Callable[[PageImage], int],
    ) -> None:
        if not areas:
            raise ValueError("InArea reads at least one area")
        self.pages = pages
        self.areas = named_areas(areas)
        self.name = pages.name
        self._turns = turns

    @property
    def concurrency(self) -> int:
        return self.pages.concurrency

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        if self.pages.from_layer(page)[0]:  # the layer's lines stand upright already
            whole = self.pages.recognize(page, cancel)  # in the layer's pixels
            frame = (whole.width, whole.height)
            boxes = self._placed(page, frame, [area.on(page, frame) for area in self.areas])
            cuts = [_cut(whole, box) for box in boxes]
            return self._joined(cuts, boxes, 0, whole.seconds)
        turns = self._turns(page)
        variant = upright_variant(page, turns) if turns else None
        upright = variant.page if variant is not None else page
        frame = (upright.width, upright.height)
        boxes = self._placed(page, frame, [area.on(upright) for area in self.areas])
        placed = [box for box in boxes if box is not None]
        if not placed:  # nothing of the page to read
            nothing = OcrPage(page.index, *frame, self.name, 0.0, "")
            read = self._joined([nothing] * len(boxes), boxes, turns, 0.0)
        elif len(placed) <= MAX_CUTS:
            read_alone = {box: self._read(upright, box, cancel) for box in placed}
            some = next(iter(read_alone.values()))
            cuts = [_cut(some, None) if box is None else read_alone[box] for box in boxes]
            seconds = sum(cut.seconds for cut in read_alone.values())
            read = self._joined(cuts, boxes, turns, seconds)
        else:
            whole = self.pages.recognize(upright, cancel)
            read = self._joined([_cut(whole, box) for box in boxes], boxes, turns, whole.seconds)
        return variant.restore(read) if variant is not None else read

    def _placed(
        self, page: PageImage, frame: tuple[int, int], given: list[Box]
    ) -> list[Box | None]:
        """The areas on a page of ``frame`` (width, height), clipped to it; None for one
        that lies off it (a smaller page in the pile: its field is empty, said in the log
        and the route; a page's failure would have stopped its document there)."""
        boxes = [_on_page(box, *frame) for box in given]
        for area, box in zip(self.areas, boxes, strict=True):
            if box is None:
                log.warning(
                    "The area %s lies outside page %d of %s (%d x %d px): read as empty",
                    area, page.index + 1, page.document.name, *frame,
                )  # fmt: skip
        return boxes

    def _read(self, page: PageImage, box: Box, cancel: CancelToken | None) -> OcrPage:
        """``box`` of ``page`` and ``REACH`` around it read, cut to ``box``."""
        around = _grown(box, round(REACH * max(page.width, page.height)), page)
        whole = read_area(page, around, lambda cut: self.pages.recognize(cut, cancel))
        return within_area(whole, box)

    def _joined(
        self, cuts: Sequence[OcrPage], boxes: Sequence[Box | None], turns: int, seconds: float
    ) -> OcrPage:
        """The page holding what ``cuts`` read in the areas (at ``boxes``), the route saying
        where they lie."""
        page = f"the page turned upright ({90 * turns}° counter-clockwise)" if turns else "the page"
        places = [_place(area, box) for area, box in zip(self.areas, boxes, strict=True)]
        if len(self.areas) == 1 and self.areas[0].name is None:
            read = dataclasses.replace(cuts[0], seconds=seconds)
            where = f"only the area {places[0]} of {page}"
        else:
            names = [str(area.name) for area in self.areas]  # each named by ``named_areas``
            fields = tuple((name, cut.text) for name, cut in zip(names, cuts, strict=True))
            read = dataclasses.replace(
                cuts[0],
                backend=_backends(cuts),
                seconds=seconds,
                text=labelled_fields(fields),
                lines=tuple(line for cut in cuts for line in cut.lines),
                route="; ".join(dict.fromkeys(cut.route for cut in cuts if cut.route)) or None,
                fallbacks=tuple(fallback for cut in cuts for fallback in cut.fallbacks),
                fields=fields,
                stages=_summed(cut.stages for cut in cuts),
                pictures=tuple(box for cut in cuts for box in cut.pictures),
            )
            named = ", ".join(f"{name} {place}" for name, place in zip(names, places, strict=True))
            where = f"only the areas {named} of {page}"
        route = f"{read.route}; {where}" if read.route else where
        return dataclasses.replace(read, route=route)


def _place(area: PageArea, box: Box | None) -> str:
    """Where ``area`` lies on the page, in its pixels, and as given where not in pixels."""
    if box is None:
        return f"{area} (outside the page: nothing read)"
    pixels = ",".join(str(side) for side in box)
    return f"{pixels} px" if area.unit == "px" else f"{pixels} px (given as {area})"


def _on_page(box: Box, width: int, height: int) -> Box | None:
    """``box`` clipped to a page of ``width`` x ``height``; None where too little of it is
    on the page to hold a character (``area_reading.MIN_SIDE``)."""
    try:
        return within(box, width, height)
    except UsageError:
        return None


def _cut(page: OcrPage, box: Box | None) -> OcrPage:
    """``page`` cut to ``box``; for None (an area off the page), nothing of it."""
    if box is not None:
        return within_area(page, box)
    return dataclasses.replace(page, text="", lines=(), markdown=None, pictures=(), fallbacks=())


def _backends(cuts: Sequence[OcrPage]) -> str:
    """The engines that read the areas, each once (``auto``'s reading names its two)."""
    names = (name for cut in cuts for name in cut.backend.split("+"))
    return "+".join(dict.fromkeys(names))


def _summed(readings: Iterable[tuple[tuple[str, float], ...]]) -> tuple[tuple[str, float], ...]:
    """The seconds of each stage over the areas' readings (``OcrPage.stages``)."""
    total: dict[str, float] = {}
    for stages in readings:
        for name, seconds in stages:
            total[name] = total.get(name, 0.0) + seconds
    return tuple(total.items())


def _grown(box: Box, reach: int, page: PageImage) -> Box:
    left, top, right, bottom = box
    return within(
        (left - reach, top - reach, right + reach, bottom + reach), page.width, page.height
    )
