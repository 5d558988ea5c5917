"""``models list`` and the window's models table carry each model's notes: what more installed
would add and how to get it (Docling: its layout weights, torchvision for tables)."""

from __future__ import annotations

import io
import json

from pytestqt.qtbot import QtBot

from ablage_desktop.cli.models import write_statuses
from ablage_desktop.engine import BackendStatus
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.gui.widgets.models_panel import ModelsPanel

NOTES = (
    "layout analysis (headings, tables, reading order) needs the layout weights: run "
    "'ablage-desktop models download docling'",
    "tables need torchvision",
)


def docling_status(notes: tuple[str, ...] = NOTES) -> BackendStatus:
    return BackendStatus(
        name="docling",
        engine="docling",
        kind="cpu",
        device="cpu",
        title="Docling",
        description="layout analysis",
        available=True,
        reason="",
        state=ModelState.UNLOADED,
        estimated_bytes=600 << 20,
        measured_bytes=None,
        notes=notes,
    )


def plain_status() -> BackendStatus:
    return BackendStatus(
        "tesseract", "tesseract", "cpu", "cpu", "Tesseract", "", True, "", ModelState.READY, 1, 1
    )


def test_the_table_prints_each_note_under_its_model() -> None:
    out = io.StringIO()

    write_statuses([docling_status(), plain_status()], "auto", False, out)

    rows = out.getvalue().splitlines()
    assert rows[1].startswith("docling ")
    assert rows[2].strip() == f"note: {NOTES[0]}"
    assert rows[3].strip() == f"note: {NOTES[1]}"
    assert rows[4].startswith("tesseract ")


def test_the_json_carries_the_notes_of_every_model() -> None:
    out = io.StringIO()

    write_statuses([docling_status(), plain_status()], "auto", True, out)

    rows = json.loads(out.getvalue())
    assert [row["notes"] for row in rows] == [list(NOTES), []]


def test_the_models_panel_shows_the_notes_in_its_tooltip(qtbot: QtBot) -> None:
    panel = ModelsPanel()
    qtbot.addWidget(panel)

    panel.set_statuses([docling_status(), plain_status()], {})

    tooltip = panel.table.item(0, 0).toolTip()
    assert tooltip.splitlines() == ["layout analysis", *NOTES]
    assert "note" not in panel.table.item(1, 0).toolTip()
