"""A page's image as its file compresses it, for the searchable PDF to take as it is.

A JPEG goes in as its bytes (DCTDecode); a PNG as the zlib data of its image with the row
filters it has (FlateDecode with the PNG predictors, which PDF shares with PNG). Either way the
scan is not compressed a second time: before, every page became a JPEG of quality 85, lossy
again for a JPEG and lossy at all for a lossless PNG. OCRmyPDF (through img2pdf) and
Tesseract's own PDF keep the file's image so too.

Only where the page read is the file's image as it stands: one image, 8-bit grey or RGB, not
turned by an EXIF orientation, not rescaled (its pixels made square), not cut short; a PNG
not interlaced and not animated. Any other page is compressed as before
(``pdf._image_xobject``).
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass

from ablage_desktop.engine.intake.documents import Document, DocumentType
from ablage_desktop.engine.intake.resolution import EXIF_ORIENTATION
from ablage_desktop.engine.results.document import OcrPage

log = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GREY, RGB = 0, 2
"""PNG colour types."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """An image's data as a PDF image stream takes it."""

    filter: bytes
    data: bytes
    components: int
    """1: grey, 3: RGB."""
    parms: bytes = b""
    """The stream's /DecodeParms dictionary, if any."""


def file_image(source: Document, page: OcrPage) -> Encoded | None:
    """``page``'s image as ``source``'s file compresses it; None where the page read is not
    that image as it stands (see the module's docstring)."""
    from PIL import Image

    kind = source.type
    if kind not in (DocumentType.JPEG, DocumentType.PNG) or source.page_count != 1:
        return None
    if source.damage or page.index != 0:
        return None
    try:
        with Image.open(source.path) as image:
            unchanged = (
                image.format in ("JPEG", "PNG")
                and image.mode in ("L", "RGB")
                and not getattr(image, "is_animated", False)
                and image.getexif().get(EXIF_ORIENTATION, 1) == 1
                and image.size == (page.width, page.height)
            )
            components = 1 if image.mode == "L" else 3
        if not unchanged:
            return None
        data = source.path.read_bytes()
    except OSError as exc:
        log.info("The image of %s is compressed again for its PDF: %s", source.path.name, exc)
        return None
    if kind is DocumentType.JPEG:
        return Encoded(b"/DCTDecode", data, components)
    return _png(data, (page.width, page.height))


def _png(data: bytes, size: tuple[int, int]) -> Encoded | None:
    """The zlib data of a PNG's image and the predictors that undo its row filters."""
    if not data.startswith(PNG_SIGNATURE):
        return None
    header: tuple[int, ...] | None = None
    parts: list[bytes] = []
    at = len(PNG_SIGNATURE)
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        body = data[at + 8 : at + 8 + length]
        if len(body) != length:
            return None  # cut short
        if kind == b"IHDR" and length == 13:
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            parts.append(body)
        elif kind == b"IEND":
            break
        at += 12 + length
    if header is None or not parts:
        return None
    width, height, depth, colour, _, _, interlace = header
    if (width, height) != size or depth != 8 or interlace or colour not in (GREY, RGB):
        return None
    components = 1 if colour == GREY else 3
    parms = b"<< /Predictor 15 /Colors %d /BitsPerComponent 8 /Columns %d >>" % (
        components,
        width,
    )
    return Encoded(b"/FlateDecode", b"".join(parts), components, parms)
