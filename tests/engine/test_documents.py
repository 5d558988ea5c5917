"""Document intake: the real type from the bytes, limits before decoding, typed errors."""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pillow_heif
import pytest
from born_digital import A4
from born_digital import Page as BornDigitalPage
from born_digital import pdf_bytes as born_digital_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from samples import encrypted_pdf_bytes, huge_png_bytes, jpeg_bytes, pdf_bytes, text_page

from ablage_desktop.engine.errors import (
    CorruptDocument,
    DocumentNotFound,
    DocumentPermissionDenied,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    InputError,
    UnsupportedFormat,
)
from ablage_desktop.engine.intake.documents import (
    SUPPORTED_NAMES,
    SUPPORTED_SUFFIXES,
    DocumentType,
    IntakeLimits,
    PageImage,
    is_image_file,
    normalize_mode,
    open_document,
    sniff,
)
from ablage_desktop.engine.intake.folders import collect_documents
from ablage_desktop.engine.intake.pdf_document import PDF_REOPEN_PAGES
from ablage_desktop.engine.intake.pdf_text import Scan

LIMITS = IntakeLimits()
MakeFile = Callable[[str, bytes], Path]


def image_bytes(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    if fmt == "HEIF":  # pillow-heif's own writer: the app registers no Pillow plugin
        pillow_heif.from_pillow(image).save(buffer, quality=options.get("quality", 90))
    else:
        image.save(buffer, fmt, **options)
    return buffer.getvalue()


def read_pages(path: Path, limits: IntakeLimits = LIMITS) -> list[Image.Image]:
    with open_document(path, limits) as document:
        return [page.image for page in document.pages()]


# --- the real type comes from the bytes ------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("PNG", DocumentType.PNG),
        ("JPEG", DocumentType.JPEG),
        ("TIFF", DocumentType.TIFF),
        ("BMP", DocumentType.BMP),
        ("WEBP", DocumentType.WEBP),
        ("GIF", DocumentType.GIF),
        ("JPEG2000", DocumentType.JPEG2000),
        ("AVIF", DocumentType.AVIF),
        ("HEIF", DocumentType.HEIF),
        ("PDF", DocumentType.PDF),
    ],
)
def test_each_format_is_recognised_by_its_bytes_whatever_its_name(
    make_file: MakeFile, fmt: str, expected: DocumentType
) -> None:
    page = text_page().convert("RGB")
    path = make_file("misnamed.txt", image_bytes(page, fmt))

    with open_document(path, LIMITS) as document:
        pages = list(document.pages())

    assert document.type is expected
    assert len(pages) == 1
    assert pages[0].image.mode in ("L", "RGB")
    assert pages[0].width > 1000


@pytest.mark.parametrize(
    ("fmt", "suffix", "options"),
    [
        ("GIF", ".gif", {}),
        ("JPEG2000", ".jp2", {}),
        ("JPEG2000", ".j2k", {"no_jp2": True}),
        ("AVIF", ".avif", {"quality": 90}),
        ("HEIF", ".heic", {"quality": 90}),
    ],
)
def test_photo_and_archive_formats_give_the_page_as_it_was_drawn(
    make_file: MakeFile, fmt: str, suffix: str, options: dict[str, object]
) -> None:
    drawn = text_page().convert("RGB")
    path = make_file(f"page{suffix}", image_bytes(drawn, fmt, **options))

    (page,) = read_pages(path)

    assert suffix in SUPPORTED_SUFFIXES
    assert page.size == drawn.size
    difference = np.abs(
        np.asarray(page.convert("L"), dtype=np.int16) - np.asarray(drawn.convert("L"))
    )
    assert difference.mean() < 3  # lossy at most, never shifted or turned
    assert np.percentile(difference, 99.9) < 128


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # major brand mif1 (any HEIF image), the compatible brands tell which
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1heicmiaf", DocumentType.HEIF),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", DocumentType.AVIF),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00mif1heix", DocumentType.HEIF),
        (b"\x00\x00\x00\x18ftypavis\x00\x00\x00\x00avismsf1", DocumentType.AVIF),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41", None),  # an MP4 video
        (b"\xff\x4f\xff\x51\x00\x2f", DocumentType.JPEG2000),  # a bare codestream
    ],
)
def test_heif_avif_and_jpeg2000_are_told_apart_by_their_brands(
    head: bytes, expected: DocumentType | None
) -> None:
    assert sniff(head + b"\x00" * 64) is expected


def test_only_the_first_frame_of_an_animated_gif_is_the_page(make_file: MakeFile) -> None:
    frames = [text_page(), Image.new("L", (1400, 320), 0)]
    path = make_file(
        "moving.gif", image_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:])
    )

    (page,) = read_pages(path)

    assert np.asarray(page).mean() > 200  # the white page, not the black frame


def test_a_damaged_heic_photo_is_corrupt_and_says_what_it_is(make_file: MakeFile) -> None:
    content = image_bytes(text_page().convert("RGB"), "HEIF")
    head_only = make_file("IMG_0001.HEIC", content[:40])
    half = make_file("IMG_0002.HEIC", content[: len(content) // 2])

    with pytest.raises(CorruptDocument, match="looks like a HEIC photo but is damaged"):
        read_pages(head_only)
    with pytest.raises(CorruptDocument, match=r"Page 1 of IMG_0002\.HEIC is damaged") as caught:
        read_pages(half)
    assert not caught.value.message.endswith("\n")  # libheif's own ends in one


def test_a_pdf_named_png_is_read_as_a_pdf(make_file: MakeFile) -> None:
    path = make_file("scan.png", pdf_bytes([text_page(), text_page()]))

    with open_document(path, LIMITS) as document:
        assert document.type is DocumentType.PDF
        assert document.page_count == 2


def test_sha256_is_that_of_the_file(make_file: MakeFile) -> None:
    content = image_bytes(text_page(), "PNG")
    path = make_file("page.png", content)

    with open_document(path, LIMITS) as document:
        assert document.sha256 == hashlib.sha256(content).hexdigest()


def test_an_image_file_is_told_from_a_pdf_by_its_bytes(tmp_path: Path) -> None:
    """A batch of scans loads its engines ahead (an image has no text layer to be read
    from); a PDF's pages may have one. The name does not count."""
    scan = tmp_path / "scan.pdf"  # a JPEG, misnamed
    scan.write_bytes(jpeg_bytes(text_page()))
    pdf = tmp_path / "letter.png"  # a PDF, misnamed
    pdf.write_bytes(pdf_bytes([text_page()]))
    notes = tmp_path / "notes.txt"
    notes.write_text("not a document")

    assert is_image_file(scan)
    assert not is_image_file(pdf)
    assert not is_image_file(notes)
    assert not is_image_file(tmp_path / "missing.png")
    assert not is_image_file(tmp_path)  # a folder


@given(st.binary(max_size=64))
def test_sniff_never_raises_on_any_bytes(head: bytes) -> None:
    assert sniff(head) is None or isinstance(sniff(head), DocumentType)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"%PDF-1.7\n", b""]),
    body=st.binary(min_size=0, max_size=300),
)
def test_garbage_behind_a_known_signature_is_only_ever_an_input_error(
    tmp_path: Path, prefix: bytes, body: bytes
) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(prefix + body)
    with contextlib.suppress(InputError):
        read_pages(path)


# --- every page, in order --------------------------------------------------------------------


def test_every_page_of_a_multipage_tiff_comes_in_order(make_file: MakeFile) -> None:
    sizes = [(300, 200), (310, 210), (320, 220)]
    frames = [Image.new("L", size, 255) for size in sizes]
    content = image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    path = make_file("three.tif", content)

    with open_document(path, LIMITS) as document:
        pages = list(document.pages())

    assert document.page_count == 3
    assert [page.index for page in pages] == [0, 1, 2]
    assert [page.image.size for page in pages] == sizes


def _marked_reduced(content: bytes, frames: set[int]) -> bytes:
    """``content`` (a little-endian TIFF written with NewSubfileType 0 on every frame) with
    ``frames`` marked as reduced-resolution copies of another image."""
    data = bytearray(content)
    directory, frame = struct.unpack_from("<I", data, 4)[0], 0
    while directory:
        entries = struct.unpack_from("<H", data, directory)[0]
        for entry in range(entries):
            at = directory + 2 + 12 * entry
            if struct.unpack_from("<H", data, at)[0] == 254 and frame in frames:
                struct.pack_into("<I", data, at + 8, 1)
        directory = struct.unpack_from("<I", data, directory + 2 + 12 * entries)[0]
        frame += 1
    return bytes(data)


def test_a_tiffs_thumbnails_are_not_pages(make_file: MakeFile) -> None:
    """Cameras and some scanning programs add a reduced-resolution copy (a thumbnail or
    preview) of a page to a TIFF: read as a page of its own, it would be read twice."""
    pages = [Image.new("L", (300, 200), 255), Image.new("L", (310, 210), 255)]
    frames = [Image.new("L", (30, 20), 255), pages[0], pages[0].resize((60, 40)), pages[1]]
    content = image_bytes(
        frames[0], "TIFF", save_all=True, append_images=frames[1:], tiffinfo={254: 0}
    )
    path = make_file("scan.tif", _marked_reduced(content, {0, 2}))

    with open_document(path, LIMITS) as document:
        read = list(document.pages())

    assert document.page_count == 2
    assert [page.index for page in read] == [0, 1]
    assert [page.image.size for page in read] == [(300, 200), (310, 210)]


def test_every_page_of_a_pdf_comes_in_order_at_the_configured_dpi(make_file: MakeFile) -> None:
    # Pages of 1, 2 and 3 inches width at 100 dpi in the file.
    pages_in = [Image.new("L", (100 * n, 150), 255) for n in (1, 2, 3)]
    path = make_file("three.pdf", pdf_bytes(pages_in, dpi=100))

    with open_document(path, IntakeLimits(pdf_dpi=200)) as document:
        pages = list(document.pages())

    assert [page.index for page in pages] == [0, 1, 2]
    assert [page.image.size for page in pages] == [(200, 300), (400, 300), (600, 300)]
    assert all(page.dpi == 200 for page in pages)


def _scan_pdf(make_file: MakeFile, page: BornDigitalPage) -> Path:
    return make_file("scan.pdf", born_digital_pdf([page]))


def _only_page(path: Path, dpi: int = 300) -> PageImage:
    with open_document(path, IntakeLimits(pdf_dpi=dpi, pdf_text="always_ocr")) as document:
        (page,) = document.pages()
    return page


def test_a_scan_near_the_configured_dpi_comes_with_its_own_pixels(make_file: MakeFile) -> None:
    # A 300-dpi A4 scan (2480 x 3508) on a page of its size, 595.2 x 841.92 points: at
    # exactly 300 dpi the page is 2481 x 3508 pixels (pdfium keeps 595.2 as 595.2000122) and
    # pdfium would resample the whole scan to fit.
    scan = text_page(size=(2480, 3508))
    path = _scan_pdf(make_file, BornDigitalPage(image=scan, size=(595.2, 841.92)))

    page = _only_page(path)

    assert page.image.size == (2480, 3508)
    assert page.dpi == pytest.approx(300, rel=1e-4)
    import numpy as np
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        (picture,) = pdf[0].get_objects()
        own = picture.get_bitmap(render=False).to_numpy().astype(int)  # decoded, not rendered
    finally:
        pdf.close()
    # Copied one to one, at most a pixel off where pdfium rounds the scan's place (resampled,
    # every edge of every character would differ).
    rendered = np.pad(np.asarray(page.image).astype(int), 1, mode="edge")
    offsets = [(dy, dx) for dy in range(3) for dx in range(3)]
    closest = min(
        np.abs(rendered[dy : dy + 3508, dx : dx + 2480] - own).mean() for dy, dx in offsets
    )
    assert closest < 0.01


@pytest.mark.parametrize(
    ("scan_size", "page_size", "placed"),
    [
        ((1654, 2339), A4, None),  # a 200-dpi scan
        ((2480, 3508), (595.0, 842.0), None),  # 300.1 dpi across, 299.97 down: never 1:1
        ((2480, 1754), (595.2, 841.92), (595.2, 420.96)),  # the top half only
    ],
)
def test_other_pictures_are_rendered_at_the_configured_dpi(
    make_file: MakeFile,
    scan_size: tuple[int, int],
    page_size: tuple[float, float],
    placed: tuple[float, float] | None,
) -> None:
    scan = text_page(size=scan_size)
    path = _scan_pdf(make_file, BornDigitalPage(image=scan, size=page_size, image_size=placed))

    page = _only_page(path)

    assert page.dpi == 300
    import numpy as np

    width, height = (float(np.float32(side)) for side in page_size)  # as pdfium keeps them
    assert page.image.size == (math.ceil(width * 300 / 72), math.ceil(height * 300 / 72))


@given(
    width=st.integers(50, 12_000),
    height=st.integers(50, 12_000),
    dpi=st.floats(30, 1200),
)
def test_a_scan_lands_one_to_one_at_its_own_scale(width: int, height: int, dpi: float) -> None:
    import numpy as np

    # pdfium keeps sizes as 32-bit floats: the placed size is a hair off the exact one.
    placed = (float(np.float32(width * 72 / dpi)), float(np.float32(height * 72 / dpi)))
    scale = Scan((width, height), placed).scale()

    assert scale is not None
    assert (math.ceil(placed[0] * scale), math.ceil(placed[1] * scale)) == (width, height)
    assert scale == pytest.approx(dpi / 72, rel=1e-5)


def test_pdf_pages_are_rendered_lazily_one_at_a_time(make_file: MakeFile) -> None:
    path = make_file("many.pdf", pdf_bytes([text_page()] * 30))

    with open_document(path, IntakeLimits(pdf_dpi=72)) as document:
        iterator = document.pages()
        first = next(iterator)

    assert first.index == 0  # 29 pages were never rendered


def test_a_poster_sized_pdf_page_is_rendered_within_the_pixel_limit(make_file: MakeFile) -> None:
    path = make_file("poster.pdf", pdf_bytes([Image.new("L", (4000, 4000), 255)], dpi=100))
    limits = IntakeLimits(pdf_dpi=300, max_pixels_per_page=4_000_000)

    (page,) = read_pages(path, limits)

    assert page.width * page.height <= 4_000_000
    assert page.width > 1900


# --- bad input: one typed error each ---------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentNotFound, match="does not exist"):
        open_document(tmp_path / "nowhere.pdf", LIMITS)


def test_empty_file(make_file: MakeFile) -> None:
    with pytest.raises(EmptyDocument, match="empty"):
        open_document(make_file("empty.pdf", b""), LIMITS)


def test_a_folder_is_not_a_document(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="folder"):
        open_document(tmp_path, LIMITS)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"Dear Sir or Madam,\n", "a text file"),
        (b"\x00\x00\x00\x18ftypqt  \x00\x00\x02\x00qt  \x00" * 2, "a video"),
        (b"PK\x03\x04" + b"\x00" * 30, "ZIP archive"),
        (bytes(range(256)), "unknown type"),
    ],
)
def test_unsupported_formats_say_what_they_seem_to_be(
    make_file: MakeFile, content: bytes, words: str
) -> None:
    with pytest.raises(UnsupportedFormat, match=words) as caught:
        open_document(make_file("thing.pdf", content), LIMITS)
    assert SUPPORTED_NAMES in caught.value.message
    assert "HEIC" in SUPPORTED_NAMES


def test_truncated_jpeg_is_read_as_far_as_it_goes(make_file: MakeFile) -> None:
    content = jpeg_bytes(text_page())
    path = make_file("cut.jpg", content[: len(content) // 2])

    with open_document(path, LIMITS) as document:
        assert len(list(document.pages())) == 1
        assert document.damage is not None and "cut.jpg ends early" in document.damage


def test_png_with_a_broken_header_is_corrupt(make_file: MakeFile) -> None:
    with pytest.raises(CorruptDocument):
        read_pages(make_file("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40))


def test_pdf_that_is_not_a_pdf_inside_is_corrupt(make_file: MakeFile) -> None:
    with pytest.raises(CorruptDocument, match="not a readable PDF"):
        open_document(make_file("fake.pdf", b"%PDF-1.4\ngarbage garbage\n"), LIMITS)


def test_password_protected_pdf_is_encrypted(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf_bytes(tmp_path))

    with pytest.raises(EncryptedDocument, match="password"):
        open_document(path, LIMITS)


def test_a_pdf_that_asks_for_a_password_opens_with_one_of_those_given(tmp_path: Path) -> None:
    path = tmp_path / "lohn.pdf"
    path.write_bytes(encrypted_pdf_bytes(tmp_path))
    limits = IntakeLimits(pdf_passwords=("falsch", "secret"))

    with open_document(path, limits) as document:
        assert document.page_count == 1
        assert document.page(0).width > 1000
    with pytest.raises(EncryptedDocument, match="none of the 1 given opens it"):
        open_document(path, IntakeLimits(pdf_passwords=("falsch",)))
    assert "secret" not in repr(limits)  # never in a log


def test_a_long_locked_pdf_keeps_its_password_across_reopenings(tmp_path: Path) -> None:
    import pikepdf

    pages = [Image.new("L", (200, 100), 255) for _ in range(PDF_REOPEN_PAGES + 2)]
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(pdf_bytes(pages, dpi=72))
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="secret"))

    with open_document(locked, IntakeLimits(pdf_passwords=("secret",), pdf_dpi=72)) as document:
        assert len(list(document.pages())) == PDF_REOPEN_PAGES + 2


def test_a_20000_by_20000_png_is_refused_before_decoding(make_file: MakeFile) -> None:
    path = make_file("huge.png", huge_png_bytes(20000, 20000))

    with pytest.raises(DocumentTooLarge, match="megapixels") as caught:
        read_pages(path)
    assert "huge.png" in caught.value.message


def test_pixel_limit_of_our_own_applies_below_pillows(make_file: MakeFile) -> None:
    path = make_file("big.png", image_bytes(Image.new("L", (3000, 2000), 255), "PNG"))

    with pytest.raises(DocumentTooLarge, match=r"3000 x 2000 pixels"):
        read_pages(path, IntakeLimits(max_pixels_per_page=5_000_000))


def test_page_count_limit(make_file: MakeFile) -> None:
    frames = [Image.new("L", (50, 50), 255) for _ in range(3)]
    path = make_file(
        "three.tif", image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    )

    with pytest.raises(DocumentTooLarge, match="3 pages; the limit is 2"):
        open_document(path, IntakeLimits(max_pages=2))


def test_file_size_limit(make_file: MakeFile) -> None:
    path = make_file("page.png", image_bytes(text_page(), "PNG"))

    with pytest.raises(DocumentTooLarge, match="max_file_bytes"):
        open_document(path, IntakeLimits(max_file_bytes=100))


def test_unreadable_file_is_permission_denied(tmp_path: Path) -> None:
    """Root reads every file: as root, the check runs in a child without that capability."""
    path = tmp_path / "secret.png"
    path.write_bytes(image_bytes(text_page(), "PNG"))
    path.chmod(0)
    if os.geteuid() != 0:
        with pytest.raises(DocumentPermissionDenied, match="permission denied"):
            open_document(path, LIMITS)
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing to drop DAC override")
    probe = (
        "import sys; from pathlib import Path\n"
        "from ablage_desktop.engine.intake.documents import IntakeLimits, open_document\n"
        "from ablage_desktop.engine.errors import DocumentPermissionDenied\n"
        "try:\n    open_document(Path(sys.argv[1]), IntakeLimits())\n"
        "except DocumentPermissionDenied as e:\n    print('DENIED', e.message)\n"
    )
    child = subprocess.run(
        [
            setpriv,
            "--bounding-set=-dac_override,-dac_read_search",
            sys.executable,
            "-c",
            probe,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if "setpriv" in child.stderr and "DENIED" not in child.stdout:
        pytest.skip(f"cannot drop capabilities here: {child.stderr.strip()}")
    assert "DENIED" in child.stdout, child.stderr
    assert "permission denied" in child.stdout


# --- pages come out as engines want them -----------------------------------------------------


@pytest.mark.parametrize("mode", ["1", "P", "RGBA", "LA", "I;16", "CMYK"])
def test_every_pixel_mode_becomes_grey_or_rgb(mode: str) -> None:
    image = Image.new(mode, (20, 10))
    assert normalize_mode(image).mode in ("L", "RGB")


def test_transparent_pixels_become_white_paper() -> None:
    image = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert normalize_mode(image).getpixel((0, 0)) == (255, 255, 255)


def test_a_photo_turned_by_exif_is_read_upright(make_file: MakeFile) -> None:
    photo = Image.new("RGB", (400, 100), "white")
    exif = photo.getexif()
    exif[0x0112] = 6  # orientation: rotate 90 degrees clockwise to view
    path = make_file("photo.jpg", image_bytes(photo, "JPEG", exif=exif.tobytes()))

    (page,) = read_pages(path)

    assert page.size == (100, 400)


@pytest.mark.parametrize(
    ("dpi", "size", "resolution"),
    [
        ((204, 98), (1728, 1145), 204),  # a fax in normal mode: stretched down to square
        ((100, 200), (3456, 550), 200),  # finer down than across: stretched across
        ((204, 196), (1728, 572), 204),  # a fax in fine mode: 4 % taller
        ((300, 296), (1728, 550), 300),  # square enough: left as it is
        ((300, 300), (1728, 550), 300),
        ((10, 1000), (1728, 550), 10),  # no scanner's: a mistake in the file, left as it is
    ],
)
def test_pixels_that_are_not_square_are_made_square(
    make_file: MakeFile, dpi: tuple[int, int], size: tuple[int, int], resolution: int
) -> None:
    fax = Image.new("1", (1728, 550), 1)
    path = make_file("fax.tif", image_bytes(fax, "TIFF", compression="group3", dpi=dpi))

    with open_document(path, LIMITS) as document:
        page = document.page(0)

    assert page.image.size == size
    assert page.dpi == pytest.approx(resolution)


def test_a_photo_turned_by_exif_has_its_resolutions_turned_too(make_file: MakeFile) -> None:
    photo = Image.new("RGB", (400, 100), "white")  # 100 dpi across, 200 down as stored
    exif = photo.getexif()
    exif[0x0112] = 6  # turned a quarter to be viewed: 200 dpi across, 100 down
    path = make_file("photo.jpg", image_bytes(photo, "JPEG", exif=exif.tobytes(), dpi=(100, 200)))

    (page,) = read_pages(path)

    assert page.size == (100, 800)


def test_a_page_is_not_stretched_past_the_pixel_limit(make_file: MakeFile) -> None:
    fax = Image.new("1", (1000, 500), 1)
    path = make_file("fax.tif", image_bytes(fax, "TIFF", dpi=(200, 100)))

    (page,) = read_pages(path, IntakeLimits(max_pixels_per_page=800_000))

    assert page.size == (1000, 500)


# --- the user's files are only read ----------------------------------------------------------


def test_reading_leaves_the_files_and_their_folder_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes([text_page()] * 2))
    (folder / "b.tif").write_bytes(image_bytes(text_page(), "TIFF"))
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}

    for path in collect_documents([folder]).documents:
        read_pages(path)

    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    assert after == before


# --- folders ---------------------------------------------------------------------------------


def test_folders_are_walked_recursively_skipping_what_is_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "2024" / "q1").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.png").write_bytes(image_bytes(text_page(), "PNG"))
    (tmp_path / "IMG_0042.HEIC").write_bytes(image_bytes(text_page().convert("RGB"), "HEIF"))
    (tmp_path / "2024" / "q1" / "a.PDF").write_bytes(pdf_bytes([text_page()]))
    (tmp_path / "2024" / "scan_without_suffix").write_bytes(pdf_bytes([text_page()]))
    (tmp_path / "2024" / "notes.txt").write_text("not a document")
    (tmp_path / ".hidden" / "c.png").write_bytes(image_bytes(text_page(), "PNG"))
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")

    found = collect_documents([tmp_path])

    names = [path.relative_to(tmp_path).as_posix() for path in found.documents]
    assert names == ["IMG_0042.HEIC", "b.png", "2024/scan_without_suffix", "2024/q1/a.PDF"]
    assert [path.name for path in found.skipped] == ["notes.txt"]


def test_paths_given_by_hand_are_kept_even_when_wrong(tmp_path: Path) -> None:
    missing = tmp_path / "missing.pdf"
    notes = tmp_path / "notes.txt"
    notes.write_text("x")

    found = collect_documents([missing, notes, missing])

    assert found.documents == [missing, notes]


def test_any_page_can_be_decoded_on_its_own(make_file: MakeFile) -> None:
    sizes = [(300, 200), (310, 210), (320, 220)]
    frames = [Image.new("L", size, 255) for size in sizes]
    tiff = make_file(
        "three.tif", image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])
    )
    pdf = make_file(
        "three.pdf", pdf_bytes([Image.new("L", (100 * n, 150), 255) for n in (1, 2, 3)], dpi=100)
    )

    with open_document(tiff, LIMITS) as document:
        assert [document.page(i).image.size for i in (2, 0, 1)] == [sizes[2], sizes[0], sizes[1]]
    with open_document(pdf, IntakeLimits(pdf_dpi=100)) as document:
        assert document.page(2).image.size == (300, 150)


def test_a_long_pdf_reads_every_page_right_across_its_reopenings(make_file: MakeFile) -> None:
    """pdfium's document is opened again every PDF_REOPEN_PAGES pages (to empty its caches):
    the pages after each reopening are still the right ones, in order."""
    count = 2 * PDF_REOPEN_PAGES + 3
    widths = [50 + index % 7 for index in range(count)]
    path = make_file("long.pdf", pdf_bytes([Image.new("L", (w, 40), 255) for w in widths], dpi=72))

    with open_document(path, IntakeLimits(pdf_dpi=72)) as document:
        sizes = [page.image.size for page in document.pages()]

    assert sizes == [(width, 40) for width in widths]
