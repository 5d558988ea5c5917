"""RapidOCR's reading with Tesseract's help: which lines Tesseract re-reads, what is taken over
from it and what never is."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from ablage_desktop.engine.models.combine import LineStrip, combine, needs_rereading
from ablage_desktop.engine.results import OcrLine, OcrPage, OcrWord


def word(text: str, x0: int, x1: int, confidence: float = 0.95, y0: int = 100) -> OcrWord:
    return OcrWord(text, confidence, (x0, y0, x1, y0 + 30))


def tesseract_line(*words: OcrWord) -> OcrLine:
    box = (words[0].box[0], words[0].box[1], words[-1].box[2], words[-1].box[3])
    return OcrLine(" ".join(w.text for w in words), 0.95, box, words)


def page(backend: str, lines: list[OcrLine], seconds: float = 1.0) -> OcrPage:
    text = "\n".join(line.text for line in lines)
    return OcrPage(0, 2000, 1000, backend, seconds, text, tuple(lines))


def rapid(text: str, x0: int = 90, x1: int = 900, y0: int = 95) -> OcrLine:
    return OcrLine(text, 0.99, (x0, y0, x1, y0 + 40))


def test_spaces_rapidocr_ran_together_are_put_back_where_tesseract_is_sure() -> None:
    helper = page(
        "tesseract",
        [tesseract_line(word("Kundenstraße", 100, 400), word("15", 420, 470))],
    )
    result = combine(page("rapidocr", [rapid("Kundenstraße15")]), helper)

    assert result.page.text == "Kundenstraße 15"
    assert result.spaces == 1
    assert result.page.backend == "rapidocr+tesseract"
    assert result.page.seconds == 2.0


def test_a_word_tesseract_splits_inside_is_left_whole() -> None:
    """Tesseract's "Te lefax" is a false break between two lower-case letters."""
    helper = page("tesseract", [tesseract_line(word("Te", 100, 140), word("lefax-", 150, 300))])
    result = combine(page("rapidocr", [rapid("Telefax-")]), helper)

    assert result.page.text == "Telefax-"
    assert result.spaces == 0


def test_a_decimal_number_is_not_split_after_its_comma() -> None:
    helper = page("tesseract", [tesseract_line(word("16,", 100, 150), word("90", 160, 200))])

    assert combine(page("rapidocr", [rapid("16,90")]), helper).page.text == "16,90"


def test_unsure_words_change_nothing() -> None:
    helper = page(
        "tesseract",
        [tesseract_line(word("Braunschweig", 100, 400, 0.6), word("12345", 420, 520, 0.6))],
    )

    assert combine(page("rapidocr", [rapid("Braunschweig12345")]), helper).page.text == (
        "Braunschweig12345"
    )


def test_where_the_characters_differ_rapidocr_keeps_its_reading() -> None:
    helper = page(
        "tesseract", [tesseract_line(word("Kundenstrafe", 100, 400), word("15", 420, 470))]
    )

    assert combine(page("rapidocr", [rapid("Kundenstraße15")]), helper).page.text == (
        "Kundenstraße15"
    )


def test_a_sure_word_rapidocr_missed_is_added_in_its_place() -> None:
    helper = page(
        "tesseract",
        [
            tesseract_line(word("Zahlbetrag", 100, 400)),
            tesseract_line(word("521,91", 1500, 1700)),
        ],
    )
    result = combine(page("rapidocr", [rapid("Zahlbetrag", x1=420)]), helper)

    assert result.page.text == "Zahlbetrag 521,91"
    assert result.added == 1
    [_, added] = result.page.lines
    assert added.box == (1500, 100, 1700, 130)


def test_stray_marks_and_unsure_words_are_not_added() -> None:
    helper = page(
        "tesseract",
        [
            tesseract_line(word("Summe", 100, 300)),
            tesseract_line(word("|", 1500, 1510), word("Rauschen", 1600, 1800, 0.5)),
        ],
    )

    assert combine(page("rapidocr", [rapid("Summe", x1=320)]), helper).page.text == "Summe"


def test_helper_boxes_from_an_upscaled_page_are_scaled_back() -> None:
    """Tesseract may read the page upscaled twice: its boxes are then twice as large."""
    helper = page(
        "tesseract",
        [tesseract_line(word("GLN:", 200, 300, y0=200), word("4000001123452", 320, 800, y0=200))],
    )
    result = combine(page("rapidocr", [rapid("GLN:4000001123452", x1=420)]), helper, 2.0)

    assert result.page.text == "GLN: 4000001123452"


def test_a_reading_without_boxes_is_kept_as_it_is() -> None:
    helper = page("tesseract", [tesseract_line(word("Summe", 100, 300))])
    primary = OcrPage(0, 2000, 1000, "rapidocr", 1.0, "Summe 12,00")

    assert combine(primary, helper).page == primary


# --- which lines Tesseract re-reads ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kundenstraße15, Beispielstadt",
        "HandelsrechnungNr.47110815vom31.10.2018",
        "Telefon:0531 12345",
        "Ansprechpartner Frau MüllerAbteilung Einkauf",
        "Summe netto.Zahlbar sofort",
    ],
)
def test_a_line_whose_words_may_have_run_together_is_reread(text: str) -> None:
    assert needs_rereading(rapid(text))


@pytest.mark.parametrize(
    "text",
    [
        "It is a truth universally acknowledged",
        "Rechnung vom 30.10.2018, fällig am 14.11.2018",
        "Betrag 1.234,50 EUR um 14:11:20",
        "Kundennummer: 4711 (Konto)",
    ],
)
def test_a_line_of_separate_words_dates_and_numbers_is_not_reread(text: str) -> None:
    assert not needs_rereading(rapid(text))


def test_a_strip_stacks_the_lines_and_puts_the_words_found_back_on_the_page() -> None:
    image = Image.new("L", (1000, 600), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 400, 140), fill=0)
    boxes = [(100, 100, 400, 140), (500, 400, 900, 450)]

    strip = LineStrip.cut(image, boxes)

    (first_box, first_top), (second_box, second_top) = strip.placements
    assert [first_box, second_box] == boxes
    assert strip.image.mode == "L"
    assert strip.image.height >= 40 + 50 + 2 * strip.pad
    assert strip.image.width == 400 + 2 * strip.pad
    assert second_top > first_top + 40  # one under the other, with space between
    # the black bar of the first line was copied to its place in the strip
    assert strip.image.getpixel((strip.pad + 10, first_top + 10)) == 0
    assert strip.image.getpixel((strip.pad + 10, second_top + 10)) == 255

    reading = page(
        "tesseract",
        [
            tesseract_line(word("Zahlbetrag", strip.pad + 5, strip.pad + 150, y0=first_top)),
            tesseract_line(
                word("521,91", strip.pad + 10, strip.pad + 120, y0=second_top + 5),
                word("EUR", strip.pad + 140, strip.pad + 200, y0=second_top + 5),
            ),
        ],
    )
    on_page = strip.words_on_page(reading)

    assert [line.text for line in on_page.lines] == ["Zahlbetrag", "521,91 EUR"]
    assert on_page.lines[0].words[0].box == (105, 100, 250, 130)
    assert on_page.lines[1].words[1].box == (640, 405, 700, 435)


def test_tesseract_reading_only_a_strip_adds_no_words_of_its_own() -> None:
    helper = page(
        "tesseract",
        [tesseract_line(word("Zahlbetrag", 100, 400)), tesseract_line(word("521,91", 1500, 1700))],
    )
    result = combine(page("rapidocr", [rapid("Zahlbetrag", x1=420)]), helper, add_missed=False)

    assert result.page.text == "Zahlbetrag"
    assert result.added == 0
