"""Barcodes and 2D codes are painted out before a page is read: no engine reads them as text,
their bars passed for the characters' height, and their black made Tesseract's threshold drop
faint print beside them; a round emblem, a halftone picture, a table's grid, tall letters and
a table's rules are left as printed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from benchmark_scripts import BENCHMARKS, load_script
from PIL import Image, ImageDraw, ImageFont
from printed_codes import barcode_modules, datamatrix_modules, drawn, qr_modules
from samples import data_set_pages, engine_without, tesseract_words

from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.codes import clear_codes, find_codes
from ablage_desktop.engine.preprocess.measure import measure

LINES = [
    "Rechnung 2026-0815 vom 3. Dezember 2026",
    "Wartung der Heizungsanlage laut Vertrag",
    "Summe netto 1.250,00 EUR zuzueglich Steuer",
    "Bitte zahlen Sie mit dem Code unten rechts",
]
SIZE = (1700, 1400)
QR_AT, BAR_AT = (1250, 900), (150, 1050)


def letter(ink: int = 0, paper: int = 255, size: int = 40) -> Image.Image:
    image = Image.new("L", SIZE, paper)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=size)
    for n, line in enumerate(LINES):
        draw.text((150, 200 + 2.5 * size * n), line, font=font, fill=ink)
    return image


def with_codes(page: Image.Image, module: int = 7, bar: int = 3, tall: int = 100) -> Image.Image:
    """``page`` with a QR code of 33 modules and a barcode ``tall`` pixels in its lower part."""
    pixels = np.array(page)
    for shape, (left, top) in (
        (drawn(qr_modules(33, 7), module), QR_AT),
        (drawn(barcode_modules(7), bar, tall), BAR_AT),
    ):
        pixels[top : top + shape.shape[0], left : left + shape.shape[1]][shape] = 10
    return Image.fromarray(pixels)


def test_tesseract_reads_faint_print_beside_black_codes(
    shipped_engine: EngineCore, tmp_path: Path
) -> None:
    page = with_codes(letter(ink=175, paper=240))
    wanted = " ".join(LINES).split()
    assert tesseract_words(shipped_engine, page, tmp_path, 200) == wanted
    with engine_without("codes", tmp_path) as engine:
        read = tesseract_words(engine, page, tmp_path, 200)
    assert len(set(read) & set(wanted)) < len(wanted) / 2


def test_both_codes_are_found_and_painted_as_paper_and_the_print_kept() -> None:
    page = with_codes(letter())
    found = find_codes(measure(page))
    assert sorted(code.kind for code in found) == ["2D code", "barcode"]
    cleaned, note = clear_codes(page, measure(page))  # type: ignore[misc]
    assert note == "1 barcode, 1 2D code left out of the reading"
    assert (np.asarray(cleaned) == np.asarray(letter())).all()


def test_a_barcode_s_digits_under_it_stay() -> None:
    page = with_codes(letter())
    ImageDraw.Draw(page).text(
        (BAR_AT[0], BAR_AT[1] + 112), "4 006381 333931", font=ImageFont.load_default(size=30)
    )
    digits = (slice(BAR_AT[1] + 108, BAR_AT[1] + 150), slice(BAR_AT[0], BAR_AT[0] + 400))
    cleaned, _ = clear_codes(page, measure(page))  # type: ignore[misc]
    before, after = np.asarray(page)[digits], np.asarray(cleaned)[digits]
    assert (before < 128).sum() > 300  # the digits' ink...
    assert (after == before).all()  # ...kept as printed
    assert (
        np.asarray(cleaned)[BAR_AT[1] : BAR_AT[1] + 100, BAR_AT[0] : BAR_AT[0] + 300] > 200
    ).all()


@pytest.mark.parametrize(("size", "module"), [(16, 8), (26, 3)])
def test_a_datamatrix_code_is_found_by_its_border(size: int, module: int) -> None:
    pixels = np.array(letter())
    shape = drawn(datamatrix_modules(size, 5), module)
    pixels[900 : 900 + shape.shape[0], 1250 : 1250 + shape.shape[1]][shape] = 10
    (code,) = find_codes(measure(Image.fromarray(pixels)))
    left, top, right, bottom = code.box
    assert code.kind == "2D code"
    assert left <= 1250 < 1250 + shape.shape[1] <= right
    assert top <= 900 < 900 + shape.shape[0] <= bottom


def test_a_barcode_does_not_pass_for_the_characters_height() -> None:
    """Small print (a 100-dpi form's): its height, not the bars', decides the upscaling."""
    page = with_codes(letter(size=14), module=3, bar=2, tall=60)
    assert measure(letter(size=14)).text_height < 12
    assert measure(page).text_height > 30  # the bars outnumber the tall letters
    cleaned, _ = clear_codes(page, measure(page))  # type: ignore[misc]
    assert measure(cleaned).text_height == measure(letter(size=14)).text_height


def emblem() -> Image.Image:
    """A round emblem of small holes: no ink in its box's corners."""
    image = letter()
    draw = ImageDraw.Draw(image)
    draw.ellipse((1250, 900, 1480, 1130), fill=0)
    for x in range(1270, 1470, 16):
        for y in range(920, 1120, 16):
            draw.rectangle((x, y, x + 6, y + 6), fill=255)
    return image


def dithered() -> Image.Image:
    """A photo printed as black dots (a bilevel scan, a fax): a square of ink and paper
    alike, with no code's finder squares or border."""
    image = letter()
    shades = np.random.default_rng(3).integers(0, 256, (14, 14), dtype=np.uint8)
    picture = Image.fromarray(shades).resize((230, 230), Image.Resampling.BICUBIC)
    image.paste(picture.convert("1").convert("L"), (1250, 900))
    return image


def grid() -> Image.Image:
    """A table's grid of square cells."""
    image = letter()
    draw = ImageDraw.Draw(image)
    for step in range(0, 241, 30):
        draw.line((1200 + step, 900, 1200 + step, 1140), fill=0, width=2)
        draw.line((1200, 900 + step, 1440, 900 + step), fill=0, width=2)
    return image


def tall_letters() -> Image.Image:
    image = letter()
    font = ImageFont.load_default(size=60)
    ImageDraw.Draw(image).text((150, 1000), "Illinois Mill Hill llll IIII |||", font=font, fill=0)
    return image


def ruled(step: int, top: int, bottom: int) -> Image.Image:
    """Column rules ``step`` apart from ``top`` to ``bottom`` across the letter."""
    image = letter()
    draw = ImageDraw.Draw(image)
    for x in range(150, 900 if step < 100 else 1500, step):
        draw.line((x, top, x, bottom), fill=0, width=2)
    return image


def rules() -> Image.Image:
    """A table's column rules, a line of print high each, under a row of figures."""
    return ruled(120, 1000, 1060)


def column_rules() -> Image.Image:
    """A timesheet's column rules, solid and even, closer than a third of their height."""
    return ruled(60, 800, 1200)


def test_a_small_qr_code_on_a_long_receipt_is_found_by_its_finder_squares(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data set's long receipt (880 x 3,123 pixels, photographed) with a QR code of 3-pixel
    modules: on the working copy, half the size, its modules do not join into one component;
    its three finder squares are found."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    copies = load_script("copies.py", "copies_for_small_codes")
    receipt = copies.coded(Image.open(data_dir / "sroie_381.jpg"))
    kinds = sorted(code.kind for code in find_codes(measure(receipt)))
    assert kinds == ["2D code", "barcode"]


def test_a_barcode_up_the_page_s_edge_is_found() -> None:
    pixels = np.array(letter())
    bars = drawn(barcode_modules(7), 3, 100).T  # its bars across, read from the side
    pixels[300 : 300 + bars.shape[0], 40 : 40 + bars.shape[1]][bars] = 10
    (code,) = find_codes(measure(Image.fromarray(pixels)))
    left, top, right, bottom = code.box
    assert code.kind == "barcode"
    assert left <= 40 and right >= 40 + bars.shape[1]
    assert top <= 300 and bottom >= 300 + bars.shape[0]


@pytest.mark.parametrize("page", [emblem, dithered, grid, tall_letters, rules, column_rules])
def test_what_is_not_a_code_is_left(page) -> None:  # type: ignore[no-untyped-def]
    image = page()
    assert find_codes(measure(image)) == [], page.__name__


def test_no_code_in_a_stamped_100_dpi_form(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stamp's ink over its dense small print made three letters stand as a QR code's
    finder squares do, before they had to be framed squares."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    copies = load_script("copies.py", "copies_for_codes")
    form = Image.open(data_dir / "funsd_0000971160.png")
    assert find_codes(measure(copies.stamped(form))) == []


def test_no_page_of_the_data_set_has_a_code(data_dir: Path) -> None:
    """Among them forms with logos and stamps, receipts with ticks, a table page."""
    for name, image in data_set_pages(data_dir):
        assert find_codes(measure(image)) == [], name


def test_the_stage_paints_codes_and_can_be_switched_off() -> None:
    page = PageImage(Path("invoice.png"), 0, with_codes(letter()), 200)
    prepared = Preprocessor(PreprocessingSettings()).prepare(page)
    assert "1 barcode, 1 2D code left out of the reading" in prepared.variant("tesseract").notes
    off = PreprocessingSettings.model_validate({"codes": {"enabled": False}})
    assert Preprocessor(off).prepare(page).image is None
