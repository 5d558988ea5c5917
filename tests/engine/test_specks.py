"""The speck step: dark specks scattered over a scan are removed; the print, its full stops,
commas and i's dots included, stays to the pixel; a clean page or one with a few stray dots
is left as it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.measure import grey_array, measure
from ablage_desktop.engine.preprocess.specks import find_specks, remove_specks

SIZE = (1240, 1754)
"""An A4 page at 150 dpi."""
LINES = tuple(
    f"Rechnung Nr. {4711 + n}, vom 30.10.2018; i.A. Jürgen Müller, ca. {120 + 7 * n},45 EUR."
    for n in range(16)
)


def letter(size: int = 30) -> Image.Image:
    image = Image.new("L", SIZE, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    for n, line in enumerate(LINES):
        draw.text((80, 200 + 80 * n), line, font=font, fill=0)
    return image


def specked(page: Image.Image, specks: int, side: int = 2) -> Image.Image:
    """``page`` with ``specks`` dark squares of ``side`` pixels scattered over it."""
    grey = np.array(page)
    chance = np.random.default_rng(11)
    for y, x in zip(
        chance.integers(0, SIZE[1] - side, specks),
        chance.integers(0, SIZE[0] - side, specks),
        strict=True,
    ):
        grey[y : y + side, x : x + side] = 25
    return Image.fromarray(grey)


def cleaned(image: Image.Image) -> Image.Image:
    measures = measure(image)
    found = find_specks(grey_array(image), measures)
    return image if found is None else remove_specks(image, found, measures.paper)


@pytest.mark.parametrize("size", [30, 18], ids=["print", "small-print"])
def test_scattered_specks_are_removed_and_the_print_stays_to_the_pixel(size: int) -> None:
    clean = letter(size)
    noisy = specked(clean, 2500)
    found = find_specks(grey_array(noisy), measure(noisy))
    assert found is not None and found.count > 1500  # those near the print stay

    after = np.asarray(cleaned(noisy)) < 128
    print_ink = np.asarray(clean) < 128
    assert (after | ~print_ink).all()  # every pixel of the print, its dots and commas too
    noise = (np.asarray(noisy) < 128) & ~print_ink
    assert (after & ~print_ink).sum() < 0.35 * noise.sum()  # specks beside the print stay


@pytest.mark.parametrize("specks", [0, 40], ids=["clean", "a-few-stray-dots"])
def test_a_page_with_few_specks_is_left_as_it_is(specks: int) -> None:
    page = specked(letter(), specks)
    assert find_specks(grey_array(page), measure(page)) is None


def test_the_stage_removes_specks_for_every_engine_and_says_so() -> None:
    noisy = specked(letter(), 2500)
    prepared = Preprocessor(PreprocessingSettings()).prepare(
        PageImage(Path("fax.png"), 0, noisy, 150)
    )
    variant = prepared.variant("rapidocr")
    assert any(note.endswith("specks removed") for note in variant.notes)
    assert (np.asarray(variant.page.image) < 128).sum() < (np.asarray(noisy) < 128).sum()


def test_a_photo_keeps_its_grain() -> None:
    """A photographed page's specks are its paper's grain: the paper varies by the light."""
    light = np.linspace(0.55, 1.0, SIZE[0])[None, :]
    noisy = np.asarray(specked(letter(), 2500), dtype=np.float64)
    photo = Image.fromarray((noisy * light).astype(np.uint8))
    prepared = Preprocessor(PreprocessingSettings()).prepare(
        PageImage(Path("photo.jpg"), 0, photo, None)
    )
    assert not any("specks" in note for note in prepared.notes)
