"""Document intake: find the real type of a file, check it against the limits, yield its pages.

The type comes from the file's first bytes, never from its name, and every limit is checked
before anything is decoded. Pages are produced one at a time, so a 300-page PDF never sits in
memory. The user's files are only ever opened for reading.

pdfium is not thread-safe: only one thread of a process may use it at a time. The engine does
not call this module itself: it decodes in a worker process (``engine.decoding``), whose single
thread is the only caller of pdfium there, so that a parser that crashes or hangs costs only
its document. Callers in the app's own process hold the engine's render lock.
"""

from __future__ import annotations

import abc
import enum
import hashlib
import logging
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

from ablage_desktop.engine.errors import (
    CorruptDocument,
    DocumentNotFound,
    DocumentPermissionDenied,
    DocumentTooLarge,
    EmptyDocument,
    UnsupportedFormat,
)

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.text.text_layer import TextLayer

log = logging.getLogger(__name__)

SNIFF_BYTES = 1024
HASH_CHUNK = 1 << 20
MEGAPIXEL = 1_000_000


class DocumentType(enum.StrEnum):
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    BMP = "bmp"
    WEBP = "webp"
    GIF = "gif"
    JPEG2000 = "jpeg2000"
    HEIF = "heif"
    """HEIC, the photos of iPhones and many other phones, read by pillow-heif (libheif)."""
    AVIF = "avif"
    PDF = "pdf"

    @property
    def pillow_format(self) -> str:
        return self.name  # Pillow's format names are the upper-case ones

    @property
    def described(self) -> str:
        """The type in words, for messages: "a HEIC photo"."""
        return _DESCRIBED.get(self, f"a {self.name} image")


SUPPORTED_SUFFIXES = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".jpe",
        ".jfif",
        ".tif",
        ".tiff",
        ".bmp",
        ".dib",
        ".webp",
        ".gif",
        ".jp2",
        ".j2k",
        ".jpf",
        ".jpx",
        ".heic",
        ".heif",
        ".hif",
        ".avif",
        ".pdf",
    }
)
SUPPORTED_NAMES = "PDF, PNG, JPEG, TIFF, BMP, WebP, GIF, JPEG 2000, HEIC and AVIF"

_DESCRIBED = {
    DocumentType.WEBP: "a WebP image",
    DocumentType.JPEG2000: "a JPEG 2000 image",
    DocumentType.HEIF: "a HEIC photo",
    DocumentType.AVIF: "an AVIF image",
    DocumentType.PDF: "a PDF",
}

_HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1"}
)
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_GENERIC_BRANDS = frozenset({b"mif1", b"msf1"})
"""Brands of any HEIF image file, HEIC's and AVIF's alike: the other brands tell which."""


@dataclass(frozen=True, slots=True)
class IntakeLimits:
    """What a document may cost before we refuse it; the defaults suit office paper."""

    max_file_bytes: int = 1 << 30
    max_pixels_per_page: int = 178_956_970  # Pillow's own bomb limit (2 x MAX_IMAGE_PIXELS)
    max_pages: int = 5000
    pdf_dpi: int = 300
    decode_timeout_s: float = 60.0
    """Longest a decoder may take to open a document or to render one page of it."""
    pdf_passwords: tuple[str, ...] = field(default=(), repr=False)
    """Passwords tried, in turn, on a PDF that asks for one (``intake.pdf_passwords``,
    ``ocr --password``); never shown in a log."""
    pdf_text: str = "always_ocr"
    """What to do with a PDF page's text layer (``text_layer.MODES``). ``always_ocr`` does
    not read it and renders every page in full; otherwise each page's layer is read and
    judged, and a page read from its layer (usable under ``auto``, any under ``layer_only``)
    comes only rendered small, with the layer. The engine passes ``intake.pdf_text``
    (default ``auto``); other callers get full pages."""


@dataclass(frozen=True, slots=True)
class PageImage:
    """One page ready for an engine: an 8-bit grey or RGB image, upright."""

    document: Path
    index: int
    image: Image.Image
    dpi: float | None
    text_layer: TextLayer | None = None
    """A PDF page's own text and the verdict on it (``engine.text_layer``); None for images
    and where ``intake.pdf_text`` is ``always_ocr``."""
    one_block: bool = False
    """Not a page but one block of text (a stamp's ink alone, ``preprocess/stamps.py``): an
    engine with a layout analysis of its own need not look for columns (Tesseract's found
    none in a receipt's stamp)."""

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


# --- the real type of a file -----------------------------------------------------------------


def sniff(head: bytes) -> DocumentType | None:
    """The document type that ``head`` (the first bytes of a file) belongs to, if supported."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return DocumentType.JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return DocumentType.TIFF
    if head.startswith(b"BM") and len(head) >= 26:
        return DocumentType.BMP
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return DocumentType.WEBP
    if head.startswith((b"GIF87a", b"GIF89a")):
        return DocumentType.GIF
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return DocumentType.JPEG2000  # the JP2 file, or a bare codestream (.j2k)
    if head[4:8] == b"ftyp":
        return _photo_container(head)
    # The PDF specification lets the header start anywhere in the first 1024 bytes.
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return DocumentType.PDF
    return None


def is_image_file(path: Path) -> bool:
    """Whether ``path`` holds an image, by its first bytes: a page that has no text layer to
    be read from, as a PDF's may. False where it cannot be read (``open`` says why)."""
    try:
        with path.open("rb") as handle:
            kind = sniff(handle.read(SNIFF_BYTES))
    except OSError:
        return False
    return kind is not None and kind is not DocumentType.PDF


def _photo_container(head: bytes) -> DocumentType | None:
    """HEIC or AVIF, from an ISO media file's brands (AVIF also names ``mif1``, as HEIC does).

    ``head`` starts with the ``ftyp`` box: its size, ``ftyp``, the major brand, a version,
    then the compatible brands.
    """
    major = head[8:12]
    if major in _AVIF_BRANDS:
        return DocumentType.AVIF
    if major in _HEIF_BRANDS - _GENERIC_BRANDS:
        return DocumentType.HEIF
    size = min(int.from_bytes(head[:4], "big"), len(head))
    brands = {major} | {head[at : at + 4] for at in range(16, size - 3, 4)}
    if brands & _AVIF_BRANDS:
        return DocumentType.AVIF
    if brands & _HEIF_BRANDS:
        return DocumentType.HEIF
    return None


_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (perhaps a Word, Excel or OpenDocument file)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"%!PS", "a PostScript file"),
    (b"AT&TFORM", "a DjVu document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)


def describe_unsupported(head: bytes) -> str:
    """A few words on what an unsupported file seems to be, for the error message."""
    for magic, words in _OTHER_FORMATS:
        if head.startswith(magic):
            return words
    if head[4:8] == b"ftyp":
        return "a video or another ISO media file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a file of an unknown type"
    return "a text file"


# --- opening ---------------------------------------------------------------------------------


def raise_os_error(path: Path, exc: OSError) -> NoReturn:
    """Turn an OSError from opening or reading ``path`` into our typed error."""
    if isinstance(exc, FileNotFoundError):
        raise DocumentNotFound(path, f"The file {path} does not exist.") from exc
    if isinstance(exc, PermissionError):
        raise DocumentPermissionDenied(
            path, f"The file {path} cannot be read: permission denied."
        ) from exc
    if isinstance(exc, IsADirectoryError):
        raise UnsupportedFormat(path, f"{path} is a folder, not a document.") from exc
    raise CorruptDocument(
        path, f"The file {path} could not be read: {exc.strerror or exc}."
    ) from exc


def _read_head_and_hash(path: Path) -> tuple[bytes, str]:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
            digest.update(head)
            while chunk := handle.read(HASH_CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise_os_error(path, exc)
    return head, digest.hexdigest()


def open_document(path: Path, limits: IntakeLimits) -> Document:
    """Check ``path`` and open it; raises an ``InputError`` with a reason a person understands."""
    try:
        info = path.stat()
    except OSError as exc:
        raise_os_error(path, exc)
    if stat.S_ISDIR(info.st_mode):
        raise UnsupportedFormat(path, f"{path} is a folder, not a document.")
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedFormat(path, f"{path} is not a regular file.")
    if info.st_size == 0:
        raise EmptyDocument(path, f"The file {path.name} is empty (0 bytes).")
    if info.st_size > limits.max_file_bytes:
        raise DocumentTooLarge(
            path,
            f"The file {path.name} is {_mib(info.st_size)}; the limit is "
            f"{_mib(limits.max_file_bytes)} (intake.max_file_bytes).",
        )
    head, sha256 = _read_head_and_hash(path)
    doc_type = sniff(head)
    if doc_type is None:
        raise UnsupportedFormat(
            path,
            f"{path.name} is {describe_unsupported(head)}, not a document this app can read "
            f"({SUPPORTED_NAMES}).",
        )
    if doc_type is DocumentType.PDF:
        from ablage_desktop.engine.intake.pdf_document import (
            PdfDocument,  # it builds on this module
        )

        return PdfDocument(path, doc_type, sha256, limits)
    from ablage_desktop.engine.intake.raster_document import RasterDocument  # builds on this

    return RasterDocument(path, doc_type, sha256, limits)


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB"


class Document(abc.ABC):
    """An opened, checked document whose pages are rendered on demand.

    Use it as a context manager; ``pages()`` yields each page once, in order.
    """

    def __init__(self, path: Path, doc_type: DocumentType, sha256: str, limits: IntakeLimits):
        self.path = path
        self.type = doc_type
        self.sha256 = sha256
        self.limits = limits
        self.page_count = 0
        self.damage: str | None = None
        """What the file lacks where it was cut short or damaged and its pages were read all
        the same (``salvage``): the document's error, raised after its pages."""

    @abc.abstractmethod
    def page(self, index: int) -> PageImage:
        """Decode (render) page ``index`` (0-based) now."""

    def needs_engine(self, index: int) -> bool:
        """Whether page ``index`` can only be read by an engine: an image's page always, a
        PDF's where it has no characters of its own. Asked before the page is rendered, so
        that the engines a batch of scans needs load meanwhile; a guess, never an error."""
        return True

    def pages(self) -> Iterator[PageImage]:
        """Every page in order, each decoded only when it is asked for."""
        for index in range(self.page_count):
            yield self.page(index)

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Document:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check_page_count(self) -> None:
        if self.page_count == 0:
            raise EmptyDocument(self.path, f"{self.path.name} has no pages.")
        if self.page_count > self.limits.max_pages:
            raise DocumentTooLarge(
                self.path,
                f"{self.path.name} has {self.page_count} pages; the limit is "
                f"{self.limits.max_pages} (intake.max_pages).",
            )

    def _too_many_pixels(self, index: int, width: int, height: int) -> DocumentTooLarge:
        return DocumentTooLarge(
            self.path,
            f"Page {index + 1} of {self.path.name} is {width} x {height} pixels "
            f"({width * height / MEGAPIXEL:.0f} megapixels); the limit is "
            f"{self.limits.max_pixels_per_page / MEGAPIXEL:.0f} megapixels "
            "(intake.max_pixels_per_page).",
        )


def normalize_mode(image: Image.Image) -> Image.Image:
    """Return ``image`` as 8-bit grey or RGB, transparency flattened onto white paper."""
    from PIL import Image

    mode = image.mode
    if mode in ("L", "RGB"):
        return image
    if mode == "1":
        return image.convert("L")
    if mode in ("P", "PA"):
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        return paper.convert("RGB")
    if mode.startswith("I") or mode == "F":
        # 16-bit and float scans: stretch the used range onto 8 bits.
        from PIL import ImageOps

        low, high = image.getextrema()
        if high <= low:
            return Image.new("L", image.size, 255)
        scaled = image.point(lambda v: (v - low) * 255.0 / (high - low), "F")
        return ImageOps.grayscale(scaled.convert("L"))
    return image.convert("RGB")
