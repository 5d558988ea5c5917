"""benchmarks/command_start.py: the command timed from start to end, page by page, in turn
with the bare program."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import load_script
from samples import text_page


def test_each_command_is_timed_in_turn_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = load_script("command_start.py", "command_start_script")
    page = tmp_path / "scan.png"
    text_page().save(page)

    assert script.main([str(page), "--runs", "1", "--base", str(script.REPO)]) == 0

    out = capsys.readouterr().out
    assert out.startswith("scan.png, 1 runs of each, in turn:")
    for label in ("app, tesseract", "app, auto", "app, tesseract (", "app, auto ("):
        assert f"| {label}" in out
    rows = [line for line in out.splitlines() if line.startswith("| app")]
    assert len(rows) == 4 and all("| 1 |" in row for row in rows)


def test_a_command_that_fails_is_not_timed(tmp_path: Path) -> None:
    script = load_script("command_start.py", "command_start_script")
    missing = script.Command("app, tesseract", ("false",), None)

    with pytest.raises(RuntimeError, match="ended with 1"):
        script.run_once(missing, tmp_path)
