"""Docling through the app as a user drives it: the CLI, the default configuration, no weights.

This machine has no layout weights (nothing can be downloaded here), so these are the paths a
user has right after installing: a named ``--backend docling`` reads born-digital PDF pages from
the PDF with docling-parse, ``auto`` leaves Docling out and says why, and ``models download
docling`` aims at the layout folder and says in words when the hub cannot be reached.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from born_digital import REPORT_HEADING, REPORT_LEFT, REPORT_RIGHT, pdf_bytes, report_page
from cli_process import run_cli

from ablage_desktop.engine.backends.docling import DoclingOptions, layout_folder
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.models.download import download_target


@pytest.mark.slow  # Docling's converter started by the command
def test_a_named_docling_reads_a_born_digital_pdf_from_its_own_text(tmp_path: Path) -> None:
    source = tmp_path / "bericht.pdf"
    source.write_bytes(pdf_bytes([report_page(right_first=True)]))
    out = tmp_path / "out"

    result = run_cli(
        "ocr", source, "--backend", "docling", "--format", "json", "--out", out,
        "--store", tmp_path / "archive.sqlite3", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    (page,) = json.loads((out / "bericht.json").read_text(encoding="utf-8"))["pages"]
    assert page["backend"] == "docling"
    assert "docling reads the PDF's own text" in page["route"]
    lines = [line["text"] for line in page["lines"]]
    assert lines[0] == REPORT_HEADING
    # The file draws the right column first; Docling's lines come out left column first.
    assert lines.index(REPORT_LEFT[-1]) < lines.index(REPORT_RIGHT[0])
    assert all(line["confidence"] == 1.0 for line in page["lines"])


@pytest.mark.slow
def test_bench_measures_docling_on_a_born_digital_pdf(tmp_path: Path) -> None:
    source = tmp_path / "bericht.pdf"
    source.write_bytes(pdf_bytes([report_page(), report_page(right_first=False)]))
    record = tmp_path / "bench.json"

    result = run_cli(
        "bench", source, "--backend", "docling", "--runs", "1", "--warmup", "1",
        "--json", record, "--plot", tmp_path / "bench.png", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    (row,) = json.loads(record.read_text(encoding="utf-8"))["rows"]
    assert row["backend"] == "docling"
    assert row["status"] == "ok", row["reason"]
    assert row["pages"] == 2 and row["pages_per_s"] > 0


def test_auto_leaves_docling_out_without_its_layout_weights_and_says_why() -> None:
    core = EngineCore(load_config())
    try:
        why = core._why_not_in_auto("docling")
        assert core._why_unavailable("docling") is None  # usable when named
    finally:
        core.close()

    assert why is not None
    assert why.startswith("no layout weights")
    assert "models download docling" in why


def test_the_download_goes_to_the_layout_folder_and_says_when_the_hub_is_out_of_reach(
    tmp_path: Path,
) -> None:
    options = DoclingOptions(engine="docling", artifacts_path=tmp_path / "artifacts")
    target = download_target(options)
    assert target is not None
    assert target.source == "docling-project/docling-layout-heron"
    assert target.folder == layout_folder(options)
    assert target.folder == tmp_path / "artifacts" / "docling-project--docling-layout-heron"

    result = run_cli(
        "models",
        "download",
        "docling",
        cwd=tmp_path,
        env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")},
    )

    assert result.returncode == 1
    assert "docling-project--docling-layout-heron" in result.stdout
    assert "the Hugging Face hub cannot be reached from here" in result.stderr
    assert "Traceback" not in result.stderr
