"""RapidOCR's look-alike slips ("Fu1ler", "VinyI", "4O11") mended from Tesseract's words where
Tesseract, sure of the word, read the letter (or digit) at that very place, and only there."""

from __future__ import annotations

import pytest

from ablage_desktop.engine.models.combine import respace_lines
from ablage_desktop.engine.models.confusions import mended_word, suspects
from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord


def word(text: str, confidence: float = 0.95) -> OcrWord:
    return OcrWord(text, confidence, (0, 0, 10 * len(text), 30))


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("Fu1ler", [2]),
        ("E1in", [1]),
        ("VinyI", [4]),
        ("4O11", [1]),
        ("DE02", []),  # letters then digits: a code
        ("Seite1", []),  # a number at the end may be glued on: "Seite 1"
        ("RM12.60", []),
        ("5KG", []),
        ("ISBN", []),
        ("KI", []),
        ("A4B", []),  # out of kind, but 4 looks like no letter
    ],
)
def test_characters_out_of_kind_with_their_neighbours_are_suspects(
    text: str, offsets: list[int]
) -> None:
    assert suspects(text) == offsets


def test_a_suspect_takes_the_look_alike_tesseract_read_there_for_sure() -> None:
    line = [word("H."), word("B."), word("Fuller"), word("Company")]

    assert mended_word("Fu1ler", line) == "Fuller"
    assert mended_word("VinyI", [word("Vinyl"), word("Acetate")]) == "Vinyl"
    assert mended_word("E1in", [word("14:13:16"), word("Elin"), word("(1)")]) == "Elin"
    assert mended_word("4O11", [word("Kasse"), word("4011")]) == "4011"


@pytest.mark.parametrize(
    ("text", "seen"),
    [
        ("Fu1ler", [word("Fuller", confidence=0.6)]),  # Tesseract is not sure
        ("Fu1ler", [word("biter"), word("62315")]),  # it read something else there
        ("Fu1ler", [word("Fu1ler")]),  # it read the digit too
        ("Fu1ler", [word("Fuller"), word("Fuller")]),  # the word stands there twice
        ("Fu1ler", [word("Fuxler")]),  # x is no look-alike of 1
        ("Fu1ler", [word("Fuiier")]),  # another character differs besides the suspect
        ("Fu1ler", []),
        ("Fuller", [word("Fuller")]),  # nothing suspect
    ],
)
def test_otherwise_rapidocr_reading_stands(text: str, seen: list[OcrWord]) -> None:
    assert mended_word(text, seen) is None


def test_combining_mends_the_lines_rapidocr_recognised_and_counts_them() -> None:
    line = OcrLine("CHEMICAL FORMULA: VinyI Acetate", 0.99, (90, 95, 900, 135))
    seen = [word("CHEMICAL"), word("FORMULA:"), word("Vinyl"), word("Acetate")]
    primary = OcrPage(0, 2000, 1000, "rapidocr", 1.0, line.text, (line,))
    helper = OcrPage(0, 2000, 1000, "tesseract", 0.5, "")

    result = respace_lines(primary, {line.box: seen}, helper)

    assert result.page.text == "CHEMICAL FORMULA: Vinyl Acetate"
    assert result.mended == 1
    assert "1 word(s) mended" in result.summary


def test_an_i_takes_the_dotless_i_tesseract_is_sure_of() -> None:
    """RapidOCR reads Yılmaz as "Yilmaz"; Tesseract writes the ı."""
    assert mended_word("Yilmaz", [word("Yılmaz")]) == "Yılmaz"
    assert mended_word("Kilic", [word("Kılıc")]) == "Kılıc"
    assert mended_word("Yilmaz", [word("Yılmaz", confidence=0.5)]) is None  # not sure
    assert mended_word("Yilmaz", [word("Yilmaz")]) is None
    assert mended_word("Firma", [word("Fırma"), word("Firma")]) is None  # there twice
