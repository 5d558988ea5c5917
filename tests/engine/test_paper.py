"""The paper step: a photographed sheet is found, flattened and read, its boxes land on the
photo; a page that only looks like one (a scan, a banner, a white box on a dark or tinted
page) is left as it is."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from photographs import photograph
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.backends.tesseract import TesseractOptions, find_tessdata
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.measure import measure
from ablage_desktop.engine.preprocess.paper import find_sheet
from ablage_desktop.engine.preprocess.settings import Paper

LINES = tuple(
    f"Rechnung {4711 + n} vom 30.10.2018 über {120 + 7 * n},45 EUR netto" for n in range(14)
)
SIZE = (1240, 1754)
FIRST_LINE = (100, 120)


def letter(background: int = 255, ink: int = 0) -> Image.Image:
    """An A4 page at 150 dpi with fourteen lines of print."""
    image = Image.new("L", SIZE, background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    for n, line in enumerate(LINES):
        draw.text((FIRST_LINE[0], FIRST_LINE[1] + 80 * n), line, font=font, fill=ink)
    return image


def page_of(image: Image.Image) -> PageImage:
    return PageImage(Path("photo.jpg"), 0, image, None)


def paper_only() -> PreprocessingSettings:
    """The paper step alone, so that what a test sees is its doing."""
    defaults = PreprocessingSettings()
    off = {"enabled": False}
    return defaults.model_copy(
        update={
            "borders": defaults.borders.model_copy(update=off),
            "specks": defaults.specks.model_copy(update=off),
            "orientation": defaults.orientation.model_copy(update=off),
            "stamps": defaults.stamps.model_copy(update=off),
            "deskew": defaults.deskew.model_copy(update=off),
            "resolution": defaults.resolution.model_copy(update=off),
            "background": defaults.background.model_copy(update=off),
        }
    )


def test_a_photographed_sheet_is_found_at_its_corners() -> None:
    photo, corners = photograph(letter())

    sheet = find_sheet(measure(photo), Paper())

    assert sheet is not None
    for found, true in zip(sheet.corners, corners, strict=True):
        assert math.dist(found, true) < 0.01 * max(photo.size)
    width, height = sheet.size
    assert abs(width / height - SIZE[0] / SIZE[1]) < 0.05  # the sheet's shape comes back


@pytest.mark.parametrize("desk", [(200, 195, 185), (215, 215, 210)])
@pytest.mark.parametrize("light", [(0.65, 1.0), (1.0, 0.7)])
def test_a_sheet_on_a_light_desk_is_found_by_its_edge(
    desk: tuple[int, int, int], light: tuple[float, float]
) -> None:
    # Otsu's threshold follows the light here: its bright region takes in the desk's lit side.
    photo, corners = photograph(letter(), desk=desk, light=light)

    sheet = find_sheet(measure(photo), Paper())

    assert sheet is not None
    for found, true in zip(sheet.corners, corners, strict=True):
        assert math.dist(found, true) < 0.01 * max(photo.size)


def test_the_flattened_sheet_reads_and_its_boxes_land_on_the_photo() -> None:
    """Read as it lay, Tesseract found no text at all on such a photo (the desk taken for
    ink, the deskew step lining up the sheet's edge)."""
    tesserocr = pytest.importorskip("tesserocr")
    folder, missing = find_tessdata(TesseractOptions(engine="tesseract", languages="deu"))
    if missing:
        pytest.skip(f"Tesseract's language data is missing: {missing}")
    photo, corners = photograph(letter())
    stage = Preprocessor(paper_only())
    try:
        variant = stage.prepare(page_of(photo)).variant("tesseract")
    finally:
        stage.close()

    assert variant.notes[0].startswith("sheet found")
    with tesserocr.PyTessBaseAPI(path=f"{folder}/", lang="deu") as api:
        api.SetImage(variant.page.image)
        text = api.GetUTF8Text()
    assert "Rechnung 4711 vom 30.10.2018" in text
    assert "Rechnung 4724 vom 30.10.2018" in text
    # The first line's box on the flattened sheet, mapped back, lies where the line is on the
    # photo (its corners moved by the photo's own perspective).
    sx, sy = variant.page.width / SIZE[0], variant.page.height / SIZE[1]
    x0, y0, x1, y1 = FIRST_LINE[0], FIRST_LINE[1], FIRST_LINE[0] + 900, FIRST_LINE[1] + 40
    assert variant.mapper is not None
    mapped = variant.mapper.box((round(x0 * sx), round(y0 * sy), round(x1 * sx), round(y1 * sy)))
    expected = _projected((x0, y0, x1, y1), corners)
    assert _overlap(mapped, expected) > 0.8


def test_a_scan_is_left_as_it_is() -> None:
    assert find_sheet(measure(letter()), Paper()) is None


def test_a_page_with_a_dark_banner_is_not_cut_to_below_it() -> None:
    """A letterhead's dark band with white lettering: the bright rest reaches the page's
    edges, it is no sheet lying on something."""
    page = letter()
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, SIZE[0], 300), fill=30)
    draw.text((100, 130), "MUSTERMANN GMBH", font=ImageFont.load_default(size=40), fill=255)
    assert find_sheet(measure(page), Paper()) is None


def test_a_white_box_on_a_dark_flyer_with_lettering_is_not_a_sheet() -> None:
    flyer = Image.new("L", (1600, 2200), 35)
    draw = ImageDraw.Draw(flyer)
    font = ImageFont.load_default(size=40)
    for n in range(6):  # white lettering above and below the box
        draw.text((80, 40 + 60 * n), f"Sommerfest am {n + 1}. Juli", font=font, fill=255)
        draw.text((80, 1800 + 60 * n), f"Programm Teil {n + 1}: Musik", font=font, fill=255)
    flyer.paste(letter().resize((1000, 1100)), (300, 600))
    assert find_sheet(measure(flyer), Paper()) is None


def test_a_large_white_field_on_a_tinted_form_is_not_a_sheet() -> None:
    """Print on a tinted form: Otsu's threshold merges its characters with the tint, so the
    characters outside the field go uncounted; their darkness against the tint does not."""
    form = letter(background=150, ink=0)
    form.paste(Image.new("L", (900, 700), 255), (170, 1000))
    font = ImageFont.load_default(size=34)
    ImageDraw.Draw(form).text((200, 1050), "Eintragungen", font=font, fill=0)
    assert find_sheet(measure(form), Paper()) is None


def test_the_step_can_be_switched_off() -> None:
    photo, _ = photograph(letter())
    settings = paper_only()
    paper = settings.paper.model_copy(update={"enabled": False})
    off = settings.model_copy(update={"paper": paper})
    stage = Preprocessor(off)
    try:
        assert stage.prepare(page_of(photo)).variant("tesseract").page.image is photo
    finally:
        stage.close()


def _projected(box: tuple[int, int, int, int], corners: tuple[tuple[float, float], ...]) -> tuple:
    """``box`` on the page, through the photograph's own perspective, as a bounding box."""
    import cv2

    source = np.float32([[0, 0], [SIZE[0], 0], [SIZE[0], SIZE[1]], [0, SIZE[1]]])
    matrix = cv2.getPerspectiveTransform(source, np.float32(corners))
    x0, y0, x1, y1 = box
    points = np.float32([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]])
    moved = cv2.perspectiveTransform(points, matrix).reshape(-1, 2)
    return (*moved.min(axis=0), *moved.max(axis=0))


def _overlap(a: tuple, b: tuple) -> float:
    """Intersection over union of two boxes."""
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def test_the_shipped_configuration_flattens_a_photographed_sheet() -> None:
    from ablage_desktop.engine.config import load_config

    photo, _ = photograph(letter())
    stage = Preprocessor(load_config().preprocessing)
    try:
        notes = stage.prepare(page_of(photo)).variant("tesseract").notes
    finally:
        stage.close()
    assert notes and notes[0].startswith("sheet found")
