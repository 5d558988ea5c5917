"""A page's image as its file compresses it, for the searchable PDF to take as it is.

A JPEG goes in as its bytes (DCTDecode), a JPEG 2000 file as its bytes too (JPXDecode, which
PDF/A-2 allows: a JP2 file of grey or RGB; a bare codestream or a JPX file is compressed again,
as before; pikepdf's PDF/A validator does not look into JPEG 2000, its rules were followed by
hand), a PNG as the zlib data of its image with the row filters it has (FlateDecode with the
PNG predictors, which PDF shares with PNG; a palette image in its palette, ``/Indexed``).
Either way the scan is not compressed a second time: before, every page became a JPEG of
quality 85, lossy again for a JPEG and lossy at all for a lossless PNG. OCRmyPDF (through
img2pdf) and Tesseract's own PDF keep the file's image so too.

Only where the page read is the file's image as it stands: one image, 8-bit grey or RGB or a
palette without transparency, not turned by an EXIF orientation, not rescaled (its pixels made
square), not cut short; a PNG not interlaced and not animated. Any other page of a file
compressed without loss (PNG, TIFF but JPEG-in-TIFF, BMP, GIF, lossless WebP: ``lossless_pages``)
stays without loss (``lossless``: as a PNG would hold it, in a palette where it has 256 colours or
fewer); the rest are compressed as before (``pdf._image_xobject``).
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine.intake.documents import Document, DocumentType
from ablage_desktop.engine.intake.resolution import EXIF_ORIENTATION
from ablage_desktop.engine.results.document import OcrPage

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
"""A JP2 file's first box; a bare codestream (.j2k) starts otherwise."""
JP2_BRAND = b"jp2 "
"""The brand of its file-type box that follows: a JPX file (``jpx ``) may hold colour
spaces PDF/A-2 does not allow (CIEJab, any ICC profile)."""
KEPT_FORMATS = {
    DocumentType.JPEG: ("JPEG", ("L", "RGB")),
    DocumentType.PNG: ("PNG", ("L", "RGB", "P")),
    DocumentType.JPEG2000: ("JPEG2000", ("L", "RGB")),
}
"""The files whose image goes in as they hold it: Pillow's name of their format, and the
modes taken so (a JPEG 2000 in a palette or with more bits would need more than /JPXDecode's
defaults)."""
GREY, RGB, PALETTE = 0, 2, 3
"""PNG colour types."""
LOSSLESS_TYPES = frozenset(
    {DocumentType.PNG, DocumentType.TIFF, DocumentType.BMP, DocumentType.GIF}
)
"""Files whose images are compressed without loss (a TIFF's page may be a JPEG: looked at)."""
JPEG_IN_TIFF = frozenset({"jpeg", "tiff_jpeg"})
"""Pillow's names of the TIFF compressions that are JPEG."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """An image's data as a PDF image stream takes it."""

    filter: bytes
    data: bytes
    components: int
    """1: grey or a palette's index, 3: RGB."""
    parms: bytes = b""
    """The stream's /DecodeParms dictionary, if any."""
    palette: bytes = b""
    """A palette image's colours, RGB triples (empty: none)."""
    depth: int = 8
    """Bits per component (per index for a palette)."""


def file_image(source: Document, page: OcrPage) -> Encoded | None:
    """``page``'s image as ``source``'s file compresses it; None where the page read is not
    that image as it stands (see the module's docstring)."""
    from PIL import Image

    kind = source.type
    if kind not in KEPT_FORMATS or source.page_count != 1:
        return None
    if source.damage or page.index != 0:
        return None
    form, modes = KEPT_FORMATS[kind]
    try:
        with Image.open(source.path) as image:
            unchanged = (
                image.format == form
                and image.mode in modes
                and "transparency" not in image.info
                and not getattr(image, "is_animated", False)
                and image.getexif().get(EXIF_ORIENTATION, 1) == 1
                and image.size == (page.width, page.height)
            )
            components = 3 if image.mode == "RGB" else 1
        if not unchanged:
            return None
        data = source.path.read_bytes()
    except OSError as exc:
        log.info("The image of %s is compressed again for its PDF: %s", source.path.name, exc)
        return None
    if kind is DocumentType.JPEG:
        return Encoded(b"/DCTDecode", data, components)
    if kind is DocumentType.JPEG2000:
        jp2 = data.startswith(JP2_SIGNATURE) and data[20:24] == JP2_BRAND
        return Encoded(b"/JPXDecode", data, components) if jp2 else None
    return _png(data, (page.width, page.height))


def lossless_pages(source: Document, pages: Sequence[OcrPage]) -> set[int]:
    """The indices of ``pages`` whose images ``source`` holds without loss, which their PDF
    should not make lossy (a grey or colour TIFF scan became a JPEG of quality 85). The file
    is opened once: a TIFF's page is looked at for its compression."""
    from PIL import Image

    indices = {page.index for page in pages}
    if source.type is DocumentType.WEBP:
        return indices if _webp_is_lossless(source.path) else set()
    if source.type not in LOSSLESS_TYPES:
        return set()
    if source.type is not DocumentType.TIFF:
        return indices
    kept: set[int] = set()
    try:
        with Image.open(source.path) as image:
            for index in sorted(indices):
                image.seek(index)
                if image.info.get("compression") not in JPEG_IN_TIFF:
                    kept.add(index)
    except (OSError, EOFError, ValueError) as exc:
        log.info("The compression of %s is not known, JPEG for its PDF: %s", source.path.name, exc)
    return kept


def _webp_is_lossless(path: Path) -> bool:
    """Whether a WebP holds its image without loss: a ``VP8L`` chunk, not a ``VP8 `` one
    (the extended format's ``VP8X`` first, then its chunks)."""
    try:
        with path.open("rb") as file:
            head = file.read(12)
            if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
                return False
            while len(chunk := file.read(8)) == 8:
                kind, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if kind in (b"VP8L", b"VP8 "):
                    return kind == b"VP8L"
                file.seek(size + size % 2, io.SEEK_CUR)  # chunks are padded to even sizes
    except OSError as exc:
        log.info("The compression of %s is not known, JPEG for its PDF: %s", path.name, exc)
    return False


def lossless(image: Image.Image) -> Encoded:
    """``image`` compressed without loss as a PNG holds it (zlib under the row filters
    Pillow's encoder chose): in its palette, or in one of its colours where it has 256 or
    fewer (a form printed in a few colours, a screenshot), else grey or RGB."""
    if image.mode not in ("L", "RGB", "P"):
        image = image.convert("RGB")
    if image.mode == "RGB" and (colours := image.getcolors(256)) is not None:
        image = _in_palette(image, [colour for _, colour in colours])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    encoded = _png(buffer.getvalue(), image.size)
    if encoded is None:  # Pillow writes what ``_png`` reads: a broken promise, not a file
        raise AssertionError(f"Pillow's PNG of a {image.mode} image has no image data")
    return encoded


def _in_palette(image: Image.Image, colours: list[tuple[int, int, int]]) -> Image.Image:
    """``image`` as indices into ``colours``, every one of its colours among them, exactly."""
    import numpy as np
    from PIL import Image

    rgb = np.asarray(image, dtype=np.uint32)
    packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    table = np.array(sorted((r << 16) | (g << 8) | b for r, g, b in colours), dtype=np.uint32)
    indices = np.searchsorted(table, packed).astype(np.uint8)
    indexed = Image.frombytes("P", image.size, indices.tobytes())
    palette = np.stack([(table >> 16) & 255, (table >> 8) & 255, table & 255], axis=1)
    indexed.putpalette(palette.astype(np.uint8).tobytes())
    return indexed


def _png(data: bytes, size: tuple[int, int]) -> Encoded | None:
    """The zlib data of a PNG's image and the predictors that undo its row filters."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    header: tuple[int, ...] | None = None
    palette = b""
    parts: list[bytes] = []
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        if len(body) != length:
            return None  # cut short
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE" and length % 3 == 0:
            palette = body
        elif kind == b"IDAT":
            parts.append(body)
        elif kind == b"IEND":
            break
        at += 12 + length
    if header is None or not parts:
        return None
    width, height, depth, colour, _, _, interlace = header
    if (width, height) != size or interlace:
        return None
    if colour == PALETTE and depth in (1, 2, 4, 8) and 0 < len(palette) <= 3 << depth:
        components = 1
    elif colour in (GREY, RGB) and depth == 8:
        components, palette = (1 if colour == GREY else 3), b""
    else:
        return None
    parms = b"<< /Predictor 15 /Colors %d /BitsPerComponent %d /Columns %d >>" % (
        components,
        depth,
        width,
    )
    return Encoded(b"/FlateDecode", b"".join(parts), components, parms, palette, depth)
