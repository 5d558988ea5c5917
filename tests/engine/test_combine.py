"""RapidOCR's lines with Tesseract's words: which words may take a break, which of
Tesseract's breaks are taken over and which never are."""

from __future__ import annotations

import pytest

from ablage_desktop.engine.models.combine import respace_lines, scaled_word, suspect_spans
from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord


def word(text: str, x0: int, x1: int, confidence: float = 0.95, y0: int = 100) -> OcrWord:
    return OcrWord(text, confidence, (x0, y0, x1, y0 + 30))


def page(backend: str, lines: list[OcrLine], seconds: float = 1.0) -> OcrPage:
    text = "\n".join(line.text for line in lines)
    return OcrPage(0, 2000, 1000, backend, seconds, text, tuple(lines))


def rapid(text: str, x0: int = 90, x1: int = 900, y0: int = 95) -> OcrLine:
    return OcrLine(text, 0.99, (x0, y0, x1, y0 + 40))


TESSERACT = OcrPage(0, 2000, 1000, "tesseract", 0.5, "")


def respaced(text: str, *seen: OcrWord, scale: float = 1.0) -> tuple[str, int]:
    """RapidOCR's one-line page ``text`` with Tesseract's words ``seen`` on that line (read on
    a page ``scale`` times larger)."""
    line = rapid(text)
    words = [scaled_word(word, scale) for word in seen]
    result = respace_lines(page("rapidocr", [line]), {line.box: words}, TESSERACT)
    return result.page.text, result.spaces


# --- which words may take a break -------------------------------------------------------------


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
        ("1 Stk 7% 3,90", ["7%"]),
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
        "TOTAL RM12.60 (5KG) K074 SST-6",
    ],
)
def test_separate_words_dates_and_numbers_are_not_reread(text: str) -> None:
    assert suspect_spans(text) == []


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


def test_a_per_cent_sign_tesseract_read_apart_from_its_number_stands_apart() -> None:
    """Monospaced invoices print "7 %"; where Tesseract's words show the gap, so does the
    line RapidOCR read (``backends.tesseract_words`` cuts the words Tesseract glued)."""
    text, spaces = respaced(
        "1 Stk 7% 3,90",
        word("1", 100, 120),
        word("Stk", 160, 230),
        word("7", 300, 316),
        word("%", 350, 367),
        word("3,90", 420, 500),
    )

    assert (text, spaces) == ("1 Stk 7 % 3,90", 1)
    assert respaced("1 Stk 7% 3,90", word("7%", 300, 367))[0] == "1 Stk 7% 3,90"


def test_the_page_names_both_engines_counts_both_times_and_keeps_settled_lines() -> None:
    """A settled line is Tesseract's own (it carries its words): it is left as it is."""
    rapid_line = rapid("Kundenstraße15")
    settled = OcrLine("Summe 15,00", 0.95, (90, 300, 400, 340), (word("Summe", 100, 250),))
    words = {rapid_line.box: [word("Kundenstraße", 100, 400), word("15", 420, 470)]}

    result = respace_lines(page("rapidocr", [rapid_line, settled]), words, TESSERACT)

    assert result.page.backend == "rapidocr+tesseract"
    assert result.page.seconds == 1.5
    assert result.page.text == "Kundenstraße 15\n\nSumme 15,00"
    assert result.settled == 1
    assert "1 of 2 line(s) as Tesseract read them, 1 space(s) put back" in result.summary


def test_the_neighbours_tesseract_read_around_the_word_do_not_matter() -> None:
    """The other words of the line, read well or not, are no part of the word's reading."""
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


def test_a_value_after_a_label_is_not_split_at_its_own_colons() -> None:
    """Tesseract sees a gap in "urn: zugferd.de" that is not there: only a label's colon (the
    first) may take a break."""
    text, _ = respaced(
        "Profil:urn:cen.eu:en16931#urn:zugferd.de:2p0",
        word("Profil", 100, 200),
        word(":", 215, 222),
        word("urn:cen.eu:en16931#urn:", 240, 600),
        word("zugferd.de:2p0", 640, 800),
    )

    assert text == "Profil : urn:cen.eu:en16931#urn:zugferd.de:2p0"


def test_a_time_is_not_split_at_its_colon() -> None:
    text, _ = respaced(
        "Uhrzeit:14:11", word("Uhrzeit:", 100, 250), word("14", 270, 300), word(":11", 320, 360)
    )

    assert text == "Uhrzeit: 14:11"


def test_a_character_misread_around_the_word_keeps_the_breaks_where_both_agree() -> None:
    """Tesseract reads "Verkäufer--IBAN :DEI2": the breaks at the colon stand between
    characters both engines read alike."""
    text, _ = respaced(
        "Verkäufer-IBAN:DE12 1234",
        word("Verkäufer--IBAN", 100, 420),
        word(":DEI2", 440, 540),
        word("1234", 560, 640),
    )

    assert text == "Verkäufer-IBAN :DE12 1234"


def test_where_the_readings_differ_much_rapidocr_keeps_its_own() -> None:
    text, _ = respaced("Kundenstraße15", word("Kvndcnslrafe", 100, 400), word("15", 420, 470))

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
    text, spaces = respaced(
        "Nr.4711 und Kundenstraße15",
        word("Nr.", 100, 150),
        word("4711", 160, 240),
        word("und", 260, 320),
        word("Kundenstraße", 340, 700),
        word("15", 720, 770),
    )

    assert text == "Nr. 4711 und Kundenstraße 15"
    assert spaces == 2


def test_a_line_without_tesseract_words_keeps_its_text() -> None:
    line, other = rapid("Kundenstraße15"), rapid("Summe", y0=300)

    result = respace_lines(page("rapidocr", [line, other]), {line.box: []}, TESSERACT)

    assert result.page.text == "Kundenstraße15\n\nSumme"  # an empty line between blocks
    assert result.spaces == 0
