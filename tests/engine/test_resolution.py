"""A file that states a resolution its pixels do not have (a 100-dpi form saying 300) is read
as one of unknown resolution: told 300 dpi of characters 6 pixels high, Tesseract took them
for specks and read the form's paragraphs in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.measure import measure
from ablage_desktop.engine.preprocess.resolution import choose_resolution
from ablage_desktop.engine.preprocess.settings import Resolution
from ablage_desktop.engine.preprocess.stage import UNKNOWN_DPI


def form(size: int = 11) -> Image.Image:
    """A page of print ``size`` pixels high: a 100-dpi form's."""
    image = Image.new("L", (850, 1100), 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=size)
    for n in range(30):
        draw.text((60, 60 + 30 * n), f"Zeile {n} der Anlage zum Vertrag vom 3. Mai", font=font)
    return image


@pytest.mark.parametrize(("stated", "doubted"), [(300, True), (100, False), (None, False)])
def test_a_stated_resolution_is_doubted_where_the_print_would_be_specks(
    stated: int | None, doubted: bool
) -> None:
    chosen = choose_resolution(measure(form()), Resolution(), 850 * 1100, stated)
    assert bool(chosen.doubt) == doubted
    assert chosen.scale == pytest.approx(2.0)  # small print is upscaled all the same


def test_print_of_ordinary_size_at_its_stated_resolution_is_believed() -> None:
    page = form(size=40).resize((2480, 3200))
    assert choose_resolution(measure(page), Resolution(), 2480 * 3200, 300).doubt == ""


def test_a_doubted_page_is_told_no_resolution_and_says_why() -> None:
    prepared = Preprocessor(PreprocessingSettings()).prepare(
        PageImage(Path("form.png"), 0, form(), 300)
    )
    for_tesseract, for_rapidocr = prepared.variant("tesseract"), prepared.variant("rapidocr")
    assert for_tesseract.page.dpi == pytest.approx(2 * UNKNOWN_DPI)  # upscaled twice
    assert for_rapidocr.page.dpi is None
    assert any("its stated 300 dpi not believed" in note for note in for_rapidocr.notes)


def test_tesseract_reads_a_100_dpi_form_that_says_300_as_one_that_says_nothing(
    shipped_engine: EngineCore, data_dir: Path, tmp_path: Path
) -> None:
    texts = []
    for dpi in (None, 300):
        path = tmp_path / f"form-{dpi}.png"
        image = Image.open(data_dir / "funsd_0000971160.png")
        image.save(path, **({"dpi": (dpi, dpi)} if dpi else {}))
        request = OcrRequest([path], backend="tesseract", archive=False)
        (document,) = shipped_engine.ocr(request)
        texts.append(document.pages[0].text)
    assert "Discontinue coal retention analyses" in texts[1]
    assert texts[0] == texts[1]
