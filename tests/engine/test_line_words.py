"""Tesseract's words given to the lines RapidOCR's detector found, and which lines Tesseract
settles: the part of ``auto`` that spares RapidOCR's recogniser."""

from __future__ import annotations

from ablage_desktop.engine.models.line_words import (
    DETECTOR_REACH,
    reads_well,
    settled_line,
    sure_lines,
    words_by_line,
)
from ablage_desktop.engine.results.document import OcrWord


def word(text: str, x0: int, x1: int, confidence: float = 0.95, y0: int = 100) -> OcrWord:
    return OcrWord(text, confidence, (x0, y0, x1, y0 + 30))


LINE = (90, 92, 610, 138)
"""A detector box reaching past its line's ink a little, as RapidOCR's do."""


def test_a_word_goes_to_the_line_it_overlaps_most() -> None:
    upper, lower = (90, 92, 610, 138), (90, 128, 610, 174)  # overlapping boxes
    words = [word("Rechnung", 100, 250, y0=100), word("Summe", 100, 220, y0=138)]

    assert words_by_line(words, [upper, lower]) == [[words[0]], [words[1]]]


def test_a_word_outside_every_line_belongs_to_none() -> None:
    words = [word("Rand", 700, 780), word("Fuß", 100, 160, y0=400)]

    assert words_by_line(words, [LINE]) == [[]]


def test_a_word_taller_than_its_line_is_still_on_it() -> None:
    """Tesseract now and then boxes a word at twice its height."""
    tall = OcrWord("2016/05/01", 0.8, (200, 80, 380, 160))

    assert words_by_line([tall], [LINE]) == [[tall]]


def test_the_words_of_a_line_are_kept_left_to_right() -> None:
    words = [word("4711", 400, 480), word("Nr.", 100, 150), word("Rechnung", 160, 380)]

    [found] = words_by_line(words, [LINE])

    assert [w.text for w in found] == ["Nr.", "Rechnung", "4711"]


def test_a_line_tesseract_is_sure_of_end_to_end_is_settled_with_its_words() -> None:
    words = [word("Rechnung", 100, 300), word("Nr.", 320, 380), word("4711", 400, 600)]

    line = settled_line(words, LINE)

    assert line is not None
    assert line.text == "Rechnung Nr. 4711"
    assert line.box == LINE
    assert line.words == tuple(words)
    assert 0.9 <= line.confidence <= 1.0


def test_one_unsure_word_leaves_the_line_to_rapidocr() -> None:
    words = [word("Rechnung", 100, 300), word("Nr.", 320, 380, 0.6), word("4711", 400, 600)]

    assert settled_line(words, LINE) is None


def test_ink_tesseract_did_not_read_leaves_the_line_to_rapidocr() -> None:
    """Its words cover only half of the detector's box: something there went unread."""
    assert settled_line([word("Rechnung", 100, 300)], LINE) is None
    assert settled_line([], LINE) is None


def test_a_character_dropped_at_one_end_leaves_the_line_to_rapidocr() -> None:
    """Tesseract read a receipt's "4.07" as ".07", sure of it: 32 pixels of the 42-pixel
    line's box before its word, within the reach allowed for both ends together."""
    amount = (430, 628, 516, 670)
    assert settled_line([word(".07", 462, 508, 0.91, y0=636)], amount) is None
    assert settled_line([word("4.07", 440, 508, 0.91, y0=636)], amount) is not None


def test_words_of_two_rows_are_not_one_line() -> None:
    words = [word("Rechnung", 100, 300, y0=92), word("4711", 320, 600, y0=118)]

    assert settled_line(words, (90, 90, 610, 150)) is None


def test_tesseract_settles_lines_only_on_a_page_it_reads_well() -> None:
    print_page = [word("Rechnung", 0, 1), word("4711", 0, 1), word("vom", 0, 1, 0.5)]
    receipt = [word("T0TAL", 0, 1, 0.4), word("RM12.60", 0, 1, 0.5), word("CASH", 0, 1)]

    assert reads_well(print_page)
    assert not reads_well(receipt)
    assert not reads_well([])


def test_a_bar_tesseract_may_have_read_for_a_capital_i_leaves_the_line_to_rapidocr() -> None:
    words = [word("Then", 100, 200), word("|", 215, 222), word("said", 240, 600)]

    assert settled_line(words, LINE) is None


def test_a_code_of_letters_and_digits_leaves_the_line_to_rapidocr() -> None:
    """Tesseract was sure of "DEO2..." for an IBAN's "DE02...": RapidOCR reads codes better."""
    words = [word("IBAN:", 100, 200), word("DE02120300000000202051", 215, 600)]

    assert settled_line(words, LINE) is None
    assert settled_line([word("Summe", 100, 300), word("1.234,50", 320, 600)], LINE) is not None


def test_the_lines_tesseract_is_sure_of_are_known_before_detection_in_a_detector_s_box() -> None:
    """``sure_lines``: what ``settled_line`` asks of the words (sure, no code, no bar, one
    row), the box the words' own widened as RapidOCR's detector widens it."""
    sure = [word("Rechnung", 100, 300), word("vom", 320, 380), word("30.10.2018", 400, 600)]
    unsure = [word("Summe", 100, 220), word("netto", 240, 340, 0.6)]
    code = [word("Kunde", 100, 220), word("K4711", 240, 360)]
    bar = [word("Seite", 100, 220), word("|", 240, 250)]
    two_rows = [word("oben", 100, 220), word("unten", 240, 360, y0=140)]

    [known] = sure_lines([list(reversed(sure)), unsure, code, bar, two_rows, []])

    assert known.text == "Rechnung vom 30.10.2018"
    assert known.words == tuple(sure)
    left, top, right, bottom = (round(reach * 30) for reach in DETECTOR_REACH)
    assert known.box == (100 - left, 100 - top, 600 + right, 130 + bottom)
