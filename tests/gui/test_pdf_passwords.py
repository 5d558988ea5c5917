"""A locked PDF in the window: the bar offers the password, and the document is read with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from samples import encrypted_pdf_bytes
from windows import open_window

from ablage_desktop.gui.main_window import MainWindow

BATCH_TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with open_window(qtbot, tmp_path) as main:
        yield main


def test_a_locked_pdf_is_read_with_the_password_entered(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "lohn.pdf"
    locked.write_bytes(encrypted_pdf_bytes(tmp_path))
    asked: list[str] = []

    def answer(parent: object, title: str, label: str, echo: object) -> tuple[str, bool]:
        asked.append(label)
        return "secret", True

    monkeypatch.setattr("ablage_desktop.gui.pdf_passwords.QInputDialog.getText", answer)

    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.bridge.enqueue([locked], "tesseract")
    qtbot.waitUntil(lambda: window.pdf_passwords.bar.isVisible(), timeout=5000)
    assert "lohn.pdf" in window.pdf_passwords.bar.text
    with qtbot.waitSignal(window.bridge.worker.batchFinished, timeout=BATCH_TIMEOUT_MS):
        window.pdf_passwords.enter_button.click()

    assert asked and "lohn.pdf" in asked[0]
    assert not window.pdf_passwords.bar.isVisible()

    def read_again() -> bool:
        return [e.state for e in window.queue.entries] == ["done"]

    qtbot.waitUntil(read_again, timeout=5000)  # the failed row gave way to the new reading
    (entry,) = window.queue.entries
    assert entry.result is not None and "Invoice 4711" in entry.result.pages[0].text
