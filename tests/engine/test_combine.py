"""RapidOCR's reading with Tesseract's help: what is taken over from Tesseract and what never is."""

from __future__ import annotations

from ablage_desktop.engine.models.combine import combine, sure_of_every_word
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


def test_sure_of_every_word_needs_enough_words_all_sure() -> None:
    sure = [tesseract_line(word("Broad", 0, 10), word("Agency", 20, 30), word("Call", 40, 50))]
    one_unsure = [
        tesseract_line(word("Broad", 0, 10), word("Agency", 20, 30, 0.89), word("X", 40, 50))
    ]

    assert sure_of_every_word(page("tesseract", sure))
    assert not sure_of_every_word(page("tesseract", one_unsure))
    assert not sure_of_every_word(page("tesseract", []))
    assert not sure_of_every_word(page("tesseract", [tesseract_line(word("Nur", 0, 10))]))


def test_a_reading_without_boxes_is_kept_as_it_is() -> None:
    helper = page("tesseract", [tesseract_line(word("Summe", 100, 300))])
    primary = OcrPage(0, 2000, 1000, "rapidocr", 1.0, "Summe 12,00")

    assert combine(primary, helper).page == primary
