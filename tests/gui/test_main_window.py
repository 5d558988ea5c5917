"""The window opens offscreen and shows every configured engine with its availability."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ablage_desktop.engine import Engine, load_config
from ablage_desktop.gui.main_window import MainWindow


def test_the_window_lists_every_engine(qtbot: QtBot) -> None:
    engine = Engine(load_config())
    window = MainWindow(engine)
    qtbot.addWidget(window)
    window.show()

    table = window.engines
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert names == list(engine.config.models)
    row = names.index("got_ocr2")
    assert table.item(row, 2).text() == "no"
    assert "not built" in table.item(row, 0).toolTip()
