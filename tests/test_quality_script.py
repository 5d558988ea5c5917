"""``benchmarks/quality.py``: auto and single engines side by side, per group, on tiny pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from benchmark_scripts import load_script
from samples import text_page

TESSERACT_ONLY = """\
routing:
  complex: [tesseract]
  simple: [tesseract]
  unknown: [tesseract]
  cpu_only: [tesseract]
"""
"""auto routes every page to Tesseract: fast, and it shows that --config is read."""

METRICS = {"cer", "wer", "bow_f1", "seconds_per_page", "pages", "documents", "picked"}


@pytest.fixture(scope="module")
def quality() -> ModuleType:
    return load_script("quality.py", "quality_script")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two groups of one page each, and a page without a group whose ground truth is wrong."""
    folder = tmp_path / "docs"
    folder.mkdir()
    pages = {
        "invoice.png": (("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR"), None),
        "letter.png": (("Dear reader",), "DEAR READER"),
        "wrong.png": (("Invoice 4711 of 30.10.2018",), "Nothing like what is printed"),
    }
    for name, (lines, truth) in pages.items():
        path = folder / name
        text_page(lines).save(path, dpi=(300, 300))
        path.with_suffix(".gt.txt").write_text((truth or "\n".join(lines)) + "\n", "utf-8")
    (folder / "MANIFEST.tsv").write_text(
        "file\tgroup\tgt_case\ninvoice.png\tinvoice\tas-is\nletter.png\tletter\tupper\n",
        encoding="utf-8",
    )
    return folder


def test_quality_prints_groups_overall_and_documents_and_writes_every_number(
    quality: ModuleType, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config, record = tmp_path / "config.yaml", tmp_path / "out" / "quality.json"
    config.write_text(TESSERACT_ONLY, encoding="utf-8")
    argv = [str(folder), "--backends", "auto,tesseract", "--json", str(record)]

    assert quality.main([*argv, "--config", str(config)]) == 0

    out = capsys.readouterr().out
    assert re.search(r"^- machine: \d+ CPUs", out, re.MULTILINE)
    assert "--backends auto,tesseract" in out
    assert "- date: 20" in out
    assert "| auto CER | auto WER | auto F1 | auto s/page | tesseract CER |" in out
    rows = {line.split("|")[1].strip(): line for line in out.splitlines() if line.startswith("|")}
    for row in ("invoice", "letter", "other", "**overall**", "invoice.png", "letter.png ^"):
        assert row in rows, row
    assert "tesseract 1" in rows["invoice"]  # what auto picked, per group
    assert "tesseract 3" in rows["**overall**"]
    assert "Target " in out

    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["schema"] == "ablage-desktop-quality/1"
    assert data["machine"]["cpu_count_logical"] >= 1
    assert data["config_files"] == [str(config)]
    assert [engine["backend"] for engine in data["engines"]] == ["auto", "tesseract"]
    for engine in data["engines"]:
        assert engine["status"] == "ok" and engine["pages"] == 3
        assert engine["wall_s"] > 0 and engine["wall_s_per_page"] > 0
    assert list(data["groups"]) == ["invoice", "letter", "other", "overall"]
    for group in data["groups"].values():
        assert set(group["engines"]) == {"auto", "tesseract"}
        for figures in group["engines"].values():
            assert set(figures) >= METRICS
        assert set(group["auto_vs_best"]) >= {"best_f1_engine", "delta_f1", "delta_cer"}
    overall = data["groups"]["overall"]["engines"]
    assert overall["auto"]["documents"] == 3 and overall["auto"]["picked"] == {"tesseract": 3}
    assert set(data["documents"]) == {"invoice.png", "letter.png", "wrong.png"}
    assert data["documents"]["letter.png"]["casefold"] is True
    assert data["documents"]["wrong.png"]["group"] == "other"
    for name, document in data["documents"].items():
        for figures in document["engines"].values():
            assert set(figures) >= METRICS, name
    wrong = data["documents"]["wrong.png"]["engines"]["tesseract"]
    right = data["documents"]["invoice.png"]["engines"]["tesseract"]
    assert wrong["cer"] > 0.5 and wrong["bow_f1"] < 0.5
    assert right["cer"] < wrong["cer"]
    assert data["target"]["overall_ahead"] is False  # auto is tesseract here: equal, not ahead
    assert data["target"]["time_vs_rapidocr"] is None  # RapidOCR was not run: not measured
    assert data["target"]["parts_met"]["time"] is False and data["target"]["met"] is False
    assert "* wall time against RapidOCR alone not measured" in out
    # The printed figures are the recorded ones.
    cells = [cell.strip() for cell in rows["**overall**"].split("|")[4:12]]
    recorded = [overall[engine] for engine in ("auto", "tesseract")]
    expected = [
        f"{figures[key]:.{digits}f}"
        for figures in recorded
        for key, digits in (("cer", 3), ("wer", 3), ("bow_f1", 3), ("seconds_per_page", 2))
    ]
    assert cells == expected


def test_an_unknown_engine_is_listed_as_skipped(
    quality: ModuleType, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert quality.main([str(folder), "--backends", "nope"]) == 1

    out = capsys.readouterr().out
    assert "| nope | skipped: " in out
    assert "No engine could read the documents." in out


def test_surya_without_its_environment_or_weights_is_skipped_with_the_reason(
    quality: ModuleType, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The isolated data folder holds no Surya weights: the other engines are still measured."""
    record = tmp_path / "quality.json"

    assert quality.main([str(folder), "--backends", "surya,tesseract", "--json", str(record)]) == 0

    out = capsys.readouterr().out
    (row,) = [line for line in out.splitlines() if line.startswith("| surya | skipped: ")]
    assert "ablage-desktop models download surya" in row
    engines = json.loads(record.read_text(encoding="utf-8"))["engines"]
    assert [(engine["backend"], engine["status"]) for engine in engines] == [
        ("surya", "skipped"),
        ("tesseract", "ok"),
    ]


def test_the_verdict_says_every_part_and_by_how_much_a_part_is_missed(
    quality: ModuleType,
) -> None:
    target = {
        "groups_behind": ["printed-image"],
        "overall_ahead": True,
        "f1": 0.9197,
        "cer": 0.0325,
        "time_vs_rapidocr": 0.85,
        "parts_met": {
            "groups": False,
            "overall_ahead": True,
            "f1": False,
            "cer": True,
            "time": True,
        },
        "met": False,
    }

    lines = quality.verdict_lines(target)

    assert lines[0] == "Target not met (every part below):"
    assert "* F1 0.9197 >= 0.92: **not met** (by 0.0003)" in lines
    assert "* CER 0.0325 <= 0.045: met" in lines
    assert "* wall time against RapidOCR alone 0.85x <= 1.0x: met" in lines
    assert any("printed-image" in line and "**not met**" in line for line in lines)
