"""RapidOCR's reading with Tesseract's help: which words Tesseract re-reads, what is taken over
from it and what never is."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from ablage_desktop.engine.models.combine import (
    LineStrip,
    Suspect,
    respace,
    suspect_spans,
    suspects,
)
from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord


def word(text: str, x0: int, x1: int, confidence: float = 0.95, y0: int = 100) -> OcrWord:
    return OcrWord(text, confidence, (x0, y0, x1, y0 + 30))


def page(backend: str, lines: list[OcrLine], seconds: float = 1.0) -> OcrPage:
    text = "\n".join(line.text for line in lines)
    return OcrPage(0, 2000, 1000, backend, seconds, text, tuple(lines))


def rapid(text: str, x0: int = 90, x1: int = 900, y0: int = 95) -> OcrLine:
    return OcrLine(text, 0.99, (x0, y0, x1, y0 + 40))


TESSERACT_STRIP = OcrPage(0, 500, 100, "tesseract", 0.5, "")


def respaced(text: str, *seen: OcrWord, scale: float = 1.0) -> tuple[str, int]:
    """RapidOCR's one-line page ``text`` with Tesseract's words ``seen`` in its one stretch."""
    primary = page("rapidocr", [rapid(text)])
    [suspect] = suspects(primary)
    result = respace(primary, [suspect], [list(seen)], TESSERACT_STRIP, scale)
    return result.page.text, result.spaces


# --- which words Tesseract re-reads ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Kundenstraße15, Beispielstadt", ["Kundenstraße15,"]),
        ("HandelsrechnungNr.47110815vom31.10.2018", ["HandelsrechnungNr.47110815vom31.10.2018"]),
        ("Telefon:0531 12345", ["Telefon:0531"]),
        ("Frau MüllerAbteilung Einkauf", ["MüllerAbteilung"]),
        ("Summe netto.Zahlbar sofort", ["netto.Zahlbar"]),
        ("Fax: +49 (030) 41092-111 20.03.201817:09:28", ["20.03.201817:09:28"]),
        ("Datum 2016/05/0114:11:20", ["2016/05/0114:11:20"]),
    ],
)
def test_a_word_that_may_be_two_run_together_is_reread(text: str, words: list[str]) -> None:
    assert [text[start:end] for start, end in suspect_spans(text)] == words


@pytest.mark.parametrize(
    "text",
    [
        "It is a truth universally acknowledged",
        "Rechnung vom 30.10.2018, fällig am 14.11.2018",
        "Betrag 1.234,50 EUR um 14:11:20",
        "Kundennummer: 4711 (Konto)",
        "Max Mustermann GmbH, ZUGFeRD, § 14 UStG, DE136695976",
        "TOTAL RM12.60 (5KG) K074 SST-6%",
    ],
)
def test_separate_words_dates_and_numbers_are_not_reread(text: str) -> None:
    assert suspect_spans(text) == []
    assert suspects(page("rapidocr", [rapid(text)])) == []


def test_only_the_stretch_of_the_line_around_the_word_is_cut_out() -> None:
    text = "Bitte überweisen Sie den Betrag bis zum Monatsende an Kundenstraße15"
    line = rapid(text, x0=100, x1=1500)

    [suspect] = suspects(page("rapidocr", [line]))

    assert suspect.line == 0
    assert suspect.box[1::2] == (line.box[1], line.box[3])
    assert suspect.box[0] > 800 and suspect.box[2] == 1500  # the second half of the line


def test_two_suspect_words_close_together_are_one_stretch() -> None:
    [suspect] = suspects(page("rapidocr", [rapid("Nr.4711 vom31.10.2018")]))

    assert len(suspect.spans) == 2


# --- what is taken over ----------------------------------------------------------------------


def test_spaces_rapidocr_ran_together_are_put_back_where_tesseract_is_sure() -> None:
    text, spaces = respaced(
        "Kundenstraße15, Beispielstadt",
        word("Kundenstraße", 100, 400),
        word("15,", 420, 470),
        word("Beispiel", 490, 600),
    )

    assert text == "Kundenstraße 15, Beispielstadt"
    assert spaces == 1


def test_the_page_names_both_engines_and_counts_both_times() -> None:
    primary = page("rapidocr", [rapid("Kundenstraße15")])
    result = respace(
        primary,
        suspects(primary),
        [[word("Kundenstraße", 100, 400), word("15", 420, 470)]],
        TESSERACT_STRIP,
    )

    assert result.page.backend == "rapidocr+tesseract"
    assert result.page.seconds == 1.5
    assert result.reread == 1
    assert "1 word(s) re-read by Tesseract, 1 space(s) put back" in result.summary


def test_the_neighbours_tesseract_read_around_the_word_do_not_matter() -> None:
    """The stretch cuts through the words either side: Tesseract reads parts of them."""
    text, _ = respaced(
        "Rechnung Nr.4711vom 30.10.2018",
        word("ung", 60, 100),
        word("Nr.", 110, 150),
        word("4711", 160, 240),
        word("vom", 250, 300),
        word("30.1", 310, 380, confidence=0.4),
    )

    assert text == "Rechnung Nr. 4711 vom 30.10.2018"


def test_a_word_tesseract_splits_inside_is_left_whole() -> None:
    """Tesseract's "Te lefax" is a false break between two lower-case letters."""
    text, spaces = respaced("Telefax:0531", word("Te", 100, 140), word("lefax:0531", 150, 300))

    assert text == "Telefax:0531"
    assert spaces == 0


def test_a_decimal_number_is_not_split_after_its_comma() -> None:
    text, _ = respaced("Betrag16,90EUR", word("Betrag16,", 100, 250), word("90EUR", 260, 400))

    assert text == "Betrag16,90EUR"


def test_unsure_words_close_together_change_nothing() -> None:
    text, _ = respaced(
        "Braunschweig12345",
        word("Braunschweig", 100, 400, 0.6),
        word("12345", 405, 505, 0.6),
    )

    assert text == "Braunschweig12345"


def test_a_wide_gap_is_a_space_however_unsure_tesseract_is_of_the_characters() -> None:
    """Unsure of a lone colon and of a short code, Tesseract still sees the spaces."""
    text, _ = respaced(
        "Verkäufer-IBAN:DE12 1234",
        word("Verkäufer-IBAN", 100, 400),
        word(":", 415, 422, 0.89),
        word("DE12", 440, 520, 0.67),
    )

    assert text == "Verkäufer-IBAN : DE12 1234"


def test_a_date_and_a_time_run_together_are_parted_only_between_them() -> None:
    text, _ = respaced(
        "Datum 20.03.201817:09:28",
        word("Datum", 100, 200),
        word("20.03.", 220, 300),  # Tesseract splits inside the date: not taken over
        word("2018", 310, 380),
        word("17:09:28", 400, 520),
    )

    assert text == "Datum 20.03.2018 17:09:28"


def test_a_time_is_not_split_at_its_colon() -> None:
    text, _ = respaced(
        "Uhrzeit:14:11", word("Uhrzeit:", 100, 250), word("14", 270, 300), word(":11", 320, 360)
    )

    assert text == "Uhrzeit: 14:11"


def test_where_the_characters_differ_rapidocr_keeps_its_reading() -> None:
    text, _ = respaced("Kundenstraße15", word("Kundenstrafe", 100, 400), word("15", 420, 470))

    assert text == "Kundenstraße15"


def test_helper_boxes_from_an_upscaled_page_are_scaled_back() -> None:
    """Tesseract may read the page upscaled twice: its boxes are then twice as large."""
    text, _ = respaced(
        "GLN:4000001123452",
        word("GLN:", 200, 300, y0=200),
        word("4000001123452", 320, 800, y0=200),
        scale=2.0,
    )

    assert text == "GLN: 4000001123452"


def test_two_words_of_one_line_are_respaced_each_in_its_place() -> None:
    primary = page("rapidocr", [rapid("Nr.4711 und Kundenstraße15", x1=1500)])
    found = suspects(primary)
    pieces = [
        [word("Nr.", 100, 150), word("4711", 160, 240)],
        [word("Kundenstraße", 900, 1300), word("15", 1320, 1400)],
    ]
    if len(found) == 1:  # one stretch holding both
        pieces = [pieces[0] + pieces[1]]

    result = respace(primary, found, pieces, TESSERACT_STRIP)

    assert result.page.text == "Nr. 4711 und Kundenstraße 15"
    assert result.spaces == 2


def test_a_page_with_nothing_to_respace_keeps_its_text() -> None:
    primary = page("rapidocr", [rapid("Kundenstraße15"), rapid("Summe", y0=300)])

    result = respace(primary, [Suspect(0, ((0, 14),), (90, 95, 900, 135))], [[]], TESSERACT_STRIP)

    assert result.page.text == "Kundenstraße15\n\nSumme"  # an empty line between blocks
    assert result.spaces == 0


# --- the strip -------------------------------------------------------------------------------


def test_a_strip_stacks_the_stretches_and_puts_the_words_found_back_on_the_page() -> None:
    image = Image.new("L", (1000, 600), 255)
    ImageDraw.Draw(image).rectangle((100, 100, 400, 140), fill=0)
    boxes = [(100, 100, 400, 140), (500, 400, 900, 450)]

    strip = LineStrip.cut(image, boxes)

    (first_box, first_top), (second_box, second_top) = strip.placements
    assert [first_box, second_box] == boxes
    assert strip.image.mode == "L"
    assert strip.image.width == 400 + 2 * strip.pad
    assert second_top > first_top + 40  # one under the other, with space between
    # the black bar of the first stretch was copied to its place in the strip
    assert strip.image.getpixel((strip.pad + 10, first_top + 10)) == 0
    assert strip.image.getpixel((strip.pad + 10, second_top + 10)) == 255

    reading = OcrPage(
        0,
        strip.image.width,
        strip.image.height,
        "tesseract",
        0.1,
        "",
        (
            OcrLine("Zahlbetrag", 0.9, (0, 0, 1, 1), (word("Zahlbetrag", 15, 160, y0=first_top),)),
            OcrLine(
                "521,91 EUR",
                0.9,
                (0, 0, 1, 1),
                (
                    word("521,91", strip.pad + 10, strip.pad + 120, y0=second_top + 5),
                    word("EUR", strip.pad + 140, strip.pad + 200, y0=second_top + 5),
                ),
            ),
        ),
    )
    first, second = strip.words_by_piece(reading)

    assert [w.text for w in first] == ["Zahlbetrag"]
    assert [w.text for w in second] == ["521,91", "EUR"]
    assert first[0].box == (15 - strip.pad + 100, 100, 160 - strip.pad + 100, 130)
    assert second[1].box == (640, 405, 700, 435)
