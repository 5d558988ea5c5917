"""A long receipt is detected in overlapping tiles along its length: every line is found once,
where RapidOCR, which reduces a page's longest side to 2,000 pixels, found none."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
from ablage_desktop.engine.backends.rapidocr_tiles import FEW_LINES, OVERLAP, detect_beside, tiles
from ablage_desktop.engine.intake.documents import PageImage


def test_a_page_of_ordinary_proportions_is_one_tile() -> None:
    assert len(tiles(3508, 2480)) == len(tiles(1000, 400)) == 1  # A4; a label two and a half long
    (whole,) = tiles(3123, 880)  # a receipt RapidOCR reduces by a third: read as well whole
    assert (whole.start, whole.keep_from, whole.keep_to) == (0, 0.0, 3123.0)


@pytest.mark.parametrize("length", [4001, 5000, 11160])
def test_tiles_overlap_and_their_stretches_cover_the_page_once(length: int) -> None:
    found = tiles(length, 900)
    assert len(found) > 1
    assert found[0].start == 0 and found[-1].start + found[-1].length == length
    for before, after in itertools.pairwise(found):
        assert before.start + before.length - after.start >= round(OVERLAP * 900)  # overlap
        assert before.keep_to == after.keep_from  # no stretch twice, none left out
        assert after.start < before.keep_to < before.start + before.length  # inside both
    assert (found[0].keep_from, found[-1].keep_to) == (0.0, float(length))


LINES = [
    f"{4000 + n} ARTIKEL NUMMER {n:03d} {1 + n % 7} STK {n * 37 % 900 / 100:.2f}" for n in range(30)
]


def long_receipt() -> Image.Image:
    """80 mm wide at 300 dpi and nine times as long, thirty lines of print down its length."""
    image = Image.new("L", (900, 8100), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=30)
    for n, line in enumerate(LINES):
        draw.text((40, 100 + 262 * n), line, font=font, fill=0)
    return image


def test_rapidocr_reads_every_line_of_a_long_receipt_once() -> None:
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        page = backend.recognize(PageImage(Path("receipt.png"), 0, long_receipt(), 300))
    finally:
        backend.close()
    assert page.text.split() == " ".join(LINES).split()


def quad(left: float, top: float, right: float, bottom: float) -> np.ndarray:
    return np.array([[left, top], [right, top], [right, bottom], [left, bottom]], np.float32)


def test_print_beside_the_few_lines_found_is_detected_again_around_it() -> None:
    """The detector (here: what it returns for the region it is shown) is asked again around
    the ink no line found covers; a line it finds again there is not taken twice."""
    image = Image.new("L", (2000, 3000), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 2700, 900, 2740), fill=0)  # a line the detector found
    draw.rectangle((800, 2800, 1100, 2830), fill=0)  # print it left out, below
    found = [(quad(100, 2700, 900, 2740), "found")]
    shown: list[tuple[int, int]] = []

    def detect(region: Image.Image) -> list[tuple[np.ndarray, str]]:
        shown.append(region.size)
        # in the region (from 90 pixels, 0.03 of 3,000, left of and above the ink): the
        # line found before, partly, and the print beside it
        return [(quad(10, 0, 200, 30), "again"), (quad(90, 90, 391, 121), "beside")]

    (line,) = detect_beside(detect, image, found)

    assert line[1] == "beside"
    assert line[0].min(axis=0).tolist() == [800, 2800]
    assert shown == [(300 + 1 + 180, 30 + 1 + 180)]
    assert detect_beside(detect, image, found * (FEW_LINES + 1)) == []  # a page of print
