"""File > Export all: every document with pages into one folder, names never meeting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import ScriptedBackend, scripted_spec
from pytestqt.qtbot import QtBot
from samples import pdf_bytes, text_page
from windows import open_window

from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path, store=tmp_path / "archive.sqlite3") as main:
        backend = ScriptedBackend(name="fast")
        main.bridge.engine.add_model("fast", scripted_spec(backend), EngineOptions(engine="fast"))
        main.bridge.refresh()
        box = main.backend_box
        qtbot.waitUntil(lambda: box.findData("fast") >= 0, timeout=10_000)
        box.setCurrentIndex(box.findData("fast"))
        yield main


def test_every_document_goes_into_the_folder_under_its_own_name(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    paths = [tmp_path / "a" / "scan.png", tmp_path / "b" / "scan.png", tmp_path / "brief.png"]
    for path in paths:
        path.parent.mkdir(exist_ok=True)
        text_page().save(path, dpi=(300, 300))
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=60_000):
        window.enqueue([str(path) for path in paths])
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)
    out = tmp_path / "out"

    exports = window.export_all.targets(out, "txt")
    window.export_all.export(exports, "txt")
    qtbot.waitUntil(lambda: len(list(out.glob("*.txt"))) == 3, timeout=10_000)

    assert sorted(target.name for _, target in exports) == ["brief.txt", "scan-2.txt", "scan.txt"]
    assert (out / "scan.txt").read_text(encoding="utf-8").strip() == "scan.png:1"  # the engine's
    qtbot.waitUntil(lambda: "Exported 3 document(s)" in window.statusBar().currentMessage())


def test_an_export_never_takes_the_name_of_a_document_being_read(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_bytes([text_page()]))
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=60_000):
        window.enqueue([str(scan)])
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)

    ((_, target),) = window.export_all.targets(tmp_path, "pdf")

    assert target == tmp_path / "scan-ocr.pdf"  # a searchable PDF beside the scan, not over it
