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


def test_a_png_copied_as_an_lzw_tiff_is_measured_and_its_page_kept_without_loss(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The grey TIFF's page was a JPEG of quality 85; kept without loss, a clean scan's page
    is smaller."""
    from PIL import Image

    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("pdf_export.py", "pdf_export_script")
    page = tmp_path / "brief.png"
    text_page().convert("L").save(page, dpi=(300, 300))
    copy = script.as_tiff(page, tmp_path)
    with Image.open(copy) as tiff:
        assert (tiff.mode, tiff.info["compression"]) == ("L", "tiff_lzw")
        assert tuple(round(d) for d in tiff.info["dpi"]) == (300, 300)
    engine = EngineCore(load_config([]), footprints=tmp_path / "footprints.json")
    try:
        row = script.measure(engine, copy, engine.config.intake.limits())
    finally:
        engine.close()

    assert row.name == "brief.png.tif" and row.pdf_a
    assert row.kept_bytes < row.drawn_bytes
