"""benchmarks/archive_search.py on a small archive of the data set's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import load_script


def test_it_writes_searches_and_indexes_an_archive_of_the_data_sets_words(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script("archive_search.py", "archive_search_script")

    found = script.main(
        [str(data_dir), "--pages", "300", "--repeats", "1", "--folder", str(tmp_path)]
    )

    assert found["indexed"] == 300  # every page of the older archive, step by step
    hits = {words: count for words, count, _ in found["searches"]}
    assert hits["zzzqqq"] == 0 and hits["rechnung"] > 0 and hits["strasse"] > 0
    assert {"pages", "pages_fts_data", "pages_sub_data"} <= set(found["sizes"])
    out = capsys.readouterr().out
    assert "300 pages" in out and "| `strasse` |" in out and "As schema 2 left it" in out
