"""``auto`` and the reading order with the real CPU engines (issues 9 and 20).

Pages printed here with two and three columns keep their columns apart with every engine,
between a header line and a heading above them and a footnote and a footer below them; a
German invoice of the data set keeps its umlauts through ``auto``; and ``auto`` says per page
what it did.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from column_pages import ColumnPage, column_page
from PIL import Image, ImageDraw, ImageFont

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import BackendUnavailable
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.text.textmetrics import cer

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pytestmark = pytest.mark.slow

LEFT = [
    "Die Rechnung ist innerhalb von",
    "vierzehn Tagen ohne Abzug zu",
    "bezahlen. Bitte geben Sie bei",
    "der Zahlung immer die Nummer",
    "der Rechnung und Ihre Kunden",
    "nummer an, damit wir Ihre Zahlung",
]
RIGHT = [
    "Unsere Lieferungen erfolgen nach",
    "den allgemeinen Bedingungen, die",
    "Sie auf unserer Internetseite im",
    "Bereich Service finden. Fragen",
    "beantwortet gern unser Team im",
    "Kundendienst von Montag bis Freitag",
]
GERMAN_WORDS = ("Verkäufer", "Musterstraße", "Währung", "Fälligkeit", "Überweisung", "Müller")


def two_column_page() -> Image.Image:
    """An A4-like page at 150 dpi: two columns of running text with a wide gutter."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=30)
    for n, (left, right) in enumerate(zip(LEFT, RIGHT, strict=True)):
        top = 200 + 48 * n
        draw.text((90, top), left, font=font, fill=0)
        draw.text((680, top), right, font=font, fill=0)
    return page


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineCore]:
    engine = EngineCore(load_config())
    yield engine
    engine.close()


def read(engine: EngineCore, backend: str, path: Path) -> list[OcrPage]:
    if backend != "auto":
        try:
            engine.resolve(backend)
        except BackendUnavailable as exc:
            pytest.skip(str(exc))
    [document] = engine.ocr(OcrRequest([path], backend=backend, archive=False))
    assert document.ok, document.error
    return list(document.pages)


@pytest.mark.parametrize("backend", ["rapidocr", "tesseract", "auto"])
def test_a_two_column_page_keeps_its_columns_apart(
    engine: EngineCore, backend: str, tmp_path: Path
) -> None:
    """Every line of the left column comes before every line of the right one."""
    path = tmp_path / "zwei_spalten.png"
    two_column_page().save(path, dpi=(150, 150))

    [page] = read(engine, backend, path)

    middle = page.width / 2
    left = [line for line in page.lines if line.box[2] < middle]
    right = [line for line in page.lines if line.box[0] > middle]
    assert len(left) >= len(LEFT) - 1 and len(right) >= len(RIGHT) - 1, page.text
    assert not [line for line in page.lines if line.box[0] < middle < line.box[2]], page.text
    last_left = max(page.text.index(line.text) for line in left)
    first_right = min(page.text.index(line.text) for line in right)
    assert last_left < first_right, page.text


@pytest.mark.skipif(not DATA.is_dir(), reason=f"the shared data set is not at {DATA}")
def test_auto_reads_the_umlauts_of_a_german_invoice_and_says_how(engine: EngineCore) -> None:
    pages = read(engine, "auto", DATA / "de_ferd_physiotherapeut.pdf")

    text = "\n".join(page.text for page in pages)
    assert not [word for word in GERMAN_WORDS if word not in text]
    for page in pages:
        assert page.route and page.backend in page.route, page.route


# Columns of 19 and 20 lines, not a full page's 34 to 38: each line costs a recognition (on
# RapidOCR's side one at a time), and the order of the columns does not depend on their
# length. 19 keeps a paragraph's short last line in one of the three columns, as a full page.
COLUMN_PAGES = {
    "three narrow columns, 300 dpi": lambda: column_page(3, lines=19),
    "three columns, heading and footnote close by": lambda: column_page(
        3, tight=True, start=2, lines=19
    ),
    "two columns, sans serif, 200 dpi": lambda: column_page(
        2, dpi=200, serif=False, start=4, lines=20
    ),
}


def missing_in_turn(text: str, marks: list[str]) -> list[str]:
    """The marks not found in ``text`` each after the one before it."""
    missing, position = [], 0
    for mark in marks:
        found = text.find(mark, position)
        if found < 0:
            missing.append(mark)
        else:
            position = found + len(mark)
    return missing


@pytest.mark.parametrize("layout", list(COLUMN_PAGES))
@pytest.mark.parametrize("backend", ["rapidocr", "tesseract", "auto"])
def test_columns_under_a_heading_are_read_one_after_the_other(
    engine: EngineCore, backend: str, layout: str, tmp_path: Path
) -> None:
    printed: ColumnPage = COLUMN_PAGES[layout]()
    path = tmp_path / "columns.png"
    printed.image.save(path, dpi=(printed.dpi, printed.dpi))

    [page] = read(engine, backend, path)

    # The first three words of each column's first and last line, in the order a person
    # reads them: header, heading, column by column, footnote, footer.
    marks = [printed.header[:16], printed.heading[:24]]
    for column in printed.columns:
        marks += [" ".join(column[0].split()[:3]), " ".join(column[-1].split()[:3])]
    marks += [printed.footnote[:24], printed.footer.split()[0]]  # "Page" (Tesseract: "Page7")
    assert not missing_in_turn(" ".join(page.text.split()), marks), page.text
    assert cer(page.text, printed.truth) < 0.03, page.text


def letter_with_logo_and_banner() -> Image.Image:
    """A 300-dpi letter: a globe-like logo with its lettering in white on a textured
    gradient at the top right, the letter's lines, and a flat grey banner with white text."""
    import numpy as np
    from column_pages import font_file

    regular, bold = font_file(serif=False), font_file(bold=True, serif=False)
    if regular is None or bold is None:
        pytest.skip("the DejaVu fonts are not installed (fonts-dejavu-core)")
    font = ImageFont.truetype(str(regular), 40)
    page = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(page)
    top = 300
    for text in [*LEFT, *RIGHT]:
        draw.text((200, top), text, font=font, fill=0)
        top += 80
    draw.rectangle((180, top + 40, 2300, top + 300), fill=90)
    draw.text((260, top + 120), "Jetzt neu: Online-Portal unter www.muster.de", font=font, fill=255)
    rows, columns = np.mgrid[0:300, 0:700]
    gradient = 60 + 150 * columns / 700 + 30 * np.sin(rows / 7.0)
    logo = Image.fromarray(gradient.clip(0, 255).astype(np.uint8))
    ImageDraw.Draw(logo).text((110, 95), "MUSTER", font=ImageFont.truetype(str(bold), 90), fill=255)
    oval = Image.new("L", logo.size, 0)
    ImageDraw.Draw(oval).ellipse((0, 0, 699, 299), fill=255)
    page.paste(logo, (1600, 60), oval)
    return page


def test_auto_leaves_a_logos_lettering_out_of_the_text_but_keeps_a_banner(
    engine: EngineCore, tmp_path: Path
) -> None:
    """Tesseract takes both the logo and the flat grey banner for pictures; the logo's
    lettering is kept as a line marked ``picture_text`` (searchable) but not in the page's
    text, the banner's text stays. RapidOCR alone reads both into the text."""
    path = tmp_path / "letter.png"
    letter_with_logo_and_banner().save(path, dpi=(300, 300))

    [page] = read(engine, "auto", path)
    [alone] = read(engine, "rapidocr", path)

    assert "MUSTER" in alone.text.split()
    assert "MUSTER" not in page.text.split()
    assert [line.text for line in page.lines if not line.in_text] == ["MUSTER"]
    assert [line.role for line in page.lines if not line.in_text] == ["picture_text"]
    assert "Online-Portal" in page.text and "Kundendienst" in page.text
    assert page.route is not None and "1 line(s) in pictures left out of the text" in page.route
