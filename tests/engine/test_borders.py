"""The border step: dark bands along a scan's edges are painted as paper; what a page prints
at its edges (a banner with white letters, a picture, text cut by the edge) stays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.borders import find_borders, paint_borders
from ablage_desktop.engine.preprocess.measure import measure

SIZE = (1240, 1754)
"""An A4 page at 150 dpi."""
LINES = tuple(
    f"Rechnung {4711 + n} vom 30.10.2018 über {120 + 7 * n},45 EUR netto" for n in range(16)
)
BLACK = 20


def letter(left: int = 100, top: int = 260) -> Image.Image:
    image = Image.new("L", SIZE, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    for n, line in enumerate(LINES):
        draw.text((left, top + 80 * n), line, font=font, fill=0)
    return image


def with_bands(
    image: Image.Image, left: tuple[int, int] = (45, 45), bottom: int = 35
) -> Image.Image:
    """``image`` copied with the lid open: a black band along the left edge, ``left`` pixels
    wide at the top and at the bottom (a sheet lying askew), and one along the bottom."""
    banded = image.copy()
    draw = ImageDraw.Draw(banded)
    draw.polygon([(0, 0), (left[0], 0), (left[1], SIZE[1]), (0, SIZE[1])], fill=BLACK)
    draw.rectangle([0, SIZE[1] - bottom, SIZE[0], SIZE[1]], fill=BLACK)
    return banded


def cleared(image: Image.Image) -> Image.Image:
    """``image`` as the border step leaves it."""
    measures = measure(image)
    borders = find_borders(measures)
    return image if borders is None else paint_borders(image, borders)


@pytest.mark.parametrize("left", [(45, 45), (70, 30)], ids=["straight", "askew"])
def test_bands_along_the_edges_are_painted_as_paper_and_the_text_is_kept(
    left: tuple[int, int],
) -> None:
    clean = letter()
    banded = with_bands(clean, left)
    borders = find_borders(measure(banded))
    assert borders is not None and borders.edges == ("left", "bottom")
    painted = np.asarray(cleared(banded))
    assert painted.min() == 0  # the text is there ...
    assert np.array_equal(painted[:-40, 80:], np.asarray(clean)[:-40, 80:])  # ... unchanged
    assert (painted[:, : min(left)] >= 250).all()
    assert (painted[-35:] >= 250).all()


def banner(words: str, height: int = 160) -> Image.Image:
    """A letterhead: white letters on a black bar across the top of the page."""
    image = letter()
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, SIZE[0], height], fill=BLACK)
    draw.text((60, 50), words, font=ImageFont.load_default(size=60), fill=255)
    return image


def dark_picture() -> Image.Image:
    """A photo running off the right edge, dark with lighter shapes in it."""
    image = letter()
    texture = np.random.default_rng(7).integers(0, 90, (600, 300), dtype=np.uint8)
    texture[200:260, 40:300] = 180
    image.paste(Image.fromarray(texture), (SIZE[0] - 300, 300))
    return image


@pytest.mark.parametrize(
    "page",
    [
        lambda: banner("MÜLLER & SÖHNE GMBH · Büromaschinen seit 1952"),
        lambda: banner("MÜLLER"),
        lambda: letter(left=-14),
        dark_picture,
        letter,
    ],
    ids=["banner", "banner-one-word", "text-cut-by-the-edge", "picture-off-the-edge", "letter"],
)
def test_what_a_page_prints_at_its_edges_is_not_a_border(page) -> None:
    image = page()
    assert find_borders(measure(image)) is None
    assert cleared(image) is image


def test_the_stage_paints_the_border_for_every_engine_and_says_so() -> None:
    banded = with_bands(letter())
    stage = Preprocessor(PreprocessingSettings())
    prepared = stage.prepare(PageImage(Path("copy.png"), 0, banded, 150))
    variant = prepared.variant("tesseract")
    assert (np.asarray(variant.page.image)[:, :40] >= 250).all()
    assert "dark border along the left, bottom edge painted" in variant.notes
    off = PreprocessingSettings().model_copy(
        update={"borders": PreprocessingSettings().borders.model_copy(update={"enabled": False})}
    )
    plain = Preprocessor(off).prepare(PageImage(Path("copy.png"), 0, banded, 150))
    assert plain.variant("tesseract").page.image is banded


def test_a_photo_whose_paper_stays_uneven_keeps_its_desk() -> None:
    """A close-up's desk along the edges is the deskew and background steps' business:
    painted, the sheet's dim side beside it read as ink."""
    light = np.linspace(0.55, 1.0, SIZE[0])[None, :]
    shaded = (np.asarray(with_bands(letter()), dtype=np.float64) * light).astype(np.uint8)
    photo = Image.fromarray(shaded)
    assert find_borders(measure(photo)) is not None  # the bands are there ...
    prepared = Preprocessor(PreprocessingSettings()).prepare(
        PageImage(Path("close-up.jpg"), 0, photo, None)
    )
    assert not any("border" in note for note in prepared.notes)  # ... and left


def test_a_band_is_painted_in_the_grey_of_the_paper_beside_it() -> None:
    """Paper greyer by the left edge than the right (a copier's uneven lamp): the band takes
    the grey beside it, not the page's brightest paper nor white; a lighter strip beside grey
    paper is one more edge for Tesseract's threshold."""
    shade = np.linspace(205, 235, SIZE[0])[None, :] / 255
    tinted = Image.fromarray((np.asarray(letter(), dtype=np.float64) * shade).astype(np.uint8))
    beside = int(np.median(np.asarray(tinted)[:1000, 50:70]))
    measures = measure(with_bands(tinted))
    assert measures.paper >= beside + 20  # the page's brightest paper lies to the right
    band = np.asarray(cleared(with_bands(tinted)))[: SIZE[1] - 40, :40]
    assert abs(int(np.median(band)) - beside) <= 3
