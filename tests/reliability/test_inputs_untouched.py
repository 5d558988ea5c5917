"""Input files are only ever read: no output, event log, export or archive may replace one, or
lie inside a folder being read (issue 16, items 1 and 5; the rule is ``engine/output_guard.py``).

Every refusal happens before a page is read, exits 2 and says why; the documents keep their
bytes. The window's export obeys the same rule.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from cli_process import run_cli
from samples import pdf_bytes, text_page

from ablage_desktop.engine.errors import OutputOverlapsInput
from ablage_desktop.engine.results.output_guard import Inputs


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.pdf").write_bytes(pdf_bytes([text_page()]))
    text_page().save(folder / "p.png")
    return folder


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["in", "--out", "in", "--format", "pdf"], "the output folder in lies inside the folder"),
        (["in", "--out", "in/results"], "the output folder in/results lies inside the folder"),
        (["in/x.pdf", "--out", "in", "--format", "pdf"], "the result in/x.pdf is one of the"),
        (["in", "--out", "o", "--events", "in/p.png"], "the event log in/p.png is one of the"),
        (
            ["in", "--out", "o", "--events", "in/log.jsonl"],
            "the event log in/log.jsonl lies inside",
        ),
        (["in", "--out", "o", "--store", "in/a.sqlite3"], "the archive in/a.sqlite3 lies inside"),
    ],
)
def test_a_write_into_the_inputs_is_refused_before_anything_is_read(
    tmp_path: Path, inbox: Path, args: list[str], said: str
) -> None:
    before = digests(inbox)

    result = run_cli("ocr", *args, "--backend", "tesseract", cwd=tmp_path)

    assert result.returncode == 2, result.stderr
    assert said in result.stderr
    assert "Nothing was read and nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert digests(inbox) == before  # not a byte changed, nothing added
    assert not (tmp_path / "o").exists()


def test_the_default_output_folder_inside_the_folder_being_read_is_refused(inbox: Path) -> None:
    """``ocr .`` used to write ./ablage-out/ into the folder it reads, and read it next time."""
    before = digests(inbox)

    result = run_cli("ocr", ".", "--backend", "tesseract", cwd=inbox)

    assert result.returncode == 2, result.stderr
    assert "the output folder ablage-out lies inside the folder" in result.stderr
    assert digests(inbox) == before
    assert not (inbox / "ablage-out").exists()


def test_links_to_an_input_count_as_that_input(tmp_path: Path, inbox: Path) -> None:
    (tmp_path / "alias").symlink_to(inbox)  # a second way to name the input folder
    os.link(inbox / "p.png", tmp_path / "hard.png")  # a second name for the same file

    via_symlink = run_cli("ocr", "in", "--out", "alias/res", "--backend", "tesseract", cwd=tmp_path)
    via_hardlink = run_cli(
        "ocr", "in/p.png", "--out", "o", "--events", "hard.png", "--backend", "tesseract",
        cwd=tmp_path,
    )  # fmt: skip

    assert via_symlink.returncode == 2 and "lies inside the folder" in via_symlink.stderr
    assert via_hardlink.returncode == 2 and "is one of the documents" in via_hardlink.stderr


def test_a_hidden_folder_inside_the_inputs_is_allowed_and_never_read_back(
    tmp_path: Path, inbox: Path
) -> None:
    """Folders are read without their hidden entries, so results there cannot come back."""
    for _ in range(2):
        result = run_cli(
            "ocr", "in", "--out", "in/.ocr", "--backend", "tesseract", "--force", cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert "2 document(s) done" in result.stdout
    assert sorted(path.name for path in (inbox / ".ocr").iterdir()) == ["p.txt", "x.txt"]


def test_the_rule_on_its_own(tmp_path: Path, inbox: Path) -> None:
    inputs = Inputs.of([inbox, tmp_path / "elsewhere.png"])

    assert inputs.conflict(tmp_path / "out" / "x.txt", "the result") is None
    assert inputs.conflict(tmp_path / "in-other", "the output folder") is None  # a prefix only
    assert inputs.conflict(tmp_path / "elsewhere.png", "the export") is not None
    assert inputs.conflict(tmp_path / "in" / ".." / "in" / "p.txt", "the result") is not None
    with pytest.raises(OutputOverlapsInput, match=r"^The export .* is one of the documents"):
        inputs.check(tmp_path / "elsewhere.png", "the export")


def test_the_windows_export_never_proposes_or_replaces_an_input(
    qtbot: object, tmp_path: Path, inbox: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File > Export of a PDF's result as a searchable PDF: the proposal is not the input, and
    choosing the input anyway (even read-only) is refused with the reason; nothing written."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox
    from windows import open_window

    source = inbox / "x.pdf"
    source.chmod(0o444)
    before = digests(inbox)
    proposed: list[str] = []
    warned: list[str] = []

    def choose(parent: object, title: str, suggestion: str, *rest: object) -> tuple[str, str]:
        proposed.append(suggestion)
        return str(source), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warned.append(text))
    with open_window(qtbot, tmp_path, store=tmp_path / "archive.sqlite") as window:  # type: ignore[arg-type]
        window.settings.setValue("export_folder", str(inbox))  # the user exported there before
        qtbot.waitUntil(lambda: window.backend_box.findData("tesseract") >= 0, timeout=10_000)  # type: ignore[attr-defined]
        window.backend_box.setCurrentIndex(window.backend_box.findData("tesseract"))
        with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=120_000):  # type: ignore[attr-defined]
            window.enqueue([str(source)])
        qtbot.waitUntil(lambda: window.queue.entries[0].exportable, timeout=10_000)  # type: ignore[attr-defined]
        window.settings.setValue("export_format", "pdf")
        window.export_row(0)

    assert proposed and Path(proposed[0]) != source
    assert Path(proposed[0]).name == "x-ocr.pdf"
    assert warned and "is one of the documents being read" in warned[0]
    assert digests(inbox) == before
    assert source.stat().st_mode & 0o777 == 0o444
