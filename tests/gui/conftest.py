"""Fixtures the window's widget tests share."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from ablage_desktop.gui.widgets.text_pane import TextPane


@pytest.fixture
def pane(qtbot: QtBot) -> TextPane:
    """The text pane alone, shown at a size where every test page fits."""
    pane = TextPane()
    qtbot.addWidget(pane)
    pane.resize(400, 300)
    pane.show()
    qtbot.waitExposed(pane)
    return pane
