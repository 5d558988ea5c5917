"""Files cut short: what is there is read, and the document says what is missing."""

from __future__ import annotations

import io
import re
import struct
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont
from samples import pdf_bytes, text_page

from ablage_desktop.engine.errors import CorruptDocument
from ablage_desktop.engine.intake.decoding import IsolatedDecoder
from ablage_desktop.engine.intake.documents import IntakeLimits, open_document
from ablage_desktop.engine.intake.salvage import MISSING_GREY

LIMITS = IntakeLimits()


def tall_page() -> Image.Image:
    """A page of print from top to bottom, so that any cut loses some of it."""
    page = Image.new("L", (800, 1200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=28)
    for row in range(20):
        draw.text((40, 30 + 58 * row), f"Line {row} of the page, Rechnung {4700 + row}", 0, font)
    return page


def saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def missing_rows(image: Image.Image) -> int:
    """Rows at the bottom that are all the missing part's grey."""
    rows = np.asarray(image.convert("L"))
    grey = (rows == MISSING_GREY).all(axis=1)
    return int(np.argmin(grey[::-1])) if not grey.all() else len(grey)


def test_a_jpeg_cut_short_keeps_its_upper_rows(tmp_path: Path) -> None:
    page = tall_page()
    data = saved(page, "JPEG", quality=90, dpi=(200, 200))
    path = write(tmp_path, "cut.jpg", data[: len(data) // 2])

    with open_document(path, LIMITS) as document:
        (read,) = list(document.pages())
        damage = document.damage

    assert read.image.size == page.size and read.dpi == pytest.approx(200, rel=0.01)
    lost = missing_rows(read.image)
    assert 0.2 * page.height < lost < 0.8 * page.height
    assert damage is not None and "cut.jpg ends early" in damage
    assert f"{lost / page.height:.0%} of its image is missing" in damage
    kept = np.asarray(read.image.convert("L"))[: page.height - lost - 16].astype(int)
    original = np.asarray(page)[: page.height - lost - 16].astype(int)
    assert np.abs(kept - original).mean() < 3  # the rows that were there, as JPEG keeps them


def test_a_progressive_jpeg_cut_short_comes_out_coarser(tmp_path: Path) -> None:
    data = saved(tall_page(), "JPEG", quality=90, progressive=True)
    path = write(tmp_path, "cut.jpg", data[: len(data) * 2 // 3])

    with open_document(path, LIMITS) as document:
        (read,) = list(document.pages())

    assert missing_rows(read.image) == 0
    assert document.damage is not None and "coarser" in document.damage


def test_a_jpeg_with_other_data_after_its_end_is_whole(tmp_path: Path) -> None:
    """Phones put data after a JPEG's end marker (a motion photo's video): not a cut."""
    path = write(tmp_path, "photo.jpg", saved(tall_page(), "JPEG") + b"\x00ftypmp42" * 400)

    with open_document(path, LIMITS) as document:
        (read,) = list(document.pages())

    assert document.damage is None and missing_rows(read.image) == 0


def test_a_png_cut_short_keeps_its_rows_exactly(tmp_path: Path) -> None:
    page = tall_page()
    data = saved(page, "PNG", dpi=(300, 300))
    path = write(tmp_path, "cut.png", data[: len(data) * 3 // 5])

    with open_document(path, LIMITS) as document:
        (read,) = list(document.pages())

    lost = missing_rows(read.image)
    assert read.image.size == page.size and read.dpi == pytest.approx(300, rel=0.01)
    assert 0 < lost < page.height // 2
    kept = page.height - lost
    assert np.array_equal(np.asarray(read.image)[:kept], np.asarray(page)[:kept])
    assert document.damage is not None and f"{lost / page.height:.0%}" in document.damage


def test_a_palette_png_cut_short_comes_out_in_its_colours(tmp_path: Path) -> None:
    page = tall_page().convert("RGB")
    ImageDraw.Draw(page).rectangle((0, 0, 799, 20), fill=(200, 30, 30))
    data = saved(page.quantize(16), "PNG")
    path = write(tmp_path, "cut.png", data[: len(data) // 2])

    with open_document(path, LIMITS) as document:
        (read,) = list(document.pages())

    assert read.image.mode == "RGB" and document.damage is not None
    red = read.image.getpixel((400, 10))
    assert red[0] > 150 and red[1] < 80  # type: ignore[index]


def test_a_png_cut_short_and_garbled_stays_refused(tmp_path: Path) -> None:
    """Not a file cut short but one whose bytes are spoilt: nothing is made up of them."""
    data = bytearray(saved(tall_page(), "PNG")[:-2000])
    start = data.index(b"IDAT") + 400
    data[start : start + 600] = bytes(range(200)) * 3
    path = write(tmp_path, "cut.png", bytes(data))

    with (
        pytest.raises(CorruptDocument, match="damaged or incomplete"),
        open_document(path, LIMITS) as document,
    ):
        list(document.pages())


def test_a_multi_page_tiff_cut_short_keeps_its_first_pages(tmp_path: Path) -> None:
    pages = [text_page((f"Seite {n}", "Rechnung 4711")) for n in (1, 2, 3)]
    data = saved(pages[0], "TIFF", save_all=True, append_images=pages[1:])
    third = _directory_offsets(data)[2]
    path = write(tmp_path, "scan.tif", data[: third + 4])

    with open_document(path, LIMITS) as document:
        read = list(document.pages())

    assert len(read) == 2
    assert np.array_equal(np.asarray(read[1].image), np.asarray(pages[1]))
    assert document.damage is not None and "after page 2" in document.damage
    assert "pages 1 to 2 were read" in document.damage


def _directory_offsets(data: bytes) -> list[int]:
    """Where each page directory of a little-endian TIFF begins."""
    offsets, at = [], struct.unpack_from("<I", data, 4)[0]
    while at:
        offsets.append(at)
        entries = struct.unpack_from("<H", data, at)[0]
        at = struct.unpack_from("<I", data, at + 2 + 12 * entries)[0]
    return offsets


def four_page_pdf() -> bytes:
    return pdf_bytes([text_page((f"Seite {n} von 4", "Rechnung 4711")) for n in (1, 2, 3, 4)])


def cut_after(data: bytes, page: int) -> bytes:
    """``data`` cut a little after the end of the object that draws page ``page`` (1-based):
    Pillow writes each page's image, page and content objects one after another."""
    content = data.index(b"/image Do")  # the first page's content stream
    for _ in range(page - 1):
        content = data.index(b"/image Do", content + 1)
    return data[: data.index(b"endobj", content) + 40]


def test_a_pdf_cut_short_keeps_its_whole_pages(tmp_path: Path) -> None:
    data = four_page_pdf()
    path = write(tmp_path, "scan.pdf", cut_after(data, 2))

    with open_document(path, LIMITS) as document:
        read = list(document.pages())

    assert len(read) == 2
    assert document.damage is not None
    assert (
        "scan.pdf ends early" in document.damage
        and "of its 4 pages, pages 1 to 2 were" in document.damage
    )
    ink = np.asarray(read[1].image.convert("L")) < 128
    assert ink.mean() > 0.005  # its print is there, not a blank page


def test_a_pdf_with_object_streams_cut_short_keeps_its_whole_pages(tmp_path: Path) -> None:
    """Newer PDFs keep their catalog and pages in compressed object streams."""
    data = four_page_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    packed = buffer.getvalue()
    path = write(tmp_path, "scan.pdf", packed[: len(packed) * 4 // 5])

    with open_document(path, LIMITS) as document:
        read = list(document.pages())

    assert 1 <= len(read) < 4
    read_now = "page 1 was" if len(read) == 1 else f"pages 1 to {len(read)} were"
    assert document.damage is not None and f"of its 4 pages, {read_now}" in document.damage


def test_a_pdf_cut_short_before_its_catalog_gets_a_page_tree_of_its_own(tmp_path: Path) -> None:
    """Ghostscript and pdfTeX write the catalog and page tree last: a cut loses them, the
    pages in what is there are found one by one."""
    data = four_page_pdf().replace(b"/Type /Catalog", b"/Type /Catalxg")  # as if not there
    path = write(tmp_path, "scan.pdf", cut_after(data, 3))

    with open_document(path, LIMITS) as document:
        read = list(document.pages())

    assert len(read) == 3
    assert document.damage is not None and "pages 1 to 3 were recovered" in document.damage
    assert "how many followed is not known" in document.damage
    inks = [(np.asarray(page.image.convert("L")) < 128).mean() for page in read]
    assert min(inks) > 0.005


def test_a_pdf_cut_short_before_its_page_tree_gets_one_of_its_own(tmp_path: Path) -> None:
    data = four_page_pdf()
    catalog = re.search(rb"/Type /Catalog\s*/Pages (\d+) 0 R", data)
    assert catalog is not None
    start, end = catalog.span(1)
    data = data[:start] + b"9" * (end - start) + data[end:]  # a page tree that is not there
    path = write(tmp_path, "scan.pdf", cut_after(data, 2))

    with open_document(path, LIMITS) as document:
        read = list(document.pages())

    assert len(read) == 2
    assert document.damage is not None and "how many followed is not known" in document.damage


def test_a_pdf_cut_inside_its_first_page_is_refused_in_words(tmp_path: Path) -> None:
    data = four_page_pdf()
    path = write(tmp_path, "scan.pdf", data[: data.index(b"/image Do") - 200])

    with pytest.raises(CorruptDocument, match=r"ends early.*none of its pages is whole"):
        open_document(path, LIMITS)


def test_the_decoder_process_tells_the_damage(tmp_path: Path) -> None:
    data = four_page_pdf()
    path = write(tmp_path, "scan.pdf", cut_after(data, 3))

    with IsolatedDecoder() as decoder:
        document = decoder.open(path, LIMITS)
        try:
            assert document.page_count == 3
            assert document.damage is not None and "of its 4 pages, pages 1 to 3" in document.damage
        finally:
            document.close()
