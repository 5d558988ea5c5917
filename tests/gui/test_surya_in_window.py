"""Surya loaded by hand in the models panel, reading a dropped page, unloaded by hand.

Surya's real worker and a real ``transformers serve`` (the tiny models of ``tiny_surya``):
the panel's states follow the worker and server the engine starts and stops.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from tiny_surya import config_file, model_servers, needs_surya, page_file
from windows import open_window

from ablage_desktop.engine import load_config
from ablage_desktop.gui.main_window import MainWindow

# Slow: every test starts Surya's worker and its model server, torch in each.
pytestmark = [needs_surya, pytest.mark.usefixtures("surya_on_one_thread"), pytest.mark.slow]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, surya_models: dict[str, Path]) -> Iterator[MainWindow]:
    config = config_file(tmp_path, surya_models)
    with open_window(qtbot, tmp_path, load_config([config])) as main:
        yield main


def test_load_surya_in_the_panel_read_a_page_and_unload_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    panel = window.models
    qtbot.waitUntil(lambda: panel.state_of("surya") == "unloaded", timeout=10_000)
    panel.select_model("surya")
    panel.load_button.click()
    qtbot.waitUntil(lambda: panel.state_of("surya") == "ready", timeout=120_000)
    assert len(model_servers()) == 1
    window.backend_box.setCurrentIndex(window.backend_box.findData("surya"))

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=120_000):
        window.enqueue([str(page_file(tmp_path))])
    qtbot.waitUntil(lambda: window.queue.entries[0].state == "done", timeout=5000)

    assert window.queue.entries[0].backends == "surya"
    panel.select_model("surya")
    panel.unload_button.click()
    qtbot.waitUntil(lambda: panel.state_of("surya") == "unloaded", timeout=60_000)
    qtbot.waitUntil(lambda: not model_servers(), timeout=15_000)
