"""Searchable PDF, as OCRmyPDF and Tesseract make it: the page image under invisible text.

Each page is the page image the engine read, sized in points from its pixels and resolution
(300 dpi where the image has none), with the recognised text on top in text render mode 3
(invisible), so a viewer shows the scan and searching, selecting and copying find the text.

Text layer: each line is one string, its words separated by spaces, so extraction gives words
with spaces and lines with line breaks. The font size is the height of the line's box (the
font's ascent and descent fill the em, so a character's box is the line's box), the baseline
sits a fifth of that above the box's bottom, and horizontal scaling (``Tz``) makes the string
span the box's width exactly. The font is a Type0 font (Identity-H) over an embedded glyphless
TrueType font (``glyphless``): character codes are numbered per file, every code draws the same
empty glyph, and a ToUnicode CMap gives each code its character, so any Unicode text (ä, ß, €,
≥, †, CJK, emoji) copies back unchanged.

The pages of a PDF are not drawn here where they can be kept: ``pdf_original`` copies them
from the file and lays this module's text layers over them (``build_text_layers``, ``Sheet``).

Lines without boxes (a vision-language model's text) are stacked evenly down the page at full
width, as ``placement.placed_lines`` describes (the same placement as hOCR).

Images: a page whose pixels are all black or white is stored losslessly as CCITT Group 4, as
fax and archive scanners store it; the page of a JPEG or PNG file as the file compresses it
(``file_images``); any other page of a file compressed without loss (a grey or colour TIFF
scan) without loss too, as a PNG holds it; any other page as JPEG, quality 85. The PDF is
written by hand (PDF 1.7, no dependency beyond Pillow), as PDF/A-2b, the format archives keep
(``pdfa``: its metadata and colour profile).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ablage_desktop import __version__
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.results.exports import file_images, glyphless, pdfa
from ablage_desktop.engine.results.exports.file_images import Encoded
from ablage_desktop.engine.results.exports.placement import (
    PlacedLine,
    clean_name,
    exportable_pages,
    placed_lines,
    upright,
)

if TYPE_CHECKING:
    from PIL import Image

PRODUCER = f"ablage-desktop {__version__}"
CREATOR = "Ablage Desktop"
DEFAULT_DPI = 300.0
JPEG_QUALITY = 85
BASELINE_RISE = -glyphless.DESCENT / glyphless.UNITS_PER_EM
"""The baseline's height above the bottom of a line box, as a share of the box's height."""
ADVANCE_EM = glyphless.ADVANCE / glyphless.UNITS_PER_EM


def render_pdf(document: OcrDocument, pages: Sequence[PageImage]) -> bytes:
    """``document`` as a searchable PDF over ``pages``, the images its pages were read from.

    For the GUI, which has the pages rendered already: ``pages`` must hold a ``PageImage``
    for the index of each recognised page (others are ignored); boxes are scaled from the
    result's page size to the image's, so an image rendered at another resolution fits too.
    Raises ``UsageError`` for a document with no recognised page or a missing image.
    """
    ocr_pages = exportable_pages(document, "PDF")
    by_index = {page.index: page for page in pages}
    missing = [page.index + 1 for page in ocr_pages if page.index not in by_index]
    if missing:
        raise UsageError(
            f"Cannot export {clean_name(document.document.name)} as PDF: no image of page "
            f"{', '.join(map(str, missing))}."
        )
    return build_pdf(document, ocr_pages, (by_index[page.index] for page in ocr_pages))


# --- building --------------------------------------------------------------------------------


def build_pdf(
    document: OcrDocument,
    pages: list[OcrPage],
    images: Iterable[PageImage],
    encoded: Mapping[int, Encoded] | None = None,
    lossless: Collection[int] = (),
    smallest: bool = False,
) -> bytes:
    """The searchable PDF/A of ``pages``, each drawn from its image of ``images``; a page of
    ``encoded`` (by index) takes that data, its file's (``file_images``), as it is, one of
    ``lossless`` (by index) is compressed without loss, any other as a JPEG; ``smallest``: a
    page held without loss as a JPEG where that is smaller (a photograph, not a form)."""
    lines = {page.index: _upright_lines(page) for page in pages}  # turned back in ``_text_ops``
    codes = _CharacterCodes(line.text for page_lines in lines.values() for line in page_lines)
    pdf = _Writer()
    catalog, page_tree = pdf.reserve(), pdf.reserve()
    font = _font(pdf, codes)
    kids: list[int] = []
    for page, image in zip(pages, images, strict=True):
        data = (encoded or {}).get(page.index)
        keep = page.index in lossless
        kids.append(
            _page(pdf, page_tree, font, page, image, lines[page.index], codes, data, keep, smallest)
        )
    _page_tree(pdf, page_tree, kids)
    title, producer, creator = clean_name(document.document.name), PRODUCER, CREATOR
    # PDF/A-2b (``pdfa``): the metadata says so, with the information dictionary's text, and
    # the output intent gives the page images' device colours their meaning.
    metadata = pdf.add(
        _stream(b"/Type /Metadata /Subtype /XML", pdfa.xmp(title, producer, creator), None)
    )
    profile = pdf.add(_stream(b"/N 3", zlib.compress(pdfa.SRGB_ICC), b"/FlateDecode"))
    condition = _text_string(pdfa.OUTPUT_CONDITION)
    intent = pdf.add(
        b"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier %s /Info %s "
        b"/DestOutputProfile %d 0 R >>" % (condition, condition, profile)
    )
    pdf.set(
        catalog,
        b"<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /OutputIntents [%d 0 R] >>"
        % (page_tree, metadata, intent),
    )
    info = pdf.add(
        b"<< /Title %s /Producer %s /Creator %s >>"
        % (_text_string(title), _text_string(producer), _text_string(creator))
    )
    return pdf.finish(catalog, info)


@dataclass(frozen=True, slots=True)
class Sheet:
    """Where a page's text layer goes on its PDF page: the page's ``mediabox`` (points), the
    ``view``, the size of the page as the scan shows it (points: the recognised page's pixels
    span it), the ``matrix`` from the page as it reads (upright, points, y up) onto the PDF
    page's user space, and the ``rotate`` that shows the PDF page upright (degrees, clockwise)."""

    mediabox: tuple[float, float, float, float]
    view: tuple[float, float]
    matrix: tuple[float, float, float, float, float, float]
    rotate: int

    @classmethod
    def of_scan(cls, width: float, height: float, turns: int) -> Sheet:
        """A page that is the scan itself, ``width`` x ``height`` points from the origin,
        read turned ``turns`` quarter turns counter-clockwise."""
        turns %= 4
        matrix = _turned_back(turns, width, height)
        return cls((0.0, 0.0, width, height), (width, height), matrix, (4 - turns) % 4 * 90)

    @classmethod
    def on_page(
        cls,
        mediabox: tuple[float, float, float, float],
        cropbox: tuple[float, float, float, float],
        rotate: int,
        turns: int,
    ) -> Sheet:
        """A page of a PDF, its scan the render of its ``cropbox`` (x0, y0, x1, y1) shown
        turned by its ``rotate`` (degrees, clockwise), and read turned ``turns`` quarter turns
        counter-clockwise from there: the page as it reads is the crop box turned both ways."""
        x0, y0, x1, y1 = cropbox
        width, height = x1 - x0, y1 - y0
        shown = rotate // 90 % 4
        view = (height, width) if shown % 2 else (width, height)
        quarters = (turns + 4 - shown) % 4  # counter-clockwise, from the page to its reading
        a, b, c, d, e, f = _turned_back(quarters, width, height)
        return cls(mediabox, view, (a, b, c, d, e + x0, f + y0), (4 - quarters) % 4 * 90)


def _page(
    pdf: _Writer,
    parent: int,
    font: int,
    page: OcrPage,
    image: PageImage,
    lines: list[PlacedLine],
    codes: _CharacterCodes,
    encoded: Encoded | None,
    lossless: bool,
    smallest: bool,
) -> int:
    dpi = image.dpi if image.dpi and image.dpi > 0 else DEFAULT_DPI
    width_pt, height_pt = image.width * 72 / dpi, image.height * 72 / dpi
    xobject = pdf.add(_image_xobject(image.image, encoded, lossless, smallest))
    sheet = Sheet.of_scan(width_pt, height_pt, page.turns)
    ops = [b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (_num(width_pt), _num(height_pt))]
    ops += _text_ops(page, lines, codes, sheet)
    return _page_object(pdf, parent, sheet, ops, b"/XObject << /Im0 %d 0 R >> " % xobject, font)


def _page_object(
    pdf: _Writer, parent: int, sheet: Sheet, ops: list[bytes], resources: bytes, font: int
) -> int:
    content = pdf.add(_stream(b"", zlib.compress(b"\n".join(ops) + b"\n"), b"/FlateDecode"))
    rotate = b" /Rotate %d" % sheet.rotate if sheet.rotate else b""
    return pdf.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [%s]%s "
        b"/Resources << %s/Font << /F0 %d 0 R >> >> /Contents %d 0 R >>"
        % (parent, b" ".join(map(_num, sheet.mediabox)), rotate, resources, font, content)
    )


def _text_ops(
    page: OcrPage, lines: list[PlacedLine], codes: _CharacterCodes, sheet: Sheet
) -> list[bytes]:
    """The invisible text of ``lines`` (placed on the page as it reads), each line a string
    spanning its box, drawn onto ``sheet``: a line of a page lying on its side runs up or down
    it, as its print does."""
    if not lines:
        return []
    view_width, view_height = sheet.view
    scale_x, scale_y = view_width / max(1, page.width), view_height / max(1, page.height)
    upright_height = max(1, page.height)
    if page.turns % 2:  # the upright page's sides are the scan's the other way round
        scale_x, scale_y, upright_height = scale_y, scale_x, max(1, page.width)
    a, b, c, d, e, f = sheet.matrix
    ops = [b"BT 3 Tr"]
    for line in lines:
        x0, y0, x1, y1 = line.box
        size = (y1 - y0) * scale_y
        stretch = 100 * (x1 - x0) * scale_x / (len(line.text) * ADVANCE_EM * size)
        x, y = x0 * scale_x, upright_height * scale_y - y1 * scale_y + BASELINE_RISE * size
        ops.append(
            b"/F0 %s Tf %s Tz %s Tm <%s> Tj"
            % (
                _num(size),
                _num(stretch),
                b" ".join(_num(v) for v in (a, b, c, d, a * x + c * y + e, b * x + d * y + f)),
                codes.encode(line.text),
            )
        )
    ops.append(b"ET")
    return ops


def build_text_layers(pages: list[OcrPage], sheets: list[Sheet]) -> bytes:
    """A PDF of the text layers alone: a page for each of ``pages`` on its ``sheet``, its
    invisible text and nothing else (``pdf_original`` lays each over a page of the original
    file). Not a file for anyone to keep: no metadata."""
    lines = {page.index: _upright_lines(page) for page in pages}
    codes = _CharacterCodes(line.text for page_lines in lines.values() for line in page_lines)
    pdf = _Writer()
    catalog, page_tree = pdf.reserve(), pdf.reserve()
    font = _font(pdf, codes)
    kids = [
        _page_object(
            pdf, page_tree, sheet, _text_ops(page, lines[page.index], codes, sheet), b"", font
        )
        for page, sheet in zip(pages, sheets, strict=True)
    ]
    _page_tree(pdf, page_tree, kids)
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % page_tree)
    return pdf.finish(catalog, pdf.add(b"<< >>"))


def _upright_lines(page: OcrPage) -> list[PlacedLine]:
    """The page's lines with text, placed on the page as it reads (``upright``)."""
    return [line for line in placed_lines(upright(page)[0]) if line.text]


def _page_tree(pdf: _Writer, page_tree: int, kids: list[int]) -> None:
    pdf.set(
        page_tree,
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)),
    )


def _turned_back(turns: int, width: float, height: float) -> tuple[float, ...]:
    """The PDF matrix from the page turned ``turns`` quarter turns counter-clockwise to stand
    upright (in points, y up) back onto the page as scanned, ``width`` x ``height`` points."""
    return {
        0: (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        1: (0.0, -1.0, 1.0, 0.0, 0.0, height),  # (u, v) -> (v, H - u)
        2: (-1.0, 0.0, 0.0, -1.0, width, height),  # (u, v) -> (W - u, H - v)
        3: (0.0, 1.0, -1.0, 0.0, width, 0.0),  # (u, v) -> (W - v, u)
    }[turns]


def _image_xobject(
    image: Image.Image,
    encoded: Encoded | None = None,
    lossless: bool = False,
    smallest: bool = False,
) -> bytes:
    head = b"/Type /XObject /Subtype /Image /Width %d /Height %d " % (image.width, image.height)
    if encoded is None and lossless and not _is_bilevel(image):
        encoded = file_images.lossless(image)
    if encoded is not None:  # the file's own data of ``image``, or its lossless PNG's
        space = b"/DeviceGray" if encoded.components == 1 else b"/DeviceRGB"
        if encoded.palette:
            colours = len(encoded.palette) // 3
            space = b"[/Indexed /DeviceRGB %d <%s>]" % (colours - 1, encoded.palette.hex().encode())
        entries = head + b"/ColorSpace " + space + b" /BitsPerComponent %d" % encoded.depth
        if encoded.parms:
            entries += b" /DecodeParms " + encoded.parms
        kept = _stream(entries, encoded.data, encoded.filter)
        if smallest and encoded.filter == b"/FlateDecode":  # never a lossy image again
            return min(kept, _jpeg(head, image), key=len)
        return kept
    if _is_bilevel(image):
        g4 = _group4(image)
        if g4 is not None:
            # libtiff codes runs of 0 bits as the fax's white runs, and 0 is black in Pillow's
            # mode "1": BlackIs1 true decodes those runs to 1 = black again (checked pixel for
            # pixel in the tests, with pdfium and with pikepdf).
            params = b"<< /K -1 /Columns %d /Rows %d /BlackIs1 true >>" % (
                image.width,
                image.height,
            )
            return _stream(
                head + b"/ColorSpace /DeviceGray /BitsPerComponent 1 /DecodeParms " + params,
                g4,
                b"/CCITTFaxDecode",
            )
        # Pillow's mode "1" packs rows MSB first, 1 = white, as DeviceGray at 1 bit reads it.
        packed = zlib.compress(image.convert("1").tobytes())
        return _stream(
            head + b"/ColorSpace /DeviceGray /BitsPerComponent 1", packed, b"/FlateDecode"
        )
    return _jpeg(head, image)


def _jpeg(head: bytes, image: Image.Image) -> bytes:
    """``image`` as a JPEG image stream (``head``: its type and size)."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY)
    space = b"/DeviceGray" if image.mode == "L" else b"/DeviceRGB"
    return _stream(
        head + b"/ColorSpace " + space + b" /BitsPerComponent 8", buffer.getvalue(), b"/DCTDecode"
    )


def _is_bilevel(image: Image.Image) -> bool:
    if image.mode == "1":
        return True
    if image.mode != "L":
        return False
    histogram = image.histogram()
    return histogram[0] + histogram[255] == image.width * image.height


def _group4(image: Image.Image) -> bytes | None:
    """The CCITT Group 4 data of a bilevel ``image`` (via libtiff), or None without libtiff."""
    from PIL import Image, features

    if not features.check("libtiff"):
        return None
    buffer = io.BytesIO()
    image.convert("1").save(buffer, "TIFF", compression="group4", strip_size=1 << 62)
    with Image.open(buffer) as tiff:
        offsets = tiff.tag_v2.get(273)
        counts = tiff.tag_v2.get(279)
    if not offsets or not counts or len(offsets) != 1 or len(counts) != 1:
        return None
    data = buffer.getvalue()
    return data[offsets[0] : offsets[0] + counts[0]]


# --- the font --------------------------------------------------------------------------------


class _CharacterCodes:
    """Two-byte character codes (CIDs) for the characters of a file, from 1 up, sorted."""

    def __init__(self, texts: Iterable[str]) -> None:
        characters = sorted(set().union(*map(set, texts)))
        if len(characters) >= 0xFFFF:
            raise UsageError("The text uses too many different characters for one PDF font.")
        self.characters = characters
        self._codes = {char: code for code, char in enumerate(characters, start=1)}

    def encode(self, text: str) -> bytes:
        return b"".join(b"%04X" % self._codes[char] for char in text)

    def to_unicode(self) -> bytes:
        """The ToUnicode CMap: code -> UTF-16BE of its character."""
        entries = [
            b"<%04X> <%s>" % (code, char.encode("utf-16-be").hex().upper().encode())
            for code, char in enumerate(self.characters, start=1)
        ]
        chunks = [
            b"%d beginbfchar\n%s\nendbfchar" % (len(part), b"\n".join(part))
            for part in (entries[i : i + 100] for i in range(0, len(entries), 100))
        ]
        return (
            b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + b"\n".join(chunks)
            + b"\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        )

    def cid_to_gid(self) -> bytes:
        """Glyph 0 for code 0, the blank glyph 1 for every other code."""
        return b"\x00\x00" + b"\x00\x01" * len(self.characters)


def _font(pdf: _Writer, codes: _CharacterCodes) -> int:
    name = glyphless.FONT_NAME.encode()
    font_file = pdf.add(
        _stream(
            b"/Length1 %d" % len(glyphless.GLYPHLESS_TTF),
            zlib.compress(glyphless.GLYPHLESS_TTF),
            b"/FlateDecode",
        )
    )
    descriptor = pdf.add(
        b"<< /Type /FontDescriptor /FontName /%s /Flags 4 /FontBBox [0 %d %d %d] "
        b"/ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>"
        % (
            name,
            glyphless.DESCENT,
            glyphless.ADVANCE,
            glyphless.ASCENT,
            glyphless.ASCENT,
            glyphless.DESCENT,
            glyphless.ASCENT,
            font_file,
        )
    )
    cid_map = pdf.add(_stream(b"", zlib.compress(codes.cid_to_gid()), b"/FlateDecode"))
    cid_font = pdf.add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor %d 0 R /DW %d /CIDToGIDMap %d 0 R >>"
        % (name, descriptor, glyphless.ADVANCE, cid_map)
    )
    to_unicode = pdf.add(_stream(b"", zlib.compress(codes.to_unicode()), b"/FlateDecode"))
    return pdf.add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (name, cid_font, to_unicode)
    )


# --- PDF syntax ------------------------------------------------------------------------------


class _Writer:
    """Numbered objects, then the file: header, bodies, cross-reference table, trailer."""

    def __init__(self) -> None:
        self._bodies: list[bytes | None] = []

    def reserve(self) -> int:
        self._bodies.append(None)
        return len(self._bodies)

    def set(self, number: int, body: bytes) -> None:
        self._bodies[number - 1] = body

    def add(self, body: bytes) -> int:
        self._bodies.append(body)
        return len(self._bodies)

    def finish(self, root: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self._bodies, start=1):
            if body is None:
                raise AssertionError(f"PDF object {number} was reserved but never written")
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        file_id = hashlib.md5(out, usedforsecurity=False).hexdigest().encode()
        out += (
            b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\n"
            b"startxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, root, info, file_id, file_id, xref)
        )
        return bytes(out)


def _stream(entries: bytes, data: bytes, filter_name: bytes | None) -> bytes:
    """A stream object; ``filter_name`` None for data kept as it is (PDF/A's metadata)."""
    if filter_name is not None:
        entries += b" /Filter " + filter_name
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def _num(value: float) -> bytes:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return b"0" if text in ("", "-0") else text.encode()


def _text_string(text: str) -> bytes:
    """A PDF text string: UTF-16BE with a byte order mark, in hex."""
    return b"<FEFF%s>" % text.encode("utf-16-be", "replace").hex().upper().encode()
