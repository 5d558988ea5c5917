"""Words Tesseract glued across a gap the paper shows ("7%" where the invoice prints "7 %"),
cut where its own character boxes stand far apart and the break is one the ink decides; other
words, and the words after them on the line, read as Tesseract read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from column_pages import font_file
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.backends.tesseract import TesseractBackend, TesseractOptions
from ablage_desktop.engine.backends.tesseract_words import may_be_glued, split_at_gaps
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import Box, OcrWord


def characters(text: str, starts: list[int], width: int = 16) -> list[tuple[str, Box]]:
    """One box per character, ``width`` wide, 26 high, at the given left edges."""
    return [(ch, (x, 100, x + width, 126)) for ch, x in zip(text, starts, strict=True)]


def test_only_words_with_a_break_the_ink_may_decide_are_looked_into() -> None:
    assert may_be_glued("7%")
    assert may_be_glued("Kundenstraße15")
    assert not may_be_glued("Grundpreis")
    assert not may_be_glued("3,9000")
    assert not may_be_glued("30.10.2018")
    assert not may_be_glued("Nr.4711")  # beside a mark: see below


def test_a_wide_gap_before_a_per_cent_sign_is_a_space() -> None:
    # the taxi invoice's Courier: "7" at 1865-1881, "%" at 1915-1932, 26 px high
    word = OcrWord("7%", 0.95, (1865, 100, 1932, 126))
    pieces = split_at_gaps(word, characters("7%", [1865, 1915]))
    assert [piece.text for piece in pieces] == ["7", "%"]
    assert [piece.box for piece in pieces] == [(1865, 100, 1881, 126), (1915, 100, 1932, 126)]
    assert all(piece.confidence == 0.95 for piece in pieces)


def test_narrow_gaps_and_breaks_inside_numbers_and_codes_keep_the_word() -> None:
    # 7 px apart (0.27 of the height): the monospaced colon sits alone in its cell
    urn = "urn:cen"
    word = OcrWord(urn, 0.7, (0, 100, 160, 126))
    assert split_at_gaps(word, characters(urn, [0, 23, 46, 69, 92, 115, 138])) == [word]
    # monospaced print: a full stop or colon alone in its cell, a space's width beside it
    for text in ("Nr.4711", "ID:0011", "z.B."):
        word = OcrWord(text, 0.9, (0, 100, 23 * len(text), 126))
        starts = [23 * i for i in range(len(text))]
        narrow = [
            (ch, (x + (8 if ch in ".:" else 2), 100, x + (14 if ch in ".:" else 20), 126))
            for ch, (_, (x, *_)) in zip(text, characters(text, starts), strict=True)
        ]
        assert split_at_gaps(word, narrow) == [word]
    # a wide gap inside a date is letter spacing, not a space
    date = "30.10.2018"
    word = OcrWord(date, 0.9, (0, 100, 400, 126))
    assert split_at_gaps(word, characters(date, [i * 40 for i in range(len(date))])) == [word]


def test_characters_that_do_not_spell_the_word_leave_it_alone() -> None:
    word = OcrWord("7%", 0.95, (0, 100, 80, 126))
    assert split_at_gaps(word, characters("1%", [0, 60])) == [word]
    assert split_at_gaps(word, []) == [word]


def test_a_character_of_two_code_points_counts_both() -> None:
    # Tesseract reports a ligature as one character of two letters: "ﬁ" read as "fi"
    word = OcrWord("Profi12", 0.9, (0, 100, 300, 126))
    chars = [("P", 0), ("r", 20), ("o", 40), ("fi", 60), ("1", 140), ("2", 160)]
    boxes = [(text, (x, 100, x + 16, 126)) for text, x in chars]
    assert [piece.text for piece in split_at_gaps(word, boxes)] == ["Profi", "12"]


def read(image: Image.Image) -> list[list[str]]:
    backend = TesseractBackend("tesseract", TesseractOptions(engine="tesseract", instances=1))
    try:
        page = backend.recognize(PageImage(Path("page.png"), 0, image, 300.0))
    finally:
        backend.close()
    for line in page.lines:
        assert line.text == " ".join(word.text for word in line.words)
    return [[word.text for word in line.words] for line in page.lines]


def test_the_words_after_a_looked_into_word_are_all_read() -> None:
    """Reading a word's characters moves Tesseract's iterator: the line's next words must
    still come, once each, in order."""
    lines = ["Kundenstraße15 Tel.:0531 Summe:12 Ende", "Nr.4711 vom 31.10.2018 7% Rabatt"]
    path = font_file(serif=False)
    if path is None:
        pytest.skip("the DejaVu fonts are not installed (fonts-dejavu-core)")
    font = ImageFont.truetype(str(path), 40)
    image = Image.new("L", (1600, 300), 255)
    draw = ImageDraw.Draw(image)
    for index, text in enumerate(lines):
        draw.text((60, 60 + 110 * index), text, font=font, fill=0)
    words = read(image)
    assert [word for line in words for word in line][-1] == "Rabatt"
    assert words[0][-1] == "Ende"
    assert "vom" in words[1] and "31.10.2018" in words[1]


@pytest.mark.slow
def test_the_taxi_invoice_reads_its_tax_rates_apart(data_dir: Path) -> None:
    """The fax-quality scan of a Courier invoice: Tesseract, sure of itself, reads "7 %"
    as "7%" on both item lines; its character boxes stand a line height apart."""
    with Image.open(data_dir / "de_intarsys_taxifahrt_g4.tif") as image:
        words = read(image.convert("L"))
    items = [line for line in words if "Stk" in line]
    assert len(items) == 2
    for line in items:
        assert "%" in line
        assert not any(word.endswith("%") and word[:-1].isdigit() for word in line)
