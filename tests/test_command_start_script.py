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


def test_the_bare_program_reads_a_pdf_through_poppler_and_with_one_thread_too(
    tmp_path: Path,
) -> None:
    script = load_script("command_start.py", "command_start_script")
    if script.shutil.which("tesseract") is None or script.shutil.which("pdftoppm") is None:
        pytest.skip(
            "needs the tesseract and pdftoppm programs (Debian: tesseract-ocr, poppler-utils)"
        )
    page = tmp_path / "scan.pdf"
    text_page().save(page, resolution=300)

    rows = script.program_rows(page)

    assert [row.label for row in rows] == [
        "pdftoppm, then the tesseract program",
        "pdftoppm, then the tesseract program, OMP_THREAD_LIMIT=1",
    ]
    assert rows[1].env == (("OMP_THREAD_LIMIT", "1"),)
    assert script.run_once(rows[1], tmp_path) > 0
