"""``benchmarks/docling_text_layer.py``: its arguments, the documents it picks, its verdict."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from benchmark_scripts import load_script
from born_digital import pdf_bytes, prose_page
from samples import pdf_bytes as scanned_pdf_bytes
from samples import text_page

LINES = ("Quarterly report of the Ablage project", "Revenue grew by four per cent in 2026")


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script("docling_text_layer.py", "docling_text_layer_script")


def test_the_verdict_says_whether_the_target_is_met_and_by_how_much(bench: ModuleType) -> None:
    assert bench.verdict(25.0, 0.004) == (
        "target met: speed-up 25.0x (target > 20x); CER 0.0040 (target < 0.01)"
    )
    assert bench.verdict(12.5, 0.004) == (
        "target not met: speed-up 12.5x (target > 20x, short by 7.5x); CER 0.0040 (target < 0.01)"
    )
    assert bench.verdict(20.0, 0.03).endswith("CER 0.0300 (target < 0.01, over by 0.0200)")
    assert bench.verdict(20.0, 0.03).startswith("target not met: speed-up 20.0x (target > 20x, ")


def test_the_arguments_and_the_readings_they_make(bench: ModuleType, tmp_path: Path) -> None:
    args = bench.parse_args(["--data", str(tmp_path), "--layout", str(tmp_path / "art")])

    readings = bench.readings_of(args, tmp_path / "empty")

    assert [(r.name, r.backend, r.pdf_text) for r in readings] == [
        ("docling", "docling", "auto"),
        ("docling + layout", "docling", "auto"),
        ("OCR rapidocr", "rapidocr", "always_ocr"),
    ]
    assert [r.artifacts for r in readings] == [tmp_path / "empty", tmp_path / "art", None]
    assert bench.parse_args([]).rounds == 3
    with pytest.raises(SystemExit):
        bench.parse_args(["--rounds", "0"])


def test_only_pdfs_with_a_text_layer_on_every_page_are_taken(
    bench: ModuleType, tmp_path: Path
) -> None:
    (tmp_path / "born.pdf").write_bytes(pdf_bytes([prose_page(LINES), prose_page(LINES[:1])]))
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf_bytes([text_page(LINES)]))

    assert bench.born_digital(tmp_path, tmp_path / "twins") == [tmp_path / "born.pdf"]
    first, second = bench.pdf_text(tmp_path / "born.pdf")
    assert first.split() == " ".join(LINES).split()
    assert second.split() == LINES[0].split()


def test_the_report_compares_docling_with_the_ocr(bench: ModuleType) -> None:
    docling = bench.Reading("docling", "docling", "auto", seconds=[0.5, 0.4, 0.6])
    docling.char_edits, docling.chars = 1, 1000
    ocr = bench.Reading("OCR rapidocr", "rapidocr", "always_ocr", seconds=[12.5])
    ocr.char_edits, ocr.chars = 30, 1000

    lines = bench.report([docling, ocr], pages=10)

    assert lines[2] == "| docling | 10 | 0.0500 | 20.00 | 0.0010 |  |"
    assert lines[-1] == (
        "docling vs OCR rapidocr: target met: speed-up 25.0x (target > 20x); "
        "CER 0.0010 (target < 0.01)"
    )
