"""Tesseract's words whose accents on the paper its reading does not hold (``word_marks``).

Words drawn with a TrueType font (DejaVu, with every accent), in boxes drawn tight around
their ink as Tesseract's word boxes are; then the real Tesseract (German and English, which
know ä ö ü ß é and no other accent) on a page of names, and ``auto`` with the real RapidOCR.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from column_pages import font_file
from PIL import Image, ImageDraw, ImageFont
from samples import DATA

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document
from ablage_desktop.engine.models.word_marks import DOUBTED, doubt_unwritten, marks_agree


def font(size: int, serif: bool = True, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = font_file(bold=bold, serif=serif)
    if path is None:
        pytest.skip("the DejaVu fonts are not installed (fonts-dejavu-core)")
    return ImageFont.truetype(str(path), size)


def word_ink(
    text: str,
    size: int = 42,
    serif: bool = True,
    underline: bool = False,
    frame: bool = False,
    bold: bool = False,
    blur: float = 0.0,
) -> np.ndarray:
    """``text`` printed black on white, as ink (True) in the box around it."""
    from PIL import ImageFilter

    image = Image.new("L", (40 + size * len(text), size * 3), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, size), text, font=font(size, serif, bold), fill=0)
    ink = np.asarray(image.filter(ImageFilter.GaussianBlur(blur)) if blur else image) < 128
    rows, columns = np.nonzero(ink)
    top, bottom, left, right = rows.min(), rows.max(), columns.min(), columns.max()
    if underline:  # through the descenders, as a heading's rule is drawn
        ink[bottom - 2 : bottom + 1, left : right + 1] = True
    if frame:
        top, bottom, left, right = top - 6, bottom + 6, left - 6, right + 6
        ink[top : top + 2, left:right] = ink[bottom - 1 : bottom + 1, left:right] = True
        ink[top:bottom, left : left + 2] = ink[top:bottom, right - 1 : right + 1] = True
    return ink[top : bottom + 1, left : right + 1]


@pytest.mark.parametrize("serif", [True, False])
@pytest.mark.parametrize(
    "word",
    [
        *("Grüße", "über", "Café", "Wiśniewska", "Çelik", "Muñoz", "Dvořák", "Position", "Noël,"),
        *("Brașov", "Verkäufer:", "Peter's", "„Zitat“", "21°C", "m²", "Sie?", "Hinweis*"),
    ],
)
def test_a_word_read_with_its_accents_agrees_with_its_marks(word: str, serif: bool) -> None:
    assert marks_agree(word_ink(word, serif=serif), word)


@pytest.mark.parametrize("serif", [True, False])
@pytest.mark.parametrize(
    ("paper", "read"),
    [
        ("Çelik", "Celik"),  # a cedilla below a letter without a descender
        ("Muñoz", "Munoz"),  # a tilde
        ("Wiśniewska", "Wisniewska"),  # an acute beside two i's dots
        ("Dvořák", "Dvorak"),
        ("über", "uber"),
        ("Crème", "Creme"),
        ("Noël", "Noél"),  # two dots where one mark was read
        ("marrón", "marrön"),  # one mark where two dots were read
        ("rápido", "räpido"),  # as many marks as "ä" and "i" have, but no pair of dots
        ("m²", "m?"),  # a raised figure, and no question mark's dot on the line
        ("m³", "m"),
        ("Brașov", "Brasov"),  # a comma beneath the line
    ],
)
def test_a_word_read_without_its_accents_does_not(paper: str, read: str, serif: bool) -> None:
    assert not marks_agree(word_ink(paper, serif=serif), read)


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("serif", [True, False])
@pytest.mark.parametrize(
    ("paper", "read"),
    [("Michał", "Michat"), ("Wrocław", "Wroctaw"), ("Paweł", "Pawel"), ("Łukasz", "Lukasz")],
)
def test_a_stroke_through_a_stem_read_as_t_l_or_l_is_not_held(
    paper: str, read: str, serif: bool, bold: bool
) -> None:
    """German and English Tesseract writes ł as t or l and Ł as L, sure of them."""
    assert not marks_agree(word_ink(paper, serif=serif, bold=bold), read)


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("serif", [True, False])
def test_the_bars_and_feet_of_t_and_l_are_no_stroke(serif: bool, bold: bool) -> None:
    for word in ("Titel", "Leistung", "Stellplatz", "laut", "Halle", "LKW", "little"):
        assert marks_agree(word_ink(word, serif=serif, bold=bold), word), word


def rightmost_letter(ink: np.ndarray) -> tuple[tuple[slice, slice], np.ndarray]:
    """Where the word's last letter lies, and its own ink there."""
    from scipy import ndimage

    labels, _ = ndimage.label(ink)
    parts = ndimage.find_objects(labels)
    number = max(range(len(parts)), key=lambda n: parts[n][1].start) + 1
    return parts[number - 1], labels[parts[number - 1]] == number


def test_a_t_whose_top_tapers_above_its_bar_is_no_stroke() -> None:
    """Times' t ends in a point above its bar: its narrowest rows there are no measure of its
    stem (Liberation Serif's "Titel", "laut" and "Bitte" were doubted where they were)."""
    ink = word_ink("laut", bold=True)
    where, t = rightmost_letter(ink)
    bar = int(np.argmax(t.sum(axis=1)))  # the bar's first row: the widest
    for row in range(bar):
        ink[where][row, np.flatnonzero(t[row])[:-1]] = False  # one pixel over the bar
    assert marks_agree(ink, "laut")


def test_a_stem_nicked_in_a_row_is_no_narrower() -> None:
    """A row of the stem a scan left short by half its width does not make a stroke of the
    rest."""
    ink = word_ink("laut", bold=True)
    where, t = rightmost_letter(ink)
    rows = np.flatnonzero(t.any(axis=1))
    nick = rows[int(len(rows) * 0.6)]  # halfway up the x-height
    filled = np.flatnonzero(t[nick])
    ink[where][nick, filled[: len(filled) // 2]] = False
    assert marks_agree(ink, "laut")


def test_rules_frames_and_underlines_are_not_marks() -> None:
    heading = "Umsatzsteueraufschlüsselung:"
    assert marks_agree(word_ink(heading, underline=True), heading)
    crease = np.pad(word_ink("mean"), ((8, 0), (0, 0)))
    crease[2:4, :] = True  # a fold's dark line across the row above the letters
    assert marks_agree(crease, "mean")


def test_ascenders_cut_off_by_a_fold_are_not_marks() -> None:
    """A fold's light line one row thick across the ascenders parts their tops from them."""
    for word in ("the", "about", "them"):
        folded = word_ink(word, serif=False)
        folded[3, :] = False
        assert marks_agree(folded, word)
    assert marks_agree(word_ink("Shipping", serif=False, frame=True), "Shipping")


def test_small_print_and_broken_letters_cannot_tell() -> None:
    """Where an umlaut's dots run into the letter (small print) or letters fall apart into
    pieces (faint thermal print), a word is not doubted for its marks."""
    assert marks_agree(word_ink("Grüße", size=11), "Grüße")
    # bold 9 pt at 150 dpi, blurred: the dots run into the letter, nothing to doubt
    assert marks_agree(word_ink("Müller", size=17, bold=True, blur=1.0), "Müller")
    assert marks_agree(word_ink("zahlen?", size=17, bold=True, blur=1.3), "zahlen?")
    assert marks_agree(word_ink("Muñoz", size=11), "Munoz")
    broken = word_ink("Muñoz")
    broken[8:10, :] = False  # a faint band through the letters' tops: their tops stand apart
    assert marks_agree(broken, "Munoz")


NAMES = (
    "Kopie an Herrn Mehmet Çelik und Frau Wiśniewska",
    "Lieferung an José Muñoz, Dvořák und Zoë Brontë",
    "Mit freundlichen Grüßen aus der Buchhaltung",
)


def names_page() -> Image.Image:
    image = Image.new("L", (2300, 420), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(NAMES):
        draw.text((60, 60 + 110 * row), line, font=font(48), fill=0)
    return image


@pytest.fixture(scope="module")
def tesseract() -> Iterator[Backend]:
    from ablage_desktop.engine.backends import REGISTRY
    from ablage_desktop.engine.backends.tesseract import TesseractOptions

    spec = REGISTRY["tesseract"]
    options = TesseractOptions(engine="tesseract")
    if not spec.availability(options).ok:
        pytest.skip("tesseract cannot run here")
    backend = spec.load("tesseract", options)
    yield backend
    backend.close()


def test_tesseract_s_sure_words_without_their_accents_are_doubted(tesseract: Backend) -> None:
    image = names_page()
    reading = tesseract.recognize(PageImage(Path("names.png"), 0, image, 300))

    doubted = doubt_unwritten(reading.lines, image)

    before = [word for line in reading.lines for word in line.words]
    after = [word for line in doubted for word in line.words]
    assert [word.text for word in after] == [word.text for word in before]
    changed = {old.text for old, new in zip(before, after, strict=True) if old != new}
    misread = {word.text for word in before if re.sub(r"\W", "", word.text) in _WITHOUT_ACCENTS}
    sure_misread = {word.text for word in before if word.text in misread and word.confidence >= 0.9}
    assert sure_misread, "Tesseract was sure of none of the names it misread: nothing to doubt"
    assert sure_misread <= changed
    assert all(word.confidence == DOUBTED for word in after if word.text in changed)
    assert not changed & {"Mit", "freundlichen", "Grüßen", "aus", "der", "Buchhaltung"}
    kept = [new is old for old, new in zip(reading.lines, doubted, strict=True)]
    assert kept == [not {w.text for w in line.words} & changed for line in reading.lines]


_WITHOUT_ACCENTS = {"Celik", "Wisniewska", "Jose", "Munoz", "Dvorak", "Zoé", "Bronté", "Zoe"}


@pytest.mark.parametrize(
    "name",
    [
        "funsd_0000971160.png",  # typewriting at 100 dpi: letters of 6 pixels, no accent to see
        "de_symtrax_fremdwaehrung.pdf",  # Times at 200 dpi: serifs and hooks broken off
        "de_intarsys_taxifahrt.pdf",  # Courier: underlined headings, colons
        "pdfen_adverse_reactions_table.pdf",  # a ruled table: rules in the words' boxes
    ],
)
def test_no_word_of_the_data_set_s_print_is_doubted(name: str, tesseract: Backend) -> None:
    """Tesseract's readings of these documents have the marks their ink shows: not one word
    it is sure of is doubted (each rule's guard was found on one of them)."""
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"the data set is not here ({DATA})")
    doubted = []
    with open_document(path, IntakeLimits()) as document:
        for page in document.pages():
            lines = tesseract.recognize(page).lines
            before = [word for line in lines for word in line.words]
            after = [word for line in doubt_unwritten(lines, page.image) for word in line.words]
            doubted += [old.text for old, new in zip(before, after, strict=True) if old != new]
    assert doubted == []


def test_a_word_whose_letters_stand_as_many_on_two_rows_takes_the_line_s_baseline(
    tesseract: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serif at 200 dpi runs "rry" together: "J" and "rry" reach below the line as far as
    "e" and "s" stand on it. The line's other words tell which row is the baseline; on the
    word alone, the colon's lower dot was looked for under the descenders."""
    from ablage_desktop.engine.models import word_marks

    image = Image.new("L", (1700, 160), 255)
    line = "What's next? Tom's & Jerry's: 3/4 of 100 = 75; x^2 + y^2 = z^2."
    ImageDraw.Draw(image).text((100, 50), line, font=font(31), fill=0)
    reading = tesseract.recognize(PageImage(Path("line.png"), 0, image, 200))
    assert "Jerry's:" in reading.text, reading.text

    def doubted() -> list[str]:
        after = doubt_unwritten(reading.lines, image)
        return [
            old.text
            for line, new_line in zip(reading.lines, after, strict=True)
            for old, new in zip(line.words, new_line.words, strict=True)
            if old != new
        ]

    assert doubted() == []
    monkeypatch.setattr(word_marks, "_line_baseline", lambda words: None)
    assert doubted() == ["Jerry's:"]
