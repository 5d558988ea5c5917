"""The back of a sheet, blank but for the front's print showing through (a duplex scanner's
every second page of one-sided letters), read as no text by both CPU engines; a page of faint
print alone is still read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from ablage_desktop.engine.backends import rapidocr_ghosts
from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
from ablage_desktop.engine.backends.show_through import back_of_sheet, could_be_back, faint_page
from ablage_desktop.engine.backends.tesseract import TesseractBackend, TesseractOptions
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document

LETTER = [
    "Sehr geehrte Damen und Herren,",
    "wir bestaetigen den Eingang Ihrer Zahlung",
    "vom 14. Oktober 2026 ueber 418,20 EUR.",
    "Die Rechnung Nummer 2026-0412 ist beglichen.",
    "Mit freundlichen Gruessen",
    "Ihre Buchhaltung",
    "Telefon 030 1234567",
    "E-Mail: buchhaltung@example.de",
]


def printed(lines: list[str], ink: int) -> Image.Image:
    image = Image.new("L", (1700, 1400), 250)
    draw, font = ImageDraw.Draw(image), ImageFont.load_default(size=44)
    for n, line in enumerate(lines):
        draw.text((120, 100 + 140 * n), line, font=font, fill=ink)
    return image


def blank_back() -> Image.Image:
    """The letter seen from its blank back: mirrored, softened, a fifth of its contrast."""
    front = printed(LETTER, 0).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return front.filter(ImageFilter.GaussianBlur(1.2)).point(lambda v: 250 - (250 - v) // 5)


def page(image: Image.Image) -> PageImage:
    return PageImage(Path("page.png"), 0, image, 300)


@pytest.fixture(scope="module")
def tesseract() -> TesseractBackend:
    backend = TesseractBackend("tesseract", TesseractOptions(engine="tesseract", instances=1))
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def rapidocr() -> RapidOcrBackend:
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    yield backend
    backend.close()


def words(text: str) -> set[str]:
    return {word.strip(",.") for word in text.split()} - {""}


def letter_words() -> set[str]:
    return words(" ".join(LETTER))


def test_tesseract_reads_no_text_on_a_blank_back(tesseract: TesseractBackend) -> None:
    result = tesseract.recognize(page(blank_back()))
    assert result.text.strip() == "" and result.lines == ()


def test_tesseract_reads_a_page_of_faint_print(tesseract: TesseractBackend) -> None:
    found = words(tesseract.recognize(page(printed(LETTER, 205))).text)
    assert len(found & letter_words()) >= 0.8 * len(letter_words())


def test_rapidocr_reads_no_text_on_a_blank_back(rapidocr: RapidOcrBackend) -> None:
    assert rapidocr.recognize(page(blank_back())).text.strip() == ""


def test_rapidocr_reads_a_page_of_faint_print_after_a_sample_read_mirrored(
    rapidocr: RapidOcrBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Faded print alone: the widest lines, read mirrored, read less surely so, and the rest
    are not read mirrored at all."""
    mirrored_reads: list[int] = []
    find = rapidocr_ghosts.find_ghosts

    def counting(read, crops, recognised, boxes):  # type: ignore[no-untyped-def]
        def counted(batch: list[object]) -> list[tuple[str, float]]:
            mirrored_reads.append(len(batch))
            return read(batch)

        return find(counted, crops, recognised, boxes)

    monkeypatch.setattr("ablage_desktop.engine.backends.rapidocr.find_ghosts", counting)
    found = words(rapidocr.recognize(page(printed(LETTER, 205))).text)
    assert found >= letter_words()
    assert mirrored_reads == [rapidocr_ghosts.SAMPLE]


def test_a_page_is_faint_without_ink_darker_than_show_through() -> None:
    assert faint_page(blank_back())
    assert faint_page(printed(LETTER, 205))
    assert not faint_page(printed(LETTER, 120))
    with_print = np.asarray(blank_back()).copy()
    with_print[1300:1340, 1500:1600] = 0  # a page number's worth of print on the back
    assert not faint_page(Image.fromarray(with_print))


@pytest.mark.parametrize(
    ("as_read", "mirror_read", "back"),
    [(0.40, 0.94, True), (0.17, 0.43, True), (0.45, 0.55, False), (0.57, 0.44, False)],
)
def test_a_faint_page_is_a_back_where_it_reads_surer_mirrored(
    as_read: float, mirror_read: float, back: bool
) -> None:
    assert back_of_sheet(as_read, mirror_read) is back


def test_a_page_read_surely_is_not_read_mirrored() -> None:
    assert could_be_back(0.4) and not could_be_back(0.9)


def test_auto_reads_a_duplex_scan_and_leaves_the_blank_back_empty(
    shipped_engine: EngineCore, tmp_path: Path
) -> None:
    """A letter scanned on both sides: its front read, its back found blank by Tesseract,
    which ``auto`` reads first, so RapidOCR does not read it; the route says why."""
    scan = tmp_path / "duplex.pdf"
    front = printed(LETTER, 0)
    front.save(scan, save_all=True, append_images=[blank_back()], resolution=300)
    (document,) = shipped_engine.ocr(OcrRequest([scan], backend="auto", archive=False))
    assert document.ok, document.error
    first, back = document.pages
    assert words(first.text) >= letter_words()
    assert back.text.strip() == "" and back.lines == ()
    assert "the back of a sheet" in (back.route or "")
    assert "rapidocr" not in dict(back.stages)


def numbered_back(front: Image.Image) -> Image.Image:
    """``front``'s blank back with its page number printed at its foot, small."""
    ghost = front.convert("L").transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    ghost = ghost.filter(ImageFilter.GaussianBlur(front.width / 1600))
    back = ghost.point(lambda v: 250 - (255 - v) // 5)
    size = front.height // 90
    ImageDraw.Draw(back).text(
        (front.width // 2 - 5 * size, front.height - 2 * size), "Seite 2 von 2",
        font=ImageFont.load_default(size=size), fill=20,
    )  # fmt: skip
    return back


def test_tesseract_keeps_the_page_number_on_a_back(
    tesseract: TesseractBackend, data_dir: Path
) -> None:
    """The data set's first invoice seen from its back: the ghosts left out (as on a blank
    back), the print kept (its spaces as Tesseract reads small print)."""
    with open_document(data_dir / "de_ferd_physiotherapeut.pdf", IntakeLimits()) as document:
        front = document.page(0).image
    result = tesseract.recognize(page(numbered_back(front)))
    assert "".join(result.text.split()) == "Seite2von2" and result.back_of_sheet


def test_rapidocr_finds_the_page_number_beside_a_remnant_of_show_through(
    rapidocr: RapidOcrBackend, data_dir: Path
) -> None:
    """A back as ``copies.py --modes duplex`` makes it (the front multiplied in at a fifth of
    its contrast on slightly tinted paper), its page number a little above the foot. Its faint
    lines mostly show-through, it is read again with them wiped, and there the detector finds
    a remnant of them but not the small line alone on the page: print beside the few lines
    found is detected again around its ink (before, the page read empty)."""
    with open_document(data_dir / "de_ferd_physiotherapeut.pdf", IntakeLimits()) as document:
        front = document.page(0).image.convert("L")
    ghost = front.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    ghost = ghost.filter(ImageFilter.GaussianBlur(max(1.0, front.width / 1600)))
    faint = ghost.point(lambda v: 255 - (255 - v) // 5).convert("RGB")
    back = ImageChops.multiply(Image.new("RGB", front.size, (250, 250, 248)), faint)
    size = front.height // 88
    ImageDraw.Draw(back).text(
        (int(front.width * 0.414), int(front.height * 0.95)), "Seite 2 von 2",
        font=ImageFont.load_default(size=size), fill=(20, 20, 20),
    )  # fmt: skip
    assert rapidocr.recognize(page(back)).text.split() == ["Seite", "2", "von", "2"]


def test_rapidocr_reads_a_page_of_one_small_line() -> None:
    """A4 at 300 dpi with one line 39 pixels high: RapidOCR's detector, as the library's own
    call, found nothing on the whole page; it does around the ink."""
    image = Image.new("L", (2480, 3508), 255)
    ImageDraw.Draw(image).text((1000, 3300), "Seite 2 von 2", font=ImageFont.load_default(size=40))
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        assert backend.recognize(page(image)).text.split() == ["Seite", "2", "von", "2"]
    finally:
        backend.close()
