"""Sample documents made on the fly: real images, PDFs and broken files of every kind."""

from __future__ import annotations

import contextlib
import io
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from ablage_desktop.engine.core import EngineCore

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"

SAMPLE_LINES = ("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")


def text_page(
    lines: tuple[str, ...] = SAMPLE_LINES, size: tuple[int, int] = (1400, 320)
) -> Image.Image:
    """A clean grey page with real printed text, for fast real OCR."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=44)
    for n, line in enumerate(lines):
        draw.text((40, 40 + 100 * n), line, font=font, fill=0)
    return image


def pdf_bytes(pages: list[Image.Image], dpi: int = 300) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buffer.getvalue()


def huge_png_bytes(width: int = 20000, height: int = 20000) -> bytes:
    """A valid 1-bit PNG of width x height white pixels (400 megapixels, ~60 KB on disk)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def encrypted_pdf_bytes(tmp: Path) -> bytes:
    import pikepdf

    plain = tmp / "plain.pdf"
    plain.write_bytes(pdf_bytes([text_page()]))
    locked = tmp / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-secret", user="secret"))
    return locked.read_bytes()


def jpeg_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def data_set_pages(folder: Path) -> Iterator[tuple[str, Image.Image]]:
    """Every page of the documents in the data set ``folder``, with its document's name, as
    the app renders it."""
    from ablage_desktop.engine.intake.documents import IntakeLimits, open_document

    limits = IntakeLimits()
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".png", ".jpg", ".pdf", ".tif"):
            continue
        with open_document(path, limits) as document:
            for page in document.pages():
                yield path.name, page.image


def tesseract_words(engine: EngineCore, image: Image.Image, folder: Path, dpi: int) -> list[str]:
    """The words Tesseract reads on ``image`` (saved at ``dpi``) through ``engine``'s pipeline."""
    from ablage_desktop.engine.core import OcrRequest

    path = folder / "scan.png"
    image.save(path, dpi=(dpi, dpi))
    (document,) = engine.ocr(OcrRequest([path], backend="tesseract", archive=False))
    assert document.ok, document.error
    return document.pages[0].text.split()


@contextlib.contextmanager
def engine_without(step: str, folder: Path) -> Iterator[EngineCore]:
    """An engine with the shipped configuration but the preprocessing ``step`` switched off."""
    from ablage_desktop.engine.config import load_config
    from ablage_desktop.engine.core import EngineCore

    off = folder / f"without-{step}.yaml"
    off.write_text(f"preprocessing:\n  {step}:\n    enabled: false\n", encoding="utf-8")
    engine = EngineCore(load_config([off]))
    try:
        yield engine
    finally:
        engine.close()
