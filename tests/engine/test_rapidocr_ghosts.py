"""Print showing through from the back of the sheet is left out of RapidOCR's reading; faint
print that reads as it stands is kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from ablage_desktop.engine.backends import rapidocr
from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
from ablage_desktop.engine.backends.rapidocr_ghosts import faint_crops, seen_through
from ablage_desktop.engine.intake.documents import PageImage

FRONT = ["Rechnung Nummer 2026-0412", "Lieferung am 14. Oktober 2026", "Gesamtbetrag 418,20 EUR"]
BACK = ["Allgemeine Geschaeftsbedingungen", "Zahlbar innerhalb von vierzehn Tagen"]
SIZE = (1700, 1100)


def lines_on_paper(lines: list[str], top: int, ink: int) -> Image.Image:
    image = Image.new("L", SIZE, 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=44)
    for n, line in enumerate(lines):
        draw.text((120, top + 140 * n), line, font=font, fill=ink)
    return image


def two_sided(front_ink: int = 0) -> Image.Image:
    """The front's lines, and between them the back's, mirrored, softened, at a fifth of
    their contrast, as a scanner sees thin paper printed on both sides."""
    back = lines_on_paper(BACK, 170, 0).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    back = back.filter(ImageFilter.GaussianBlur(1.2)).point(lambda v: 255 - (255 - v) // 5)
    return ImageChops.multiply(lines_on_paper(FRONT, 100, front_ink), back)


def read(image: Image.Image) -> str:
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        return backend.recognize(PageImage(Path("page.png"), 0, image, 300)).text
    finally:
        backend.close()


def words(lines: list[str]) -> set[str]:
    return {word for line in lines for word in line.split()}


def test_the_back_showing_through_is_not_read_and_the_front_is() -> None:
    assert set(read(two_sided()).split()) == words(FRONT)


def test_without_the_mirror_test_the_back_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page of the test above is a real test: the ghosts are there to be read."""
    monkeypatch.setattr(rapidocr, "faint_crops", lambda crops: [False] * len(crops))
    found = set(read(two_sided()).split())
    assert len(found - words(FRONT)) >= 2


def test_faint_print_beside_a_dark_mark_is_kept() -> None:
    """A faded receipt's print, a fifth of a pen mark's contrast, reads as it stands."""
    page = lines_on_paper(FRONT, 100, 205)
    pen = ImageFont.load_default(size=60)
    ImageDraw.Draw(page).text((1200, 900), "OK 18.10.", font=pen, fill=0)
    assert words(FRONT) <= set(read(page).split())


def test_a_crop_is_faint_beside_the_pages_strongest() -> None:
    dark = np.full((40, 200), 255, np.uint8)
    dark[10:30, 20:180:4] = 0
    faint, middling = dark.copy(), dark.copy()
    faint[dark == 0] = 200
    middling[dark == 0] = 120
    assert faint_crops([dark, faint, middling]) == [False, True, False]
    assert faint_crops([faint]) == [False]  # a page of faint print alone is its own measure


@pytest.mark.parametrize(
    ("as_printed", "mirrored", "ghost"),
    [(0.51, 1.00, True), (0.96, 0.48, False), (0.98, 0.99, False), (0.40, 0.60, False)],
)
def test_a_faint_line_is_a_ghost_only_when_surer_mirrored(
    as_printed: float, mirrored: float, ghost: bool
) -> None:
    assert seen_through(("x", as_printed), ("y", mirrored)) is ghost
