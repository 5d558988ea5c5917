"""benchmarks/orientation.py on one generated page: asked four ways, counted by verdict."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from benchmark_scripts import BENCHMARKS, load_script
from samples import text_page


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # it takes the page rendering of tesseract_path
    return load_script("orientation.py", "orientation_script")


LETTER = tuple(f"Line {n} of the letter, with words enough to read" for n in range(8))


def test_each_page_is_asked_four_ways_and_judged(
    script: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_page(LETTER, size=(1400, 1000)).save(tmp_path / "letter.png")

    rows = script.main([str(tmp_path), "--no-fallback"])

    assert [row["turned"] for row in rows] == [0, 90, 180, 270]
    assert rows[0]["verdict"] == "right"  # an upright page is never turned
    assert {row["verdict"] for row in rows} <= {"right", "missed", "wrong"}
    assert script.verdict(2, 2) == "right" and script.verdict(None, 1) == "missed"
    assert script.verdict(0, 3) == "missed" and script.verdict(1, 3) == "wrong"
    out = capsys.readouterr().out
    assert "orientation.fallback: false, baselines: true" in out and "| 180 | 1 |" in out


def test_strips_of_one_two_and_three_lines_are_cut_from_a_page(script: Any) -> None:
    lines = LETTER
    page = text_page(lines, size=(1400, 1000))

    bands = script.text_bands(page)
    strips = script.strips_of(page, 2, random.Random(1))

    assert len(bands) == len(lines)
    assert [count for count, _ in strips] == [1, 1, 2, 2, 3, 3]
    for count, strip in strips:
        assert len(script.text_bands(strip)) == count  # whole lines, none cut in half
        assert strip.width < page.width


def test_the_report_has_a_row_per_number_of_lines_and_turn(script: Any) -> None:
    rows = [
        {
            "page": "p",
            "lines": n,
            "turned": t,
            "found": None,
            "method": None,
            "verdict": "right" if t == 0 else "missed",
            "seconds": 0.1,
        }
        for n in (1, 2)
        for t in (0, 90, 180, 270)
    ]

    out = script.report(rows, fallback=True)

    assert "| 1 | 90 | 1 | 0 | 1 | 0 | 0.100 |" in out
    assert "| 2 | 0 | 1 | 1 | 0 | 0 | 0.100 |" in out
    assert any("6 missed" in line for line in out)


def test_the_samples_carry_their_number_of_lines(script: Any, tmp_path: Path) -> None:
    text_page(LETTER, size=(1400, 1000)).save(tmp_path / "letter.png")

    pages = script.samples(tmp_path, 0)
    strips = script.samples(tmp_path, 1)

    assert [(name, lines) for name, lines, _ in pages] == [("letter.png p1", 0)]
    assert [lines for _, lines, _ in strips] == [1, 2, 3]
    assert [name for name, _, _ in strips][1] == "letter.png p1 2 lines #1"
