"""The router's cheap look at a page: synthetic pages with a known answer, then real ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from samples import text_page

from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document
from ablage_desktop.engine.run.page_analysis import BLANK_INK, analyze_page

A4_300DPI = (2480, 3508)
PROSE = (
    "Murphy gets a set of riot armor and introduces himself to the other officers who "
    "are not happy about how the company seems to be trying to run the police force"
)


def first_page(path: Path) -> PageImage:
    with open_document(path, IntakeLimits()) as document:
        return next(iter(document.pages()))


def ruled_grid(rows: int = 7, columns: int = 5) -> Image.Image:
    """An empty table: ``rows`` horizontal and ``columns`` vertical 3-pixel rules."""
    image = Image.new("L", (2000, 1400), 255)
    draw = ImageDraw.Draw(image)
    for n in range(rows):
        y = 100 + n * 1200 // (rows - 1)
        draw.line([(100, y), (1900, y)], fill=0, width=3)
    for n in range(columns):
        x = 100 + n * 1800 // (columns - 1)
        draw.line([(x, 100), (x, 1300)], fill=0, width=3)
    return image


def prose(lines: int = 20) -> Image.Image:
    """Running text: long, dense lines of print and no rules at all."""
    words = PROSE.split()
    image = Image.new("L", (2550, 3301), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    for n in range(lines):
        line = " ".join(words[n % 7 :] + words[: n % 7])
        draw.text((300, 300 + 80 * n), line, font=font, fill=0)
    return image


def test_given_a_white_a4_page_then_it_is_unknown_without_ink() -> None:
    analysis = analyze_page(Image.new("L", A4_300DPI, 255))

    assert analysis.complexity == "unknown"
    assert not analysis.has_ink
    assert analysis.reason == "blank page"


def test_given_a_blank_scan_with_paper_noise_then_the_noise_is_not_ink() -> None:
    """Otsu alone splits the noise of empty paper in two and called it 'dense print'."""
    noise = np.random.default_rng(7).normal(245, 2, A4_300DPI[::-1])
    scan = Image.fromarray(np.clip(noise, 0, 255).astype(np.uint8))

    analysis = analyze_page(scan)

    assert (analysis.complexity, analysis.has_ink) == ("unknown", False), analysis


def test_given_one_small_line_on_an_a4_page_then_it_holds_print() -> None:
    """A page number alone (a duplex scan's back) is less ink than ``BLANK_INK``; taken for
    blank, an empty reading of it went to no other engine."""
    page = Image.new("L", A4_300DPI, 255)
    font = ImageFont.load_default(size=30)
    ImageDraw.Draw(page).text((1000, 3200), "Seite 2 von 2", font=font, fill=0)

    analysis = analyze_page(page)

    assert analysis.ink < BLANK_INK
    assert analysis.has_ink and analysis.complexity == "simple"
    assert analysis.reason.startswith("a line or two of print")


def test_given_specks_of_dust_on_a_blank_scan_then_it_stays_blank() -> None:
    rng = np.random.default_rng(5)
    scan = np.clip(rng.normal(245, 3, A4_300DPI[::-1]), 0, 255).astype(np.uint8)
    for y, x, size in zip(
        rng.integers(0, 3400, 80), rng.integers(0, 2400, 80), rng.integers(2, 20, 80), strict=True
    ):
        scan[y : y + size, x : x + size] = 30

    analysis = analyze_page(Image.fromarray(scan))

    assert analysis.ink < BLANK_INK and analysis.reason == "blank page", analysis


def test_given_a_tiny_image_then_it_is_unknown() -> None:
    analysis = analyze_page(Image.new("L", (20, 400), 0))

    assert analysis.complexity == "unknown"
    assert analysis.reason == "tiny image 20x400"


def test_given_clean_printed_lines_then_the_page_is_simple() -> None:
    analysis = analyze_page(text_page())

    assert analysis.complexity == "simple", analysis.reason
    assert analysis.has_ink
    assert analysis.rules == 0
    assert analysis.reason.startswith("clean print")


def test_given_a_ruled_table_then_the_page_is_complex_and_its_rules_are_counted() -> None:
    analysis = analyze_page(ruled_grid(rows=7, columns=5))

    assert analysis.complexity == "complex"
    assert analysis.rules == 12
    assert analysis.reason == "table (12 ruled lines)"


def test_given_dense_running_text_then_its_lines_are_not_taken_for_rules() -> None:
    """In the thumbnail a line of print is dark over most of its row, but broken by spaces."""
    analysis = analyze_page(prose())

    assert analysis.rules == 0
    assert analysis.complexity == "simple", analysis.reason


def test_given_a_photo_then_the_page_is_complex_because_of_its_mid_tones() -> None:
    height, width = 900, 1200
    gradient = np.linspace(40, 220, width)[None, :] + np.linspace(0, 30, height)[:, None]
    noisy = gradient + np.random.default_rng(3).normal(0, 20, (height, width))
    photo = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).convert("RGB")

    analysis = analyze_page(photo)

    assert analysis.complexity == "complex"
    assert analysis.reason.startswith("photo-like"), analysis.reason
    assert analysis.midtones > 0.35


def test_given_the_real_adverse_reactions_table_then_it_is_a_complex_table(
    data_dir: Path,
) -> None:
    page = first_page(data_dir / "pdfen_adverse_reactions_table.pdf")

    analysis = analyze_page(page.image)

    assert analysis.complexity == "complex"
    assert analysis.reason.startswith("table"), analysis.reason
    assert analysis.rules >= 4


def test_given_the_real_darpa_cover_then_it_is_simple_print(data_dir: Path) -> None:
    page = first_page(data_dir / "print_darpa_cover.png")

    analysis = analyze_page(page.image)

    assert analysis.complexity == "simple", analysis.reason
    assert analysis.has_ink


def test_given_the_real_movie_plot_prose_then_it_is_simple_print(data_dir: Path) -> None:
    """Plain paragraphs: this page was taken for "table (15 ruled lines)" before."""
    page = first_page(data_dir / "pdfen_movie_plot.pdf")

    analysis = analyze_page(page.image)

    assert analysis.complexity == "simple", analysis.reason
    assert analysis.rules == 0


def test_the_thumbnail_keeps_each_pixel_the_darkest_of_its_3x3_neighbourhood() -> None:
    """Before shrinking, each pixel takes the darkest of its neighbours (edges repeated), so a
    one-pixel rule survives the thumbnail; checked against the definition, pixel by pixel."""
    from ablage_desktop.engine.run.page_analysis import _min3

    pixels = np.random.default_rng(7).integers(0, 256, (37, 53), dtype=np.uint8)
    padded = np.pad(pixels, 1, mode="edge")
    expected = np.min(
        [padded[dy : dy + 37, dx : dx + 53] for dy in range(3) for dx in range(3)], axis=0
    )

    assert np.array_equal(_min3(pixels), expected)
