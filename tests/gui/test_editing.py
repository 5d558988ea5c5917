"""A corrected page keeps its boxes where the text still has one row per box; lettering kept
out of the text (a logo's, ``OcrLine.in_text``) is not one of those rows and stays as it was."""

from __future__ import annotations

from ablage_desktop.engine import OcrLine, OcrPage
from ablage_desktop.gui.editing import edited_page

LOGO = OcrLine("DARPA", 0.9, (300, 2400, 700, 2600), role="picture_text", in_text=False)
TITLE = OcrLine("Broad Agency Anouncement", 0.99, (300, 600, 1400, 660))
DATE = OcrLine("September 29, 2015", 0.99, (300, 700, 900, 760))
PAGE = OcrPage(
    0,
    2550,
    3301,
    "rapidocr+tesseract",
    1.0,
    "Broad Agency Anouncement\nSeptember 29, 2015",
    (TITLE, LOGO, DATE),
)


def test_a_correction_keeps_the_boxes_and_the_lettering_out_of_the_text() -> None:
    corrected = edited_page(PAGE, "Broad Agency Announcement\nSeptember 29, 2015")

    assert [line.text for line in corrected.lines] == [
        "Broad Agency Announcement",
        "DARPA",
        "September 29, 2015",
    ]
    assert [line.box for line in corrected.lines] == [TITLE.box, LOGO.box, DATE.box]
    assert corrected.lines[1] == LOGO


def test_a_row_added_drops_every_box() -> None:
    corrected = edited_page(PAGE, "Broad Agency Announcement\nSeptember 29, 2015\nArlington")

    assert corrected.lines == ()
    assert corrected.text.endswith("Arlington")
