"""Paths: names with umlauts, emoji and (Linux) bytes that are not UTF-8 open, are read, and
come back unchanged in every output, the archive and the window.

Row 2 of the reliability matrix. On Linux a file name is bytes; Python holds bytes that are not
UTF-8 as lone surrogates (PEP 383), which SQLite, Qt and UTF-8 writers refuse. "Unchanged"
means: the output files, the JSON record, the events and the archive give back the very bytes
(``os.fsencode`` of what they hold equals the name on disk); where the name is shown inside a
UTF-8 document or on screen, names that are text are shown as they are, and a byte that is no
text shows as U+FFFD, as file managers show it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from samples import pdf_bytes, text_page

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.pathtext import display, from_storage, name_from_json, to_storage
from ablage_desktop.engine.results.document import ErrorInfo

if sys.platform != "linux":
    pytest.skip("file names as bytes are a Linux matter", allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
UMLAUTS = "Größe_Übersicht_Fälligkeit.png".encode()
EMOJI = "Rechnung 🧾 2024.pdf".encode()
LATIN1 = b"caf\xe9-latin1-\xfc.tif"  # an old Windows/Samba name: Latin-1, not UTF-8
BROKEN = b"kaputt-\xe9.png"  # not a document: its failure names it
NAMES = (UMLAUTS, EMOJI, LATIN1)


def write_documents(folder: Path) -> dict[bytes, Path]:
    """The three good documents (PNG, PDF, TIFF) and one broken one, under raw byte names."""
    paths = {name: folder / os.fsdecode(name) for name in (*NAMES, BROKEN)}
    text_page().save(paths[UMLAUTS], dpi=(300, 300))
    paths[EMOJI].write_bytes(pdf_bytes([text_page()]))
    text_page().save(paths[LATIN1], format="TIFF", dpi=(300, 300))
    paths[BROKEN].write_bytes(b"not a document at all")
    return paths


@pytest.fixture
def inbox(tmp_path: Path) -> dict[bytes, Path]:
    folder = tmp_path / "in"
    folder.mkdir()
    return write_documents(folder)


def stem(name: bytes) -> bytes:
    return name.rsplit(b".", 1)[0]


def test_storage_text_gives_back_every_name_byte_for_byte() -> None:
    for name in (*NAMES, BROKEN, b"nul-free \\x00 backslash", bytes(range(1, 256))):
        text = os.fsdecode(name)
        stored = to_storage(text)
        stored.encode("utf-8")  # valid text for SQLite and Qt
        assert os.fsencode(from_storage(stored)) == name
    assert to_storage("Größe 🧾.pdf") == "Größe 🧾.pdf"  # text names are stored as they are
    assert display(os.fsdecode(LATIN1)) == "caf\ufffd-latin1-\ufffd.tif"


def test_the_archive_gives_back_every_name(tmp_path: Path, inbox: dict[bytes, Path]) -> None:
    store = Store(tmp_path / "archive.sqlite")
    try:
        paths = [inbox[name] for name in (*NAMES, BROKEN)]
        job = store.begin_job("tesseract", None, paths)
        for n, path in enumerate(paths[:3]):
            store.add_document(f"{n:064d}", path, "png", 1)
        failure = ErrorInfo("unsupported_format", f"{paths[3].name} is not a document")
        store.add_failure(paths[3], failure, job=job)

        record = store.job(job)
        failures = store.failures()
    finally:
        store.close()

    assert record is not None
    assert [os.fsencode(doc.path) for doc in record.documents] == [os.fsencode(p) for p in paths]
    ((failed, error),) = failures
    assert os.fsencode(failed) == os.fsencode(paths[3])
    assert error.message == failure.message  # the name inside the message too


def run_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # A strict UTF-8 terminal (as with LANG=de_DE.UTF-8), where printing a name that is not
    # UTF-8 would raise if the app did not take care.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run(
        [sys.executable, "-m", "ablage_desktop", *map(str, args)],
        cwd=cwd, capture_output=True, timeout=180, env=env, check=False,
    )  # fmt: skip


def test_the_cli_reads_every_name_and_writes_it_back_unchanged(
    tmp_path: Path, inbox: dict[bytes, Path]
) -> None:
    folder = next(iter(inbox.values())).parent
    store = tmp_path / "archive.sqlite"
    events = tmp_path / "events.jsonl"
    common = ("--backend", "tesseract", "--store", store)
    out = {fmt: tmp_path / f"out-{fmt}" for fmt in ("json", "md")}

    first = run_cli("ocr", folder, "--format", "json", "--out", out["json"], "--events", events,
                    *common, cwd=tmp_path)  # fmt: skip
    # Again, from the archive: the names it holds must lead back to the same documents.
    again = run_cli("ocr", folder, "--format", "md", "--out", out["md"], *common, cwd=tmp_path)

    for result in (first, again):
        assert result.returncode == 1, result.stderr.decode(errors="replace")  # BROKEN fails
        assert b"3 document(s) done, 1 failed" in result.stdout
        assert b"failed: " + os.fsencode(inbox[BROKEN]) in result.stdout  # the very bytes
    for fmt, folder_out in out.items():
        written = sorted(os.fsencode(path.name) for path in folder_out.iterdir())
        expected = [stem(name) + b"." + fmt.encode() for name in NAMES]
        if fmt == "json":
            expected.append(stem(BROKEN) + b".json")  # a failed document's record
        assert written == sorted(expected), fmt
    for name in NAMES:
        record = json.loads((out["json"] / os.fsdecode(stem(name) + b".json")).read_bytes())
        # the exact bytes in their own field; the name as text, valid UTF-8, beside them
        assert os.fsencode(name_from_json(record)) == os.fsencode(inbox[name])
        assert record["document"] == display(inbox[name])
        record["document"].encode("utf-8")  # no lone surrogates for other tools to mangle
        assert "4711" in record["pages"][0]["text"]
        heading = (out["md"] / os.fsdecode(stem(name) + b".md")).read_text(encoding="utf-8")
        shown = display(os.fsdecode(name))
        assert heading.startswith(f"# {shown}\n") and "4711" in heading
    done = [
        os.fsencode(name_from_json(event))
        for event in map(json.loads, events.read_bytes().splitlines())
        if event["event"] == "document_done"
    ]
    assert done == [os.fsencode(inbox[name]) for name in sorted((*NAMES, BROKEN))]
    search = run_cli("search", "4711", "--json", "--store", store, cwd=tmp_path)
    assert search.returncode == 0, search.stderr
    found = {os.fsencode(name_from_json(hit)) for hit in json.loads(search.stdout)}
    assert found == {os.fsencode(inbox[name]) for name in NAMES}


@pytest.fixture
def window(qtbot: object, tmp_path: Path) -> Iterator[object]:
    from windows import open_window

    with open_window(qtbot, tmp_path, store=tmp_path / "archive.sqlite") as main:  # type: ignore[arg-type]
        yield main


def test_the_window_shows_every_name_and_opens_its_pages(
    window: object, qtbot: object, inbox: dict[bytes, Path]
) -> None:
    from ablage_desktop.gui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.backend_box.findData("tesseract") >= 0, timeout=10_000)  # type: ignore[attr-defined]
    window.backend_box.setCurrentIndex(window.backend_box.findData("tesseract"))
    paths = [inbox[name] for name in (*NAMES, BROKEN)]

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=120_000):  # type: ignore[attr-defined]
        window.enqueue([str(path) for path in paths])
    qtbot.waitUntil(  # type: ignore[attr-defined]
        lambda: not any(e.state.active for e in window.queue.entries),
        timeout=10_000,
    )

    entries = window.queue.entries
    assert [os.fsencode(entry.path) for entry in entries] == [os.fsencode(p) for p in paths]
    assert [entry.state for entry in entries] == ["done", "done", "done", "failed"]
    shown = [window.queue.queue_model.index(row, 0).data() for row in range(len(entries))]
    assert shown == [display(os.fsdecode(name)) for name in (*NAMES, BROKEN)]
    assert shown[0] == "Größe_Übersicht_Fälligkeit.png" and shown[1] == "Rechnung 🧾 2024.pdf"
    for row in range(3):  # each page opens from its path: the name made it through Qt intact
        window.queue.selectRow(row)
        qtbot.waitUntil(lambda: "4711" in window.text_pane.toPlainText(), timeout=10_000)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: window.page_view.box_count > 0, timeout=10_000)  # type: ignore[attr-defined]


def test_a_newline_in_a_name_cannot_fake_lines_of_output(tmp_path: Path) -> None:
    """Progress and summary show control characters of a name as escapes (issue 16, item 8)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    text_page().save(inbox / "ok\nfailed: fake.png", format="PNG")
    (inbox / "bad\rname.png").write_bytes(b"not a picture")

    result = run_cli("ocr", inbox, "--backend", "tesseract", "--out", tmp_path / "o", cwd=tmp_path)

    stdout = result.stdout.decode()
    assert result.returncode == 1, stdout
    assert stdout.count("\n") == 2  # the summary line and one failure line, nothing else
    assert "  failed: " + str(inbox) + "/bad\\rname.png: " in stdout
    assert "failed: fake.png" not in stdout.replace("ok\\nfailed: fake.png", "")
    progress = result.stderr.decode().splitlines()
    assert any("ok\\nfailed: fake.png: page 1/1" in line for line in progress)
    assert not any(line.startswith("failed: fake.png") for line in progress)
