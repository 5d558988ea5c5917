"""``--pdf-text`` on the command line: a born-digital PDF read from its layer, or OCRed."""

from __future__ import annotations

import json
from pathlib import Path

from born_digital import pdf_bytes, prose_page
from test_cli import run_cli

LINES = ("Rechnung Nr. 4711 vom 30.10.2018", "Gesamtbetrag 1.234,56 EUR")


def test_pdf_text_chooses_between_the_layer_and_ocr(tmp_path: Path) -> None:
    source = tmp_path / "in" / "rechnung.pdf"
    source.parent.mkdir()
    source.write_bytes(pdf_bytes([prose_page(LINES, size=16)]))
    pages = {}
    for mode in ("auto", "always_ocr"):
        out = tmp_path / mode
        result = run_cli(
            "ocr", source, "--backend", "tesseract", "--pdf-text", mode, "--format", "json",
            "--out", out, "--store", tmp_path / f"{mode}.sqlite3", cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        (pages[mode],) = json.loads((out / "rechnung.json").read_text(encoding="utf-8"))["pages"]

    assert pages["auto"]["backend"] == "pdf-text"
    assert pages["auto"]["text"].splitlines() == list(LINES)
    assert pages["always_ocr"]["backend"] == "tesseract"
    assert "Rechnung" in pages["always_ocr"]["text"]


def test_an_unknown_pdf_text_mode_is_bad_usage(tmp_path: Path) -> None:
    result = run_cli("ocr", tmp_path, "--pdf-text", "sometimes", cwd=tmp_path)

    assert result.returncode == 2
    assert "--pdf-text" in result.stderr
