"""The text of an area of a page: the words standing in a frame, in reading order."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from samples import text_page

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord
from ablage_desktop.engine.text.area import text_in_area, with_area_read, within_area
from ablage_desktop.engine.text.layout import in_reading_order

# An invoice's table as RapidOCR gives it: one box per run of print, no word boxes.
TABLE = (
    OcrLine("Position Beschreibung", 0.9, (100, 100, 520, 140)),
    OcrLine("Betrag", 0.9, (900, 100, 1020, 140)),
    OcrLine("10 Sony Sunny01", 0.9, (100, 160, 400, 200)),
    OcrLine("8.150,00", 0.9, (880, 160, 1020, 200)),
    OcrLine("20 Highscreen MS 1775P", 0.9, (100, 220, 540, 260)),
    OcrLine("9.440,00", 0.9, (880, 220, 1020, 260)),
)


def test_a_column_of_a_table_comes_out_row_by_row() -> None:
    assert text_in_area(TABLE, (850, 90, 1050, 270)) == "Betrag\n8.150,00\n9.440,00"


def test_a_frame_around_the_whole_page_gives_the_page_text() -> None:
    text, _ = in_reading_order(TABLE)
    assert text_in_area(TABLE, (0, 0, 2000, 2000)) == text


def test_words_of_a_line_without_word_boxes_are_placed_by_their_characters() -> None:
    line = OcrLine("Rechnungsnummer 4711", 0.9, (0, 0, 400, 40))  # "4711" from x = 320
    assert text_in_area([line], (300, 0, 420, 40)) == "4711"
    assert text_in_area([line], (0, 0, 300, 40)) == "Rechnungsnummer"


def test_the_engines_word_boxes_are_taken_where_they_spell_the_line() -> None:
    words = (
        OcrWord("Summe", 0.95, (0, 0, 100, 40)),
        OcrWord("12,00", 0.95, (500, 0, 600, 40)),  # far right: not where its characters fall
        OcrWord("EUR", 0.95, (620, 0, 680, 40)),
    )
    line = OcrLine("Summe 12,00 EUR", 0.95, (0, 0, 680, 40), words)
    assert text_in_area([line], (450, 0, 700, 40)) == "12,00 EUR"
    assert text_in_area([line], (0, 0, 200, 40)) == "Summe"


def test_word_boxes_that_no_longer_spell_the_line_are_not_trusted() -> None:
    words = (OcrWord("Surnme", 0.5, (0, 0, 100, 40)), OcrWord("EUR", 0.9, (300, 0, 400, 40)))
    line = OcrLine("Summe 12,00 EUR", 0.7, (0, 0, 400, 40), words)  # mended: three words
    assert text_in_area([line], (150, 0, 250, 40)) == "12,00"


def test_a_line_is_in_the_area_only_where_its_middle_height_is() -> None:
    line = OcrLine("Betrag", 0.9, (0, 100, 200, 140))
    assert text_in_area([line], (0, 125, 200, 300)) == ""  # cuts only its lower part
    assert text_in_area([line], (0, 115, 200, 300)) == "Betrag"


def test_lettering_kept_out_of_the_text_is_left_out() -> None:
    logo = OcrLine("ACME", 0.9, (0, 0, 200, 60), in_text=False)
    line = OcrLine("Rechnung", 0.9, (0, 100, 200, 140))
    assert text_in_area([logo, line], (0, 0, 300, 300)) == "Rechnung"


def test_an_upright_line_is_taken_whole_or_not_at_all() -> None:
    upright = OcrLine("Seite 1 von 2", 0.9, (0, 0, 40, 400))  # printed up the page's edge
    assert text_in_area([upright], (0, 150, 60, 250)) == "Seite 1 von 2"
    assert text_in_area([upright], (30, 150, 60, 250)) == ""


def test_an_area_on_a_page_read_by_tesseract(tmp_path: Path) -> None:
    """The real Tesseract's word boxes: a frame around the second half of a printed row."""
    path = tmp_path / "rows.png"
    text_page(("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")).save(path)
    engine = EngineCore(load_config())
    try:
        (document,) = engine.ocr(OcrRequest([path], backend="tesseract", archive=False))
    finally:
        engine.close()
    assert document.ok, document.error
    page = document.pages[0]
    (total,) = [line for line in page.lines if "Total" in line.text]
    middle = (total.box[1] + total.box[3]) // 2
    amount = next(word for word in total.words if word.text == "123.45")
    area = (amount.box[0] - 10, middle - 5, page.width, middle + 5)
    assert text_in_area(page.lines, area) == "123.45 EUR"
    assert text_in_area(page.lines, (0, 0, page.width, page.height)) == page.text.strip()


@pytest.mark.parametrize("area", [(0, 0, 10, 10), (5000, 5000, 6000, 6000)])
def test_an_area_with_no_print_has_no_text(area: tuple[int, int, int, int]) -> None:
    assert text_in_area(TABLE, area) == ""


# --- a frame read again ----------------------------------------------------------------------


def table_page() -> OcrPage:
    text, lines = in_reading_order(TABLE)
    return OcrPage(0, 1200, 400, "rapidocr", 1.0, text, lines, markdown="| Betrag |")


def test_the_lines_read_again_take_the_place_of_what_stood_in_the_frame() -> None:
    again = [
        OcrLine("8.150,00", 0.95, (880, 160, 1020, 200)),
        OcrLine("9.446,00", 0.95, (880, 220, 1020, 260)),
    ]
    page = with_area_read(table_page(), (850, 150, 1050, 270), again)
    assert page.text == (
        "Position Beschreibung Betrag\n10 Sony Sunny01 8.150,00\n20 Highscreen MS 1775P 9.446,00"
    )
    assert page.markdown is None  # a layout engine's Markdown no longer matches
    assert [line.text for line in page.lines].count("9.440,00") == 0


def test_a_line_the_frame_cuts_keeps_its_part_outside() -> None:
    words = (
        OcrWord("Summe", 0.95, (0, 0, 100, 40)),
        OcrWord("12,00", 0.5, (500, 0, 600, 40)),
        OcrWord("EUR", 0.95, (620, 0, 680, 40)),
    )
    line = OcrLine("Summe 12,00 EUR", 0.5, (0, 0, 680, 40), words)
    page = OcrPage(0, 800, 100, "tesseract", 1.0, line.text, (line,))
    page = with_area_read(page, (450, 0, 700, 50), [OcrLine("12,60 EUR", 0.9, (500, 0, 680, 40))])
    assert page.text == "Summe 12,60 EUR"
    assert page.lines[0].words == (words[0],)  # the part outside keeps its word boxes


def test_lettering_kept_out_of_the_text_stays_out_of_it() -> None:
    logo = OcrLine("ACME", 0.9, (900, 0, 1100, 60), in_text=False)
    text, lines = in_reading_order(TABLE)
    page = OcrPage(0, 1200, 400, "auto", 1.0, text, (*lines, logo))
    page = with_area_read(
        page, (0, 90, 600, 150), [OcrLine("Pos. Beschreibung", 0.9, (100, 100, 480, 140))]
    )
    assert page.text.startswith("Pos. Beschreibung Betrag\n")
    assert "ACME" not in page.text and logo in page.lines


def test_a_page_cut_to_an_area_keeps_the_words_in_it_where_they_stood() -> None:
    logo = OcrLine("ACME", 0.9, (900, 0, 1100, 60), in_text=False)
    page = dataclasses.replace(table_page(), lines=(*table_page().lines, logo))
    cut = within_area(page, (80, 150, 1050, 270))
    assert cut.text == "10 Sony Sunny01 8.150,00\n20 Highscreen MS 1775P 9.440,00"
    assert [line.box for line in cut.lines] == [line.box for line in TABLE[2:]]
    assert cut.markdown is None and (cut.width, cut.height) == (1200, 400)
    assert within_area(page, (850, 0, 1200, 150)).lines == (TABLE[1], logo)
    assert within_area(page, (850, 0, 1200, 150)).text == "Betrag"  # the logo stays out of it


# --- a layout engine's Markdown, where a frame of its page is read again -----------------------

DOCLING_TABLE = """## Rechnung 4711

| Position Beschreibung   | Betrag   |
|-------------------------|----------|
| 10 Sony Sunny01         | 8.150,00 |
| 20 Highscreen MS 1775P  | 9.440,00 |

Zahlbar bis 15.11.2018 ohne Abzug.
"""


def docling_page() -> OcrPage:
    return dataclasses.replace(table_page(), backend="docling", markdown=DOCLING_TABLE)


def test_a_layout_engines_markdown_takes_the_lines_read_again_where_they_stood() -> None:
    """A frame over a column of a table read again: each amount goes into its own cell, and
    the heading, the rest of the table and the paragraph stay."""
    again = [
        OcrLine("8.150,00", 0.95, (880, 160, 1020, 200)),
        OcrLine("9.446,00", 0.95, (880, 220, 1020, 260)),
    ]

    page = with_area_read(docling_page(), (850, 150, 1050, 270), again)

    assert page.markdown == DOCLING_TABLE.replace("9.440,00", "9.446,00")
    assert "9.446,00" in page.text and "9.440,00" not in page.text


def test_lines_read_again_as_fewer_lines_go_where_the_first_stood() -> None:
    again = [OcrLine("20 Highscreen MS 1775P 9.440,00", 0.95, (100, 220, 1020, 260))]

    page = with_area_read(docling_page(), (80, 210, 1050, 270), again)

    assert page.markdown is not None
    row = next(row for row in page.markdown.splitlines() if "Highscreen" in row)
    assert row.startswith("| 20 Highscreen MS 1775P 9.440,00")
    assert row.count("9.440,00") == 1 and "| 10 Sony Sunny01" in page.markdown


def test_markdown_escapes_are_looked_through_and_a_new_reading_is_escaped() -> None:
    line = OcrLine("Konto_Nr 4711 | alt", 0.9, (100, 100, 600, 140))
    page = OcrPage(
        0, 800, 300, "docling", 1.0, line.text, (line,), markdown="Konto\\_Nr 4711 \\| alt\n"
    )

    again = with_area_read(
        page, (80, 90, 700, 150), [OcrLine("Konto_Nr 4712 | neu", 0.9, line.box)]
    )

    assert again.markdown == "Konto\\_Nr 4712 \\| neu\n"


def test_markdown_that_does_not_hold_the_text_read_again_is_given_up() -> None:
    page = dataclasses.replace(docling_page(), markdown="## Something else entirely\n")
    again = [OcrLine("9.446,00", 0.95, (880, 220, 1020, 260))]

    assert with_area_read(page, (850, 210, 1050, 270), again).markdown is None
