"""``--resume`` finishes a batch whatever went wrong and wherever it is typed (issue 16,
items 3, 4 and 9): paths are kept absolute, a result that could not be written is written by
the resume (its pages come from the archive), the results go where the batch sent them, and a
batch another process is running is said to be running, not "finished".
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import pytest
from cli_process import run_cli, start_cli
from samples import pdf_bytes, text_page


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):  # different pages: the archive knows documents by content
        text_page((f"Invoice 4711 part {name.upper()}", "Total amount 123.45 EUR")).save(
            folder / f"{name}.png"
        )
    return folder


def job_states(store: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(store) as db:
        return list(db.execute("SELECT path, state FROM job_documents ORDER BY position"))


def jobs_so_far(store: Path) -> list[tuple[str, str]]:
    """``job_states`` while another process may still be making the archive: its file comes
    before its tables (and a write may hold the lock), so nothing yet is an empty list."""
    if not store.exists():
        return []
    try:
        return job_states(store)
    except sqlite3.OperationalError:
        return []


def test_a_batch_typed_with_relative_paths_resumes_from_another_folder(
    tmp_path: Path, inbox: Path
) -> None:
    store = tmp_path / "archive.sqlite3"
    out = tmp_path / "results"
    (out / "b.txt").mkdir(parents=True)  # b's result cannot be written: the batch stops there

    first = run_cli("ocr", "in/a.png", "in/b.png", "in/c.png", "--out", "results",
                    "--backend", "tesseract", "--store", store, cwd=tmp_path)  # fmt: skip
    assert first.returncode == 2, first.stderr
    assert "ablage-desktop ocr --resume" in first.stderr
    assert all(Path(path).is_absolute() for path, _ in job_states(store))
    assert dict(job_states(store))[str(inbox / "b.png")] == "pending"  # not delivered

    (out / "b.txt").rmdir()
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    resumed = run_cli("ocr", "--resume", "--store", store, cwd=elsewhere)

    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "2 document(s) done, 0 failed" in resumed.stdout
    # b was read once only; c too where the first run had read it before b's write failed
    # (two pages are read at once: which one is first is the machine's choice).
    assert re.search(r"\b[12] page\(s\) came from the archive", resumed.stdout)
    assert "b.png: page 1/1 (tesseract, from the archive)" in resumed.stderr
    assert sorted(path.name for path in out.iterdir()) == ["a.txt", "b.txt", "c.txt"]
    assert "4711" in (out / "b.txt").read_text(encoding="utf-8")
    assert not (elsewhere / "ablage-out").exists()  # the batch's own folder, not the default
    assert {state for _, state in job_states(store)} == {"done"}
    again = run_cli("ocr", "--resume", "--store", store, cwd=elsewhere)
    assert "every batch in the archive is finished" in again.stdout


def test_a_resume_writes_the_format_the_batch_was_started_with(tmp_path: Path, inbox: Path) -> None:
    store = tmp_path / "archive.sqlite3"
    (tmp_path / "out" / "a.json").mkdir(parents=True)
    first = run_cli("ocr", "in", "--out", "out", "--format", "json", "--backend", "tesseract",
                    "--store", store, cwd=tmp_path)  # fmt: skip
    assert first.returncode == 2
    (tmp_path / "out" / "a.json").rmdir()

    resumed = run_cli("ocr", "--resume", "--store", store, cwd=tmp_path)

    assert resumed.returncode == 0, resumed.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "b.json", "c.json"]


def test_resume_says_that_another_process_is_running_a_batch(tmp_path: Path) -> None:
    store = tmp_path / "archive.sqlite3"
    (tmp_path / "long.pdf").write_bytes(pdf_bytes([text_page()] * 200))
    running = start_cli("ocr", "long.pdf", "--out", "out", "--backend", "tesseract",
                        "--store", store, cwd=tmp_path)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not jobs_so_far(store) and time.monotonic() < deadline:
            time.sleep(0.2)

        resumed = run_cli("ocr", "--resume", "--store", store, cwd=tmp_path)
    finally:
        running.kill()
        running.wait()

    assert resumed.returncode == 0, resumed.stderr
    assert f"batch 1 is running right now in process {running.pid}" in resumed.stdout
    assert "every batch in the archive is finished" not in resumed.stdout
