"""Inference servers in the window: shown with where the pages go, their latency and queue,
and added through Models > Add inference server (saved in the user's configuration)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from remote_server import ScriptedServer, sse
from windows import open_window

from ablage_desktop.engine import BackendStatus, ModelState, load_config
from ablage_desktop.gui.widgets.models_panel import ModelsPanel
from ablage_desktop.gui.widgets.server_dialog import ServerDialog

MODEL = "org/ocr-model"


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    running = ScriptedServer(MODEL, lambda handler, body: sse(handler, ["Hallo"], done=True))
    yield running
    running.stop()


def row_of(window_or_panel: ModelsPanel, name: str) -> int:
    names = [s.name for s in window_or_panel._statuses]
    return names.index(name) if name in names else -1


def cell(panel: ModelsPanel, name: str, column: int) -> str:
    row = row_of(panel, name)
    if row < 0:
        return ""
    item = panel.table.item(row, column)
    return item.text() if item is not None else ""


def remote_status(**changes: object) -> BackendStatus:
    values: dict[str, object] = {
        "name": "office",
        "engine": "openai_server",
        "kind": "remote",
        "device": "remote",
        "title": "OpenAI-compatible server",
        "description": "",
        "available": True,
        "reason": "",
        "state": ModelState.BUSY,
        "estimated_bytes": 0,
        "measured_bytes": None,
        "destination": "https://gpu-server.example:8000/v1",
        "in_flight": 2,
        "queued": 3,
        "page_seconds": 1.25,
        "load_seconds": 0.012,
    }
    values.update(changes)
    return BackendStatus(**values)  # type: ignore[arg-type]


def test_the_size_columns_say_what_each_holds(qtbot: QtBot) -> None:
    """An estimate with a page beside a load's measure looked 30x off without the words."""
    panel = ModelsPanel()
    qtbot.addWidget(panel)
    header = panel.table.horizontalHeaderItem
    assert header(4).text() == "Estimated" and "reading a page" in header(4).toolTip()
    assert header(5).text() == "Measured" and "before any page" in header(5).toolTip()


def test_the_panel_shows_where_pages_go_and_the_servers_latency_and_queue(qtbot: QtBot) -> None:
    panel = ModelsPanel()
    qtbot.addWidget(panel)
    panel.set_statuses([remote_status()], {})
    assert cell(panel, "office", 1) == "server: gpu-server.example"
    assert panel.table.item(0, 1).foreground().color() == ModelsPanel.OFF_MACHINE
    assert "gpu-server.example:8000" in panel.table.item(0, 1).toolTip()
    assert cell(panel, "office", 4) == "-"  # no local memory
    activity = cell(panel, "office", 6)
    assert "12 ms" in activity and "1.25 s/page" in activity and "2 running, 3 waiting" in activity
    panel.set_statuses(
        [remote_status(destination=None, state=ModelState.READY, in_flight=0, queued=0)], {}
    )
    assert cell(panel, "office", 1) == "server: this machine"
    assert panel.table.item(0, 1).foreground().color() != ModelsPanel.OFF_MACHINE


def test_a_server_that_failed_its_health_check_can_be_tried_again(qtbot: QtBot) -> None:
    panel = ModelsPanel()
    qtbot.addWidget(panel)
    failed = remote_status(
        state=ModelState.FAILED,
        available=False,
        reason="connection refused",
        error="connection refused",
    )
    panel.set_statuses([failed], {})
    panel.select_model("office")
    assert cell(panel, "office", 3) == "unavailable"
    assert panel.load_button.isEnabled()


def test_the_dialog_asks_before_pages_leave_the_machine(qtbot: QtBot) -> None:
    dialog = ServerDialog({"rapidocr"})
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.name_edit.setText("gpu")
    dialog.url_edit.setText("http://gpu-server:8000/v1")
    dialog.model_edit.setText("Qwen/Qwen2-VL-2B-Instruct")
    assert not ok.isEnabled() and "gpu-server" in dialog.problem.text()
    dialog.key_edit.setText("sk-123-secret")  # a key where its variable's name belongs
    dialog.send_box.setChecked(True)
    assert not ok.isEnabled() and "environment variable" in dialog.problem.text()
    dialog.key_edit.setText("OFFICE_KEY")
    assert ok.isEnabled()
    assert dialog.entry() == {
        "engine": "openai_server",
        "base_url": "http://gpu-server:8000/v1",
        "model": "Qwen/Qwen2-VL-2B-Instruct",
        "max_concurrency": 2,
        "api_key_env": "OFFICE_KEY",
        "send_documents": True,
    }
    dialog.name_edit.setText("rapidocr")
    assert not ok.isEnabled()


def test_a_configured_server_is_ready_in_the_window_and_one_added_there_is_saved(
    qtbot: QtBot, tmp_path: Path, server: ScriptedServer
) -> None:
    config_file = tmp_path / "config.yaml"
    config_file.write_text(
        "# my settings\nmodels:\n  office:\n    engine: openai_server\n"
        f"    base_url: {server.base_url}\n    model: {MODEL}\n",
        encoding="utf-8",
    )
    config = load_config([config_file])
    with open_window(qtbot, tmp_path, config, config_file=config_file) as window:
        panel = window.models
        # Lazy loading or not, a server is health-checked at start: ready without a click.
        qtbot.waitUntil(lambda: cell(panel, "office", 3) == "ready", timeout=10_000)
        assert cell(panel, "office", 1) == "server: this machine"
        assert "ms" in cell(panel, "office", 6)

        dialog = window.add_server()
        dialog.name_edit.setText("second")
        dialog.url_edit.setText(server.base_url)
        dialog.model_edit.setText(MODEL)
        dialog.accept()
        qtbot.waitUntil(lambda: cell(panel, "second", 3) == "ready", timeout=10_000)
        assert window.backend_box.findData("second") >= 0
        assert window.bridge.engine.config.routing.simple[0] == "second"
    saved = load_config([config_file])
    assert saved.models["second"].base_url == server.base_url  # type: ignore[attr-defined]
    assert saved.routing.complex[0] == "second"
    assert (tmp_path / "config.yaml.bak").read_text().startswith("# my settings")
