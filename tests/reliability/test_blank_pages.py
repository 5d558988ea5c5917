"""A blank page is an empty page of the result, for every engine (issue 16, item 2).

Duplex scans and separator sheets have blank pages; Tesseract used to fail the whole document
on one ("No text returned"), so nothing of it was written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_process import run_cli
from PIL import Image
from samples import encrypted_pdf_bytes, pdf_bytes, text_page

BLANK = (1240, 1754)  # A4 at 150 dpi


@pytest.mark.parametrize("backend", ["tesseract", "rapidocr", "auto"])
def test_blank_pages_are_empty_pages_and_the_document_is_done(tmp_path: Path, backend: str) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    Image.new("L", BLANK, 255).save(inbox / "separator.png", dpi=(150, 150))
    duplex = [text_page(), Image.new("L", text_page().size, 255), text_page()]
    (inbox / "duplex.pdf").write_bytes(pdf_bytes(duplex))

    result = run_cli(
        "ocr", inbox, "--backend", backend, "--format", "json", "--out", tmp_path / "out",
        cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 document(s) done, 0 failed" in result.stdout
    separator = json.loads((tmp_path / "out" / "separator.json").read_text(encoding="utf-8"))
    assert separator["error"] is None
    assert [page["text"].strip() for page in separator["pages"]] == [""]
    pages = json.loads((tmp_path / "out" / "duplex.json").read_text(encoding="utf-8"))["pages"]
    assert len(pages) == 3
    assert "4711" in pages[0]["text"] and "4711" in pages[2]["text"]
    assert pages[1]["text"].strip() == "" and pages[1]["lines"] == []


def test_a_pdf_without_pages_is_empty_not_damaged_nor_locked(tmp_path: Path) -> None:
    """pdfium refuses such a PDF without setting an error code: in a fresh decoder it said
    "damaged (PDFium: Success)", after a locked PDF "protected by a password"."""
    import pikepdf

    (tmp_path / "a-locked.pdf").write_bytes(encrypted_pdf_bytes(tmp_path))
    pikepdf.new().save(tmp_path / "b-nothing.pdf")

    result = run_cli("ocr", "a-locked.pdf", "b-nothing.pdf", "--format", "json", "--out", "o",
                     cwd=tmp_path)  # fmt: skip

    assert result.returncode == 1
    errors = [
        json.loads((tmp_path / "o" / name).read_text(encoding="utf-8"))["error"]
        for name in ("a-locked.json", "b-nothing.json")
    ]
    assert errors[0]["kind"] == "encrypted"
    assert errors[1] == {"kind": "empty", "message": "b-nothing.pdf is a PDF without any pages."}
