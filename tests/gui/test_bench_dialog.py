"""The benchmark dialog in the real window: a real run with its chart, a cancelled one, none."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from samples import pdf_bytes, text_page
from windows import open_window

from ablage_desktop.gui.bench_dialog import PROGRESS_STEPS, BenchDialog
from ablage_desktop.gui.main_window import MainWindow

BENCH_TIMEOUT_MS = 60_000
DARPA = "print_darpa_cover.png"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path) as main:
        yield main


def queue_unread(window: MainWindow, qtbot: QtBot, paths: list[Path]) -> None:
    """GIVEN documents in the queue, without spending the test's time reading them first.

    The window's first batch is cancelled before it starts, so the queue holds the documents
    (state "cancelled") and the worker thread is free at once.
    """
    window.bridge.worker.cancel(1)
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=10_000):
        window.enqueue([str(path) for path in paths])
    qtbot.waitUntil(lambda: len(window.queue.entries) == len(paths), timeout=5000)
    qtbot.waitUntil(lambda: window.bridge.batches_pending == 0, timeout=5000)


def open_dialog(window: MainWindow, qtbot: QtBot, model: str) -> BenchDialog:
    qtbot.waitUntil(lambda: window.backend_box.findData(model) >= 0, timeout=10_000)
    assert window.bench_action.isEnabled()
    window.bench_action.trigger()
    dialog = window.bench_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.options.select_models([model])
    dialog.options.runs_spin.setValue(1)
    dialog.options.warmup_spin.setValue(0)
    dialog.options.peers_check.setChecked(False)
    assert dialog.options.selected_models() == [model]
    assert dialog.start_button.isEnabled()
    return dialog


def test_a_tesseract_benchmark_shows_its_chart_and_table(
    window: MainWindow, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    queue_unread(window, qtbot, [data_dir / DARPA])
    dialog = open_dialog(window, qtbot, "tesseract")
    unavailable = [name for name, ok in dialog.options.available.items() if not ok]
    for name in unavailable:  # e.g. a VLM not downloaded: shown, disabled, with the reason
        assert not dialog.options.checks[name].isEnabled()
        assert dialog.options.checks[name].toolTip().startswith("Not available: ")

    with qtbot.waitSignal(window.bridge.worker.benchFinished, timeout=BENCH_TIMEOUT_MS):
        dialog.start_button.click()
    qtbot.waitUntil(lambda: not dialog.running, timeout=5000)

    assert dialog.report is not None and not dialog.report.cancelled
    (row,) = dialog.report.rows
    assert row.backend == "tesseract" and row.status == "ok"
    assert row.accuracy is not None and row.accuracy.chars > 0
    assert not dialog.tabs.chart.pixmap.isNull()
    assert dialog.tabs.chart.label.pixmap() is not None
    assert dialog.tabs.isVisible()
    assert "tesseract" in dialog.markdown and "CER" in dialog.markdown
    assert f"{row.accuracy.cer:.3f}" in dialog.markdown
    assert "tesseract" in dialog.tabs.table.toPlainText()
    assert dialog.progress.value() == PROGRESS_STEPS == dialog.progress.maximum()
    assert dialog.status_label.text().startswith("Done in ")
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isEnabled()

    assert dialog.save_record_button.isEnabled() and dialog.save_chart_button.isEnabled()
    assert dialog.write_record(tmp_path / "bench.json")
    record = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert record["rows"][0]["backend"] == "tesseract"
    assert dialog.write_chart(tmp_path / "bench.png")
    assert (tmp_path / "bench.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_cancelled_benchmark_leaves_the_dialog_idle_and_the_window_usable(
    window: MainWindow, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    queue_unread(window, qtbot, [data_dir / DARPA, data_dir / "funsd_0000971160.png"])
    dialog = open_dialog(window, qtbot, "rapidocr")

    with qtbot.waitSignal(window.bridge.worker.benchProgress, timeout=BENCH_TIMEOUT_MS):
        dialog.start_button.click()
    assert dialog.running
    with qtbot.waitSignal(window.bridge.worker.benchFinished, timeout=BENCH_TIMEOUT_MS):
        dialog.cancel_button.click()
        assert not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=5000)

    assert dialog.report is None and dialog.tabs.chart.pixmap.isNull()
    assert not dialog.tabs.isVisible()
    assert dialog.status_label.text() == "Cancelled."
    assert dialog.progress.value() == 0
    assert dialog.start_button.isEnabled()
    assert not dialog.save_record_button.isEnabled()

    # The worker thread is free again: a page dropped now is read.
    page = tmp_path / "invoice.png"
    text_page().save(page, dpi=(300, 300))
    window.backend_box.setCurrentIndex(window.backend_box.findData("tesseract"))
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BENCH_TIMEOUT_MS):
        window.enqueue([str(page)])
    qtbot.waitUntil(lambda: window.queue.entries[-1].state == "done", timeout=5000)
    assert dialog.paths[-1] == str(page)


def test_closing_the_dialog_cancels_the_running_benchmark(
    window: MainWindow, qtbot: QtBot, data_dir: Path
) -> None:
    queue_unread(window, qtbot, [data_dir / DARPA])
    dialog = open_dialog(window, qtbot, "tesseract")

    with qtbot.waitSignal(window.bridge.worker.benchProgress, timeout=BENCH_TIMEOUT_MS):
        dialog.start_button.click()
    with qtbot.waitSignal(window.bridge.worker.benchFinished, timeout=BENCH_TIMEOUT_MS) as done:
        dialog.close()
    assert not dialog.isVisible()
    assert done.args is not None and done.args[1].cancelled
    qtbot.waitUntil(lambda: not dialog.running, timeout=5000)
    assert dialog.report is None


def test_a_benchmark_started_while_a_batch_runs_waits_and_says_so(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 40, dpi=150))
    find = window.backend_box.findData
    qtbot.waitUntil(lambda: find("tesseract") >= 0, timeout=10_000)
    window.backend_box.setCurrentIndex(find("tesseract"))
    with qtbot.waitSignal(window.bridge.worker.pageDone, timeout=BENCH_TIMEOUT_MS):
        window.enqueue([str(pdf)])
    dialog = open_dialog(window, qtbot, "tesseract")
    assert dialog.busy_label.isVisible()

    dialog.start_button.click()
    assert dialog.status_label.text().startswith("Waiting for the documents")
    dialog.cancel_button.click()  # cancelled while still queued behind the batch
    with qtbot.waitSignal(window.bridge.worker.benchFinished, timeout=BENCH_TIMEOUT_MS) as done:
        window.cancel_batch()
    assert done.args is not None and done.args[1].cancelled
    qtbot.waitUntil(lambda: not dialog.running, timeout=5000)
    assert dialog.status_label.text() == "Cancelled."
    qtbot.waitUntil(lambda: not dialog.busy_label.isVisible(), timeout=5000)


def test_the_benchmark_action_is_disabled_while_the_queue_is_empty(window: MainWindow) -> None:
    assert not window.queue.entries
    assert not window.bench_action.isEnabled()
    assert "queue" in window.bench_action.toolTip()
    (menu,) = [m for m in window.findChildren(QMenu) if window.bench_action in m.actions()]
    assert menu.title() == "&Models"
    window.open_bench()
    assert window.bench_dialog is None
