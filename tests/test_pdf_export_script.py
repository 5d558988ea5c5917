"""benchmarks/pdf_export.py: a scanned PDF's export drawn from its renders against its pages
kept, measured by size, time and PDF/A."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script
from samples import pdf_bytes, text_page

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore


def test_a_scanned_pdf_kept_is_smaller_than_drawn_and_pdf_a(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("pdf_export.py", "pdf_export_script")
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_bytes([text_page(), text_page()], dpi=150))  # drawn again at 300 dpi
    engine = EngineCore(load_config([]), footprints=tmp_path / "footprints.json")
    try:
        row = script.measure(engine, path, engine.config.intake.limits())
    finally:
        engine.close()

    assert (row.name, row.pages, row.file_bytes) == ("scan.pdf", 2, path.stat().st_size)
    assert row.kept_bytes < row.drawn_bytes and row.pdf_a
    assert row.drawn_s > 0 and row.kept_s > 0
    assert row.markdown().startswith("| scan.pdf | 2 |") and row.markdown().endswith("| yes |")
