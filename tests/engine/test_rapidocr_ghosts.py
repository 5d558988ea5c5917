"""Print showing through from the back of the sheet is left out of RapidOCR's reading; faint
print that reads as it stands is kept."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from ablage_desktop.engine.backends import rapidocr_ghosts
from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
from ablage_desktop.engine.backends.rapidocr_ghosts import (
    Ghosts,
    faint_crops,
    seen_through,
    wipe_show_through,
)
from ablage_desktop.engine.intake.documents import PageImage

FRONT = ["Rechnung Nummer 2026-0412", "Lieferung am 14. Oktober 2026", "Gesamtbetrag 418,20 EUR"]
BACK = [
    "Allgemeine Geschaeftsbedingungen",
    "Zahlbar innerhalb von vierzehn Tagen",
    "Gerichtsstand ist Berlin",
    "Eigentumsvorbehalt bis zur Zahlung",
    "Es gilt deutsches Recht",
]
SIZE = (1700, 1100)


def lines_on_paper(lines: list[str], top: int, ink: int, left: int = 120) -> Image.Image:
    image = Image.new("L", SIZE, 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=44)
    for n, line in enumerate(lines):
        draw.text((left, top + 140 * n), line, font=font, fill=ink)
    return image


def two_sided(back_top: int = 170, back_left: int = 120) -> Image.Image:
    """The front's lines, and the back's, mirrored, softened, at a fifth of their contrast,
    as a scanner sees thin paper printed on both sides: by default between the front's."""
    back = lines_on_paper(BACK, back_top, 0, back_left).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    back = back.filter(ImageFilter.GaussianBlur(1.2)).point(lambda v: 255 - (255 - v) // 5)
    return ImageChops.multiply(lines_on_paper(FRONT, 100, 0), back)


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
    monkeypatch.setattr(rapidocr_ghosts, "faint_crops", lambda crops: [False] * len(crops))
    found = set(read(two_sided()).split())
    assert len(found - words(FRONT)) >= 2


def test_the_back_on_the_rows_of_the_front_is_wiped_and_the_page_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The back's first lines lie on the front's rows, into their ends: the detector takes
    both for one line, and reads the ghost's letters at its end."""
    page = two_sided(back_top=100, back_left=500)
    assert set(read(page).split()) == words(FRONT)
    monkeypatch.setattr(rapidocr_ghosts, "MIN_GHOSTS", 99)  # not read again
    assert set(read(page).split()) != words(FRONT)


def test_wiping_keeps_print_its_edges_and_the_faint_lines_that_read_as_printed() -> None:
    page = np.full((60, 300), 255, np.uint8)
    page[20:40, 10:20] = 0  # print
    page[20:40, 9] = page[20:40, 20] = 150  # its soft edges
    page[20:40, 100:110] = 200  # a ghost
    page[20:40, 200:210] = 200  # faint print that read as printed
    ghosts = Ghosts(frozenset({0, 1, 2}), 4, 195.0, ((190, 10, 230, 50),))
    wiped = np.asarray(wipe_show_through(Image.fromarray(page), ghosts))
    assert (wiped[:, :100] == page[:, :100]).all() and (wiped[:, 190:] == page[:, 190:]).all()
    assert (wiped[20:40, 100:110] == 255).all()


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
    # a page of faint lines alone is measured against print (a blank back, or faded print)
    assert faint_crops([faint]) == [True]
    assert faint_crops([middling]) == [False]


@pytest.mark.parametrize(
    ("as_printed", "mirrored", "ghost"),
    [(0.51, 1.00, True), (0.96, 0.48, False), (0.98, 0.99, False), (0.40, 0.60, False)],
)
def test_a_faint_line_is_a_ghost_only_when_surer_mirrored(
    as_printed: float, mirrored: float, ghost: bool
) -> None:
    assert seen_through(("x", as_printed), ("y", mirrored)) is ghost


def striped(grey: int, offset: int) -> np.ndarray:
    """A crop of upright strokes in ``grey``, told apart from the others by ``offset``."""
    crop = np.full((40, 200), 255, np.uint8)
    crop[10:30, 20 + offset : 180 : 7] = grey
    return crop


@pytest.mark.parametrize(("prints", "symmetric_dropped"), [(0, True), (2, False)])
def test_on_a_page_mostly_of_show_through_a_symmetric_line_goes_with_the_ghosts(
    prints: int, symmetric_dropped: bool
) -> None:
    """A page of print (line 0), three faint lines that read surer mirrored, one faint line
    that reads as surely either way ("00,001") and ``prints`` of faint print that read worse
    mirrored: with three quarters of its faint lines show-through (3 of 4, not 3 of 6), the
    symmetric line goes with them; else the strict margin keeps it."""
    ghosts = 3
    count = 1 + ghosts + 1 + prints
    crops = [striped(0, 0), *(striped(205, n) for n in range(1, count))]
    symmetric = 1 + ghosts
    faint_print = set(range(symmetric + 1, count))
    recognised = {0: ("Rechnung", 0.99), symmetric: ("00,001", 0.98)}
    recognised |= {i: ("Zahlung", 0.97) for i in faint_print}
    recognised |= {i: ("AMOY", 0.5) for i in range(1, symmetric)}
    mirrored_reading = {i: recognised[i][1] for i in faint_print | {symmetric}}
    mirrored_reading |= {i: 0.3 for i in faint_print} | {i: 0.99 for i in range(1, symmetric)}
    index = {crop[:, ::-1].tobytes(): i for i, crop in enumerate(crops)}

    def read(batch: list[np.ndarray]) -> list[tuple[str, float]]:
        return [("", mirrored_reading[index[crop.tobytes()]]) for crop in batch]

    boxes = [(0, 40 * i, 200, 40 * i + 40) for i in range(count)]
    found = rapidocr_ghosts.find_ghosts(read, crops, recognised, boxes)
    assert set(range(1, symmetric)) <= found.lines
    assert (symmetric in found.lines) is symmetric_dropped
    assert not found.lines & (faint_print | {0})


def test_with_the_front_s_lines_known_the_back_showing_through_is_still_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``auto`` gives RapidOCR the front's lines Tesseract was sure of before detection
    (``known``): the ghosts left around them are detected in regions (their faint ink counts)
    and told from print by the known lines' crops, not read, nor the page taken for a blank
    back because every line the detector found there is faint."""
    from ablage_desktop.engine.backends import rapidocr
    from ablage_desktop.engine.results.document import OcrLine, OcrWord

    # a taller sheet, blank below, so that the ghosts are a small part of it (detected in
    # regions), and more of them than are read mirrored before a page of faint lines only is
    # taken for a blank back (``SAMPLE``)
    monkeypatch.setitem(globals(), "SIZE", (SIZE[0], 3 * SIZE[1]))
    monkeypatch.setitem(globals(), "BACK", [*BACK, *BACK[:3]])
    assert len(BACK) > rapidocr_ghosts.SAMPLE
    image = two_sided()
    page = PageImage(Path("page.png"), 0, image, 300)
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        known = []
        for line in backend.recognize(page).lines:
            x0, y0, x1, y1 = line.box
            rows, columns = np.nonzero(np.asarray(image)[y0:y1, x0:x1] < 128)
            ink = (x0 + columns.min(), y0 + rows.min(), x0 + columns.max() + 1, y0 + rows.max() + 1)
            known.append(OcrLine(line.text, 0.95, line.box, (OcrWord(line.text, 0.95, ink),)))
        whole: list[int] = []
        real = rapidocr._detect
        monkeypatch.setattr(rapidocr, "_detect", lambda *args: whole.append(1) or real(*args))
        asked: list[int] = []

        def settle(boxes: list) -> list:  # type: ignore[type-arg]
            asked.append(len(boxes))
            return [None] * len(boxes)

        result = backend.recognize_where(page, settle, known=known)
    finally:
        backend.close()

    assert whole == [] and asked and asked[0] >= 2  # the ghosts were found in regions
    assert not result.back_of_sheet
    assert set(result.text.split()) == words(FRONT)
