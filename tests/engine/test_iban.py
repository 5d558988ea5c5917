"""IBANs read with a letter for a digit are mended where the check digits or a label say that
they are IBANs; anything else that starts with DE or AT is left as read."""

from __future__ import annotations

import pytest

from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord
from ablage_desktop.engine.text.iban import iban_valid, mend_ibans, mend_line, mend_page


@pytest.mark.parametrize(
    ("read", "mended"),
    [
        # Tesseract's readings of the data set's IBANs on its worn copies
        ("IBAN : DEO2120300000000202051", "IBAN : DE02120300000000202051"),
        ("Verkäufer-IBAN :DEI2 1234 432] 9876 00", "Verkäufer-IBAN :DE12 1234 4321 9876 00"),
        ("Verkäufer-IBAN : DEL2 1234 4321 9876 00", "Verkäufer-IBAN : DE12 1234 4321 9876 00"),
        # no label: the check digits decide
        (
            "Zahlung an DEO2 1203 0000 0000 2020 51 bis",
            "Zahlung an DE02 1203 0000 0000 2020 51 bis",
        ),
        ("AT6l 1904 3002 3457 3201", "AT61 1904 3002 3457 3201"),
        ("| DEO2120300000000202051 |", "| DE02120300000000202051 |"),
    ],
)
def test_a_look_alike_in_an_iban_is_read_as_its_digit(read: str, mended: str) -> None:
    assert mend_ibans(read) == mended


@pytest.mark.parametrize(
    "read",
    [
        "DE 12345 Beispielstadt",  # a postcode
        "USt-IdNr. DE136695976",  # a VAT number: digits only
        "DESIGN OF 1234",
        "DE8S 1203 0000 0000 2020 51",  # S for 5 gives the wrong check digits (DE02 is right)
        "Konto DE02 1203 OOOO OOOO 2O2O 5l",  # more look-alikes than digits
        "IBAN : OE0O2120300000000202051",  # the country code misread
        "DE12 1234 4321 9876 00",  # as printed
    ],
)
def test_what_is_not_an_iban_with_a_look_alike_is_left(read: str) -> None:
    assert mend_ibans(read) == read


def test_the_check_digits() -> None:
    assert iban_valid("DE02120300000000202051")
    assert iban_valid("DE02 1203 0000 0000 2020 51")
    assert not iban_valid("DE03120300000000202051")
    assert not iban_valid("DE0212030000000020205")


def test_a_line_and_its_words_are_mended_together() -> None:
    texts = ["IBAN:", "DEO2", "1203", "0000", "0000", "2020", "5l"]
    words = tuple(OcrWord(text, 0.9, (10 * n, 0, 10 * n + 8, 10)) for n, text in enumerate(texts))
    line = OcrLine(" ".join(texts), 0.9, (0, 0, 70, 10), words)
    mended = mend_line(line)
    assert mended.text == "IBAN: DE02 1203 0000 0000 2020 51"
    assert [word.text for word in mended.words] == mended.text.split()
    assert [word.box for word in mended.words] == [word.box for word in words]


def test_a_page_is_mended_in_its_text_and_lines_and_left_alone_without_ibans() -> None:
    line = OcrLine("IBAN : DEO2120300000000202051", 0.9, (0, 0, 100, 10))
    page = OcrPage(0, 100, 100, "tesseract", 0.1, "Rechnung\n" + line.text, (line,))
    mended = mend_page(page)
    assert mended.text == "Rechnung\nIBAN : DE02120300000000202051"
    assert mended.lines[0].text == "IBAN : DE02120300000000202051"
    plain = OcrPage(0, 100, 100, "tesseract", 0.1, "DE 12345 Beispielstadt")
    assert mend_page(plain) is plain
