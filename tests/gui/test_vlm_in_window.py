"""A vision-language model loaded by hand in the models panel, then reading a dropped page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from samples import text_page
from windows import open_window

pytest.importorskip("torch")

from tiny_models import build_qwen2_vl

from ablage_desktop.engine import load_config
from ablage_desktop.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    folder = build_qwen2_vl(tmp_path / "qwen")
    config = tmp_path / "config.yaml"
    config.write_text(
        f"models:\n  qwen2_vl: {{source: {folder}, quantization: fp32, max_new_tokens: 6}}\n",
        encoding="utf-8",
    )
    with open_window(qtbot, tmp_path, load_config([config])) as main:
        yield main


def test_load_a_vlm_in_the_panel_then_read_a_page_with_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    panel = window.models
    qtbot.waitUntil(lambda: panel.state_of("qwen2_vl") == "unloaded", timeout=10_000)
    panel.select_model("qwen2_vl")
    panel.load_button.click()
    qtbot.waitUntil(lambda: panel.state_of("qwen2_vl") == "ready", timeout=60_000)
    image = tmp_path / "page.png"
    text_page().save(image)
    window.backend_box.setCurrentIndex(window.backend_box.findData("qwen2_vl"))

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=120_000):
        window.enqueue([str(image)])
    qtbot.waitUntil(lambda: window.queue.entries[0].state == "done", timeout=5000)

    assert window.queue.entries[0].backends == "qwen2_vl"
    panel.select_model("qwen2_vl")
    panel.unload_button.click()
    qtbot.waitUntil(lambda: panel.state_of("qwen2_vl") == "unloaded", timeout=30_000)
