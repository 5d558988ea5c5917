"""A frame read on every page of the document (``gui/frame_pages.py``), in the real window with
the real Tesseract."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from samples import pdf_bytes, text_page
from shiboken6 import isValid
from test_area_actions import frame_row
from test_main_window import BATCH_TIMEOUT_MS, choose_backend
from windows import open_window

from ablage_desktop.engine import (
    CancelToken,
    Engine,
    OcrDocument,
    OcrLine,
    OcrPage,
    OcrRequest,
    PageArea,
    PageSelection,
    load_config,
)
from ablage_desktop.gui.frame_pages import (
    PAGES_A_REQUEST,
    FramePagesDialog,
    PageField,
    read_every_page,
)
from ablage_desktop.gui.main_window import MainWindow

TOTALS = ("123.45", "99.00", "7.50")


def form(total: str) -> Image.Image:
    return text_page(("Invoice 4711 of 30.10.2018", f"Total amount {total} EUR"))


@contextmanager
def pile_read(qtbot: QtBot, tmp_path: Path, totals: Sequence[str]) -> Iterator[MainWindow]:
    """A form a total scanned into one PDF, read by Tesseract, its first page shown with the
    total's row framed."""
    scan = tmp_path / "stapel.pdf"
    scan.write_bytes(pdf_bytes([form(total) for total in totals], dpi=300))
    with files_read(qtbot, tmp_path, [scan]) as window:
        yield window


@contextmanager
def files_read(qtbot: QtBot, tmp_path: Path, files: Sequence[Path]) -> Iterator[MainWindow]:
    """``files`` read by Tesseract, the first one's first page shown with the total's row
    framed."""
    with open_window(qtbot, tmp_path) as window:
        choose_backend(window, qtbot, "tesseract")
        with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
            window.enqueue([str(path) for path in files])
        qtbot.waitUntil(
            lambda: all(entry.result is not None for entry in window.queue.entries), timeout=10_000
        )
        window.queue.selectRow(0)
        qtbot.waitUntil(lambda: window.navigation.readable() is not None, timeout=10_000)
        qtbot.waitUntil(lambda: window.navigation.preview is not None, timeout=10_000)
        qtbot.waitUntil(lambda: window.page_view.box_count >= 2, timeout=10_000)
        frame_row(window, "Total")
        yield window


def test_the_total_framed_on_one_form_is_read_on_every_page_into_a_table(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Three forms scanned into one PDF: the total framed on the first is read on each, shown
    a row a page, copied as tab-separated rows and saved as CSV; nothing of it goes into the
    queue's reading."""
    with pile_read(qtbot, tmp_path, TOTALS) as window:
        before = window.queue.entries[0].result
        menu = window.area_actions.show_menu(QPoint(5, 5))
        (every,) = [a for a in menu.actions() if a.text().startswith("Read the frame on &every")]
        assert every.isEnabled()

        every.trigger()
        menu.close()
        dialog = window.frame_pages.dialog
        assert dialog is not None
        qtbot.waitUntil(
            lambda: "Read the frame on 3 of 3 pages" in dialog.status.text(), timeout=60_000
        )

        assert dialog.rows() == [
            ("stapel.pdf", n, f"Total amount {t} EUR") for n, t in enumerate(TOTALS, 1)
        ]
        assert dialog.table.rowCount() == 3
        dialog.copy()
        assert QApplication.clipboard().text().splitlines()[1:] == [
            f"stapel.pdf\t{n}\tTotal amount {t} EUR" for n, t in enumerate(TOTALS, 1)
        ]
        target = tmp_path / "out" / "summen.csv"
        dialog.save(target)
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
        assert rows[0] == ["document", "page", "text"]
        assert [row[1:] for row in rows[1:]] == [
            [str(n), f"Total amount {t} EUR"] for n, t in enumerate(TOTALS, 1)
        ]
        assert window.queue.entries[0].result is before  # the reading stays as it was
        assert not window.queue.entries[0].edited
        dialog.close()


def test_the_pages_are_read_a_few_at_a_time_in_order_and_a_cancel_stops_before_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six forms in one PDF: two requests (four pages, then two), every page a row in order;
    a second reading cancelled as its first row comes gives the rows of the pages read with
    it and asks for no more. (A cancel during a request: the window's test below.)"""
    totals = [f"{n}.00" for n in range(PAGES_A_REQUEST + 2)]
    scan = tmp_path / "stapel.pdf"
    scan.write_bytes(pdf_bytes([form(total) for total in totals], dpi=300))
    area = PageArea(0, 0, 100, 100, unit="%")
    requests: list[OcrRequest] = []
    engine = Engine(load_config([]), footprints=tmp_path / "footprints.json")
    ocr = engine.ocr

    def counted(request: OcrRequest, cancel: CancelToken | None = None) -> Iterator[OcrDocument]:
        requests.append(request)
        return ocr(request, cancel)

    monkeypatch.setattr(engine, "ocr", counted)
    try:
        every = list(read_every_page(engine, [(scan, 6)], area, "tesseract", None, CancelToken()))
        cancel = CancelToken()
        stopped = []
        for field in read_every_page(engine, [(scan, 6)], area, "tesseract", None, cancel):
            stopped.append(field)
            cancel.cancel()
    finally:
        engine.close()

    assert [(field.index, field.failure) for field in every] == [(n, "") for n in range(6)]
    texts = [field.page.text if field.page else "" for field in every]
    assert all(
        f"Total amount {total} EUR" in text for total, text in zip(totals, texts, strict=True)
    )
    # pages 1-4 and 5-6, then the cancelled reading's first four only
    assert [request.pages for request in requests] == [
        PageSelection(((1, 4),)),
        PageSelection(((5, 6),)),
        PageSelection(((1, 4),)),
    ]
    assert [(field.index, field.failure) for field in stopped] == [
        (n, "") for n in range(PAGES_A_REQUEST)
    ]


def test_closing_the_table_stops_the_reading_and_it_goes_once_its_last_page_came(
    qtbot: QtBot, tmp_path: Path
) -> None:
    totals = [f"{n}.00" for n in range(4)]
    with pile_read(qtbot, tmp_path, totals) as window:
        area = window.page_view.area
        assert area is not None

        dialog = window.frame_pages.in_document(area)
        assert dialog is not None and dialog.task is not None
        seen: list[int] = []
        dialog.task.yielded.connect(lambda field: seen.append(field.index))
        with qtbot.waitSignal(dialog.task.finished, timeout=60_000):
            dialog.close()
        qtbot.waitUntil(lambda: not isValid(dialog), timeout=5000)

        assert len(seen) < len(totals)  # stopped before the last page


def test_the_frame_is_read_on_every_document_of_the_queue_into_one_table(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A form a file (the usual scan): every document read in the queue gives its row, and
    the CSV is one table, its header once."""
    files = []
    for number, total in enumerate(TOTALS, 1):
        path = tmp_path / f"rechnung-{number}.png"
        form(total).save(path, dpi=(300, 300))
        files.append(path)
    with files_read(qtbot, tmp_path, files) as window:
        area = window.page_view.area
        assert area is not None

        dialog = window.frame_pages.in_queue(area)
        assert dialog is not None
        qtbot.waitUntil(
            lambda: "Read the frame on 3 of 3 pages" in dialog.status.text(), timeout=60_000
        )

        assert dialog.rows() == [
            (path.name, 1, f"Total amount {t} EUR") for path, t in zip(files, TOTALS, strict=True)
        ]
        target = tmp_path / "summen.csv"
        dialog.save(target)
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
        assert rows == [
            ["document", "page", "text"],
            *(
                [str(path), "1", f"Total amount {t} EUR"]
                for path, t in zip(files, TOTALS, strict=True)
            ),
        ]
        cell = dialog.table.visualItemRect(dialog.table.item(2, 2)).center()
        for click in (QTest.mouseClick, QTest.mouseDClick):  # as a hand double-clicks
            click(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
        assert window.navigation.row == 2  # the third document's page shown, to check it
        dialog.close()


def test_a_value_the_engine_was_unsure_of_stands_out_in_the_table(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Shaded in its box's colour, with how sure the engine was; a sure value is not."""
    dialog = FramePagesDialog(None, [(tmp_path / "stapel.pdf", 2)], "tesseract", tmp_path)
    qtbot.addWidget(dialog)

    def field(index: int, confidence: float) -> PageField:
        line = OcrLine("RE-2018-4711", confidence, (10, 10, 300, 40))
        page = OcrPage(index, 400, 100, "tesseract", 0.1, line.text, (line,))
        return PageField(tmp_path / "stapel.pdf", index, page)

    dialog.add(field(0, 0.42))
    dialog.add(field(1, 0.97))

    unsure, sure = dialog.table.item(0, 2), dialog.table.item(1, 2)
    assert unsure.background().color().alpha() > 0
    assert "42% sure" in unsure.toolTip()
    assert sure.background().style() == Qt.BrushStyle.NoBrush
    assert "97% sure" in sure.toolTip()
