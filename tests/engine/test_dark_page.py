"""A whole page of light print on a dark ground (a screenshot of a dark theme) is turned dark
on light before it is looked at and read; a light page, a blank dark one and a photographed
sheet on a dark desk are not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings
from ablage_desktop.engine.preprocess.dark_page import in_reverse_video, on_light_paper
from ablage_desktop.engine.run.page_analysis import analyze_page

LINES = [
    "Rechnung Nr. 47110815 vom 31.10.2018",
    "Lieferung und Montage am 3. November",
    "Zahlbar innerhalb von 14 Tagen ohne Abzug",
    "Bankverbindung: Sparkasse Leipzig",
    "Mit freundlichen Gruessen",
]


def screen(ground: str = "#1e1e1e", ink: str = "#d4d4d4", size: int = 22) -> Image.Image:
    """Lines of text as a program's window in a dark (or light) theme draws them, with a
    window's title bar and a scroll bar of the theme's greys."""
    image = Image.new("RGB", (1000, 420), ground)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=size)
    draw.rectangle((0, 0, 999, 30), fill="#333333" if ground != "#ffffff" else "#dddddd")
    draw.rectangle((980, 31, 999, 419), fill="#2a2a2a" if ground != "#ffffff" else "#eeeeee")
    for n, line in enumerate(LINES):
        draw.text((20, 60 + 60 * n), line, font=font, fill=ink)
    return image


def page_of(image: Image.Image) -> PageImage:
    return PageImage(Path("screenshot.png"), 0, image, 96.0)


def test_light_print_on_a_dark_ground_is_turned_dark_on_light() -> None:
    dark = screen()
    assert in_reverse_video(dark)
    assert in_reverse_video(dark.convert("L"))
    assert in_reverse_video(screen("#002b36", "#839496"))  # a dim theme's low contrast

    turned = on_light_paper(page_of(dark), PreprocessingSettings())
    assert turned.image.size == dark.size
    assert np.array_equal(np.asarray(turned.image), 255 - np.asarray(dark))
    # the page's look no longer takes the dark rows between the lines for ruled lines
    assert analyze_page(dark).complexity == "complex"
    assert analyze_page(turned.image).complexity == "simple"


def test_light_pages_blank_dark_ones_and_a_sheet_on_a_dark_desk_stay() -> None:
    assert not in_reverse_video(screen("#ffffff", "#000000"))
    assert not in_reverse_video(Image.new("L", (800, 600), 20))  # no print
    desk = Image.new("RGB", (1200, 900), (40, 35, 30))
    sheet = screen("#f4f4f0", "#202020").resize((500, 620))
    desk.paste(sheet, (350, 140))  # most of the photo is desk, the sheet one light shape
    assert not in_reverse_video(desk)
    far = Image.new("RGB", (1200, 900), (40, 35, 30))
    far.paste(screen("#f4f4f0", "#202020").resize((120, 200)), (500, 300))  # 2 % of the photo
    assert not in_reverse_video(far)

    page = page_of(screen())
    off = PreprocessingSettings(inverted={"enabled": False})
    assert on_light_paper(page, off) is page
    assert on_light_paper(page, PreprocessingSettings(enabled=False)) is page
    assert on_light_paper(page, None) is page
    light = page_of(screen("#ffffff", "#000000"))
    assert on_light_paper(light, PreprocessingSettings()) is light


def test_a_dark_screenshot_is_routed_and_read_as_its_light_twin(tmp_path: Path) -> None:
    """Through the engine in ``auto``: the dark theme's screenshot is a simple page of print,
    as the light one's, not a table, and reads the same words."""
    dark, light = tmp_path / "dark.png", tmp_path / "light.png"
    screen().save(dark)
    screen("#ffffff", "#000000").save(light)
    routes: list[str] = []
    engine = EngineCore(load_config())
    engine.events.subscribe(lambda event: routes.append(getattr(event, "reason", "") or ""))
    try:
        read = engine.ocr(OcrRequest([dark, light], archive=False))
        texts = [document.text.split() for document in read]
    finally:
        engine.close()
    pages = [reason for reason in routes if " page: " in reason]
    assert len(pages) == 2 and all(reason.startswith("simple page") for reason in pages), pages
    assert texts[0] == texts[1]
    assert "Rechnung" in texts[0] and "47110815" in texts[0]


def test_the_page_is_replaced_not_changed() -> None:
    page = page_of(screen())
    before = np.asarray(page.image).copy()
    turned = on_light_paper(page, PreprocessingSettings())
    assert turned is not page and dataclasses.replace(turned, image=page.image) == page
    assert np.array_equal(np.asarray(page.image), before)
