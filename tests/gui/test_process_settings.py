"""The process-wide settings the window starts with (``prepare_process``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

from ablage_desktop.gui.application import (
    GIL_SWITCH_INTERVAL_S,
    NO_GUI_THREAD_POOL,
    prepare_process,
)


@pytest.fixture
def switch_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_the_window_draws_in_its_own_thread_and_takes_the_gil_sooner(
    monkeypatch: pytest.MonkeyPatch, switch_interval: None
) -> None:
    monkeypatch.delenv(NO_GUI_THREAD_POOL, raising=False)
    sys.setswitchinterval(0.005)

    prepare_process()

    assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_INTERVAL_S)
    assert os.environ[NO_GUI_THREAD_POOL] == "1"
