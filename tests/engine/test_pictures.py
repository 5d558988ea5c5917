"""RapidOCR's lines inside one of Tesseract's pictures: kept with the page's lines, marked
``picture_text``, left out of its text; but not in a flat tinted box, not Tesseract's own
lines, not a line only partly inside, and not when they would be much of the page."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ablage_desktop.engine.models.pictures import set_aside_pictures
from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord
from ablage_desktop.engine.text.layout import in_reading_order

LOGO = (600, 50, 900, 200)


def image(tinted: bool = False) -> Image.Image:
    """A white page with a picture at ``LOGO``: a striped gradient, or one flat grey."""
    pixels = np.full((1000, 1000), 255, dtype=np.uint8)
    x0, y0, x1, y1 = LOGO
    if tinted:
        pixels[y0:y1, x0:x1] = 90
    else:
        rows, columns = np.mgrid[y0:y1, x0:x1]
        pixels[y0:y1, x0:x1] = (
            60 + 150 * (columns - x0) / (x1 - x0) + 30 * np.sin(rows / 7.0)
        ).astype(np.uint8)
    return Image.fromarray(pixels)


def page(*lines: OcrLine) -> OcrPage:
    return OcrPage(
        0, 1000, 1000, "rapidocr+tesseract", 1.0, "\n".join(line.text for line in lines), lines
    )


TEXT = [
    OcrLine("Sehr geehrte Damen und Herren, anbei die Rechnung", 0.99, (100, 300, 900, 340)),
    OcrLine(
        "Summe 297,50 EUR",
        0.95,
        (100, 400, 500, 440),
        (OcrWord("Summe", 0.95, (100, 400, 200, 440)),),
    ),
]


def test_a_line_inside_a_picture_is_kept_but_left_out_of_the_text() -> None:
    logo = OcrLine("MUSTER", 0.9, (650, 100, 850, 150))

    result, aside = set_aside_pictures(page(logo, *TEXT), [LOGO], image())

    assert aside == 1
    assert "MUSTER" not in result.text
    assert result.text == in_reading_order(TEXT)[0]  # the rest of the page in reading order
    assert result.lines[-1] == OcrLine(
        "MUSTER", 0.9, (650, 100, 850, 150), role="picture_text", in_text=False
    )
    assert len(result.lines) == 3


def test_a_flat_tinted_box_is_not_a_picture() -> None:
    banner = OcrLine("Jetzt neu: Online-Portal", 0.9, (650, 100, 850, 150))
    before = page(banner, *TEXT)

    assert set_aside_pictures(before, [LOGO], image(tinted=True)) == (before, 0)


def test_tesseracts_own_lines_and_lines_partly_outside_stay() -> None:
    settled = OcrLine(
        "MUSTER", 0.95, (650, 100, 850, 150), (OcrWord("MUSTER", 0.95, (650, 100, 850, 150)),)
    )
    across = OcrLine("Kopfzeile MUSTER", 0.9, (400, 100, 850, 150))  # half of it left of the logo
    before = page(settled, across, *TEXT)

    assert set_aside_pictures(before, [LOGO], image()) == (before, 0)


def test_nothing_is_set_aside_when_the_pictures_would_hold_much_of_the_page() -> None:
    """Where Tesseract took a tenth of the page's text for a picture, its layout went wrong."""
    logo = OcrLine("MUSTER Beispiel Handel GmbH und Co", 0.9, (610, 100, 890, 150))
    before = page(logo, *TEXT)

    assert set_aside_pictures(before, [LOGO], image()) == (before, 0)
    assert set_aside_pictures(page(*TEXT), [LOGO], image()) == (page(*TEXT), 0)
