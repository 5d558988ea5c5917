"""A handwritten signature is left out of RapidOCR's reading; print of any size, and
handwriting as thick for its height as print, is read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.backends import rapidocr_scribbles
from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
from ablage_desktop.engine.backends.rapidocr_scribbles import find_scribbles, stroke_width
from ablage_desktop.engine.intake.documents import PageImage

LETTER = [
    "Sehr geehrte Damen und Herren,",
    "anbei erhalten Sie die Unterlagen zum Vertrag.",
    "Mit freundlichen Gruessen",
]


def signature_trace(left: int, top: int, width: int, height: int) -> list[tuple[float, float]]:
    """Loops running right as a hand writes them, each a different height, a capital first."""
    t = np.linspace(0, 8 * 2 * np.pi, 320)
    heights = np.repeat([1.3, 0.5, 0.9, 0.4, 0.8, 0.6, 1.0, 0.5], 40)
    x = left + t / t[-1] * 0.85 * width + 0.03 * width * np.cos(t)
    y = top + 0.55 * height - 0.4 * height * heights * np.sin(t)
    return list(zip(x.tolist(), y.tolist(), strict=True))


def signed_letter(pen: int = 4) -> Image.Image:
    image = Image.new("RGB", (1700, 1100), "white")
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=40)
    for n, line in enumerate(LETTER):
        draw.text((120, 120 + 80 * n), line, font=font, fill="black")
    draw.line(signature_trace(130, 420, 600, 180), fill=(25, 25, 30), width=pen, joint="curve")
    draw.text((120, 680), "Dr. Erika Mustermann", font=font, fill="black")
    return image


def read(image: Image.Image) -> list[str]:
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        return backend.recognize(PageImage(Path("letter.png"), 0, image, 300)).text.split()
    finally:
        backend.close()


def test_a_signature_is_not_read_and_the_letter_is() -> None:
    wanted = " ".join([*LETTER, "Dr. Erika Mustermann"]).split()
    assert read(signed_letter()) == wanted


def test_without_the_test_the_signature_is_read_as_letters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page of the test above is a real test: the signature is there to be read."""
    monkeypatch.setattr(rapidocr_scribbles, "SURE", 0.0)
    found = read(signed_letter())
    wanted = " ".join([*LETTER, "Dr. Erika Mustermann"]).split()
    assert len(found) > len(wanted)


def test_a_strokes_width_is_measured_from_its_ink() -> None:
    crop = np.full((120, 400), 255, np.uint8)
    crop[30:36, 20:380] = 0  # a line 6 pixels wide
    crop[40:100, 200:204] = 0  # and one 4 pixels wide
    assert 4.0 <= stroke_width(crop) <= 6.5


def crop_of(text: str, size: int, stroke: int = 0) -> np.ndarray:
    image = Image.new("L", (60 * len(text) + 40, int(size * 1.4)), 255)
    ImageDraw.Draw(image).text(
        (20, 0), text, font=ImageFont.load_default(size=size), fill=0, stroke_width=stroke,
        stroke_fill=0,
    )  # fmt: skip
    return np.asarray(image)


def test_tall_print_read_unsurely_is_kept() -> None:
    """A heading four lines high, in plain and in bold, read at 0.5: its strokes are thick."""
    line = crop_of("Rechnung", 30)
    crops = [line, line, line, crop_of("RECHNUNG", 120), crop_of("RECHNUNG", 120, stroke=3)]
    recognised = {3: ("RECHNUNG", 0.5), 4: ("RECHNUNG", 0.5)}
    assert find_scribbles(crops, recognised) == frozenset()


def test_thin_loops_four_lines_high_read_unsurely_are_a_scribble() -> None:
    line = crop_of("Rechnung", 30)
    loops = Image.new("L", (640, 170), 255)
    ImageDraw.Draw(loops).line(signature_trace(10, -5, 600, 180), fill=0, width=3)
    crops = [line, line, line, np.asarray(loops)]
    assert find_scribbles(crops, {3: ("mull", 0.6)}) == frozenset({3})
    assert find_scribbles(crops, {3: ("mull", 0.95)}) == frozenset()  # read surely: kept
