"""The archive in the real window: batches recorded, interrupted ones resumed, search, export.

Real Tesseract on small generated pages, a real SQLite archive in ``tmp_path``.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from archives import schema_2_archive
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMenu
from pytestqt.qtbot import QtBot
from samples import SAMPLE_LINES, pdf_bytes, text_page
from windows import open_window

from ablage_desktop.engine import Event, JobState, OcrLine, OcrPage, PageDone
from ablage_desktop.engine.archive.store import HIT_END, HIT_START, Store
from ablage_desktop.engine.text.folding import find_words
from ablage_desktop.gui.main_window import MainWindow
from ablage_desktop.gui.widgets.search_panel import HTML_ROLE, snippet_html

BATCH_TIMEOUT_MS = 60_000
STORED_TEXT = "Archived reading 4711"
"""Page 1's text as the interrupted batch committed it: not what Tesseract would read."""
PENDING = "SELECT value FROM meta WHERE key = 'pages_sub_pending'"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return tmp_path / "ablage.sqlite3"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, archive: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path, store=archive) as main:
        yield main


def settled(window: MainWindow) -> bool:
    return not any(e.state.active for e in window.queue.entries)


def read(window: MainWindow, qtbot: QtBot, paths: list[Path]) -> None:
    """Read ``paths`` with Tesseract in the window and wait until the window shows the end."""
    box = window.backend_box
    qtbot.waitUntil(lambda: box.findData("tesseract") >= 0, timeout=10_000)
    box.setCurrentIndex(box.findData("tesseract"))
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(path) for path in paths])
    qtbot.waitUntil(lambda: settled(window), timeout=5000)


def query(archive: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(archive) as db:
        return db.execute(sql, parameters).fetchall()


def invoice(
    tmp_path: Path, name: str = "invoice.png", lines: tuple[str, ...] = SAMPLE_LINES
) -> Path:
    page = tmp_path / name
    text_page(lines).save(page, dpi=(300, 300))
    return page


def interrupted_batch(tmp_path: Path, archive: Path) -> tuple[Path, int]:
    """A 2-page PDF whose batch stopped after page 1 was committed; the job's id."""
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(pdf_bytes([text_page(), text_page(("Reminder 0815 of 01.12.2018",))], dpi=150))
    sha256 = hashlib.sha256(pdf.read_bytes()).hexdigest()
    store = Store(archive)
    try:
        job = store.begin_job("tesseract", None, [pdf])
        store.add_document(sha256, pdf, "pdf", 2)
        line = OcrLine(STORED_TEXT, 0.95, (40, 40, 700, 90))
        page = OcrPage(0, 1400, 320, "tesseract", 0.4, STORED_TEXT + "\n", (line,))
        store.add_page(sha256, pdf, "tesseract", page, job=job)
        store.end_job(job, JobState.INTERRUPTED)
    finally:
        store.close()
    return pdf, job


# --- (a) recording ----------------------------------------------------------------------------


def test_a_batch_read_in_the_window_lands_in_the_archive(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    page = invoice(tmp_path)

    read(window, qtbot, [page])

    assert window.queue.entries[0].state == "done"
    rows = query(
        archive,
        "SELECT documents.path, pages.page, pages.backend, pages.text FROM pages "
        "JOIN documents ON documents.id = pages.document_id",
    )
    assert [row[:3] for row in rows] == [(str(page), 0, "tesseract")]
    assert "4711" in str(rows[0][3])
    assert query(archive, "SELECT state FROM jobs") == [("done",)]


def test_a_pasted_image_is_kept_beside_the_archive_that_records_it(
    window: MainWindow, qtbot: QtBot, archive: Path
) -> None:
    """The archive refers to a document by its path: a pasted page kept in a temporary folder
    was gone after a restart."""
    from ablage_desktop.gui.images import pil_to_qimage

    box = window.backend_box
    qtbot.waitUntil(lambda: box.findData("tesseract") >= 0, timeout=10_000)
    box.setCurrentIndex(box.findData("tesseract"))
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.intake.enqueue_image(pil_to_qimage(text_page()))
    qtbot.waitUntil(lambda: settled(window), timeout=5000)

    ((path, text),) = query(
        archive,
        "SELECT documents.path, pages.text FROM pages "
        "JOIN documents ON documents.id = pages.document_id",
    )
    pasted = Path(str(path))
    assert pasted.parent == archive.parent / "pasted" and pasted.is_file()
    assert pasted.name.startswith("Pasted ") and pasted.suffix == ".png"
    assert "4711" in str(text)


def test_a_batch_stopped_by_closing_the_window_is_offered_at_the_next_start(
    qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 30, dpi=300))
    with open_window(qtbot, tmp_path, store=archive) as first:
        box = first.backend_box
        qtbot.waitUntil(lambda: box.findData("tesseract") >= 0, timeout=10_000)
        box.setCurrentIndex(box.findData("tesseract"))
        with qtbot.waitSignal(first.bridge.worker.pageDone, timeout=BATCH_TIMEOUT_MS):
            first.enqueue([str(pdf)])
    assert query(archive, "SELECT state FROM jobs") == [("interrupted",)]

    with open_window(qtbot, tmp_path, store=archive) as second:
        qtbot.waitUntil(second.resume_bar.isVisible, timeout=10_000)
        assert "interrupted" in second.resume_bar.text


def test_a_batch_the_user_cancels_is_not_offered_again(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 30, dpi=300))
    box = window.backend_box
    qtbot.waitUntil(lambda: box.findData("tesseract") >= 0, timeout=10_000)
    box.setCurrentIndex(box.findData("tesseract"))
    with qtbot.waitSignal(window.bridge.worker.pageDone, timeout=BATCH_TIMEOUT_MS):
        window.enqueue([str(pdf)])

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=5000):
        window.cancel_button.click()

    assert query(archive, "SELECT state FROM jobs") == [("cancelled",)]


# --- (b) resume and discard -------------------------------------------------------------------


def test_an_interrupted_batch_is_resumed_without_reading_its_stored_page_again(
    qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    pdf, job = interrupted_batch(tmp_path, archive)
    (created,) = query(archive, "SELECT created FROM pages WHERE page = 0")

    with open_window(qtbot, tmp_path, store=archive) as window:
        events: list[PageDone] = []
        lock = threading.Lock()

        def record(event: Event) -> None:
            if isinstance(event, PageDone):
                with lock:
                    events.append(event)

        window.bridge.engine.subscribe(record)
        qtbot.waitUntil(window.resume_bar.isVisible, timeout=10_000)
        assert "A batch of one document was interrupted on" in window.resume_bar.text

        with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
            window.resume_button.click()
        qtbot.waitUntil(lambda: settled(window), timeout=5000)

        assert not window.resume_bar.isVisible()
        with lock:
            assert sorted((e.page.index, e.restored) for e in events) == [(0, True), (1, False)]
        (entry,) = window.queue.entries
        assert (entry.path, entry.state, entry.restored) == (str(pdf), "done", {0})
        assert entry.pages[0].text == STORED_TEXT + "\n"
        assert "0815" in entry.pages[1].text
        assert "from the archive" in window.queue.queue_model.index(0, 2).data()
        window.queue.selectRow(0)
        qtbot.waitUntil(lambda: "from the archive" in window.page_label.text(), timeout=5000)
        assert window.text_pane.toPlainText() == STORED_TEXT + "\n"

    assert query(archive, "SELECT state FROM jobs WHERE id = ?", job) == [("done",)]
    assert query(archive, "SELECT created FROM pages WHERE page = 0") == [created]
    assert query(archive, "SELECT COUNT(*) FROM pages") == [(2,)]


def test_a_discarded_batch_is_marked_cancelled_and_not_offered_again(
    qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    _, job = interrupted_batch(tmp_path, archive)

    with open_window(qtbot, tmp_path, store=archive) as window:
        qtbot.waitUntil(window.resume_bar.isVisible, timeout=10_000)
        window.discard_button.click()
        assert not window.resume_bar.isVisible()
        qtbot.waitUntil(lambda: "discarded" in window.statusBar().currentMessage(), timeout=5000)
        assert window.queue.entries == []

    assert query(archive, "SELECT state FROM jobs WHERE id = ?", job) == [("cancelled",)]
    with open_window(qtbot, tmp_path, store=archive) as window:
        # the check for interrupted batches runs before the models are listed
        qtbot.waitUntil(lambda: window.backend_box.count() > 1, timeout=10_000)
        assert not window.resume_bar.isVisible()


def test_an_archive_that_cannot_be_opened_is_reported_and_the_window_works_on(
    qtbot: QtBot, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)

    with open_window(qtbot, tmp_path, store=broken) as window:
        assert window.archive_bar.isVisible()
        assert "The archive cannot be used" in window.archive_bar.text
        assert not window.search_field.isEnabled()
        read(window, qtbot, [invoice(tmp_path)])
        assert window.queue.entries[0].state == "done"


# --- (c) search -------------------------------------------------------------------------------


def test_snippets_show_their_hits_in_bold_and_the_rest_escaped() -> None:
    snippet = f"…a <tag> & {HIT_START}Fälligkeit{HIT_END}\nam {HIT_START}30{HIT_END}…"
    assert snippet_html(snippet) == "…a &lt;tag&gt; &amp; <b>Fälligkeit</b> am <b>30</b>…"


def test_search_words_are_found_as_the_archive_finds_them() -> None:
    text = "Die Fälligkeit: FALLIGKEIT am 30.10.2018; Straße, fällig"

    def found(words: str) -> list[str]:
        return [text[start:end] for start, end in find_words(text, words)]

    assert found("falligkeit") == ["Fälligkeit", "FALLIGKEIT"]
    assert found("30.10.2018") == ["30.10.2018"]
    assert found("fäll*") == ["Fäll", "FALL", "fäll"]  # inside words too, as the archive
    assert found("am stras*") == ["am", "Straß"]
    assert found("STRASSE") == ["Straße"]
    assert found("keit") == ["keit", "KEIT"]
    assert found("ll") == []  # two letters: whole words only
    assert found("01") == []  # "01" is inside "2018" but too short to be found there


def test_an_older_archive_is_indexed_for_words_inside_words_behind_the_window(
    qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    """Its pages are indexed in the control thread's short steps after the window opens."""
    schema_2_archive(archive, ["Handelsrechnung vom 30.10.", "Rechnung 7", "Lieferschein"])
    with open_window(qtbot, tmp_path, store=archive) as window:
        qtbot.waitUntil(lambda: not query(archive, PENDING), timeout=10_000)
        window.search("rechnung")
        qtbot.waitUntil(lambda: len(window.search_panel.hits) == 2, timeout=5000)
        assert [hit.page for hit in window.search_panel.hits] == [1, 0]  # whole word first


def test_a_search_lists_the_hit_and_opening_it_shows_the_page_with_the_word_marked(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    other = invoice(tmp_path, "other.png", ("Order 12 of 01.02.2019", "Amount due 99.00 EUR"))
    read(window, qtbot, [other, invoice(tmp_path)])
    window.queue.selectRow(0)

    window.search("AMOUNT")
    qtbot.waitUntil(lambda: len(window.search_panel.hits) == 2, timeout=5000)

    panel = window.search_panel
    assert window.search_dock.isVisible()
    names = {panel.table.item(row, 0).text() for row in range(2)}
    assert names == {"invoice.png", "other.png"}
    row = [panel.table.item(r, 0).text() for r in range(2)].index("invoice.png")
    assert panel.table.item(row, 1).text() == "1"
    assert "<b>amount</b>" in panel.table.item(row, 2).data(HTML_ROLE).lower()

    panel.activate(row)

    assert window.queue.selected_row() == 1
    pane = window.text_pane
    assert [pane.text[start:end] for start, end in pane.hits] == ["amount"]
    (line,) = pane.hit_lines()
    assert "amount" in window.queue.entries[1].pages[0].lines[line].text
    assert window.page_view.marked_lines == [line]


def test_a_hit_on_a_document_not_in_the_queue_opens_its_stored_pages(
    qtbot: QtBot, tmp_path: Path, archive: Path
) -> None:
    page = invoice(tmp_path)
    with open_window(qtbot, tmp_path, store=archive) as first:
        read(first, qtbot, [page])

    with open_window(qtbot, tmp_path, store=archive) as window:
        window.search("4711")
        qtbot.waitUntil(lambda: len(window.search_panel.hits) == 1, timeout=5000)
        window.search_panel.activate(0)
        qtbot.waitUntil(lambda: len(window.queue.entries) == 1, timeout=5000)

        (entry,) = window.queue.entries
        assert (entry.path, entry.state) == (str(page), "archived")
        assert window.queue.selected_row() == 0
        assert "from the archive" in window.queue.queue_model.index(0, 2).data()
        pane = window.text_pane
        assert [pane.text[start:end] for start, end in pane.hits] == ["4711"]
        assert window.page_view.marked_lines == pane.hit_lines() != []
        # the page image comes from the file, which is still there
        qtbot.waitUntil(lambda: window._preview is not None, timeout=5000)


# --- (d) export -------------------------------------------------------------------------------


def test_a_read_document_exports_as_a_searchable_pdf_and_as_hocr(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    import pypdfium2

    read(window, qtbot, [invoice(tmp_path)])
    pdf = tmp_path / "out" / "invoice.pdf"
    pdf.parent.mkdir()

    window.export_document(0, str(pdf), "pdf")
    qtbot.waitUntil(lambda: "Exported as" in window.statusBar().currentMessage(), timeout=30_000)

    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert "4711" in text and "amount" in text
    assert "Exported as searchable PDF" in window.statusBar().currentMessage()

    hocr = tmp_path / "out" / "invoice.hocr"
    window.export_document(0, str(hocr), "hocr")
    qtbot.waitUntil(
        lambda: "Exported as hOCR" in window.statusBar().currentMessage(), timeout=30_000
    )
    root = ET.parse(hocr).getroot()
    classes = [element.get("class", "") for element in root.iter()]
    assert "ocr_page" in classes and "ocr_line" in classes
    assert "4711" in "".join(root.itertext())


def test_file_export_asks_for_a_name_and_adds_the_chosen_formats_ending(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(window, qtbot, [invoice(tmp_path)])
    window.queue.selectRow(0)
    target = tmp_path / "result"

    def choose(*args: object, **kwargs: object) -> tuple[str, str]:
        return str(target), "Markdown (*.md)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    window.export_action.trigger()

    qtbot.waitUntil(lambda: "Exported as Markdown" in window.statusBar().currentMessage())
    assert str(target) + ".md" in window.statusBar().currentMessage()
    assert "4711" in (tmp_path / "result.md").read_text(encoding="utf-8")


def test_the_queue_context_menu_exports_a_finished_document(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(window, qtbot, [invoice(tmp_path)])
    target = tmp_path / "from-menu.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    rect = window.queue.visualRect(window.queue.model().index(0, 0))
    window.queue.customContextMenuRequested.emit(rect.center())
    (menu,) = window.queue.findChildren(QMenu, options=Qt.FindChildOption.FindDirectChildrenOnly)
    qtbot.waitUntil(menu.isVisible)
    export = menu.actions()[0]
    assert export.isEnabled()
    export.trigger()
    menu.close()

    qtbot.waitUntil(lambda: "Exported as JSON" in window.statusBar().currentMessage())
    assert "4711" in target.read_text(encoding="utf-8")


def test_a_failed_export_is_reported_in_words(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    read(window, qtbot, [invoice(tmp_path)])
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")

    window.export_document(0, str(blocked / "out.txt"), "txt")

    qtbot.waitUntil(lambda: window.last_error is not None, timeout=30_000)
    assert "out.txt" in window.statusBar().currentMessage()
