"""Print in reverse video (light on a dark band) is turned dark on light before the page is
read; what only looks dark and full (a logo of bold capitals, a bold underlined word, a
table's rules, a solid bar) is left as it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from samples import data_set_pages

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.inverted import find_bands, invert_bands
from ablage_desktop.engine.preprocess.measure import measure

NAVY = (30, 50, 110)
BODY = [
    "Sehr geehrte Damen und Herren,",
    "wir danken Ihnen fuer Ihren Auftrag",
    "und stellen Ihnen in Rechnung:",
    "Lieferung und Montage am 3. November",
]
HEAD = "Pos  Beschreibung  Menge  Betrag"


def invoice(band: tuple[int, int, int] | None = NAVY, angle: float = 0.0) -> Image.Image:
    """Four lines of print and a table head printed white on a ``band`` (None: dark on
    white), at 200 dpi."""
    image = Image.new("RGB", (1400, 1000), "white")
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=30)
    for n, line in enumerate(BODY):
        draw.text((120, 120 + 50 * n), line, font=font, fill="black")
    if band is None:
        draw.text((140, 470), HEAD, font=font, fill="black")
    else:
        draw.rectangle([110, 450, 1100, 520], fill=band)
        draw.text((140, 470), HEAD, font=font, fill="white")
    draw.text((120, 600), "Summe netto 1.250,00 EUR", font=font, fill="black")
    if angle:
        image = image.rotate(angle, fillcolor="white", resample=Image.Resampling.BICUBIC)
    return image


def test_a_band_is_found_and_only_its_inside_is_turned_dark_on_light() -> None:
    page = invoice()
    assert len(find_bands(measure(page))) == 1
    turned, note = invert_bands(page, measure(page)) or (page, "")
    assert note == "1 reverse-video bands inverted"
    before, after = np.asarray(page.convert("L")), np.asarray(turned.convert("L"))
    assert (after[:440] == before[:440]).all() and (after[530:] == before[530:]).all()
    inside = after[455:515, 115:1095]
    assert np.median(inside) > 180 and inside.min() < 60  # light paper, dark letters
    assert (inside < 60).sum() < 0.3 * inside.size


def test_a_band_turned_a_few_degrees_is_found() -> None:
    assert len(find_bands(measure(invoice(angle=3.0)))) == 1


def underlined() -> Image.Image:
    image = invoice(band=None)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.load_default(size=44)
    for dx in range(3):
        draw.text((800 + dx, 40), "Facility:", font=bold, fill="black")
    draw.rectangle([800, 88, 990, 94], fill="black")
    return image


def grid() -> Image.Image:
    image = invoice(band=None)
    draw = ImageDraw.Draw(image)
    for y in range(700, 960, 50):
        draw.line([100, y, 1300, y], fill="black", width=3)
    for x in range(100, 1310, 200):
        draw.line([x, 700, x, 950], fill="black", width=3)
    return image


def solid_bar() -> Image.Image:
    image = invoice(band=None)
    ImageDraw.Draw(image).rectangle([100, 40, 1300, 90], fill=NAVY)
    return image


@pytest.mark.parametrize("page", [underlined, grid, solid_bar, lambda: invoice(None)])
def test_what_is_not_print_in_reverse_video_is_left(page) -> None:  # type: ignore[no-untyped-def]
    assert find_bands(measure(page())) == []


def test_no_page_of_the_data_set_has_a_band(data_dir: Path) -> None:
    """Among them a fax's logo of bold capitals ("INBIFO") with slits between its letters,
    and bold and underlined words scanned at 100 dpi."""
    for name, image in data_set_pages(data_dir):
        assert find_bands(measure(image)) == [], name


def test_a_logo_faxed_in_normal_mode_is_no_band(data_dir: Path) -> None:
    """The fax cover's "INBIFO" sent as a fax in normal mode (98 lines an inch) and read as
    stated square: its block capitals squashed to half their height, their counters the holes
    of a dark block, three, of three sizes; a label's few letters in a band are of one."""
    page = Image.open(data_dir / "funsd_0060165115.png").convert("L")
    height = round(page.height * 1728 / page.width * 98 / 204)
    fax = page.resize((1728, height), Image.Resampling.LANCZOS).point(lambda v: 255 * (v >= 160))
    assert find_bands(measure(fax.convert("L"))) == []


def test_the_stage_turns_bands_and_can_be_switched_off() -> None:
    page = PageImage(Path("scan.png"), 0, invoice(), 200)
    prepared = Preprocessor(PreprocessingSettings()).prepare(page)
    assert "1 reverse-video bands inverted" in prepared.variant("tesseract").notes
    off = PreprocessingSettings.model_validate({"inverted": {"enabled": False}})
    assert Preprocessor(off).prepare(page).image is None


PROSE = [
    "The Detroit police department is in a state of crisis and its officers are",
    "ideal. Among other stories, three police officers have been murdered and a",
    "fourth was wounded in an attack that the newspapers blame on the company that",
    "the city hired to run and manage the department for putting their men in such",
    "dangerous environments without the equipment and training they would need.",
    "Meanwhile the company plans to build a new city on the ruins of the old one.",
]


def prose_in_bands() -> Image.Image:
    """Six lines of prose at 300 dpi, the second and fifth white on a dark grey band across
    the print's width, a quarter of a line's height above and below it."""
    image = Image.new("L", (2480, 1200), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=42)
    for n, line in enumerate(PROSE):
        top = 150 + 60 * n
        if n in (1, 4):
            box = draw.textbbox((200, top), line, font=font)
            pad = (box[3] - box[1]) // 4
            draw.rectangle([200, box[1] - pad, 2290, box[3] + pad], fill=60)
        draw.text((200, top), line, font=font, fill=255 if n in (1, 4) else 0)
    return image


def test_tesseract_reads_lines_in_reverse_video(shipped_engine: EngineCore, tmp_path: Path) -> None:
    """Through the real engine, Tesseract alone: every word, where with the step off it
    left words of the bands out."""
    paper = tmp_path / "prose.png"
    prose_in_bands().save(paper, dpi=(300, 300))
    wanted = " ".join(PROSE).split()

    def found(engine: EngineCore) -> int:
        (document,) = engine.ocr(OcrRequest([paper], backend="tesseract", archive=False))
        assert document.ok, document.error
        words = document.pages[0].text.split()
        return sum(1 for word in wanted if word in words)

    assert found(shipped_engine) == len(wanted)
    off = tmp_path / "off.yaml"
    off.write_text("preprocessing:\n  inverted:\n    enabled: false\n", encoding="utf-8")
    engine = EngineCore(load_config([off]))
    try:
        assert found(engine) < len(wanted)
    finally:
        engine.close()
