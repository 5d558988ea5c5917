"""A framed area read again on its own (``Engine.read_area``), with the real engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from samples import pdf_bytes, text_page

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.area_reading import read_area
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.jobs import OcrRequest

ROWS = ("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")
SECOND_ROW = (0, 125, 1400, 210)  # text_page prints the rows at y = 40 and y = 140, 44 px


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineCore]:
    core = EngineCore(load_config())
    yield core
    core.close()


@pytest.mark.parametrize("backend", ["tesseract", "rapidocr", "auto"])
def test_the_second_row_alone_with_its_boxes_on_the_page(
    engine: EngineCore, tmp_path: Path, backend: str
) -> None:
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))

    page = engine.read_area(path, 0, SECOND_ROW, backend)

    assert page.text == "Total amount 123.45 EUR"
    assert (page.width, page.height) == (1400, 320)
    for line in page.lines:
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= 1400 and 125 <= y0 < y1 <= 210  # on the page, in the frame
        assert 130 <= (y0 + y1) / 2 <= 200


@pytest.mark.parametrize("backend", ["tesseract", "rapidocr"])
def test_a_frame_drawn_into_the_print_still_reads(
    engine: EngineCore, tmp_path: Path, backend: str
) -> None:
    """The cut gets a margin of its paper: without it, a frame 3 px inside the print's box
    was read "" by Tesseract and "... FUR" by RapidOCR."""
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    (row,) = engine.read_area(path, 0, SECOND_ROW, "tesseract").lines
    x0, y0, x1, y1 = row.box

    page = engine.read_area(path, 0, (x0 + 3, y0 + 3, x1 - 3, y1 - 3), backend)

    assert page.text == "Total amount 123.45 EUR"


def test_a_pdf_page_is_cut_at_the_resolution_it_is_read_at(
    engine: EngineCore, tmp_path: Path
) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(pdf_bytes([text_page(("Seite eins",)), text_page(ROWS)], dpi=300))
    (document,) = engine.ocr(OcrRequest([path], backend="tesseract", archive=False))
    read = document.pages[1]

    again = engine.read_area(path, 1, SECOND_ROW, "tesseract")

    assert (again.width, again.height) == (read.width, read.height)
    (row,) = [line for line in read.lines if "Total" in line.text]
    (row_again,) = again.lines
    assert row_again.text == row.text
    assert all(abs(a - b) <= 6 for a, b in zip(row_again.box, row.box, strict=True))


def test_a_frame_reaching_off_the_page_is_cut_to_it_and_a_tiny_one_refused(
    engine: EngineCore, tmp_path: Path
) -> None:
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    assert engine.read_area(path, 0, (-50, 125, 5000, 210), "tesseract").text.startswith("Total")
    with pytest.raises(UsageError, match="too small"):
        engine.read_area(path, 0, (100, 140, 105, 200), "tesseract")
    with pytest.raises(UsageError, match="no page 2"):
        engine.read_area(path, 1, SECOND_ROW, "tesseract")


def test_the_margin_is_the_paper_of_the_area() -> None:
    """A grey page's margin is its own grey: no edge of white paper for the engine to see."""
    seen: list[Image.Image] = []

    def recognize(page: PageImage) -> OcrPage:
        seen.append(page.image)
        return OcrPage(0, page.width, page.height, "probe", 0.0, "")

    grey = Image.new("L", (400, 200), 180)
    read_area(PageImage(Path("x.png"), 0, grey, 300), (100, 50, 300, 150), recognize)
    (cut,) = seen
    assert cut.size == (200 + 2 * 48, 100 + 2 * 48)
    assert cut.getextrema() == (180, 180)
