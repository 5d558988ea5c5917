"""Lines of dust down a scanned page (a document feeder's glass) are painted out before the
page is read, and a letter they crossed joins up again; a table's rule, a form's frame along
the edge of a page cut to the form, a bar and a line down the margin are left as printed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from samples import data_set_pages, engine_without, tesseract_words

from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.measure import measure
from ablage_desktop.engine.preprocess.streaks import clear_streaks

LINES = [
    "Sehr geehrte Damen und Herren, wir danken Ihnen",
    "fuer Ihren Auftrag und stellen Ihnen in Rechnung:",
    "Lieferung und Montage der Regale am 3. November",
    "Wartung der Anlage im Dezember laut Vertrag 4711",
    "Summe netto 1.250,00 EUR zuzueglich Umsatzsteuer",
    "Zahlbar innerhalb von vierzehn Tagen ohne Abzug",
]
SIZE = (1700, 1200)


def letter() -> Image.Image:
    image = Image.new("L", SIZE, 255)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=40)
    for n, line in enumerate(LINES):
        draw.text((120, 200 + 100 * n), line, font=font, fill=0)
    return image


def streaked(page: Image.Image, at: tuple[int, ...] = (530, 1010), grey: int = 40) -> Image.Image:
    """Lines of dust two pixels wide down the whole page, through the print."""
    pixels = np.array(page)
    for x in at:
        pixels[:, x : x + 2] = np.minimum(pixels[:, x : x + 2], grey)
    return Image.fromarray(pixels)


def test_tesseract_reads_a_page_with_dust_lines_as_without(
    shipped_engine: EngineCore, tmp_path: Path
) -> None:
    wanted = " ".join(LINES).split()
    assert tesseract_words(shipped_engine, streaked(letter()), tmp_path, 300) == wanted
    with engine_without("streaks", tmp_path) as engine:
        assert tesseract_words(engine, streaked(letter()), tmp_path, 300) != wanted


def test_a_letter_a_streak_crossed_joins_up_and_paper_stays_paper() -> None:
    page = streaked(letter(), grey=90)
    cleaned, note = clear_streaks(page, measure(page))  # type: ignore[misc]
    assert note == "2 streaks of dust removed"
    before, after = np.asarray(letter()), np.asarray(cleaned)
    assert (after[:150] == 255).all()  # the top margin: the streak gone, no trace of it
    changed = after[:, 525:540] != before[:, 525:540]
    assert changed.mean() < 0.02  # where a stroke crossed it, the ink on either side
    crossed = before[:, 530:532] < 50
    assert crossed.sum() > 50  # the print it crossed, darker than it, is kept as it was
    assert (after[:, 530:532][crossed] == before[:, 530:532][crossed]).all()


def table_rule() -> Image.Image:
    """A rule down a table, from its first line to its last, inside the margins."""
    image = letter()
    ImageDraw.Draw(image).line([(530, 180), (530, 760)], fill=0, width=2)
    return image


def edge_frame() -> Image.Image:
    """A form's frame along the right edge of a page cut to the form (the data set's FUNSD
    forms have one): print on its left only."""
    image = letter()
    ImageDraw.Draw(image).line([(1650, 0), (1650, SIZE[1])], fill=0, width=2)
    return image


def margin_line() -> Image.Image:
    return streaked(letter(), at=(60,))


def bar() -> Image.Image:
    """A bar as wide as the print is high down the page: a band, not dust."""
    return streaked(letter(), at=tuple(range(530, 570)))


@pytest.mark.parametrize("page", [table_rule, edge_frame, margin_line, bar])
def test_what_is_not_dust_through_the_print_is_left(page) -> None:  # type: ignore[no-untyped-def]
    image = page()
    assert clear_streaks(image, measure(image)) is None


def test_no_page_of_the_data_set_has_a_streak(data_dir: Path) -> None:
    """Among them forms cut to their frame, whose right edge runs down the whole page."""
    for name, image in data_set_pages(data_dir):
        assert clear_streaks(image, measure(image)) is None, name


def test_the_stage_paints_streaks_and_can_be_switched_off() -> None:
    page = PageImage(Path("scan.png"), 0, streaked(letter()), 300)
    prepared = Preprocessor(PreprocessingSettings()).prepare(page)
    assert "2 streaks of dust removed" in prepared.variant("tesseract").notes
    off = PreprocessingSettings.model_validate({"streaks": {"enabled": False}})
    assert Preprocessor(off).prepare(page).image is None
