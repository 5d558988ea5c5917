"""Exports: Markdown, hOCR, ALTO, searchable PDF and CSV, checked by reading them back."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from samples import DATA, pdf_bytes, text_page

from ablage_desktop import __version__
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import BackendUnavailable, InputError, UsageError
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document
from ablage_desktop.engine.preprocess.geometry import BoxMapper, quarter_turn_mappers
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrLine, OcrPage, render
from ablage_desktop.engine.results.exports import (
    EXPORT_FORMATS,
    glyphless,
    render_alto,
    render_csv,
    render_export,
    render_hocr,
    render_markdown,
    render_pdf,
    write_export,
)
from ablage_desktop.engine.results.exports.placement import PlacedLine, PlacedWord, word_boxes
from ablage_desktop.engine.text.textmetrics import cer, normalize

XHTML = "{http://www.w3.org/1999/xhtml}"
LIMITS = IntakeLimits()
TAXI = "de_intarsys_taxifahrt.pdf"
SPECIALS = ("Grüße aus Köln: Maß ÄÖÜ äöü ß", "Summe ≥ 12,50 € † Straße", "日本語 😀 ½")
POINT_TOLERANCE = 2.0


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def taxi() -> Iterator[OcrDocument]:
    """The two-page German invoice, recognised once by the real Tesseract."""
    if not (DATA / TAXI).is_file():
        pytest.skip(f"the shared data set is not at {DATA}")
    engine = EngineCore(load_config([]))
    try:
        try:
            engine.resolve("tesseract")
        except BackendUnavailable as exc:
            pytest.skip(str(exc))
        [document] = engine.ocr(OcrRequest([DATA / TAXI], backend="tesseract"))
    finally:
        engine.close()
    assert document.ok, document.error
    yield document


@pytest.fixture(scope="module")
def taxi_pdf(taxi: OcrDocument) -> bytes:
    return render_export(taxi, "pdf", LIMITS)


def synthetic(
    path: Path, lines: tuple[str, ...] = SPECIALS, dpi: float | None = 200
) -> tuple[OcrDocument, list[PageImage]]:
    """A page image with made-up line boxes (60 px high rows) and its result."""
    image = text_page(lines, size=(1400, 100 * len(lines) + 80))
    boxes = [(40, 40 + 100 * n, 40 + 40 * len(text), 100 + 100 * n) for n, text in enumerate(lines)]
    ocr_lines = tuple(OcrLine(text, 0.9 - n / 10, boxes[n]) for n, text in enumerate(lines))
    page = OcrPage(0, image.width, image.height, "tesseract", 0.1, "\n".join(lines), ocr_lines)
    return OcrDocument(path, pages=[page]), [PageImage(path, 0, image, dpi)]


def vlm_page(index: int = 0, text: str = "Erste Zeile\n\nDritte Zeile\nVierte Zeile\n") -> OcrPage:
    """A page as a vision-language model returns it: text, no boxes."""
    return OcrPage(index, 1000, 2000, "got_ocr2", 1.0, text)


def pdf_text(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()


def lines_of(text: str) -> list[str]:
    return [line for line in re.split(r"[\r\n]+", text) if line.strip()]


def hocr_tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def spans(root: ET.Element, cls: str) -> list[ET.Element]:
    return [el for el in root.iter() if el.get("class") == cls]


def bbox(element: ET.Element) -> tuple[int, ...]:
    match = re.search(r"bbox (\d+) (\d+) (\d+) (\d+)", element.get("title", ""))
    assert match, element.get("title")
    return tuple(int(v) for v in match.groups())


# --- PDF -------------------------------------------------------------------------------------


def test_given_a_real_german_invoice_when_exported_as_pdf_then_its_text_layer_gives_the_text_back(
    taxi: OcrDocument, taxi_pdf: bytes
) -> None:
    texts = pdf_text(taxi_pdf)

    assert len(texts) == len(taxi.pages) == 2
    for page, text in zip(taxi.pages, texts, strict=True):
        assert cer(text, page.text) < 0.02
    assert "Rechnungswährung" in texts[0]


def test_given_a_real_page_when_exported_as_pdf_then_pages_have_the_size_of_the_scan(
    taxi: OcrDocument, taxi_pdf: bytes
) -> None:
    pdf = pdfium.PdfDocument(taxi_pdf)
    try:
        for page, ocr_page in zip(pdf, taxi.pages, strict=True):
            width, height = page.get_size()
            # Rendered at 300 dpi: an A4 page is 2480 x 3507 px, 595 x 842 pt.
            assert width == pytest.approx(ocr_page.width * 72 / LIMITS.pdf_dpi, abs=0.01)
            assert height == pytest.approx(ocr_page.height * 72 / LIMITS.pdf_dpi, abs=0.01)
    finally:
        pdf.close()


def test_given_a_real_page_when_exported_as_pdf_then_each_line_sits_inside_its_box(
    taxi: OcrDocument, taxi_pdf: bytes
) -> None:
    pdf = pdfium.PdfDocument(taxi_pdf)
    try:
        page, ocr_page = pdf[0], taxi.pages[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        scale = 72 / LIMITS.pdf_dpi
        height = page.get_size()[1]
        checked = 0
        for line in ocr_page.lines[:6]:
            start = text.find(line.text)
            assert start >= 0, line.text
            x0, y0, x1, y1 = line.box
            for index in (start, start + len(line.text) // 2, start + len(line.text) - 1):
                left, bottom, right, top = textpage.get_charbox(index, loose=True)
                assert left >= x0 * scale - POINT_TOLERANCE
                assert right <= x1 * scale + POINT_TOLERANCE
                assert bottom >= height - y1 * scale - POINT_TOLERANCE
                assert top <= height - y0 * scale + POINT_TOLERANCE
                checked += 1
            # The line's text spans its box: first character at the left, last at the right.
            assert textpage.get_charbox(start, loose=True)[0] == pytest.approx(
                x0 * scale, abs=POINT_TOLERANCE
            )
            assert textpage.get_charbox(start + len(line.text) - 1, loose=True)[2] == (
                pytest.approx(x1 * scale, abs=POINT_TOLERANCE)
            )
        assert checked == 18
    finally:
        pdf.close()


def test_given_umlauts_sharp_s_euro_and_symbols_when_exported_as_pdf_then_they_round_trip(
    tmp_path: Path,
) -> None:
    document, pages = synthetic(tmp_path / "specials.png")

    [text] = pdf_text(render_pdf(document, pages))

    assert normalize(text) == normalize(document.pages[0].text)
    assert lines_of(text) == list(SPECIALS)
    assert cer(text, document.pages[0].text) < 0.02


def test_given_a_page_at_200_dpi_or_without_dpi_when_exported_then_the_size_follows(
    tmp_path: Path,
) -> None:
    for dpi, expected in ((200, 72 / 200), (None, 72 / 300)):
        document, pages = synthetic(tmp_path / "page.png", dpi=dpi)
        pdf = pdfium.PdfDocument(render_pdf(document, pages))
        try:
            width, height = pdf[0].get_size()
        finally:
            pdf.close()
        assert (width, height) == pytest.approx(
            (pages[0].width * expected, pages[0].height * expected), abs=0.01
        )


def test_given_a_pdf_export_when_checked_by_other_readers_then_it_is_valid(
    tmp_path: Path, taxi_pdf: bytes
) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    document, pages = synthetic(tmp_path / "specials.png")
    data = render_pdf(document, pages)
    from pikepdf import pdfa

    for blob in (data, taxi_pdf):
        with pikepdf.open(io.BytesIO(blob)) as pdf:
            assert pdf.check_pdf_syntax() == []
        report = pdfa.validate_written(io.BytesIO(blob), "2b")
        assert report.passed, "\n".join(map(str, report.findings))
        if shutil.which("qpdf"):
            path = tmp_path / "check.pdf"
            path.write_bytes(blob)
            result = subprocess.run(
                ["qpdf", "--check", str(path)], capture_output=True, text=True, check=False
            )
            assert result.returncode == 0, result.stdout + result.stderr
    if shutil.which("pdftotext"):
        path = tmp_path / "specials.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        )
        assert cer(result.stdout.decode("utf-8"), document.pages[0].text) < 0.02


def test_given_pdftotext_when_reading_a_real_export_then_it_gives_the_text_too(
    tmp_path: Path, taxi: OcrDocument, taxi_pdf: bytes
) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "taxi.pdf"
    path.write_bytes(taxi_pdf)

    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )

    assert cer(result.stdout.decode("utf-8"), taxi.text) < 0.02


def test_given_a_bilevel_scan_when_exported_then_its_image_is_kept_losslessly(
    tmp_path: Path,
) -> None:
    """Black-and-white pages go in as CCITT Group 4; every pixel must come back."""
    pikepdf = pytest.importorskip("pikepdf")
    image = text_page().point(lambda v: 0 if v < 128 else 255)
    path = tmp_path / "fax.png"
    document = OcrDocument(path, pages=[OcrPage(0, image.width, image.height, "t", 0, "x")])

    data = render_pdf(document, [PageImage(path, 0, image, 300)])

    with pikepdf.open(io.BytesIO(data)) as pdf:
        [raw] = pdf.pages[0].get_images().values()
        assert raw.Filter == pikepdf.Name.CCITTFaxDecode
        decoded = pikepdf.PdfImage(raw).as_pil_image().convert("L")
    assert decoded.tobytes() == image.tobytes()
    pdf = pdfium.PdfDocument(data)
    try:
        [shown] = [obj for obj in pdf[0].get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
        assert shown.get_bitmap().to_pil().convert("L").tobytes() == image.tobytes()
    finally:
        pdf.close()


def test_given_a_grey_scan_when_exported_then_it_is_a_jpeg(tmp_path: Path) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    document, pages = synthetic(tmp_path / "grey.png")
    assert len(pages[0].image.getcolors(256) or ()) > 2  # anti-aliased: not bilevel

    with pikepdf.open(io.BytesIO(render_pdf(document, pages))) as pdf:
        [raw] = pdf.pages[0].get_images().values()
        assert raw.Filter == pikepdf.Name.DCTDecode
        assert raw.ColorSpace == pikepdf.Name.DeviceGray


def test_given_a_page_without_boxes_when_exported_as_pdf_then_lines_are_stacked_evenly(
    tmp_path: Path,
) -> None:
    path = tmp_path / "vlm.png"
    page = vlm_page()
    document = OcrDocument(path, pages=[page])
    image = PageImage(path, 0, Image.new("L", (page.width, page.height), 255), 300)

    pdf = pdfium.PdfDocument(render_pdf(document, [image]))
    try:
        textpage = pdf[0].get_textpage()
        text = textpage.get_text_range()
        height = pdf[0].get_size()[1]
        band = height / 4  # four text lines, the blank one keeps its place
        assert lines_of(text) == ["Erste Zeile", "Dritte Zeile", "Vierte Zeile"]
        for row, word in ((0, "Erste"), (2, "Dritte"), (3, "Vierte")):
            left, bottom, _, top = textpage.get_charbox(text.index(word), loose=True)
            assert left == pytest.approx(0, abs=POINT_TOLERANCE)
            assert top == pytest.approx(height - band * row, abs=POINT_TOLERANCE)
            assert bottom == pytest.approx(height - band * (row + 1), abs=POINT_TOLERANCE)
    finally:
        pdf.close()


SIDEWAYS = ("Rechnung 4711", "Betrag 123,45 EUR")
UPRIGHT_BOXES = ((36, 36, 420, 78), (36, 136, 520, 178))
"""Where ``text_page(SIDEWAYS)`` prints its rows, on the 1400 x 320 page upright."""


def turned_page(turns: int) -> tuple[OcrPage, Image.Image, BoxMapper]:
    """``text_page(SIDEWAYS)`` scanned turned ``turns`` quarter turns clockwise and read
    turned back (``OcrPage.turns``), its lines without words of their own, as RapidOCR gives
    them; the scan; and the way from a box of the scan onto the page upright."""
    scan = text_page(SIDEWAYS).rotate(-90 * turns, expand=True)
    there, back = quarter_turn_mappers(turns, *scan.size)
    lines = tuple(
        OcrLine(text, 0.95, back.box(box))
        for text, box in zip(SIDEWAYS, UPRIGHT_BOXES, strict=True)
    )
    page = OcrPage(0, *scan.size, "rapidocr", 0.1, "\n".join(SIDEWAYS), lines, turns=turns)
    return page, scan, there


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_given_a_page_read_turned_when_exported_as_pdf_then_it_shows_upright_its_text_on_its_lines(
    tmp_path: Path, turns: int
) -> None:
    """A scan lying on its side or upside down, turned to be read: the PDF page keeps the
    scan and says to show it turned (``/Rotate``, clockwise), and each line's text runs along
    its print, from its first letter to its last as the page reads upright, within its box."""
    path = tmp_path / "turned.png"
    page, scan, there = turned_page(turns)
    document = OcrDocument(path, pages=[page])
    scale = 72 / 300
    tolerance = round(POINT_TOLERANCE / scale)

    def upright(charbox: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """A character's box (PDF points on the scan, y up) on the page upright, in pixels."""
        left, bottom, right, top = (value / scale for value in charbox)
        return there.box(
            (round(left), round(page.height - top), round(right), round(page.height - bottom))
        )

    pdf = pdfium.PdfDocument(render_pdf(document, [PageImage(path, 0, scan, 300)]))
    try:
        assert pdf[0].get_rotation() == (4 - turns) % 4 * 90
        textpage = pdf[0].get_textpage()
        text = textpage.get_text_range()
        for line, (x0, y0, x1, y1) in zip(page.lines, UPRIGHT_BOXES, strict=True):
            start = text.index(line.text)
            first = upright(textpage.get_charbox(start, loose=True))
            last = upright(textpage.get_charbox(start + len(line.text) - 1, loose=True))
            for left, top, right, bottom in (first, last):
                assert x0 - tolerance <= left < right <= x1 + tolerance, (turns, line.text)
                assert y0 - tolerance <= top < bottom <= y1 + tolerance, (turns, line.text)
            assert abs(first[0] - x0) <= tolerance and abs(last[2] - x1) <= tolerance
        shown = pdf[0].render(scale=0.5).to_pil()
        assert shown.width > shown.height  # a viewer shows it upright
    finally:
        pdf.close()


def test_given_pages_of_every_kind_when_exported_as_pdf_then_it_is_pdf_a_2b(tmp_path: Path) -> None:
    """The archive's format: pikepdf's PDF/A validator (an allowlist over veraPDF's rules,
    approving only what it knows to conform) passes the file, whose metadata says PDF/A-2b
    with the title of the information dictionary, a file name XML must escape."""
    from pikepdf import Pdf, pdfa

    path = tmp_path / "Rechnung <Müller & Söhne> 😀.png"
    specials, (specials_image,) = synthetic(path)
    turned, scan, _ = turned_page(1)
    colour = Image.new("RGB", (800, 600), (200, 30, 40))
    grey = Image.linear_gradient("L").resize((800, 600))
    pages = [
        specials.pages[0],  # Unicode beyond Latin-1 through the glyphless font
        dataclasses.replace(turned, index=1),  # /Rotate, the text matrix turned back
        vlm_page(2),  # no boxes; all white: CCITT G4
        dataclasses.replace(vlm_page(3), width=800, height=600),  # JPEG, DeviceRGB
        dataclasses.replace(vlm_page(4), width=800, height=600),  # JPEG, DeviceGray
        dataclasses.replace(vlm_page(5, ""), width=800, height=600),  # no text at all
    ]
    images = [
        specials_image.image,
        scan,
        Image.new("L", (1000, 2000), 255),
        colour,
        grey,
        colour,
    ]
    document = OcrDocument(path, pages=pages)
    data = render_pdf(document, [PageImage(path, n, im, 300) for n, im in enumerate(images)])

    report = pdfa.validate_written(io.BytesIO(data), "2b")
    assert report.passed, "\n".join(map(str, report.findings))
    with Pdf.open(io.BytesIO(data)) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.pdfa_status == "2B"
        assert metadata["dc:title"] == str(pdf.docinfo["/Title"]) == path.name
        assert str(pdf.docinfo["/Producer"]) == metadata["pdf:Producer"]
        assert len(pdf.pages) == len(pages)
    assert lines_of(pdf_text(data)[0]) == list(SPECIALS)


def test_given_a_recognised_file_when_exported_as_pdf_then_it_is_read_again_at_the_same_dpi(
    tmp_path: Path,
) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(pdf_bytes([text_page(), text_page(("Zweite Seite",))], dpi=150))
    limits = IntakeLimits(pdf_dpi=100)
    with open_document(path, limits) as source:
        images = [page.image for page in source.pages()]
        sha256 = source.sha256

    def line(text: str) -> OcrLine:
        return OcrLine(text, 1.0, (10, 10, 200, 40))

    pages = [
        OcrPage(i, im.width, im.height, "t", 0, f"Seite {i + 1}", (line(f"Seite {i + 1}"),))
        for i, im in enumerate(images)
    ]
    document = OcrDocument(path, sha256, pages)

    data = render_export(document, "pdf", limits)
    pixel = 72 / limits.pdf_dpi  # the render rounds to whole pixels

    assert [normalize(text) for text in pdf_text(data)] == ["Seite 1", "Seite 2"]
    # The PDF's own page size comes back: 1400 x 320 px at 150 dpi.
    pdf = pdfium.PdfDocument(data)
    try:
        assert pdf[0].get_size() == pytest.approx((1400 * 72 / 150, 320 * 72 / 150), abs=pixel)
    finally:
        pdf.close()


def test_given_a_file_changed_since_it_was_read_when_exported_as_pdf_then_it_refuses(
    tmp_path: Path,
) -> None:
    path = tmp_path / "page.png"
    text_page().save(path)
    document = OcrDocument(path, "0" * 64, [OcrPage(0, 1400, 320, "t", 0, "x")])

    with pytest.raises(UsageError, match="changed since it was read"):
        render_export(document, "pdf", LIMITS)


def test_given_a_missing_page_image_when_rendering_a_pdf_then_it_says_which(
    tmp_path: Path,
) -> None:
    document, _ = synthetic(tmp_path / "x.png")

    with pytest.raises(UsageError, match="no image of page 1"):
        render_pdf(document, [])


def test_the_carried_glyphless_font_has_a_box_glyph_and_an_empty_one_of_one_width() -> None:
    ttlib = pytest.importorskip("fontTools.ttLib")
    font = ttlib.TTFont(io.BytesIO(glyphless.GLYPHLESS_TTF))
    names = [".notdef", "blank"]

    assert font.getGlyphOrder() == names
    assert font["head"].unitsPerEm == glyphless.UNITS_PER_EM
    assert (font["hhea"].ascent, font["hhea"].descent) == (glyphless.ASCENT, glyphless.DESCENT)
    assert font["glyf"][".notdef"].numberOfContours == 0
    blank = font["glyf"]["blank"]  # a box over the em: an extent for every character
    assert blank.numberOfContours == 1
    assert (blank.xMin, blank.yMin, blank.xMax, blank.yMax) == (
        0,
        glyphless.DESCENT,
        glyphless.ADVANCE,
        glyphless.ASCENT,
    )
    assert {font["hmtx"][name][0] for name in names} == {glyphless.ADVANCE}
    assert font["name"].getDebugName(1) == glyphless.FONT_NAME


# --- hOCR ------------------------------------------------------------------------------------


def test_given_a_real_document_when_exported_as_hocr_then_it_has_one_ocr_line_per_line(
    taxi: OcrDocument,
) -> None:
    root = hocr_tree(render_export(taxi, "hocr", LIMITS))

    pages = spans(root, "ocr_page")
    assert len(pages) == len(taxi.pages)
    for element, page in zip(pages, taxi.pages, strict=True):
        assert bbox(element) == (0, 0, page.width, page.height)
        assert f"ppageno {page.index}" in element.get("title", "")
        lines = spans(element, "ocr_line")
        assert len(lines) == len(page.lines)
        for line_element, line in zip(lines, page.lines, strict=True):
            assert bbox(line_element) == line.box
            assert f"x_wconf {round(line.confidence * 100)}" in line_element.get("title", "")
            words = spans(line_element, "ocrx_word")
            assert " ".join(word.text or "" for word in words) == " ".join(line.text.split())
            # Tesseract's own words: their boxes and confidences, not estimates.
            assert [bbox(word) for word in words] == [word.box for word in line.words]
            for element, word in zip(words, line.words, strict=True):
                assert f"x_wconf {round(word.confidence * 100)}" in element.get("title", "")


def test_hocr_has_the_head_hocr_readers_look_for(tmp_path: Path) -> None:
    document, _ = synthetic(tmp_path / 'odd "name" <&>.png')

    data = render_hocr(document)
    root = hocr_tree(data)

    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>')
    assert root.tag == f"{XHTML}html"
    meta = {el.get("name"): el.get("content") for el in root.iter(f"{XHTML}meta")}
    assert meta["ocr-system"] == f"ablage-desktop {__version__}"
    assert set(meta["ocr-capabilities"].split()) >= {"ocr_page", "ocr_line", "ocrx_word"}
    [page] = spans(root, "ocr_page")
    assert 'image "' in page.get("title", "")
    assert '\\"name\\"' in page.get("title", "")
    assert [
        " ".join(word.text or "" for word in spans(line, "ocrx_word"))
        for line in spans(root, "ocr_line")
    ] == list(SPECIALS)


def test_given_text_with_markup_and_control_characters_when_exported_as_hocr_then_it_parses(
    tmp_path: Path,
) -> None:
    nasty = 'a < b & c > "d" \x00\x0c\x1b end \ud800'
    page = OcrPage(0, 500, 100, "t", 0, nasty, (OcrLine(nasty, 0.5, (0, 0, 500, 100)),))
    document = OcrDocument(tmp_path / "x\udcff.png", pages=[page])

    root = hocr_tree(render_hocr(document))

    [line] = spans(root, "ocr_line")
    assert " ".join(w.text or "" for w in spans(line, "ocrx_word")) == 'a < b & c > "d" end'


def test_given_a_page_without_boxes_when_exported_as_hocr_then_lines_are_stacked_evenly(
    tmp_path: Path,
) -> None:
    document = OcrDocument(tmp_path / "vlm.png", pages=[vlm_page()])

    root = hocr_tree(render_hocr(document))

    lines = spans(root, "ocr_line")
    assert [bbox(line) for line in lines] == [
        (0, 0, 1000, 500),
        (0, 1000, 1000, 1500),
        (0, 1500, 1000, 2000),
    ]
    assert all("x_source estimated" in line.get("title", "") for line in lines)
    assert all("x_wconf" not in line.get("title", "") for line in lines)


# --- ALTO ------------------------------------------------------------------------------------

ALTO = "{http://www.loc.gov/standards/alto/ns-v4#}"


def alto_tree(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{ALTO}alto"
    return root


def geometry(element: ET.Element) -> tuple[int, int, int, int]:
    x, y = int(element.get("HPOS", "")), int(element.get("VPOS", ""))
    return (x, y, x + int(element.get("WIDTH", "")), y + int(element.get("HEIGHT", "")))


def test_given_a_real_document_when_exported_as_alto_then_every_line_and_word_is_in_place(
    taxi: OcrDocument,
) -> None:
    """ALTO 4.4 as libraries read it (the output validated against alto-4-4.xsd when this was
    written): a Page per page, its lines in blocks of the reading order, Tesseract's words as
    Strings with their boxes and confidences, every ID once."""
    root = alto_tree(render_export(taxi, "alto", LIMITS))

    assert root.findtext(f"{ALTO}Description/{ALTO}MeasurementUnit") == "pixel"
    software = root.find(f"{ALTO}Description/{ALTO}Processing/{ALTO}processingSoftware")
    assert software is not None and software.findtext(f"{ALTO}softwareName") == "ablage-desktop"
    pages = root.findall(f"{ALTO}Layout/{ALTO}Page")
    assert [page.get("PHYSICAL_IMG_NR") for page in pages] == ["1", "2"]
    for element, page in zip(pages, taxi.pages, strict=True):
        assert (element.get("WIDTH"), element.get("HEIGHT")) == (str(page.width), str(page.height))
        blocks = element.findall(f"{ALTO}PrintSpace/{ALTO}TextBlock")
        assert len(blocks) > 1  # the reading order's parts, not one block a page
        lines = [line for block in blocks for line in block.findall(f"{ALTO}TextLine")]
        assert len(lines) == len([line for line in page.lines if line.text.strip()])
        by_box = {line.box: line for line in page.lines}
        for line_element in lines:
            line = by_box[geometry(line_element)]
            strings = line_element.findall(f"{ALTO}String")
            assert [s.get("CONTENT") for s in strings] == line.text.split()
            assert [geometry(s) for s in strings] == [word.box for word in line.words]
            assert [float(s.get("WC", "")) for s in strings] == [
                round(word.confidence, 2) for word in line.words
            ]
            assert len(line_element.findall(f"{ALTO}SP")) == len(strings) - 1
    ids = [element.get("ID") for element in root.iter() if element.get("ID")]
    assert len(ids) == len(set(ids))


def test_alto_of_text_without_boxes_and_of_lettering_kept_out_of_the_text(tmp_path: Path) -> None:
    """A vision-language model's text is stacked down the page without confidences; a logo's
    lettering is a block of its own after the text's; markup in the text stays text."""
    logo = OcrLine("ACME & <Co>", 0.9, (10, 10, 200, 40), in_text=False)
    salutation = 'Sehr "geehrte" Frau'
    line = OcrLine(salutation, 0.8, (10, 100, 300, 130))
    letter = OcrPage(0, 400, 300, "auto", 0, salutation, (line, logo))
    document = OcrDocument(tmp_path / "brief & co.png", pages=[letter, vlm_page(1)])

    root = alto_tree(render_alto(document))

    first, second = root.findall(f"{ALTO}Layout/{ALTO}Page")
    text, aside = first.findall(f"{ALTO}PrintSpace/{ALTO}TextBlock")
    assert [s.get("CONTENT") for s in text.iter(f"{ALTO}String")] == ["Sehr", '"geehrte"', "Frau"]
    assert [s.get("CONTENT") for s in aside.iter(f"{ALTO}String")] == ["ACME", "&", "<Co>"]
    lines = second.findall(f"{ALTO}PrintSpace/{ALTO}TextBlock/{ALTO}TextLine")
    assert [geometry(line) for line in lines] == [
        (0, 0, 1000, 500),
        (0, 1000, 1000, 1500),
        (0, 1500, 1000, 2000),
    ]
    assert all(s.get("WC") is None for s in second.iter(f"{ALTO}String"))
    assert root.findtext(f"{ALTO}Description/{ALTO}sourceImageInformation/{ALTO}fileName") == str(
        tmp_path / "brief & co.png"
    )


# --- Markdown --------------------------------------------------------------------------------


def test_given_one_page_when_exported_as_markdown_then_a_title_and_the_lines_without_sections(
    tmp_path: Path,
) -> None:
    page = OcrPage(0, 10, 10, "t", 0, "Rechnung Nr. 1\nvom 1. Mai 2024\n\n\nSumme: 12,00 €\n")
    document = OcrDocument(tmp_path / "rechnung_2024.pdf", pages=[page])

    text = render_markdown(document).decode("utf-8")

    assert text == ("# rechnung_2024.pdf\n\nRechnung Nr. 1  \nvom 1. Mai 2024\n\nSumme: 12,00 €\n")


def test_given_several_pages_when_exported_as_markdown_then_each_has_a_section(
    tmp_path: Path,
) -> None:
    """A page missing from a document that failed is said to be; from one that did not, it
    was not asked for (``ocr --pages``) and has no section."""
    pages = [OcrPage(0, 1, 1, "t", 0, "eins"), OcrPage(2, 1, 1, "t", 0, "")]
    failed = ErrorInfo("recognition", "Page 2: the engine crashed.")
    document = OcrDocument(tmp_path / "a.pdf", pages=pages, error=failed)
    chosen = OcrDocument(tmp_path / "a.pdf", pages=pages)

    text = render_markdown(document).decode("utf-8")

    assert text == (
        "# a.pdf\n\n## Page 1\n\neins\n\n## Page 2\n\n*Page 2 was not recognised.*\n\n"
        "## Page 3\n\n*No text was recognised on this page.*\n\n"
        "*The document is incomplete: Page 2: the engine crashed.*\n"
    )
    assert render_markdown(chosen).decode("utf-8") == (
        "# a.pdf\n\n## Page 1\n\neins\n\n## Page 3\n\n*No text was recognised on this page.*\n"
    )


def test_given_a_name_with_markup_when_exported_as_markdown_then_the_title_shows_it_as_is(
    tmp_path: Path,
) -> None:
    document = OcrDocument(tmp_path / "*neu* [1] <a>.png", pages=[OcrPage(0, 1, 1, "t", 0, "x")])

    title = render_markdown(document).decode("utf-8").split("\n", 1)[0]

    assert title == "# \\*neu\\* \\[1\\] \\<a\\>.png"


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("# Kopf", "\\# Kopf"),
        ("## Kopf", "\\## Kopf"),
        ("- Punkt", "\\- Punkt"),
        ("* Punkt", "\\* Punkt"),
        ("+ Punkt", "\\+ Punkt"),
        ("> Zitat", "\\> Zitat"),
        ("1. Position", "1\\. Position"),
        ("12) Position", "12\\) Position"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("```", "\\```"),
        ("<div>", "\\<div>"),
        ("#1 Kunde", "#1 Kunde"),
        ("-5,00 € Rabatt", "-5,00 € Rabatt"),
        ("1.5 kg", "1.5 kg"),
        ("30.10.2018", "30.10.2018"),
        ("Preis * Menge", "Preis * Menge"),
        ("   - eingerückt", "\\- eingerückt"),
    ],
)
def test_markdown_escapes_only_what_would_start_a_block(
    tmp_path: Path, line: str, escaped: str
) -> None:
    document = OcrDocument(tmp_path / "a.png", pages=[OcrPage(0, 1, 1, "t", 0, line)])

    body = render_markdown(document).decode("utf-8").split("\n\n", 1)[1]

    assert body == escaped + "\n"


# --- failed documents, formats and writing ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "hocr", "alto", "pdf", "csv"])
def test_given_a_failed_document_when_exported_then_a_usage_error_says_why(
    tmp_path: Path, fmt: str
) -> None:
    failed = OcrDocument(tmp_path / "x.pdf", error=ErrorInfo("encrypted", "It is locked."))

    with pytest.raises(UsageError, match=re.escape("was not recognised (It is locked.)")):
        render_export(failed, fmt, LIMITS)


@pytest.mark.parametrize("fmt", ["txt", "json"])
def test_given_a_failed_document_when_exported_as_txt_or_json_then_it_is_as_results_writes_it(
    tmp_path: Path, fmt: str
) -> None:
    failed = OcrDocument(tmp_path / "x.pdf", error=ErrorInfo("encrypted", "It is locked."))

    assert render_export(failed, fmt, LIMITS) == render(failed, fmt)


def test_given_a_document_that_stopped_on_a_later_page_then_earlier_pages_are_exported(
    tmp_path: Path,
) -> None:
    document, pages = synthetic(tmp_path / "part.png")
    document.error = ErrorInfo("recognition", "Page 2: the engine crashed.")

    markdown = render_markdown(document).decode("utf-8")
    root = hocr_tree(render_hocr(document))
    [text] = pdf_text(render_pdf(document, pages))

    assert markdown.endswith("*The document is incomplete: Page 2: the engine crashed.*\n")
    assert "Grüße aus Köln" in markdown
    assert len(spans(root, "ocr_line")) == len(SPECIALS)
    assert lines_of(text) == list(SPECIALS)


def test_csv_is_a_row_a_page_of_its_fields_or_its_text_as_a_spreadsheet_reads_it(
    tmp_path: Path,
) -> None:
    """Fields in their columns in the order read, a field of several lines quoted in its cell,
    UTF-8 with a byte order mark for Excel; without fields, the page's text in one column;
    on stdout no mark and, after the first document, no header."""
    fields = (("nr", "RE-2018-4711"), ("address", 'Anna "Anni" Muster\nKöln, Ring 1'))
    forms = OcrDocument(
        tmp_path / "formulare.pdf",
        pages=[
            OcrPage(1, 10, 10, "t", 0, "", fields=(("nr", ""), ("address", "Bonn"))),
            OcrPage(0, 10, 10, "t", 0, "", fields=fields),
        ],
    )
    letter = OcrDocument(tmp_path / "brief.png", pages=[OcrPage(0, 10, 10, "t", 0, "Grüße\n")])

    data = render_csv(forms)
    plain = render_csv(letter, header=False, bom=False)

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [
        ["document", "page", "nr", "address"],
        [str(tmp_path / "formulare.pdf"), "1", "RE-2018-4711", 'Anna "Anni" Muster\nKöln, Ring 1'],
        [str(tmp_path / "formulare.pdf"), "2", "", "Bonn"],
    ]
    assert b"\r\n" in data
    assert plain.decode("utf-8") == f'{tmp_path / "brief.png"},1,"Grüße\n"\r\n'
    assert render_csv(letter).decode("utf-8-sig").startswith("document,page,text\r\n")


def test_given_an_unknown_format_when_exported_then_a_usage_error_lists_the_formats(
    tmp_path: Path,
) -> None:
    document, _ = synthetic(tmp_path / "a.png")

    with pytest.raises(UsageError, match="txt, md, json, hocr, alto, pdf, csv"):
        render_export(document, "docx", LIMITS)


def test_given_every_format_when_written_then_the_file_holds_the_rendered_bytes(
    tmp_path: Path,
) -> None:
    source = tmp_path / "page.png"
    text_page(SPECIALS).save(source, dpi=(300, 300))
    with open_document(source, LIMITS) as opened:
        [image] = opened.pages()
        sha256 = opened.sha256
    document, _ = synthetic(source)
    document.sha256 = sha256
    page = document.pages[0]
    document.pages[0] = OcrPage(0, image.width, image.height, "t", 0, page.text, page.lines)

    for fmt in EXPORT_FORMATS:
        target = tmp_path / "out" / f"result.{fmt}"
        write_export(document, target, fmt, LIMITS)
        assert target.read_bytes() == render_export(document, fmt, LIMITS)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"result.{fmt}" for fmt in EXPORT_FORMATS
    )


def test_given_an_export_that_fails_when_written_then_no_file_and_no_partial_file_is_left(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    existing = folder / "kept.pdf"
    existing.write_bytes(b"the old export")
    gone = OcrDocument(tmp_path / "deleted.png", pages=[OcrPage(0, 10, 10, "t", 0, "x")])
    failed = OcrDocument(tmp_path / "x.pdf", error=ErrorInfo("corrupt", "It is damaged."))

    with pytest.raises(InputError):
        write_export(gone, existing, "pdf", LIMITS)
    with pytest.raises(UsageError):
        write_export(failed, folder / "new.md", "md", LIMITS)

    assert existing.read_bytes() == b"the old export"
    assert sorted(p.name for p in folder.iterdir()) == ["kept.pdf"]


def test_without_the_engines_words_their_boxes_are_shared_out_by_characters() -> None:
    """RapidOCR gives lines only: "Summe 12,00" (11 characters) over 110 pixels."""
    line = PlacedLine("Summe 12,00", (100, 20, 210, 40), 0.9)

    assert word_boxes(line) == [
        PlacedWord("Summe", (100, 20, 150, 40)),
        PlacedWord("12,00", (160, 20, 210, 40)),
    ]


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_page_read_turned_is_arranged_as_it_reads_in_hocr_and_alto(
    tmp_path: Path, turns: int
) -> None:
    """Its lines stand across the page turned upright: the first row comes first, each line's
    words share it out along its print, and both say how the text stands on the scan (hOCR's
    ``textangle``, ALTO's ``ROTATION``, degrees counter-clockwise)."""
    page, _, there = turned_page(turns)
    document = OcrDocument(tmp_path / "turned.png", pages=[page])

    hocr_lines = spans(hocr_tree(render_hocr(document)), "ocr_line")
    alto = alto_tree(render_alto(document))

    angle = str((360 - 90 * turns) % 360)
    (alto_page,) = alto.findall(f"{ALTO}Layout/{ALTO}Page")
    assert alto_page.get("ROTATION") == angle
    alto_lines = list(alto_page.iter(f"{ALTO}TextLine"))
    assert [geometry(line) for line in alto_lines] == [line.box for line in page.lines]
    assert [bbox(line) for line in hocr_lines] == [line.box for line in page.lines]
    assert all(f"textangle {angle}" in line.get("title", "") for line in hocr_lines)
    alto_words = [geometry(word) for word in alto_lines[1].iter(f"{ALTO}String")]
    hocr_words = [bbox(word) for word in spans(hocr_lines[1], "ocrx_word")]
    assert alto_words == hocr_words
    x0, y0, x1, y1 = UPRIGHT_BOXES[1]
    standing = [there.box(word) for word in alto_words]  # as the page reads
    assert [(top, bottom) for _, top, _, bottom in standing] == [(y0, y1)] * 3  # across it
    lefts = [left for left, _, _, _ in standing]
    assert lefts[0] == x0 and lefts == sorted(lefts) and standing[-1][2] == x1  # along it
