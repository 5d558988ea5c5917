"""benchmarks/orientation.py on one generated page: asked four ways, counted by verdict."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script
from samples import text_page


def test_each_page_is_asked_four_ways_and_judged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # it takes the page rendering of tesseract_path
    script = load_script("orientation.py", "orientation_script")
    lines = tuple(f"Line {n} of the letter, with words enough to read" for n in range(8))
    text_page(lines, size=(1400, 1000)).save(tmp_path / "letter.png")

    rows = script.main([str(tmp_path), "--no-fallback"])

    assert [row["turned"] for row in rows] == [0, 90, 180, 270]
    assert rows[0]["verdict"] == "right"  # an upright page is never turned
    assert {row["verdict"] for row in rows} <= {"right", "missed", "wrong"}
    assert script.verdict(2, 2) == "right" and script.verdict(None, 1) == "missed"
    assert script.verdict(0, 3) == "missed" and script.verdict(1, 3) == "wrong"
    out = capsys.readouterr().out
    assert "orientation.fallback: false, baselines: true" in out and "| 180 | 1 |" in out
