"""Born-digital PDFs written by hand: real text in a standard font, and the ways a text layer
goes wrong (invisible OCR text over a scan, text hidden under an image, unmapped glyphs).

The files are small, plain PDF 1.7 (Helvetica with WinAnsiEncoding, a standard font every
reader has), so a test knows exactly what each page's layer holds and what it shows.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PIL import Image

A4 = (595.0, 842.0)
"""A4 in points."""


@dataclass(frozen=True)
class Run:
    """A line of text at ``(x, y)`` (the baseline, points from the bottom left)."""

    x: float
    y: float
    text: str
    size: float = 11.0
    mode: int = 0
    """Text render mode: 0 fill (visible), 3 invisible (an OCR layer)."""
    font: str = "F0"
    """F0 Helvetica (WinAnsi, mapped to Unicode); F1 a font whose glyphs map to no character."""
    angle: int = 0
    """Degrees counter-clockwise the line is turned on the page (90: it reads bottom to top,
    as a note along the margin)."""


@dataclass(frozen=True)
class Note:
    """Text in an annotation over the page, 250 x 20 points from ``(x, y)``: a filled form
    field's value (``widget``) or a text typed onto the page in a viewer (``freetext``)."""

    x: float
    y: float
    text: str
    kind: str = "widget"
    drawn: bool = True
    """Its appearance is in the file (False: the form asks the viewer to make it)."""
    hidden: bool = False
    """Flagged hidden: a viewer shows nothing."""


@dataclass
class Page:
    runs: list[Run] = field(default_factory=list)
    image: Image.Image | None = None
    """A picture filling the whole page (a scan)."""
    image_over_text: bool = False
    """Draw the picture after the text, so that it hides the text."""
    size: tuple[float, float] = A4
    image_size: tuple[float, float] | None = None
    """The picture's size on the page in points, from its bottom left (None: the page's)."""
    rotate: int = 0
    """The page's ``/Rotate``: degrees clockwise a reader turns it to show it."""
    notes: list[Note] = field(default_factory=list)
    """Annotations over the page."""


def prose_page(lines: Sequence[str], *, top: float = 780.0, size: float = 11.0) -> Page:
    """Lines of running text, one under the other, from the top of an A4 page."""
    leading = size * 1.45
    return Page([Run(60.0, top - n * leading, line, size) for n, line in enumerate(lines)])


def scanned_page(image: Image.Image, runs: Sequence[Run] = ()) -> Page:
    """A scan filling the page, optionally under an (invisible) text layer."""
    return Page(list(runs), image)


def pdf_bytes(pages: Sequence[Page], *, xfa: str = "") -> bytes:
    """The PDF holding ``pages``; ``xfa`` "static" or "dynamic" adds an XFA form of that kind
    (a dynamic one's pages are only a placeholder)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    helvetica = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    # A simple font whose codes name glyphs no reader can map to characters (as subset fonts
    # of some generators do): the text is drawn, but extracting it gives no real characters.
    unmapped = add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/Differences [32 /space 33 " + b" ".join(b"/g%d" % n for n in range(33, 127)) + b"] >> >>"
    )
    kids = []
    fields: list[int] = []
    for page in pages:
        width, height = page.size
        ops: list[bytes] = []
        resources = b"/Font << /F0 %d 0 R /F1 %d 0 R >>" % (helvetica, unmapped)
        image_ops = b""
        if page.image is not None:
            xobject = add(_image(page.image))
            resources += b" /XObject << /Im0 %d 0 R >>" % xobject
            image_ops = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (page.image_size or page.size)
        if page.image is not None and not page.image_over_text:
            ops.append(image_ops)
        for run in page.runs:
            cos, sin = (
                round(math.cos(math.radians(run.angle))),
                round(math.sin(math.radians(run.angle))),
            )
            ops.append(
                b"BT /%s %.2f Tf %d Tr %d %d %d %d %.2f %.2f Tm (%s) Tj ET"
                % (
                    run.font.encode(),
                    run.size,
                    run.mode,
                    cos,
                    sin,
                    -sin,
                    cos,
                    run.x,
                    run.y,
                    _string(run.text),
                )
            )
        if page.image is not None and page.image_over_text:
            ops.append(image_ops)
        data = zlib.compress(b"\n".join(ops) + b"\n")
        content = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
        )
        annots = [
            _annotation(note, b"p%dn%d" % (len(kids), n), helvetica, add)
            for n, note in enumerate(page.notes)
        ]
        fields += [
            number for number, note in zip(annots, page.notes, strict=True) if note.kind == "widget"
        ]
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << %s >> "
                b"/Contents %d 0 R /Rotate %d /Annots [%s] >>"
                % (tree, width, height, resources, content, page.rotate, _refs(annots))
            )
        )
    form = b""
    if fields or xfa:
        form = b"/AcroForm << /Fields [%s] /DR << /Font << /Helv %d 0 R >> >> %s %s >>" % (
            _refs(fields),
            helvetica,
            b"/NeedAppearances true" if any(not n.drawn for p in pages for n in p.notes) else b"",
            b"/XFA %d 0 R" % add(_stream(b"<xdp:xdp/>")) if xfa else b"",
        )
    if xfa == "dynamic":
        form += b" /NeedsRendering true"
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R %s >>" % (tree, form)
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    return pdf_file(objects, catalog)


def pdf_file(objects: Sequence[bytes], root: int) -> bytes:
    """A PDF of ``objects`` (numbered from 1) with its xref table; ``root`` is the catalog's."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def _annotation(note: Note, name: bytes, font: int, add: Callable[[bytes], int]) -> int:
    """The annotation object of ``note`` (a widget's field called ``name``; its appearance
    drawn in ``font``, Helvetica)."""
    rect = (note.x, note.y, note.x + 250, note.y + 20)
    appearance = b""
    if note.drawn:
        ops = b"BT /Helv 11 Tf 2 5 Td (%s) Tj ET" % _string(note.text)
        if note.kind == "widget":
            ops = b"/Tx BMC q " + ops + b" Q EMC"
        entries = b"/Type /XObject /Subtype /Form /BBox [0 0 250 20] "
        entries += b"/Resources << /Font << /Helv %d 0 R >> >>" % font
        appearance = b"/AP << /N %d 0 R >>" % add(_stream(ops, entries))
    kind = (
        b"/Subtype /Widget /FT /Tx /T (%s) /V (%s)" % (name, _string(note.text))
        if note.kind == "widget"
        else b"/Subtype /FreeText /Contents (%s)" % _string(note.text)
    )
    return add(
        b"<< /Type /Annot %s /DA (/Helv 11 Tf 0 g) /Rect [%.2f %.2f %.2f %.2f] /F %d %s >>"
        % (kind, *rect, 2 if note.hidden else 4, appearance)
    )


def _stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def _refs(numbers: Sequence[int]) -> bytes:
    return b" ".join(b"%d 0 R" % number for number in numbers)


def _string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _image(image: Image.Image) -> bytes:
    grey = image.convert("L")
    buffer = io.BytesIO()
    grey.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream"
        % (grey.width, grey.height, len(data), data)
    )


REPORT_HEADING = "Quarterly Report 2024"
REPORT_LEFT = tuple(f"Left column sentence number {n} about revenue." for n in range(1, 13))
REPORT_RIGHT = tuple(f"Right column sentence number {n} about costs." for n in range(1, 13))
REPORT_TABLE = (("Item", "Amount", "Change"), ("Revenue", "1200", "+5%"), ("Costs", "800", "-2%"))


def report_page(*, right_first: bool = True) -> Page:
    """A heading over two columns of twelve lines each, and a three-by-three table under them.

    With ``right_first`` the right column is drawn before the left one, so a reader that
    keeps the file's drawing order gets the columns the wrong way round.
    """
    heading = [Run(60.0, 780.0, REPORT_HEADING, 18.0)]
    leading = 11.0 * 1.45
    left = [Run(60.0, 730.0 - n * leading, line) for n, line in enumerate(REPORT_LEFT)]
    right = [Run(320.0, 730.0 - n * leading, line) for n, line in enumerate(REPORT_RIGHT)]
    table = [
        Run((60.0, 300.0, 480.0)[column], 470.0 - row * 20.0, cell)
        for row, cells in enumerate(REPORT_TABLE)
        for column, cell in enumerate(cells)
    ]
    columns = right + left if right_first else left + right
    return Page(heading + columns + table)
