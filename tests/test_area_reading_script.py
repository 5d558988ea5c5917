"""benchmarks/area_reading.py: lines read again as areas against the whole reading, and the
times of whole pages against one field of each."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script, small_data_set


def test_lines_read_as_areas_give_the_whole_readings_words_and_both_are_timed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("area_reading.py", "area_reading_script")
    data, _ = small_data_set(tmp_path)

    fields = ("--field", "8,17,80,24%", "--field", "nr=55,4,95,14%")
    assert script.main([str(data), "--backend", "tesseract", "--per-page", "1", *fields]) == 0

    out = capsys.readouterr().out
    assert "Areas read alone: 3 of 3 give the whole reading's words there." in out
    assert "| whole pages |" in out and "| --area 8,17,80,24% | " in out
    assert "| 2 fields in one run |" in out
    assert "| 2 fields, a run each |" in out and "| 6 |" in out
    assert "| 2 fields in one run, cut from the page read whole |" in out
    assert out.count("| 3 |") == 4  # pages read each way: the scan and the letter's two


def test_an_area_that_reads_otherwise_is_listed_with_both_texts() -> None:
    script = load_script("area_reading.py", "area_reading_script")
    rows = [
        script.Compared("scan.png", 0, "Total 12,50", "Total 12,50"),
        script.Compared("scan.png", 0, "Pernit #:", "Permit #:"),
    ]
    text = script.report(rows, {"whole pages": (2.0, 1)})
    assert text.startswith("Areas read alone: 1 of 2 give")
    assert "| scan.png | 1 | 'Pernit #:' | 'Permit #:' |" in text
    assert "Total 12,50" not in text
