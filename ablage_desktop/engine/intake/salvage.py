"""What a file cut short still holds.

An interrupted download or copy, a full memory card or a mail attachment clipped by a gateway
leaves the first part of a scan: a JPEG's upper rows, a PNG's upper rows, a PDF's first pages.
Image viewers show such a file's part (grey below it), browsers open such a PDF's first pages;
refusing the whole file would lose what is there. These functions get it back, and say how
much is missing so the document can carry that as its error.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine.intake.documents import DocumentType, normalize_mode

if TYPE_CHECKING:
    from PIL import Image

MISSING_GREY = 128
"""What the part of a page the file did not reach is shown as: libjpeg's own fill for a JPEG
cut short, the grey every image viewer shows there."""
TAIL_BYTES = 1024
"""How much of a file's end is looked at for its end marker."""

_JPEG_END = b"\xff\xd9"
_END_MARKERS = {
    DocumentType.JPEG: _JPEG_END,
    DocumentType.PNG: b"IEND",
    DocumentType.PDF: b"%%EOF",
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
"""Samples per pixel of each PNG colour type (grey, RGB, palette, grey+alpha, RGBA)."""


def pages_read(count: int) -> str:
    """The first ``count`` pages in words, for the damage a document reports."""
    return "page 1 was" if count == 1 else f"pages 1 to {count} were"


@dataclass(frozen=True, slots=True)
class CutImage:
    """An image file's part that was there: the whole page, its missing rows grey."""

    image: Image.Image
    missing: float
    """The share of the page's rows the file did not hold."""
    coarse: bool = False
    """All rows there but without their detail: a progressive JPEG cut short."""


def lacks_its_end(doc_type: DocumentType, path: Path) -> bool:
    """Whether ``path``, of a type that ends in a marker, does not end in it: cut short,
    most likely (a file may carry other data after its marker, so this is a suspicion to
    check by decoding, not a verdict)."""
    marker = _END_MARKERS.get(doc_type)
    if marker is None:
        return False
    with path.open("rb") as handle:
        size = handle.seek(0, io.SEEK_END)
        handle.seek(max(0, size - TAIL_BYTES))
        return marker not in handle.read()


def cut_image(doc_type: DocumentType, data: bytes) -> CutImage | None:
    """The part of a JPEG or PNG cut short that is there; None for other types, or where
    too little is there, or the damage is of another kind."""
    if doc_type is DocumentType.JPEG:
        return cut_jpeg(data)
    if doc_type is DocumentType.PNG:
        return cut_png(data)
    return None


def cut_jpeg(data: bytes) -> CutImage | None:
    """A JPEG cut short, decoded as far as it goes: the end marker it lacks is added, and
    libjpeg fills the rows it did not reach with one grey, which tells how many they are."""
    import numpy as np
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data + _JPEG_END), formats=["JPEG"])
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        return None
    pixels = np.asarray(image)
    rows = pixels.reshape(pixels.shape[0], -1)
    flat = (rows.min(axis=1) == MISSING_GREY) & (rows.max(axis=1) == MISSING_GREY)
    filled = int(np.argmin(flat[::-1])) if not flat.all() else len(flat)
    progressive = bool(image.info.get("progressive") or image.info.get("progression"))
    return CutImage(image, filled / max(1, len(flat)), coarse=progressive)


def cut_png(data: bytes) -> CutImage | None:
    """A non-interlaced PNG cut short: the rows its compressed data still holds, put into a
    PNG of that height (Pillow undoes the row filters), set on a grey page of the full size."""
    from PIL import Image

    chunks = _png_chunks(data)
    if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) < 13:
        return None
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1][:13])
    if interlace or colour not in _PNG_CHANNELS or not width or not height:
        return None
    compressed = b"".join(body for kind, body in chunks if kind == b"IDAT")
    try:
        raw = zlib.decompressobj().decompress(compressed)
    except zlib.error:
        return None
    stride = 1 + (width * _PNG_CHANNELS[colour] * depth + 7) // 8
    rows = min(height, len(raw) // stride)
    if rows == 0:
        return None
    before = [(kind, body) for kind, body in chunks[1:] if kind not in (b"IDAT", b"IEND")]
    header = struct.pack(">II", width, rows) + chunks[0][1][8:13]
    rebuilt = [(b"IHDR", header), *before, (b"IDAT", zlib.compress(raw[: rows * stride], 1))]
    try:
        part = Image.open(io.BytesIO(_png_bytes([*rebuilt, (b"IEND", b"")])), formats=["PNG"])
        part.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        return None
    dpi = part.info.get("dpi")
    part = normalize_mode(part)
    page = Image.new(part.mode, (width, height), (MISSING_GREY,) * len(part.getbands()))
    page.paste(part, (0, 0))
    if dpi is not None:
        page.info["dpi"] = dpi
    return CutImage(page, (height - rows) / height)


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG as far as they go; the last one's body may be cut short."""
    if not data.startswith(_PNG_SIGNATURE):
        return []
    chunks, at = [], len(_PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        chunks.append((kind, data[at + 8 : at + 8 + length]))
        if kind == b"IEND":
            break
        at += 12 + length
    return chunks


def _png_bytes(chunks: list[tuple[bytes, bytes]]) -> bytes:
    parts = [_PNG_SIGNATURE]
    for kind, body in chunks:
        check = zlib.crc32(kind + body) & 0xFFFFFFFF
        parts.append(struct.pack(">I4s", len(body), kind) + body + struct.pack(">I", check))
    return b"".join(parts)


# --- PDF ---------------------------------------------------------------------------------------

HEAD_BYTES = 64 << 10
"""How far an object's dictionary is looked at for its type."""

_OBJECT = re.compile(rb"(\d+)\s+\d+\s+obj\b")
_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_PAGES_OF_CATALOG = re.compile(rb"/Pages\s+(\d+)\s+\d+\s+R")


@dataclass(frozen=True, slots=True)
class MendedPdf:
    """A PDF cut short, made openable."""

    data: bytes
    tree_rebuilt: bool
    """Its catalog was not in what is there: its pages found are hung in a new page tree,
    and how many followed them is not known."""


def cut_pdf(data: bytes) -> MendedPdf | None:
    """A PDF whose end (its cross-reference and trailer) is missing, made openable: cut after
    its last whole object, with a trailer naming its catalog. pdfium then finds the objects
    itself, as it does in any PDF whose cross-reference is wrong. Where the catalog, or the
    page tree it names, is not there (writers that put them last: Ghostscript, pdfTeX), the
    page objects that are, in file order, get a page tree and catalog of their own. None
    where no page is found."""
    end = data.rfind(b"endobj")
    if end < 0:
        return None
    body = data[: end + len(b"endobj")]
    objects = list(_objects(body))
    if not objects:
        return None
    size = 1 + max(number for number, _ in objects)
    found = {number for number, _ in objects}
    catalogs = [
        number
        for number, head in objects
        if _CATALOG.search(head) and _page_tree(head) in found  # its pages may lie beyond
    ]
    if catalogs:
        root, rebuilt = catalogs[-1], False  # a PDF saved again adds its new one after the old
    else:
        pages = list(dict.fromkeys(number for number, head in objects if _PAGE.search(head)))
        if not pages:
            return None
        kids = b" ".join(b"%d 0 R" % number for number in pages)
        body += b"\n%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d >>\nendobj" % (
            size,
            kids,
            len(pages),
        )
        body += b"\n%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj" % (size + 1, size)
        root, size, rebuilt = size + 1, size + 2, True
    trailer = b"\ntrailer\n<< /Root %d 0 R /Size %d >>\nstartxref\n0\n%%%%EOF\n" % (root, size)
    return MendedPdf(body + trailer, rebuilt)


def _page_tree(catalog: bytes) -> int | None:
    """The object number a catalog's ``/Pages`` names."""
    match = _PAGES_OF_CATALOG.search(catalog)
    return int(match.group(1)) if match else None


def _objects(body: bytes) -> Iterator[tuple[int, bytes]]:
    """Each object's number and dictionary, in file order; those packed in an object stream
    after the stream. Stream data is skipped, never searched."""
    at = 0
    while match := _OBJECT.search(body, at):
        number, start = int(match.group(1)), match.end()
        head_end = _end_of_head(body, start)
        head = body[start:head_end]
        yield number, head
        at = head_end
        if body.startswith(b"stream", head_end):
            data_end = body.find(b"endstream", head_end)
            if data_end < 0:
                return
            if _OBJECT_STREAM.search(head):
                yield from _packed(head, body[head_end + len(b"stream") : data_end].lstrip(b"\r\n"))
            at = data_end


def _end_of_head(body: bytes, start: int) -> int:
    """Where the dictionary of the object that begins at ``start`` ends: its stream or its end."""
    ends = [
        found
        for found in (body.find(b"stream", start, start + HEAD_BYTES), body.find(b"endobj", start))
        if found >= 0
    ]
    return min(ends) if ends else min(len(body), start + HEAD_BYTES)


def _packed(dictionary: bytes, stream: bytes) -> Iterator[tuple[int, bytes]]:
    """The objects an object stream holds (a Flate-compressed one, as writers make them)."""
    first = re.search(rb"/First\s+(\d+)", dictionary)
    count = re.search(rb"/N\s+(\d+)", dictionary)
    if first is None or count is None or b"/FlateDecode" not in dictionary:
        return
    try:
        objects = zlib.decompressobj().decompress(stream)
    except zlib.error:
        return
    offset = int(first.group(1))
    numbers = objects[:offset].split()
    try:
        pairs = [(int(numbers[i]), int(numbers[i + 1])) for i in range(0, len(numbers) - 1, 2)]
    except ValueError:
        return
    pairs = pairs[: int(count.group(1))]
    for position, (number, at) in enumerate(pairs):
        until = pairs[position + 1][1] if position + 1 < len(pairs) else len(objects) - offset
        yield number, objects[offset + at : offset + until]
