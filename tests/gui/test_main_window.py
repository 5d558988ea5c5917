"""The real window, offscreen, with the real engine: drop, read, models, graph, cancel, errors."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot
from samples import pdf_bytes, text_page
from windows import open_window

from ablage_desktop.engine import load_config
from ablage_desktop.gui import heap
from ablage_desktop.gui.main_window import MainWindow

BATCH_TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path) as main:
        yield main


def drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def settled(window: MainWindow) -> bool:
    """Every queued document has its final state in the window.

    pytest-qt's waitSignal sees a worker's signal in the worker's thread, before the window's
    queued slots for the same batch have run; tests wait for the window itself.
    """
    return not any(e.state.active for e in window.queue.entries)


def choose_backend(window: MainWindow, qtbot: QtBot, name: str) -> None:
    qtbot.waitUntil(lambda: window.backend_box.findData(name) >= 0, timeout=10_000)
    window.backend_box.setCurrentIndex(window.backend_box.findData(name))


def test_dropped_files_are_read_and_a_bad_one_shows_its_reason(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    good = tmp_path / "invoice.png"
    text_page().save(good, dpi=(300, 300))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    choose_backend(window, qtbot, "tesseract")

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        drop(window, [good, empty])
    qtbot.waitUntil(lambda: settled(window), timeout=5000)

    states = {Path(e.path).name: (e.state, e.reason) for e in window.queue.entries}
    assert states["invoice.png"] == ("done", "")
    assert states["empty.pdf"][0] == "failed" and "empty" in states["empty.pdf"][1]
    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: "Invoice 4711" in window.text_pane.toPlainText(), timeout=5000)
    qtbot.waitUntil(lambda: window.page_view.box_count > 0, timeout=5000)
    assert window.queue.queue_model.index(0, 3).data() == "tesseract"


def test_the_auto_engine_reads_a_multipage_pdf_page_by_page(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(pdf_bytes([text_page(), text_page()], dpi=150))

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(pdf)])
    qtbot.waitUntil(lambda: settled(window), timeout=5000)

    (entry,) = window.queue.entries
    assert entry.state == "done" and sorted(entry.pages) == [0, 1]
    window.queue.selectRow(0)
    window.show_page(1)
    qtbot.waitUntil(lambda: window.page_label.text() == "page 2 of 2", timeout=5000)
    assert "4711" in window.text_pane.toPlainText()
    assert window.page_label.toolTip().startswith("Read by ")  # how the page was read


def test_a_stamped_page_shows_its_print_its_stamp_and_what_was_done(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """A red stamp over a letter, read in the window: the print and the stamp's words in the
    text pane, and the page's tooltip saying the stamp was lifted off the print."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    page = Image.new("RGB", (1654, 1200), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    for n in range(8):
        line = f"Rechnung {4711 + n} vom 30.10.2018 uber {120 + 7 * n},45 EUR"
        draw.text((120, 200 + 90 * n), line, font=ImageFont.load_default(size=40), fill=0)
    stamp = Image.new("RGB", page.size, (255, 255, 255))
    mark = ImageDraw.Draw(stamp)
    mark.text((560, 420), "BEZAHLT", font=ImageFont.load_default(size=110), fill=(200, 40, 50))
    mark.rectangle([530, 400, 1080, 560], outline=(200, 40, 50), width=10)
    path = tmp_path / "stamped.png"
    ImageChops.multiply(page, stamp.rotate(6, fillcolor=(255, 255, 255))).save(path, dpi=(200, 200))
    choose_backend(window, qtbot, "rapidocr")

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        drop(window, [path])
    qtbot.waitUntil(lambda: settled(window), timeout=5000)
    window.queue.selectRow(0)

    qtbot.waitUntil(lambda: "BEZAHLT" in window.text_pane.toPlainText(), timeout=5000)
    body, _, after = window.text_pane.toPlainText().rpartition("\n\n")
    assert after == "BEZAHLT" and "Rechnung 4714 vom 30.10.2018" in body
    assert "1 coloured stamp(s) lifted off the print" in window.page_label.toolTip()


def test_load_and_unload_buttons_change_the_models_state(window: MainWindow, qtbot: QtBot) -> None:
    panel = window.models
    qtbot.waitUntil(lambda: panel.state_of("tesseract") == "unloaded", timeout=10_000)
    panel.select_model("tesseract")

    panel.load_button.click()
    qtbot.waitUntil(lambda: panel.state_of("tesseract") == "ready", timeout=30_000)
    panel.select_model("tesseract")
    panel.unload_button.click()
    qtbot.waitUntil(lambda: panel.state_of("tesseract") == "unloaded", timeout=30_000)


def test_the_memory_graph_receives_samples(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: window.graph.sample_count >= 3, timeout=10_000)
    assert window.pressure_label.text().startswith("memory: ")


def test_cancel_stops_a_running_batch_within_two_seconds(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 40, dpi=300))
    choose_backend(window, qtbot, "tesseract")
    with qtbot.waitSignal(window.bridge.worker.pageDone, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(pdf)])

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=2000) as finished:
        window.cancel_button.click()

    assert finished.args[4] is True  # cancelled
    qtbot.waitUntil(lambda: settled(window), timeout=5000)
    (entry,) = window.queue.entries
    assert entry.state == "cancelled"
    assert 0 < len(entry.pages) < 40


def test_an_engine_exception_reaches_the_window_and_the_next_job_works(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.png"
    text_page().save(page)
    engine = window.bridge.engine
    real_ocr = engine.ocr
    calls = 0

    def broken_once(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the engine broke")
        return real_ocr(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "ocr", broken_once)
    choose_backend(window, qtbot, "tesseract")

    with qtbot.waitSignal(window.bridge.failed, timeout=BATCH_TIMEOUT_MS) as failed:
        window.enqueue([str(page)])
    (error,) = failed.args
    assert (error.kind, error.message) == ("internal", "RuntimeError: the engine broke")
    qtbot.waitUntil(lambda: window.last_error is not None, timeout=5000)

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(page)])
    qtbot.waitUntil(lambda: window.queue.entries[-1].state == "done", timeout=5000)


def test_the_backend_selector_lists_auto_and_every_engine_with_availability(
    window: MainWindow, qtbot: QtBot
) -> None:
    box = window.backend_box
    qtbot.waitUntil(lambda: box.findData("got_ocr2") >= 0, timeout=10_000)

    assert box.itemData(0) == "auto"
    row = box.findData("got_ocr2")
    assert not box.model().item(row).isEnabled()  # type: ignore[attr-defined]
    assert "not downloaded" in box.itemData(row, Qt.ItemDataRole.ToolTipRole)
    assert "rapidocr" in box.itemText(box.findData("rapidocr"))


def test_settings_keep_the_backend_and_the_geometry(window: MainWindow, qtbot: QtBot) -> None:
    choose_backend(window, qtbot, "tesseract")
    window.close()

    assert window.settings.value("backend") == "tesseract"
    assert window.settings.value("geometry") is not None


def test_worker_messages_reach_the_status_bar_from_the_gui_thread(
    window: MainWindow, qtbot: QtBot, qtlog: object
) -> None:
    """A lambda slot would run in the worker's thread and leave Qt timers there (a crash)."""
    window.bridge.models.load("tesseract")

    qtbot.waitUntil(lambda: "is loaded" in window.statusBar().currentMessage(), timeout=30_000)

    messages = [record.message for record in qtlog.records]  # type: ignore[attr-defined]
    assert not [m for m in messages if "different thread" in m or "another thread" in m]


def test_a_pasted_image_is_read(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.gui.images import pil_to_qimage

    QApplication.clipboard().setImage(pil_to_qimage(text_page()))
    choose_backend(window, qtbot, "tesseract")

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.paste_action.trigger()
    qtbot.waitUntil(lambda: settled(window), timeout=5000)

    (entry,) = window.queue.entries
    assert entry.state == "done"
    assert "4711" in entry.pages[0].text


def test_the_open_dialog_offers_every_type_the_engine_reads() -> None:
    from ablage_desktop.engine import SUPPORTED_SUFFIXES
    from ablage_desktop.gui.intake import document_filter

    documents, all_files = document_filter("Dokumente", "Alle Dateien", False).split(";;")
    on_linux, _ = document_filter("Dokumente", "Alle Dateien", True).split(";;")

    assert documents.startswith("Dokumente (*.")
    assert {f".{pattern.split('.')[-1]}" for pattern in documents[:-1].split()[1:]} == set(
        SUPPORTED_SUFFIXES
    )
    assert {"*.heic", "*.pdf", "*.jp2"} <= set(documents[:-1].split())
    assert all_files == "Alle Dateien (*)"
    # GTK's dialog matches case: an iPhone's IMG_0001.HEIC needs its own pattern there
    assert {"*.heic", "*.HEIC", "*.PDF"} <= set(on_linux[:-1].split())
    assert "*.HEIC" not in documents


def test_images_pasted_in_the_same_second_get_names_of_their_own(tmp_path: Path) -> None:
    from datetime import datetime

    from ablage_desktop.gui.intake import pasted_path

    when = datetime(2026, 12, 5, 19, 3, 13)
    first = pasted_path(tmp_path, when)
    first.write_bytes(b"png")
    second = pasted_path(tmp_path, when)
    second.write_bytes(b"png")

    assert first.name == "Pasted 2026-12-05 19-03-13.png"
    assert second.name == "Pasted 2026-12-05 19-03-13 (2).png"
    assert pasted_path(tmp_path, when).name == "Pasted 2026-12-05 19-03-13 (3).png"


def test_a_pasted_image_that_cannot_be_saved_is_said_so(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtGui import QImage

    from ablage_desktop.gui.intake import DocumentIntake

    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    intake = DocumentIntake(window, blocked / "pasted")

    intake.enqueue_image(QImage(8, 8, QImage.Format.Format_RGB32))

    assert "could not be saved" in window.statusBar().currentMessage()
    assert window.queue.entries == []


def test_a_clicked_box_selects_its_line_and_a_selected_line_its_box(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    page = tmp_path / "page.png"
    text_page().save(page, dpi=(300, 300))
    choose_backend(window, qtbot, "tesseract")
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(page)])
    window.queue.selectRow(0)
    qtbot.waitUntil(lambda: window.page_view.box_count >= 2, timeout=5000)

    window.page_view.lineClicked.emit(1)
    assert window.text_pane.selected_line == 1
    window.text_pane.lineSelected.emit(0)
    assert window.page_view.selected_line == 0


def test_the_start_up_heap_is_frozen_once_the_engines_are_prepared_and_thawed_at_shutdown(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full garbage collections walked every start-up object (50-80 ms holding the GIL, a
    stall of the window mid-batch); frozen, they walk only what came after (gui/heap.py)."""
    import ablage_desktop.gui.bridge as bridge_module

    outcomes: list[bool] = []

    def recorded(idle: Callable[[], bool]) -> bool:
        outcomes.append(heap.freeze_if_idle(idle))
        return outcomes[-1]

    monkeypatch.setattr(bridge_module, "freeze_if_idle", recorded)
    gc.unfreeze()
    with open_window(qtbot, tmp_path):
        assert gc.get_freeze_count() > 10_000, "frozen before the engine threads start"
        qtbot.waitUntil(lambda: outcomes == [True], timeout=60_000)
    assert gc.get_freeze_count() == 0


def test_the_heap_is_frozen_further_only_while_nothing_runs() -> None:
    gc.unfreeze()
    try:
        assert not heap.freeze_if_idle(lambda: False)
        assert gc.get_freeze_count() == 0, "a model loading: none of its objects frozen"
        assert heap.freeze_if_idle(lambda: True)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_progress_bar_sums_the_queue_once_per_burst_of_pages(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Every page used to sum every row of the queue for the bar (6 ms with 5,000 rows);
    a burst of pages now sums it once, and the bar still ends on the true count."""
    from ablage_desktop.engine import OcrPage

    paths = [f"/in/scan_{n:04d}.pdf" for n in range(300)]
    window.queue.add_batch(7, paths, "tesseract")
    for position in range(300):
        window.queue.document_started(7, position, 2)
    progress = window.batch_progress
    progress.update()

    for position in range(300):
        progress.page_done(7, position, OcrPage(0, 10, 10, "tesseract", 0.1, "text"))
    assert window.progress.value() == 0, "not summed after each page"

    qtbot.waitUntil(lambda: window.progress.value() == 300, timeout=2000)
    assert window.progress.maximum() == 600


def test_a_refresh_that_changes_nothing_rewrites_neither_the_engine_box_nor_the_models_table(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The models table refreshes for page progress a few times a second while a batch runs;
    refilling the engine box each time cost the GUI thread 10-20 ms (py-spy, ui_latency)."""
    import dataclasses

    from ablage_desktop.engine import ModelState

    box, table = window.backend_box, window.models.table
    qtbot.waitUntil(lambda: box.findData("tesseract") >= 0, timeout=10_000)
    statuses = list(window.engine_choice.statuses)
    removed: list[int] = []
    changed: list[tuple[int, int]] = []
    box.model().rowsRemoved.connect(lambda _parent, first, _last: removed.append(first))
    table.itemChanged.connect(lambda item: changed.append((item.row(), item.column())))

    window.engine_choice.models_changed(statuses)
    assert removed == [] and changed == []

    row = next(i for i, s in enumerate(statuses) if s.name == "tesseract")
    statuses[row] = dataclasses.replace(statuses[row], page_seconds=0.5)  # page progress
    window.engine_choice.models_changed(statuses)
    assert removed == [], "the box says the same"
    assert changed == [(row, 6)], "only the activity cell of that model"
    assert "0" in table.item(row, 6).text() and "s/page" in table.item(row, 6).text()

    statuses[row] = dataclasses.replace(statuses[row], state=ModelState.READY)
    window.engine_choice.models_changed(statuses)
    assert removed, "a new state is a new text in the box"
    assert window.models.state_label(ModelState.READY) in box.itemText(box.findData("tesseract"))
    assert (row, 3) in changed


def test_compact_pdf_pages_are_chosen_in_the_settings_menu_and_kept(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Settings > Compact PDF pages: the engine's exports follow it at once, and the window's
    settings keep it for the next start, which gives it to the engine again."""
    with open_window(qtbot, tmp_path) as window:
        engine = window.bridge.engine
        assert not window.pdf_images_action.isChecked()  # the shipped configuration: original

        window.pdf_images_action.trigger()

        qtbot.waitUntil(lambda: engine.config.exports.pdf_images == "compact", timeout=5000)
        assert window.settings.value("pdf_images") == "compact"

    with open_window(qtbot, tmp_path) as again:
        assert again.pdf_images_action.isChecked()
        qtbot.waitUntil(
            lambda: again.bridge.engine.config.exports.pdf_images == "compact", timeout=5000
        )


def test_without_a_choice_the_menu_shows_the_configurations(qtbot: QtBot, tmp_path: Path) -> None:
    config = load_config([]).with_pdf_images("compact")
    with open_window(qtbot, tmp_path, config) as window:
        qtbot.waitUntil(window.pdf_images_action.isChecked, timeout=5000)
        assert window.settings.value("pdf_images") is None  # shown, not chosen
