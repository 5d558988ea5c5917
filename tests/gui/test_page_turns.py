"""A page read again turned as the person says (``gui/page_turns.py``), in the real window with
the real Tesseract."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot
from samples import text_page
from test_main_window import BATCH_TIMEOUT_MS, choose_backend
from windows import open_window

from ablage_desktop.engine import load_config
from ablage_desktop.engine.archive.store import Store

ROWS = ("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")


def test_a_page_left_on_its_side_is_read_again_turned_and_kept(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the orientation step off (as where it is unsure), a page lying on its side reads
    as nonsense; turned from the page's menu it reads, and takes the page's place."""
    off = tmp_path / "no-orientation.yaml"
    off.write_text("preprocessing:\n  orientation:\n    enabled: false\n", encoding="utf-8")
    page = tmp_path / "sideways.png"
    text_page(ROWS).rotate(90, expand=True).save(page, dpi=(300, 300))
    archive = tmp_path / "archive.sqlite3"
    with open_window(qtbot, tmp_path, config=load_config([off]), store=archive) as window:
        choose_backend(window, qtbot, "tesseract")
        with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
            window.enqueue([str(page)])
        window.queue.selectRow(0)
        qtbot.waitUntil(lambda: window.navigation.readable() is not None, timeout=5000)
        assert "Total amount" not in window.text_pane.toPlainText()

        menu = window.area_actions.show_menu(QPoint(5, 5))
        (turn,) = [
            a.menu() for a in menu.actions() if a.text() == "&Turn the page and read it again"
        ]
        assert turn.isEnabled()
        assert [a.text() for a in turn.actions()] == [
            "90° &clockwise", "&180°", "90° c&ounter-clockwise"
        ]  # fmt: skip
        turn.actions()[0].trigger()
        menu.close()
        qtbot.waitUntil(
            lambda: "Read the page again," in window.statusBar().currentMessage(), timeout=60_000
        )
        message = window.statusBar().currentMessage()
        assert message.startswith("Read the page again, turned 90° clockwise: 2 line")

        assert "Total amount 123.45 EUR" in window.text_pane.toPlainText()
        entry = window.queue.entries[0]
        assert entry.edited and entry.result is not None
        assert entry.result.pages[0].text.startswith("Invoice 4711 of 30.10.2018")
        assert window.page_view.box_count == 2  # its lines on the page as it lies
        assert window.page_view.turns == 3  # and shown upright
        sha256 = entry.result.sha256

        # A turn chosen now is from the page as shown: 180° of it is 90° the other way of
        # the scan (the engine's reading stood in for by the page as it is).
        asked: list[int] = []
        shown = window.navigation.current_page()
        monkeypatch.setattr(
            window.bridge.engine,
            "read_turned",
            lambda path, index, turns, *rest: asked.append(turns) or shown,
        )
        window.page_turns.read_turned(2)
        qtbot.waitUntil(lambda: "turned 180°:" in window.statusBar().currentMessage())
        assert asked == [1]
    assert sha256 is not None
    store = Store(archive)
    try:  # kept as a correction is
        assert "Total amount" in store.pages(sha256, "tesseract")[0].text
    finally:
        store.close()
