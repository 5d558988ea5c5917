"""Text inside a picture, kept with the page's lines but out of its running text.

RapidOCR reads every piece of lettering it finds: the white "DARPA" in the agency's globe
logo on a title page, the words of a product photo. Tesseract's layout analysis takes such a
region for a picture and reads nothing there, and Docling's text export leaves picture text
out the same way; what someone files wants the page's text, not its logo's. In ``auto`` a
line RapidOCR read that lies inside one of Tesseract's pictures keeps its place in the
page's lines (``role`` ``picture_text``, ``in_text`` False: the searchable PDF and the JSON
still hold it) but is left out of the page's text, where:

* the region is a picture and not a tinted box: its pixels vary (a gradient, a photo, a
  drawing) rather than lying at one grey ("Jetzt neu: Online-Portal" in white on a flat grey
  banner is text Tesseract also took for a picture);
* such lines hold at most ``AT_MOST`` of the page's characters (a page Tesseract took mostly
  for a picture is one where its layout went wrong, not one of pictures).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from ablage_desktop.engine.results.document import Box, OcrLine, OcrPage
from ablage_desktop.engine.text.layout import in_reading_order

PICTURE_TEXT = "picture_text"
INSIDE = 0.9
"""Share of a line's box that must lie inside the picture."""
FLAT = 0.5
"""A region with more than this share of its pixels within ``NEAR`` grey levels of its
median is a tinted box, not a picture (a flat grey banner with white text: 0.95; the DARPA
globe logo: 0.04)."""
NEAR = 12
AT_MOST = 0.1
"""The largest share of the page's characters that may be set aside as picture text."""


def set_aside_pictures(page: OcrPage, pictures: Sequence[Box], image: Any) -> tuple[OcrPage, int]:
    """``page`` with the lines of RapidOCR's inside ``pictures`` (on ``image``, the page it
    read) marked and left out of its text, and how many (see the module's docstring)."""
    regions = [box for box in pictures if _is_picture(image, box)]
    if not regions:
        return page, 0
    inside = [
        index
        for index, line in enumerate(page.lines)
        if not line.words and any(_inside(line.box, region) for region in regions)
    ]
    characters = sum(len(line.text) for line in page.lines)
    aside = sum(len(page.lines[index].text) for index in inside)
    if not inside or aside > AT_MOST * characters:
        return page, 0
    kept = [line for index, line in enumerate(page.lines) if index not in inside]
    text, ordered = in_reading_order(kept)
    marked: list[OcrLine] = [
        dataclasses.replace(page.lines[index], role=PICTURE_TEXT, in_text=False) for index in inside
    ]
    return dataclasses.replace(page, text=text, lines=(*ordered, *marked)), len(inside)


def _inside(box: Box, region: Box) -> bool:
    x0, y0, x1, y1 = box
    width = max(0, min(x1, region[2]) - max(x0, region[0]))
    height = max(0, min(y1, region[3]) - max(y0, region[1]))
    area = max(1, (x1 - x0) * (y1 - y0))
    return width * height >= INSIDE * area


def _is_picture(image: Any, box: Box) -> bool:
    """Whether the region's pixels vary as a picture's do (see ``FLAT``)."""
    x0, y0, x1, y1 = box
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(image.width, x1), min(image.height, y1)
    if x1 <= x0 or y1 <= y0:
        return False
    region = np.asarray(image.crop((x0, y0, x1, y1)).convert("L"))
    median = float(np.median(region))
    near = float(np.mean(np.abs(region.astype(np.int16) - median) <= NEAR))
    return near <= FLAT
