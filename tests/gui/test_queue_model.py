"""The queue as a table model, and its view: rows, roles, one row announced per page, sorting."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.qtbot import QtBot

from ablage_desktop.engine import ErrorInfo, OcrDocument, OcrPage
from ablage_desktop.gui.widgets.queue_model import SORT_ROLE, QueueModel
from ablage_desktop.gui.widgets.queue_view import QueueView

TOOLTIP = Qt.ItemDataRole.ToolTipRole


def page(index: int, backend: str = "tesseract") -> OcrPage:
    return OcrPage(index, 100, 100, backend, 0.1, f"text {index}")


def texts(model: QueueModel, row: int) -> list[str]:
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_rows_are_the_documents_in_drop_order_with_their_columns() -> None:
    model = QueueModel()
    model.add_batch(1, ["/in/b.pdf", "/in/a.png"], backend="tesseract")

    assert (model.rowCount(), model.columnCount()) == (2, 4)
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert titles == ["Document", "Pages", "State", "Engine"]
    assert texts(model, 0) == ["b.pdf", "", "queued", ""]
    assert model.index(1, 0).data(TOOLTIP) == "/in/a.png"
    assert model.data(QModelIndex()) is None


def test_a_running_document_shows_pages_read_of_all_and_its_engine() -> None:
    model = QueueModel()
    model.add_batch(1, ["/in/long.pdf"])
    model.document_started(1, 0, 3)
    model.page_done(1, 0, page(0, "rapidocr"))

    assert texts(model, 0) == ["long.pdf", "1/3", "running", "rapidocr"]
    alignment = model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    assert alignment == int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 1).data(SORT_ROLE) == 3
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None


def test_a_page_update_announces_its_own_row_and_no_other(qtbot: QtBot) -> None:
    model = QueueModel()
    model.add_batch(1, ["/in/a.pdf", "/in/b.pdf", "/in/c.pdf"])
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda first, last, roles=(): changed.append(
            (first.row(), first.column(), last.row(), last.column())
        )
    )

    model.page_done(1, 1, page(0))

    assert changed == [(1, 0, 1, 3)]
    assert model.entries[1].pages[0].text == "text 0"


def test_a_failed_document_shows_one_word_and_the_reason_in_the_tooltip() -> None:
    model = QueueModel()
    model.add_batch(2, ["/in/empty.pdf"])
    failed = OcrDocument(Path("/in/empty.pdf"), error=ErrorInfo("empty", "zero bytes"))

    model.document_finished(2, 0, failed)

    assert model.index(0, 2).data() == "failed"
    assert model.index(0, 2).data(TOOLTIP).startswith("The file is empty.")
    assert model.entries[0].reason == "zero bytes"


def test_a_document_read_as_far_as_it_went_says_how_many_pages_it_has() -> None:
    model = QueueModel()
    model.add_batch(3, ["/in/cut.pdf"])
    error = ErrorInfo("incomplete", "cut.pdf ends early: 2 of its 4 pages could be recovered")
    model.document_finished(
        3, 0, OcrDocument(Path("/in/cut.pdf"), "abc", [page(0), page(1)], error)
    )

    assert model.index(0, 2).data() == "failed (2 page(s) read)"
    assert model.index(0, 2).data(TOOLTIP).startswith("The file is incomplete")
    assert sorted(model.entries[0].pages) == [0, 1]


def test_pages_from_the_archive_and_edits_are_said_in_the_state() -> None:
    model = QueueModel()
    model.add_batch(1, ["/in/a.pdf"])
    model.document_started(1, 0, 2)
    model.page_restored(1, 0, page(0))
    corrected = dataclasses.replace(page(1), corrected=True)  # corrected in the window before
    model.document_finished(1, 0, OcrDocument(Path("/in/a.pdf"), "abc", [page(0), corrected]))

    assert model.index(0, 2).data() == "done (1 from the archive) (edited)"
    assert "1 page(s) taken from the archive" in model.index(0, 2).data(TOOLTIP)
    archived = model.add_archived(OcrDocument(Path("/old/x.pdf"), "def", [page(0), page(1)]))
    assert texts(model, archived) == ["x.pdf", "2", "from the archive", "tesseract"]
    assert model.find_document("def", "/elsewhere.pdf", 1) == archived
    assert model.find_document("nothing", "/in/a.pdf") is None  # a result: found by sha256


def test_removing_rows_keeps_active_ones_and_finds_the_rest_again() -> None:
    model = QueueModel()
    model.add_batch(1, ["/in/a.pdf", "/in/b.pdf", "/in/c.pdf"])
    model.document_finished(1, 0, OcrDocument(Path("/in/a.pdf"), "a"))
    model.document_finished(1, 2, OcrDocument(Path("/in/c.pdf"), "c"))

    assert model.remove_rows([0, 1, 7])  # b is queued: it stays
    assert [Path(e.path).name for e in model.entries] == ["b.pdf", "c.pdf"]
    assert model.entry(1, 1) == (0, model.entries[0])
    assert model.entry(1, 0) is None
    assert not model.remove_rows([0])
    assert model.has_active()


def test_the_view_sorts_but_its_rows_stay_the_models(qtbot: QtBot) -> None:
    view = QueueView()
    qtbot.addWidget(view)
    view.add_batch(1, ["/in/zeta.pdf", "/in/alpha.pdf", "/in/mid.pdf"])
    shown = view.model()

    def order() -> list[str]:
        return [shown.index(row, 0).data() for row in range(shown.rowCount())]

    assert order() == ["zeta.pdf", "alpha.pdf", "mid.pdf"]  # drop order until asked
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert order() == ["alpha.pdf", "mid.pdf", "zeta.pdf"]

    with qtbot.waitSignal(view.documentSelected) as selected:
        view.selectRow(0)  # the model's row 0: zeta, shown last
    assert selected.args == [0]
    assert view.selected_row() == 0
    assert view.selectionModel().selectedRows()[0].row() == 2

    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    assert order() == ["zeta.pdf", "alpha.pdf", "mid.pdf"]


class CountingModel(QueueModel):
    """The queue model, counting the rows whose cells the view asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.rows_asked: set[int] = set()

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        self.rows_asked.add(index.row())
        return super().data(index, role)


def test_a_page_read_in_a_long_queue_does_not_measure_every_row(qtbot: QtBot) -> None:
    """The columns sized to their contents are sized by the rows in view: with Qt's default
    every page of a 500-document batch had 500 rows' cells measured (74 ms of the GUI
    thread each time)."""
    view = QueueView()
    qtbot.addWidget(view)
    model = CountingModel()
    view._sorted.setSourceModel(model)
    view.queue_model = model
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    model.add_batch(1, [f"/in/scan_{n:03d}.pdf" for n in range(500)])
    qtbot.wait(50)
    model.rows_asked.clear()

    model.document_started(1, 250, 3)
    model.page_done(1, 250, page(0))
    qtbot.wait(50)

    assert len(model.rows_asked) < 60, f"{len(model.rows_asked)} rows asked for one page"


def test_the_pages_and_state_columns_fit_their_longest_text(qtbot: QtBot) -> None:
    view = QueueView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    header = view.horizontalHeader()
    view.add_batch(1, ["/in/a.pdf"])
    view.document_started(1, 0, 120)
    for index in range(100):
        view.page_done(1, 0, page(index))
    archived = view.add_archived(OcrDocument(Path("/in/old.pdf"), "0" * 64, (page(0),)))

    assert texts(view.queue_model, 0)[1:3] == ["100/120", "running"]
    assert texts(view.queue_model, archived)[2] == "from the archive"
    for column in (1, 2):  # Qt's own measure, the one ResizeToContents used
        assert header.sectionSize(column) >= view.sizeHintForColumn(column), column
    wide_state = header.sectionSize(2)

    view.remove_rows([archived])  # a finished row goes: the columns are measured again
    for column in (1, 2):
        assert header.sectionSize(column) >= view.sizeHintForColumn(column), column
    assert header.sectionSize(2) < wide_state, "'running' is narrower than 'from the archive'"
