"""What a new user found wrong in the window (issue 18), each in the real window offscreen.

Scripted engines (``tests/fakes.py``) stand in where only the window's handling matters; real
Tesseract where the engine's words or languages are the point.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyqtgraph as pg
import pytest
from fakes import ScriptedBackend, scripted_spec, sleep_hook
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from samples import pdf_bytes, text_page
from windows import open_window

from ablage_desktop.engine import DocumentState
from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.gui.main_window import GRAPH_WINDOW_S, MainWindow
from ablage_desktop.gui.widgets.memory_graph import MemoryGraph, marker_rows

BATCH_TIMEOUT_MS = 60_000
GIB = 1 << 30


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path, store=tmp_path / "archive.sqlite3") as main:
        yield main


def add_engine(window: MainWindow, qtbot: QtBot, name: str) -> ScriptedBackend:
    backend = ScriptedBackend(name=name)
    window.bridge.engine.add_model(name, scripted_spec(backend), EngineOptions(engine=name))
    window.bridge.refresh()
    qtbot.waitUntil(lambda: window.backend_box.findData(name) >= 0, timeout=10_000)
    return backend


def choose(window: MainWindow, qtbot: QtBot, name: str) -> None:
    box = window.backend_box
    qtbot.waitUntil(lambda: box.findData(name) >= 0, timeout=10_000)
    box.setCurrentIndex(box.findData(name))


def read(window: MainWindow, qtbot: QtBot, paths: list[Path]) -> None:
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(p) for p in paths])
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)


def page_file(folder: Path, name: str = "page.png") -> Path:
    path = folder / name
    text_page().save(path, dpi=(300, 300))
    return path


# --- item 4: the chosen engine comes back --------------------------------------------------------


def test_the_engine_chosen_last_time_is_chosen_again(qtbot: QtBot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("backend", "tesseract")
    settings.sync()
    with open_window(qtbot, tmp_path) as window:
        qtbot.waitUntil(lambda: window.backend_box.findData("tesseract") >= 0, timeout=10_000)
        assert window.backend_box.currentData() == "tesseract"
        window.close()
        assert window.settings.value("backend") == "tesseract"


# --- item 5: nothing raw reaches the user --------------------------------------------------------


def test_quantizations_a_model_cannot_take_are_disabled(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.models
    qtbot.waitUntil(lambda: panel.state_of("got_ocr2") is not None, timeout=10_000)

    panel.select_model("rapidocr")
    window.quantization_menu.aboutToShow.emit()
    assert not [a.text() for a in window.quantization_menu.actions() if a.isEnabled()]
    panel.select_model("got_ocr2")
    window.quantization_menu.aboutToShow.emit()
    enabled = [a.text() for a in window.quantization_menu.actions() if a.isEnabled()]
    assert enabled == ["fp32", "fp16", "bf16", "int8", "int4"]

    window.bridge.models.set_quantization("rapidocr", "fp32")  # as if the menu had let it through
    qtbot.waitUntil(lambda: "cannot load as fp32" in window.statusBar().currentMessage())
    assert window.last_error is None


def test_a_failed_document_shows_a_sentence_not_the_engine_text(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [empty])

    (entry,) = window.queue.entries
    assert entry.state == "failed"
    state = window.queue.queue_model.index(0, 2)
    assert state.data() == "failed"  # the reason is in the tooltip
    assert state.data(Qt.ItemDataRole.ToolTipRole).startswith("The file is empty.")
    window.queue.selectRow(0)
    assert window.text_pane.toPlainText().startswith("The file is empty.")


# --- item 7: layout ------------------------------------------------------------------------------


def test_a_long_reason_does_not_squeeze_the_names(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window.queue.resize(320, 300)
    paths = [str(tmp_path / "scan.pdf"), str(tmp_path / "scan.png")]
    window.queue.add_batch(99, paths)
    header = window.queue.horizontalHeader()
    name_width = header.sectionSize(0)
    entry = window.queue.entries[0]
    entry.state, entry.kind = DocumentState.FAILED, "corrupt"
    entry.reason = "pdfium: the cross-reference table is broken beyond repair " * 3
    window.queue.refresh_row(0)
    qtbot.wait(50)

    assert header.sectionSize(0) == name_width
    assert header.sectionSize(2) < 150
    assert window.queue.textElideMode() == Qt.TextElideMode.ElideMiddle  # suffixes stay
    model = window.queue.queue_model
    assert model.index(0, 0).data() != model.index(1, 0).data()
    assert entry.reason in model.index(0, 2).data(Qt.ItemDataRole.ToolTipRole)


def test_the_engine_box_is_as_wide_as_its_longest_entry(window: MainWindow, qtbot: QtBot) -> None:
    box = window.backend_box
    qtbot.waitUntil(lambda: box.findData("got_ocr2") >= 0, timeout=10_000)
    qtbot.wait(50)
    metrics = QFontMetrics(box.font())
    widest = max(metrics.horizontalAdvance(box.itemText(i)) for i in range(box.count()))

    assert box.width() >= widest


@pytest.fixture
def graph(qtbot: QtBot) -> Iterator[MemoryGraph]:
    """The window's kind of graph, alone: its clock starts at 0, not at the machine's."""
    widget = MemoryGraph(window_s=GRAPH_WINDOW_S, refresh_ms=20)
    qtbot.addWidget(widget)
    widget.resize(700, 320)
    yield widget
    widget.stop()


def test_markers_at_one_moment_get_their_own_rows_and_the_legend_sits_below_the_curves(
    qtbot: QtBot, graph: MemoryGraph
) -> None:
    assert marker_rows([10.0, 10.0, 10.5, 200.0], gap=25.0) == [0, 1, 2, 0]
    snapshot = MemorySnapshot(rss=GIB, ram_used=4 * GIB, ram_total=16 * GIB, ram_available=12 * GIB)
    graph.add_sample(0.0, snapshot, "normal")
    graph.add_marker(5.0, "tesseract loaded")
    graph.add_marker(5.0, "rapidocr loaded")
    graph.add_sample(10.0, snapshot, "normal")
    graph.refresh()

    positions = {
        item.label.textItem.toPlainText(): item.label.orthoPos
        for item in graph.plot_widget.getPlotItem().items
        if isinstance(item, pg.InfiniteLine) and item.angle == 90
    }
    assert len(set(positions.values())) == 2
    graph.show()
    qtbot.waitExposed(graph)
    plot = graph.plot_widget.getPlotItem()
    curves = plot.vb.sceneBoundingRect()
    legend = plot.legend.sceneBoundingRect()
    assert not legend.intersects(curves)  # it hid the lowest curves where it lay over them
    assert legend.top() >= plot.getAxis("bottom").sceneBoundingRect().top()


def test_the_graph_shows_a_rolling_span_that_can_be_zoomed(graph: MemoryGraph) -> None:
    snapshot = MemorySnapshot(rss=GIB, ram_used=4 * GIB, ram_total=16 * GIB, ram_available=12 * GIB)
    for t in range(0, 1200, 5):
        graph.add_sample(float(t), snapshot, "normal")
    graph.refresh()
    view = graph.plot_widget.getPlotItem().getViewBox()

    assert graph.span_s == 300
    assert view.viewRange()[0][0] == pytest.approx(-306, abs=1)  # 300 s + padding
    graph.zoom(1)
    assert graph.span_s == 120 and view.viewRange()[0][0] > -125
    graph.zoom(-3)
    assert graph.span_s == 900 and graph.sample_count <= 900 / 5 + 1
    assert graph.span_box.currentData() == 900


def test_search_results_take_room_from_the_documents_not_the_models(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.resize(1280, 800)
    qtbot.wait(50)
    models_height = window.models.height()
    window.search_dock.show()
    window.resizeDocks([window.search_dock], [180], Qt.Orientation.Vertical)
    qtbot.wait(50)

    assert window.models.height() == models_height


# --- item 8 --------------------------------------------------------------------------------------


def test_a_pdf_cut_short_shows_the_pages_that_were_there(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    data = pdf_bytes([text_page((f"Seite {n} von 3", "Rechnung 4711")) for n in (1, 2, 3)])
    last_page = data.index(b"/image Do", data.index(b"/image Do") + 1)  # the second page's
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: data.index(b"endobj", last_page) + 40])
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [cut])
    window.queue.selectRow(0)

    state = window.queue.queue_model.index(0, 2)
    assert state.data() == "failed (2 page(s) read)"
    assert state.data(Qt.ItemDataRole.ToolTipRole).startswith("The file is incomplete")
    assert "of its 3 pages, pages 1 to 2" in state.data(Qt.ItemDataRole.ToolTipRole)
    assert window.page_label.text() == "page 1 of 2" and window.next_button.isEnabled()
    assert window.text_pane.toPlainText() != ""  # the page's text, not the reason


def test_a_failed_document_has_no_pages_to_turn(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    assert window.page_label.text() == "" and not window.next_button.isEnabled()
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [empty])
    window.queue.selectRow(0)

    assert window.page_label.text() == ""
    assert not window.prev_button.isEnabled() and not window.next_button.isEnabled()


def test_the_batch_summary_stays_in_the_status_bar(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [page_file(tmp_path)])
    window.statusBar().showMessage("something else", 10)
    qtbot.wait(100)

    assert window.summary_label.text().startswith("1 document(s) done")
    assert window.summary_label.isVisible()


def test_a_gpu_model_on_a_cpu_only_machine_shows_the_dtype_it_loads(
    window: MainWindow, qtbot: QtBot
) -> None:
    panel = window.models
    qtbot.waitUntil(lambda: panel.state_of("got_ocr2") is not None, timeout=10_000)
    row = next(
        r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "got_ocr2"
    )

    assert window.bridge.engine.config.models["got_ocr2"].quantization == "fp16"  # type: ignore[attr-defined]
    assert panel.table.item(row, 1).text() == "cpu"
    assert panel.table.item(row, 2).text() == "fp32"


def test_quitting_while_reading_asks_first(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    backend = add_engine(window, qtbot, "fast")
    backend._hook = sleep_hook(0.3)
    choose(window, qtbot, "fast")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 20, dpi=72))
    with qtbot.waitSignal(window.bridge.worker.batchStarted, timeout=10_000):
        window.enqueue([str(pdf)])
    qtbot.waitUntil(lambda: window.queue.has_active(), timeout=5000)

    window.quit_action.trigger()
    question = window.close_question
    assert question is not None and window.isVisible()
    assert "1 document(s) are not read yet." in question.text()
    question.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.waitUntil(lambda: window.close_question is None, timeout=2000)
    assert window.isVisible()

    window.quit_action.trigger()
    window.close_question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_the_about_box_names_the_licences(window: MainWindow) -> None:
    window._about()
    text = window.about_box.text() if window.about_box is not None else ""

    for name in ("Tesseract", "RapidOCR", "PaddleOCR", "PySide6", "Apache-2.0", "LGPL-3.0"):
        assert name in text
    window.about_box.close()


# --- what users of other OCR apps expect ---------------------------------------------------------


def test_the_ocr_language_is_chosen_in_the_window(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    assert not window.language_box.isEnabled()  # auto recognises languages itself
    choose(window, qtbot, "tesseract")
    assert window.language_box.isEnabled()
    window.language_box.choose("eng")
    read(window, qtbot, [page_file(tmp_path)])

    (entry,) = window.queue.entries
    assert entry.state == "done"
    assert entry.backends == "tesseract:eng"
    assert window.settings.value("ocr_language") == "eng"


def test_a_document_is_read_again_with_another_engine_and_both_readings_are_kept(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    add_engine(window, qtbot, "first")
    add_engine(window, qtbot, "second")
    choose(window, qtbot, "first")
    read(window, qtbot, [page_file(tmp_path)])
    menu = window.queue.context_menu(0)
    again = next(a.menu() for a in menu.actions() if a.menu() is not None)
    second = next(a for a in again.actions() if a.text() == "second")

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        second.trigger()
    qtbot.waitUntil(lambda: not window.queue.has_active(), timeout=5000)

    assert [e.backends for e in window.queue.entries] == ["first", "second"]
    sha256 = window.queue.entries[0].result.sha256  # type: ignore[union-attr]
    assert sha256 is not None
    store = Store(tmp_path / "archive.sqlite3")  # a second connection to the window's archive
    try:
        assert store.pages(sha256, "first")[0].text.endswith(":1")
        assert store.pages(sha256, "second")[0].backend == "second"
    finally:
        store.close()


def test_finished_documents_can_be_removed_and_cleared(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [page_file(tmp_path, "a.png"), page_file(tmp_path, "b.png")])
    read(window, qtbot, [page_file(tmp_path, "c.png")])
    window.queue.selectRow(0)

    menu = window.queue.context_menu(0)
    next(a for a in menu.actions() if a.text() == "&Remove from the queue").trigger()
    assert [Path(e.path).name for e in window.queue.entries] == ["b.png", "c.png"]
    window.clear_action.trigger()
    assert window.queue.entries == [] and window.queue.queue_model.rowCount() == 0
    assert window.page_label.text() == ""


def test_corrected_text_is_what_the_export_writes(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    add_engine(window, qtbot, "fast")
    choose(window, qtbot, "fast")
    read(window, qtbot, [page_file(tmp_path, "letter.png")])
    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: "letter.png:1" in window.text_pane.toPlainText(), timeout=5000)

    window.edit_text_action.trigger()
    assert not window.text_pane.isReadOnly()
    window.text_pane.selectAll()
    qtbot.keyClicks(window.text_pane, "Corrected line")
    window.edit_text_action.trigger()

    entry = window.queue.entries[0]
    assert entry.edited and "(edited)" in window.queue.queue_model.index(0, 2).data()
    target = tmp_path / "out" / "letter.txt"
    target.parent.mkdir()
    window.export_document(0, str(target), "txt")
    qtbot.waitUntil(lambda: "Exported as" in window.statusBar().currentMessage(), timeout=10_000)
    assert target.read_text(encoding="utf-8").strip() == "Corrected line"
