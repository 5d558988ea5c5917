"""The Docling engine on real pages through Docling's real pipelines (no mock of Docling).

Two set-ups are loaded once per module: without layout weights (``NativePdfPipeline``) and
with the tiny RT-DETRv2 layout model of ``tiny_docling`` (``StandardPdfPipeline`` with
RapidOCR inside). The tiny model's regions are random boxes, so what the layout decides is
noise here: these tests check what does not depend on it (the PDF's exact text and its column
order, boxes on the page, OCR or not, the roles and Markdown Docling's document gives), and
the heading's mapping is checked on a document built with docling-core's own API.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from born_digital import (
    REPORT_HEADING,
    REPORT_LEFT,
    REPORT_RIGHT,
    REPORT_TABLE,
    Page,
    Run,
    pdf_bytes,
    report_page,
)
from PIL import Image
from tiny_docling import build_layout_model

from ablage_desktop.engine.backends.docling import (
    SPEC,
    DoclingBackend,
    DoclingOptions,
    layout_folder,
    notes,
)
from ablage_desktop.engine.backends.docling_pages import PageFrame, page_blocks, page_text
from ablage_desktop.engine.errors import RecognitionError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import LINE_ROLES, OcrPage

DPI = 100
"""Pages are rendered small: Docling reads PDF pages from the file, the image only sizes
the boxes (and the tiny layout model sees a 640 x 640 input whatever the size)."""


@pytest.fixture(scope="module")
def with_layout(tiny_artifacts: Path) -> Iterator[DoclingBackend]:
    backend = DoclingBackend(
        "docling", DoclingOptions(engine="docling", artifacts_path=tiny_artifacts)
    )
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def without_layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DoclingBackend]:
    empty = tmp_path_factory.mktemp("no-weights")
    backend = DoclingBackend("docling", DoclingOptions(engine="docling", artifacts_path=empty))
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> PageImage:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(pdf_bytes([report_page(right_first=True)]))
    return pdf_page(path, 0)


def pdf_page(path: Path, index: int, dpi: int = DPI) -> PageImage:
    document = pypdfium2.PdfDocument(path)
    try:
        image = document[index].render(scale=dpi / 72).to_pil().convert("L")
    finally:
        document.close()
    return PageImage(path, index, image, dpi)


def image_page(path: Path) -> PageImage:
    with Image.open(path) as image:
        return PageImage(path, 0, image.convert("L"), None)


def assert_lines_on_page(result: OcrPage, page: PageImage) -> None:
    assert result.lines
    for line in result.lines:
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 <= x1 <= page.width and 0 <= y0 <= y1 <= page.height, line
        assert line.role in LINE_ROLES, line
        assert line.text.strip() == line.text and line.text


def column_positions(text: str) -> list[int]:
    """Where each column line of the report starts in ``text`` (all must be there)."""
    positions = [text.find(line) for line in (*REPORT_LEFT, *REPORT_RIGHT)]
    assert -1 not in positions, text
    return positions


def test_without_weights_a_born_digital_page_comes_out_with_its_exact_lines_in_column_order(
    without_layout: DoclingBackend, report: PageImage
) -> None:
    result = without_layout.recognize(report)

    texts = [line.text for line in result.lines]
    # The file draws the right column first; the page reads left column, then right.
    assert texts[0] == REPORT_HEADING
    assert [t for t in texts if t.startswith("Left")] == list(REPORT_LEFT)
    assert [t for t in texts if t.startswith("Right")] == list(REPORT_RIGHT)
    assert texts.index(REPORT_LEFT[-1]) < texts.index(REPORT_RIGHT[0])
    assert sorted(column_positions(result.text)) == column_positions(result.text)
    assert {cell for row in REPORT_TABLE for cell in row} <= set(texts)
    # Straight from the PDF: the pipeline that read it has no OCR stage at all.
    from docling.pipeline.native_pdf_pipeline import NativePdfPipeline

    pipelines = list(without_layout._converter.initialized_pipelines.values())
    assert pipelines and all(type(p) is NativePdfPipeline for p in pipelines)
    assert not any(hasattr(p, "ocr_model") for p in pipelines)
    assert {line.confidence for line in result.lines} == {1.0}
    assert {line.role for line in result.lines} == {"paragraph"}
    assert result.markdown is None
    assert result.backend == "docling"
    assert_lines_on_page(result, report)
    heading = result.lines[0]
    assert heading.box[1] < min(line.box[1] for line in result.lines[1:])


def test_with_the_layout_model_a_born_digital_page_keeps_its_text_and_runs_no_ocr(
    with_layout: DoclingBackend, report: PageImage
) -> None:
    result = with_layout.recognize(report)

    # Docling's reading order (the tiny model's random regions may join lines into one
    # paragraph, never reorder the columns or change a character).
    assert result.text.startswith(REPORT_HEADING)
    assert sorted(column_positions(result.text)) == column_positions(result.text)
    words = result.text.split()
    for row in REPORT_TABLE:
        assert set(row) <= set(words)
    # Every line's text came from the PDF's own cells, none from OCR. (Docling OCRs only
    # the layout regions that hold no PDF text: pictures, with heron; with the tiny model's
    # random regions, stretches of blank paper where RapidOCR finds nothing.)
    assert {line.confidence for line in result.lines} == {1.0}
    assert result.markdown is not None and REPORT_HEADING in result.markdown
    assert all(line.text in result.markdown for line in result.lines)
    assert_lines_on_page(result, report)


def test_a_scanned_image_is_read_by_rapidocr_inside_docling(
    with_layout: DoclingBackend, data_dir: Path
) -> None:
    page = image_page(data_dir / "funsd_0000971160.png")

    result = with_layout.recognize(page)

    assert_lines_on_page(result, page)
    assert any(line.confidence < 1.0 for line in result.lines)  # OCR read them
    truth = set((data_dir / "funsd_0000971160.gt.txt").read_text(encoding="utf-8").split())
    assert {word for word in result.text.split() if len(word) >= 5} & truth
    assert result.markdown and result.lines[0].text in result.markdown


def test_a_scanned_pdf_page_is_ocred_inside_docling_from_the_pdf(
    with_layout: DoclingBackend, data_dir: Path
) -> None:
    page = pdf_page(data_dir / "de_ferd_physiotherapeut.pdf", 1)

    result = with_layout.recognize(page)

    assert result.index == 1
    assert_lines_on_page(result, page)
    assert any(line.confidence < 1.0 for line in result.lines)


def test_without_weights_an_image_page_is_refused_with_how_to_get_them(
    without_layout: DoclingBackend, data_dir: Path
) -> None:
    with pytest.raises(RecognitionError) as raised:
        without_layout.recognize(image_page(data_dir / "sroie_247.jpg"))

    assert "ablage-desktop models download docling" in raised.value.message
    assert "docling-project/docling-layout-heron" in raised.value.message


def test_without_weights_a_scanned_pdf_page_is_refused_rather_than_read_as_empty(
    without_layout: DoclingBackend, data_dir: Path
) -> None:
    with pytest.raises(RecognitionError, match="no text Docling can read"):
        without_layout.recognize(pdf_page(data_dir / "de_ferd_physiotherapeut.pdf", 0))


def test_a_turned_pdf_page_is_read_from_its_image_or_refused_without_weights(
    with_layout: DoclingBackend, without_layout: DoclingBackend, report: PageImage
) -> None:
    # The app turned the page's image: Docling's boxes on the PDF page would not fit it.
    small = report.image.resize((report.width // 2, report.height // 2))
    turned = PageImage(report.document, 0, small.rotate(90, expand=True), DPI / 2)

    with pytest.raises(RecognitionError, match="as an image without its layout model"):
        without_layout.recognize(turned)
    result = with_layout.recognize(turned)
    # Read from the (sideways) picture, not from the PDF's text.
    assert REPORT_HEADING not in result.text
    assert (result.width, result.height) == (turned.width, turned.height)
    assert result.markdown is not None


def test_notes_say_what_missing_weights_and_torchvision_take_away(
    tmp_path: Path, tiny_artifacts: Path
) -> None:
    empty = DoclingOptions(engine="docling", artifacts_path=tmp_path)
    present = DoclingOptions(engine="docling", artifacts_path=tiny_artifacts)

    [missing, *rest] = notes(empty)
    assert "reads born-digital PDF pages only" in missing
    assert "ablage-desktop models download docling" in missing
    assert str(layout_folder(empty)) in missing
    assert not any("born-digital" in note for note in notes(present))
    tables = "tables need torchvision: table regions are read as text in reading order"
    has_torchvision = __import__("importlib").util.find_spec("torchvision") is not None
    assert (tables in rest) is not has_torchvision
    assert SPEC.availability(empty).ok
    assert SPEC.estimate(present).weights > SPEC.estimate(empty).weights


def test_a_docling_document_keeps_headings_lists_and_tables_as_roles_and_markdown() -> None:
    from docling_core.types.doc import (
        BoundingBox,
        CoordOrigin,
        DocItemLabel,
        DoclingDocument,
        ProvenanceItem,
        Size,
        TableCell,
        TableData,
    )

    document = DoclingDocument(name="built")
    document.add_page(page_no=1, size=Size(width=200.0, height=100.0))

    def prov(left: float, top: float, right: float, bottom: float) -> ProvenanceItem:
        box = BoundingBox(l=left, t=top, r=right, b=bottom, coord_origin=CoordOrigin.BOTTOMLEFT)
        return ProvenanceItem(page_no=1, bbox=box, charspan=(0, 0))

    document.add_heading("Results", prov=prov(10, 95, 90, 85))
    document.add_text(DocItemLabel.TEXT, "Sales grew.", prov=prov(10, 80, 120, 72))
    document.add_list_item("first point", prov=prov(10, 70, 80, 64))
    cells = [
        TableCell(
            text=text,
            start_row_offset_idx=row,
            end_row_offset_idx=row + 1,
            start_col_offset_idx=col,
            end_col_offset_idx=col + 1,
        )
        for row, texts in enumerate((("Item", "Amount"), ("Revenue", "1200")))
        for col, text in enumerate(texts)
    ]
    table = TableData(table_cells=cells, num_rows=2, num_cols=2)
    document.add_table(data=table, prov=prov(10, 60, 150, 20))

    blocks = page_blocks(document, 1, PageFrame(200.0, 100.0, 400, 200))

    lines = [line for block in blocks for line in block.lines]
    assert [(line.text, line.role) for line in lines] == [
        ("Results", "heading"),
        ("Sales grew.", "paragraph"),
        ("first point", "list_item"),
        ("Item", "table_cell"),
        ("Amount", "table_cell"),
        ("Revenue", "table_cell"),
        ("1200", "table_cell"),
    ]
    assert lines[0].box == (20, 10, 180, 30)  # points, bottom-left origin -> pixels, top left
    assert page_text(blocks) == "Results\nSales grew.\nfirst point\nItem\tAmount\nRevenue\t1200"
    markdown = document.export_to_markdown(page_no=1)
    assert "## Results" in markdown and "- first point" in markdown
    assert "| Revenue" in markdown


def test_without_tableformer_a_table_region_is_still_its_text_as_table_cells(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A layout model that sees only tables (the tiny one, told so; its boxes all fall on the
    lower right quarter of the page, where the table is): Docling makes a table without
    structure (no TableFormer here), whose text must come through as table cells."""
    folder = tmp_path_factory.mktemp("tables-only")
    build_layout_model(folder / "artifacts", label="table")
    runs = [Run(60.0, 780.0, "Price list", 18.0)] + [
        Run((330.0, 420.0, 500.0)[column], 300.0 - row * 20.0, cell)
        for row, cells in enumerate(REPORT_TABLE)
        for column, cell in enumerate(cells)
    ]
    (folder / "table.pdf").write_bytes(pdf_bytes([Page(runs)]))
    page = pdf_page(folder / "table.pdf", 0)
    options = DoclingOptions(engine="docling", artifacts_path=folder / "artifacts")
    backend = DoclingBackend("docling", options)
    try:
        result = backend.recognize(page)
    finally:
        backend.close()

    assert [(line.text, line.role) for line in result.lines] == [
        ("Price list", "paragraph"),
        *((cell, "table_cell") for row in REPORT_TABLE for cell in row),
    ]
    assert_lines_on_page(result, page)
