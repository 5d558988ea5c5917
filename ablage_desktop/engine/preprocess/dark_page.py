"""A whole page in reverse video, light print on a dark ground, turned dark on light first.

A screenshot of a program in a dark theme (an editor, a terminal, a mail in dark mode) is
light print on a dark ground from edge to edge. ``inverted.py`` turns bands of reverse video
(at most a third of a page) in the preprocessing; a whole dark page went on as it was: the
page's look took the dark rows between its lines of print for ruled lines ("complex page:
table (18 ruled lines)", a table's chain of engines), and in ``auto`` RapidOCR's detector,
which looks for ink darker than the paper where Tesseract left lines unsure
(``rapidocr_unread``), found none and lost those lines (a dark invoice's screenshot at CER
0.59 where the light one read at 0.003).

Such a page is inverted before it is looked at and routed, for every engine alike; boxes stay
where they are, and the page shown is the one read from the file. A page is dark when its
median grey is at most ``DARK_GROUND``, the print lighter than the ground by ``CONTRAST``
covers ``MIN_PRINT`` to ``MAX_PRINT`` of it and is print, not a sheet: no one shape of it
covers more than ``MAX_SHAPE`` of the page or holds more than ``MAX_SHAPE_OF_LIGHT`` of the
light (a photographed sheet on a dark desk is one, near or far).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.intake.documents import PageImage
    from ablage_desktop.engine.preprocess.settings import PreprocessingSettings

GLANCE_SIDE = 250
LOOK_SIDE = 1000
"""The longest sides of the copies the page's ground and then its print are judged on
(pixels)."""
DARK_GROUND = 100
"""The page's median grey at most this dark (0-255): a dark theme's ground is 20-60."""
CONTRAST = 60
"""Print at least this much lighter than the ground (grey levels; a dark theme's text is
100-200 lighter)."""
MIN_PRINT = 0.002
MAX_PRINT = 0.4
"""Share of the page the light print covers (a dark page's lines of text: 2-10 %)."""
MAX_SHAPE = 0.05
"""The largest connected light shape's share of the page: letters are many small shapes (and
a window's frame a thin one), a sheet of paper or a light panel one large one..."""
MAX_SHAPE_OF_LIGHT = 0.5
"""...and its share of all the light: a receipt photographed from afar on a dark table is
small, but all the light there is (a small window's frame is a quarter of its light)."""


def in_reverse_video(image: Image.Image) -> bool:
    """Whether ``image`` is light print on a dark ground over the whole page."""
    import cv2
    import numpy as np
    from PIL import Image

    glance = image.reduce(max(1, max(image.width, image.height) // GLANCE_SIDE))
    if float(np.median(np.asarray(glance.convert("L")))) > DARK_GROUND:
        return False  # most pages: a glance at a copy of some 250 pixels (under a millisecond)
    grey = image if image.mode == "L" else image.convert("L")
    scale = LOOK_SIDE / max(grey.width, grey.height)
    if scale < 1:
        size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
        grey = grey.resize(size, Image.Resampling.BOX)
    pixels = np.asarray(grey)
    ground = float(np.median(pixels))
    if ground > DARK_GROUND:
        return False
    light = pixels >= ground + CONTRAST
    share = float(light.mean())
    if not MIN_PRINT <= share <= MAX_PRINT:
        return False
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(
        light.view(np.uint8), connectivity=8
    )
    largest = int(stats[1:, cv2.CC_STAT_AREA].max()) if count > 1 else 0
    return largest <= MAX_SHAPE * light.size and largest <= MAX_SHAPE_OF_LIGHT * light.sum()


def on_light_paper(page: PageImage, settings: PreprocessingSettings | None) -> PageImage:
    """``page`` dark on light: inverted where it is in reverse video over the whole page and
    the ``inverted`` step is on; else ``page`` itself."""
    if settings is None or not (settings.enabled and settings.inverted.enabled):
        return page
    if page.width < 8 or page.height < 8 or not in_reverse_video(page.image):
        return page
    from PIL import ImageOps

    return dataclasses.replace(page, image=ImageOps.invert(page.image))
