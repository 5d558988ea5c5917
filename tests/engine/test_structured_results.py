"""A page a layout engine read (roles on its lines, its Markdown) in every output format and
through the archive: Markdown keeps the structure, JSON the roles, hOCR and PDF still work."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import OcrDocument, OcrLine, OcrPage, render
from ablage_desktop.engine.results.exports import render_hocr, render_markdown, render_pdf

LAYOUT_MARKDOWN = (
    "# Annual report\n\n"
    "## Results\n\n"
    "Revenue grew by four per cent.\n\n"
    "- first point\n- second point\n\n"
    "| Year | Revenue |\n|------|---------|\n| 2025 | 100 |\n| 2026 | 104 |\n\n"
    "```\n# not a heading in code\n```\n"
)
LINES = (
    ("Annual report", "title", (100, 80, 900, 140)),
    ("Results", "heading", (100, 180, 400, 220)),
    ("Revenue grew by four per cent.", "paragraph", (100, 260, 1100, 300)),
    ("first point", "list_item", (120, 340, 500, 380)),
    ("2026", "table_cell", (100, 500, 200, 540)),
    ("Page 1 of 1", "page_footer", (100, 1600, 400, 1640)),
)


def layout_page(index: int = 0) -> OcrPage:
    lines = tuple(OcrLine(text, 0.99, box, role=role) for text, role, box in LINES)
    return OcrPage(
        index=index,
        width=1240,
        height=1754,
        backend="docling",
        seconds=0.1,
        text="\n".join(text for text, _, _ in LINES),
        lines=lines,
        route="chosen by the user",
        markdown=LAYOUT_MARKDOWN,
    )


def test_markdown_keeps_the_layout_engines_structure_under_the_title(tmp_path: Path) -> None:
    document = OcrDocument(tmp_path / "report.pdf", pages=[layout_page()])

    text = render_markdown(document).decode("utf-8")

    assert text == (
        "# report.pdf\n\n"
        "## Annual report\n\n"
        "### Results\n\n"
        "Revenue grew by four per cent.\n\n"
        "- first point\n- second point\n\n"
        "| Year | Revenue |\n|------|---------|\n| 2025 | 100 |\n| 2026 | 104 |\n\n"
        "```\n# not a heading in code\n```\n"
    )


def test_with_page_sections_the_headings_go_one_level_deeper_and_plain_pages_stay_as_before(
    tmp_path: Path,
) -> None:
    plain = OcrPage(1, 10, 10, "tesseract", 0, "# not a heading\nsecond line")
    document = OcrDocument(tmp_path / "report.pdf", pages=[layout_page(), plain])

    text = render_markdown(document).decode("utf-8")

    first, second = text.split("## Page 2\n\n")
    assert first.startswith("# report.pdf\n\n## Page 1\n\n### Annual report\n\n#### Results\n\n")
    assert second == "\\# not a heading  \nsecond line\n"


def test_a_layout_page_with_blank_markdown_says_no_text_was_recognised(tmp_path: Path) -> None:
    page = OcrPage(0, 10, 10, "docling", 0, "", markdown="\n\n")
    document = OcrDocument(tmp_path / "blank.pdf", pages=[page])

    assert (
        render_markdown(document)
        .decode("utf-8")
        .endswith("\n\n*No text was recognised on this page.*\n")
    )


def test_json_carries_each_lines_role_and_the_pages_markdown(tmp_path: Path) -> None:
    plain = OcrPage(1, 10, 10, "tesseract", 0, "x", lines=(OcrLine("x", 0.5, (0, 0, 5, 5)),))
    document = OcrDocument(tmp_path / "report.pdf", pages=[layout_page(), plain])

    data = json.loads(render(document, "json"))

    first, second = data["pages"]
    assert [line["role"] for line in first["lines"]] == [role for _, role, _ in LINES]
    assert first["markdown"] == LAYOUT_MARKDOWN
    assert "role" not in second["lines"][0]
    assert "markdown" not in second
    assert OcrPage.from_json(first) == layout_page()


def test_the_archive_gives_back_the_roles_and_the_markdown(tmp_path: Path) -> None:
    store = Store(tmp_path / "archive.sqlite")
    try:
        store.add_page("0" * 64, tmp_path / "report.pdf", "docling", layout_page())
        archived = store.pages("0" * 64, "docling")
        search = store.search("Revenue")
    finally:
        store.close()

    assert archived == {0: layout_page()}
    assert len(search) == 1


def test_hocr_and_the_searchable_pdf_read_the_lines_of_a_layout_page(tmp_path: Path) -> None:
    path = tmp_path / "report.png"
    page = layout_page()
    document = OcrDocument(path, pages=[page])
    image = PageImage(path, 0, Image.new("L", (page.width, page.height), 255), 150)

    tree = ET.fromstring(render_hocr(document))
    pdf = pdfium.PdfDocument(render_pdf(document, [image]))
    try:
        pdf_text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()

    hocr_lines = [
        " ".join("".join(span.itertext()).split())
        for span in tree.iter()
        if span.get("class") == "ocr_line"
    ]
    assert hocr_lines == [text for text, _, _ in LINES]
    for text, _, _ in LINES:
        assert text in " ".join(pdf_text.split())
