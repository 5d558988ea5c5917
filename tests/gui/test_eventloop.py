"""Scripts wait for the window with run_until: it returns when the thing happens, or gives up."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from ablage_desktop.gui.eventloop import run_until


def test_it_returns_once_the_event_has_happened(qtbot: QtBot) -> None:
    happened: list[bool] = []
    QTimer.singleShot(30, lambda: happened.append(True))
    assert run_until(lambda: bool(happened), timeout_s=10)


def test_it_gives_up_after_the_timeout(qtbot: QtBot) -> None:
    assert not run_until(lambda: False, timeout_s=0.2)
