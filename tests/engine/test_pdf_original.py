"""The searchable PDF of a PDF read: its own pages kept, the text laid over them
(``exports/pdf_original.py``), checked against the page drawn from its render and by pikepdf's
PDF/A validator."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pikepdf import pdfa
from PIL import Image
from samples import pdf_bytes, text_page

from ablage_desktop.engine.intake.documents import IntakeLimits, open_document
from ablage_desktop.engine.intake.resolution import EXIF_ORIENTATION
from ablage_desktop.engine.results.document import OcrDocument, OcrLine, OcrPage
from ablage_desktop.engine.results.exports import render_pdf_from_file
from ablage_desktop.engine.results.exports.pdf import build_pdf

LIMITS = IntakeLimits()
ROWS = ("Rechnung 4711 vom 3. Mai", "Betrag 123,45 EUR netto")


def scanned_pdf(path: Path, rotate: int = 0, crop: tuple[float, ...] | None = None) -> Path:
    """A scan in a PDF, as a scanner writes it (one image a page), shown turned ``rotate``
    degrees and cut to ``crop`` (a box in points) where given."""
    path.write_bytes(pdf_bytes([text_page(ROWS, size=(1400, 900))], dpi=200))
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0].obj
        if rotate:
            page.Rotate = rotate
        if crop is not None:
            page.CropBox = pikepdf.Array(crop)
        pdf.save(path)
    return path


def read_as_tesseract_would(path: Path, turns: int = 0) -> OcrDocument:
    """The document with its page's lines where the scan shows its two rows (made-up boxes:
    the export places whatever lines it is given), read turned ``turns`` quarter turns."""
    with open_document(path, LIMITS) as document:
        image = document.page(0).image
    width, height = image.size
    if turns % 2:
        width, height = height, width
    tops = [height // 4 * (n + 1) for n in range(len(ROWS))]
    lines = tuple(
        OcrLine(text, 0.9, (width // 10, top, width // 2, top + 40))
        for text, top in zip(ROWS, tops, strict=True)
    )
    # the boxes stand in the scan's pixels (within the upright page's sides where it was
    # read turned): both exports compared place the same lines, wherever they are
    page = OcrPage(0, *image.size, "tesseract", 0.1, "\n".join(ROWS), lines, turns=turns)
    return OcrDocument(path, pages=[page])


def character_places(data: bytes) -> tuple[str, list[tuple[str, float, float]]]:
    """The first page's text, and each printable character with its centre on the page as a
    viewer shows it (its /Rotate applied), in points from its top left."""
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[0]
        width, height = page.get_size()
        text = page.get_textpage()
        places = []
        for index in range(text.count_chars()):
            if text.get_text_range(index, 1).isspace():
                continue  # pdfium's own spaces and line ends stand anywhere
            left, bottom, right, top = text.get_charbox(index)
            x, y = ctypes.c_int(), ctypes.c_int()
            pdfium_c.FPDF_PageToDevice(
                page.raw, 0, 0, round(width * 10), round(height * 10), 0,
                (left + right) / 2, (bottom + top) / 2, ctypes.byref(x), ctypes.byref(y),
            )  # fmt: skip
            places.append((text.get_text_range(index, 1), x.value / 10, y.value / 10))
        return text.get_text_range(), places
    finally:
        pdf.close()


@pytest.mark.parametrize(
    ("rotate", "crop", "turns"),
    [
        (0, None, 0),
        (90, (30.0, 20.0, 480.0, 300.0), 0),
        (180, (10.0, 40.0, 500.0, 320.0), 1),
        (270, (0.0, 0.0, 400.0, 324.0), 3),
    ],
)
def test_a_scanned_pdfs_page_is_kept_and_its_text_sits_where_the_drawn_page_has_it(
    tmp_path: Path, rotate: int, crop: tuple[float, ...] | None, turns: int
) -> None:
    """Through the page's crop box and /Rotate, and a turn of the reading: each character of
    the text laid over the original page stands, on the page as shown, where it stands on
    the page drawn from the render that was read (the export of images, tested on its own)."""
    path = scanned_pdf(tmp_path / "scan.pdf", rotate, crop)
    document = read_as_tesseract_would(path, turns)
    with open_document(path, LIMITS) as source:
        drawn = build_pdf(document, document.pages, [source.page(0)])

    kept = render_pdf_from_file(document, LIMITS)

    kept_text, kept_places = character_places(kept)
    _, drawn_places = character_places(drawn)
    assert sorted(kept_text.split()) == sorted(" ".join(ROWS).split())
    assert len(kept_places) == len(drawn_places)
    for char, x, y in kept_places:  # pdfium may give the lines in another order
        assert any(
            char == other and abs(x - x_drawn) <= 1.5 and abs(y - y_drawn) <= 1.5
            for other, x_drawn, y_drawn in drawn_places
        ), (char, x, y)
    with pikepdf.open(path) as original, pikepdf.open(io.BytesIO(kept)) as export:
        (scan,) = original.pages[0].get_images().values()
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert image.read_raw_bytes() == scan.read_raw_bytes()  # the scan, not a render of it


def test_a_scanned_pdf_comes_back_as_pdf_a_about_its_own_size(tmp_path: Path) -> None:
    path = scanned_pdf(tmp_path / "scan.pdf")
    document = read_as_tesseract_would(path)

    kept = render_pdf_from_file(document, LIMITS)

    assert pdfa.validate_written(io.BytesIO(kept), "2b").passed
    with pikepdf.open(io.BytesIO(kept)) as export:
        assert export.open_metadata().pdfa_status == "2B"
        assert str(export.docinfo["/Title"]) == "scan.pdf"
    assert len(kept) < path.stat().st_size + 20_000  # the font and the text, not a new scan


@pytest.mark.parametrize(("mode", "kept"), [(3, True), (0, False)])
def test_text_of_its_own_on_a_page_ocred_is_never_found_beside_the_new(
    tmp_path: Path, mode: int, kept: bool
) -> None:
    """A scanner's OCR (invisible, mode 3) is taken off the page, which is kept; text that is
    seen (mode 0: a born-digital page read with --pdf-text always_ocr) leaves the page to be
    drawn from its render."""
    path = scanned_pdf(tmp_path / "scan.pdf")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        font = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                               BaseFont=pikepdf.Name.Helvetica)
        )  # fmt: skip
        name = str(page.add_resource(font, pikepdf.Name.Font)).encode()
        page.contents_add(b"q BT %d Tr %s 12 Tf 40 40 Td (Rxchnung 47ll) Tj ET Q" % (mode, name))
        pdf.save(path)
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    text, _ = character_places(exported)
    assert "Rxchnung" not in text and sorted(text.split()) == sorted(" ".join(ROWS).split())
    with pikepdf.open(path) as original, pikepdf.open(io.BytesIO(exported)) as export:
        (scan,) = original.pages[0].get_images().values()
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert (image.read_raw_bytes() == scan.read_raw_bytes()) is kept
    # the scanner's font (not embedded) went with its text: the file is PDF/A either way
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed


@pytest.mark.parametrize(("orientation", "kept"), [(1, True), (6, False)])
def test_a_jpeg_scan_is_kept_as_its_file_holds_it_unless_it_had_to_be_turned(
    tmp_path: Path, orientation: int, kept: bool
) -> None:
    """The JPEG itself, not compressed a second time; one its EXIF says to show turned was
    read turned, and its page is the turned image."""
    path = tmp_path / "receipt.jpg"
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    text_page(ROWS, size=(1400, 900)).save(path, quality=90, dpi=(200, 200), exif=exif)
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    with pikepdf.open(io.BytesIO(exported)) as export:
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert (image.read_raw_bytes() == path.read_bytes()) is kept
        assert (image.Width, image.Height) == (document.pages[0].width, document.pages[0].height)
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed
    text, _ = character_places(exported)
    assert sorted(text.split()) == sorted(" ".join(ROWS).split())


@pytest.mark.parametrize("mode", ["L", "RGB"])
def test_a_png_scan_goes_in_losslessly_as_its_file_compresses_it(tmp_path: Path, mode: str) -> None:
    """The PNG's own zlib data under the PNG predictors: the PDF's image decodes to the very
    pixels of the file (before, a JPEG of quality 85 of them)."""
    path = tmp_path / "scan.png"
    text_page(ROWS, size=(1400, 900)).convert(mode).save(path, dpi=(200, 200))
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    with pikepdf.open(io.BytesIO(exported)) as export, Image.open(path) as scan:
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert image.Filter == "/FlateDecode"
        assert pikepdf.PdfImage(image).as_pil_image().tobytes() == scan.tobytes()
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed


@pytest.mark.parametrize(
    ("mode", "options"), [("RGB", {}), ("L", {}), ("RGB", {"quality_layers": [20]})]
)
def test_a_jpeg_2000_scan_goes_in_as_its_file_holds_it(
    tmp_path: Path, mode: str, options: dict[str, object]
) -> None:
    """The JP2 file's bytes under /JPXDecode, lossless or not: neither decoded and compressed
    again as a JPEG, and the page shows its very pixels. (PDF/A-2 allows JPEG 2000 in a JP2
    file of one or three channels of one depth; pikepdf's validator does not check it.)"""
    path = tmp_path / "scan.jp2"
    text_page(ROWS, size=(1400, 900)).convert(mode).save(path, **options)
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    with pikepdf.open(io.BytesIO(exported)) as export, Image.open(path) as scan:
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert image.Filter == "/JPXDecode"
        assert image.read_raw_bytes() == path.read_bytes()
        shown = pikepdf.PdfImage(image).as_pil_image()
        assert shown.convert(mode).tobytes() == scan.convert(mode).tobytes()
    report = pdfa.validate_written(io.BytesIO(exported), "2b")
    assert report.violations == ()  # its validator leaves JPEG 2000 alone, and only that
    assert [f.message for f in report.unsupported] == ["JPEG 2000 images are not supported"]
    text, _ = character_places(exported)
    assert sorted(text.split()) == sorted(" ".join(ROWS).split())


@pytest.mark.parametrize("kind", ["jpx brand", "transparency"])
def test_a_jpeg_2000_pdf_a_may_not_hold_as_it_is_is_compressed_again(
    tmp_path: Path, kind: str
) -> None:
    """A JPX file (its brand allows colour spaces PDF/A-2 forbids) or one with an alpha
    channel goes in as before, decoded and compressed again, a PDF/A-2b that passes."""
    path = tmp_path / "scan.jp2"
    page = text_page(ROWS, size=(1400, 900)).convert("RGB")
    if kind == "transparency":
        page.putalpha(255)
    page.save(path)
    if kind == "jpx brand":
        data = bytearray(path.read_bytes())
        assert data[20:24] == b"jp2 "
        data[20:24] = b"jpx "
        path.write_bytes(bytes(data))
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    with pikepdf.open(io.BytesIO(exported)) as export:
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert image.Filter != "/JPXDecode"
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed


def png_image_data(path: Path) -> bytes:
    """The zlib data of a PNG's image: its IDAT chunks' contents, joined."""
    data, at, parts = path.read_bytes(), 8, []
    while at < len(data):
        length, kind = int.from_bytes(data[at : at + 4]), data[at + 4 : at + 8]
        if kind == b"IDAT":
            parts.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    return b"".join(parts)


@pytest.mark.parametrize(("colours", "bits"), [(40, 8), (12, 4)])
def test_a_palette_png_goes_in_as_its_file_holds_it(
    tmp_path: Path, colours: int, bits: int
) -> None:
    """A scan saved in a few colours: its palette and its indices as they stand (/Indexed)."""
    path = tmp_path / "form.png"
    text_page(ROWS, size=(1400, 900)).convert("RGB").quantize(colours).save(path)
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    with pikepdf.open(io.BytesIO(exported)) as export, Image.open(path) as scan:
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert image.ColorSpace[0] == "/Indexed" and image.BitsPerComponent == bits
        assert image.read_raw_bytes() == png_image_data(path)
        shown = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
        assert shown.tobytes() == scan.convert("RGB").tobytes()
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed


def noisy_colour_page() -> Image.Image:
    """A colour scan: the page's print on paper whose every pixel differs a little."""
    import numpy as np

    page = np.asarray(text_page(ROWS, size=(700, 450)).convert("RGB"), dtype=np.int16)
    grain = np.random.default_rng(7).integers(-6, 7, page.shape)
    return Image.fromarray(np.clip(page + grain, 0, 255).astype(np.uint8), "RGB")


@pytest.mark.parametrize(
    ("name", "options", "filter_name"),
    [
        ("grey.tif", {"compression": "tiff_lzw"}, "/FlateDecode"),
        ("colour.tif", {"compression": "tiff_adobe_deflate"}, "/FlateDecode"),
        ("few colours.tif", {"compression": "tiff_lzw"}, "/FlateDecode"),
        ("colour.bmp", {}, "/FlateDecode"),
        ("colour.webp", {"lossless": True}, "/FlateDecode"),
        ("photo.webp", {"lossless": False, "quality": 90}, "/DCTDecode"),
        ("photo.tif", {"compression": "jpeg"}, "/DCTDecode"),
    ],
)
def test_a_page_compressed_without_loss_stays_so_and_a_jpeg_in_a_tiff_stays_a_jpeg(
    tmp_path: Path, name: str, options: dict[str, object], filter_name: str
) -> None:
    """A grey or colour TIFF scan became a JPEG of quality 85; now the PDF shows the very
    pixels read (in a palette where the page has 256 colours or fewer). A TIFF that holds a
    JPEG, or a lossy WebP, was lossy already: a JPEG it becomes, as before."""
    path = tmp_path / name
    image = noisy_colour_page()
    if name.startswith("grey"):
        image = image.convert("L")
    elif name.startswith("few"):
        image = text_page(ROWS, size=(700, 450)).convert("RGB")
    image.save(path, **options)
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    with pikepdf.open(io.BytesIO(exported)) as export, open_document(path, LIMITS) as source:
        (stored,) = export.pages[0].get_images(recursive=False).values()
        read = source.page(0).image
        shown = pikepdf.PdfImage(stored).as_pil_image().convert(read.mode)
        assert stored.Filter == filter_name
        assert (shown.tobytes() == read.tobytes()) is (filter_name == "/FlateDecode")
        assert isinstance(stored.ColorSpace, pikepdf.Array) is name.startswith("few")
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed


def test_a_pdf_qpdf_fails_on_is_drawn_from_its_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged file pdfium read but qpdf stumbles over: the export is still made, as it was
    before pages were kept, from the renders."""
    from ablage_desktop.engine.results.exports import pdf_original

    def stumble(*_: object) -> bytes:
        raise pikepdf.PdfError("object 7 0 has an unexpected type")

    monkeypatch.setattr(pdf_original, "_on_original", stumble)
    path = scanned_pdf(tmp_path / "scan.pdf")
    document = read_as_tesseract_would(path)

    exported = render_pdf_from_file(document, LIMITS)

    text, _ = character_places(exported)
    assert sorted(text.split()) == sorted(" ".join(ROWS).split())
    assert pdfa.validate_written(io.BytesIO(exported), "2b").passed


@pytest.mark.parametrize(("lossless", "mode"), [(True, "RGB"), (False, "RGBA"), (True, "RGBA")])
def test_a_webp_with_metadata_or_transparency_is_told_lossless_by_its_image_chunk(
    tmp_path: Path, lossless: bool, mode: str
) -> None:
    """The extended format (``VP8X`` first: here an EXIF block, or transparency in an
    ``ALPH`` chunk before a lossy image) is looked through to the image's own chunk."""
    from ablage_desktop.engine.results.exports.file_images import _webp_is_lossless

    path = tmp_path / "scan.webp"
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 1
    Image.new(mode, (64, 48), "white").save(path, lossless=lossless, exif=exif)
    assert path.read_bytes()[12:16] == b"VP8X"

    assert _webp_is_lossless(path) is lossless


@pytest.mark.parametrize(("compression", "kept"), [("tiff_lzw", {0, 2}), ("jpeg", set())])
def test_the_pages_of_a_tiff_are_told_lossless_by_their_compression(
    tmp_path: Path, compression: str, kept: set[int]
) -> None:
    """Three pages of one TIFF, the pages asked about among them (the second was read from
    elsewhere): LZW keeps them, JPEG-in-TIFF does not."""
    from ablage_desktop.engine.results.exports.file_images import lossless_pages

    path = tmp_path / "stapel.tif"
    first, *rest = [noisy_colour_page() for _ in range(3)]
    first.save(path, compression=compression, save_all=True, append_images=rest)
    pages = [OcrPage(index, 700, 450, "tesseract", 0.1, "", ()) for index in (0, 2)]

    with open_document(path, LIMITS) as source:
        assert source.page_count == 3
        assert lossless_pages(source, pages) == kept


# --- compact: pages files hold without loss as JPEGs (exports.pdf_images) --------------------


@pytest.mark.parametrize(
    ("name", "make", "filter_name"),
    [
        ("grey.png", lambda: noisy_colour_page().convert("L"), "/DCTDecode"),
        ("colour.png", noisy_colour_page, "/DCTDecode"),
        ("colour.tif", noisy_colour_page, "/DCTDecode"),
        (
            "form.png",
            lambda: text_page(ROWS, size=(700, 450)).convert("RGB").quantize(12),
            "/FlateDecode",
        ),
        ("fax.png", lambda: text_page(ROWS, size=(700, 450)).convert("1"), "/CCITTFaxDecode"),
        ("clean form.png", lambda: text_page(ROWS, size=(700, 450)), "/FlateDecode"),
        ("receipt.jpg", noisy_colour_page, "/DCTDecode"),
    ],
)
def test_compact_makes_a_lossless_page_a_jpeg_where_that_is_smaller(
    tmp_path: Path, name: str, make, filter_name: str
) -> None:
    """A photographed grey or colour page its file holds without loss becomes a JPEG, less
    than half the size; a clean form's few greys or a palette's colours stay lossless (a
    JPEG of them would be larger), black and white goes in as CCITT G4, a JPEG stays itself
    (never compressed again); each a PDF/A-2b."""
    path = tmp_path / name
    make().save(path)
    document = read_as_tesseract_would(path)

    kept = render_pdf_from_file(document, LIMITS)
    compact = render_pdf_from_file(document, LIMITS, compact=True)

    with pikepdf.open(io.BytesIO(compact)) as export:
        (image,) = export.pages[0].get_images(recursive=False).values()
        assert image.Filter == filter_name
        if name == "receipt.jpg":
            assert image.read_raw_bytes() == path.read_bytes()
    if filter_name == "/DCTDecode" and name != "receipt.jpg":
        assert len(compact) < len(kept) / 2, (len(compact), len(kept))
    else:
        assert len(compact) <= len(kept) * 1.05
    assert pdfa.validate_written(io.BytesIO(compact), "2b").passed
    text, _ = character_places(compact)
    assert sorted(text.split()) == sorted(" ".join(ROWS).split())
