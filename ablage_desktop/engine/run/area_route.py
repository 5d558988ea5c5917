"""Every page read in one area only (``ocr --area``): a form's field from each copy of a pile.

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
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.area_reading import (
    PageArea,
    read_area,
    upright_variant,
    within,
)
from ablage_desktop.engine.results.document import Box, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.text_route import TextLayerFirst
from ablage_desktop.engine.text.area import within_area

REACH = 1 / 50
"""Around the area, this share of the page's longer side is read too (6 mm of an A4 page:
a line and a half of office print, a word's first letters)."""


class InArea:
    """A page recognizer reading only ``area`` of each page, through ``pages``; ``turns``
    tells how a page lies (``Preprocessor.turns``): the area lies on the upright page."""

    def __init__(
        self, pages: TextLayerFirst, area: PageArea, turns: Callable[[PageImage], int]
    ) -> None:
        self.pages = pages
        self.area = area
        self.name = pages.name
        self._turns = turns

    @property
    def concurrency(self) -> int:
        return self.pages.concurrency

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        if self.pages.from_layer(page)[0]:  # the layer's lines stand upright already
            whole = self.pages.recognize(page, cancel)  # in the layer's pixels
            box = within(self.area.on(page, (whole.width, whole.height)), whole.width, whole.height)
            return self._noted(within_area(whole, box), box, 0)
        turns = self._turns(page)
        if not turns:
            read, box = self._read(page, cancel)
            return self._noted(read, box, 0)
        variant = upright_variant(page, turns)
        read, box = self._read(variant.page, cancel)
        return self._noted(variant.restore(read), box, turns)

    def _read(self, page: PageImage, cancel: CancelToken | None) -> tuple[OcrPage, Box]:
        """The area of ``page`` and ``REACH`` around it read, cut to the area; the area."""
        box = within(self.area.on(page), page.width, page.height)
        around = _grown(box, round(REACH * max(page.width, page.height)), page)
        whole = read_area(page, around, lambda cut: self.pages.recognize(cut, cancel))
        return within_area(whole, box), box

    def _noted(self, read: OcrPage, box: Box, turns: int) -> OcrPage:
        pixels = ",".join(str(side) for side in box)
        given = "" if self.area.unit == "px" else f" (given as {self.area})"
        page = f"the page turned upright ({90 * turns}° counter-clockwise)" if turns else "the page"
        where = f"only the area {pixels} px of {page}{given}"
        route = f"{read.route}; {where}" if read.route else where
        return dataclasses.replace(read, route=route)


def _grown(box: Box, reach: int, page: PageImage) -> Box:
    left, top, right, bottom = box
    return within(
        (left - reach, top - reach, right + reach, bottom + reach), page.width, page.height
    )
