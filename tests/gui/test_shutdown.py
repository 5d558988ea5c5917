"""Closing the window while a model loads or a batch runs: exit 0, and no Qt thread abort.

Each case runs the real application in a child process, as a user would start it, because
what matters happens at process exit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from samples import REPO, pdf_bytes, text_page

CHILD = """
import sys, threading, time
sys.path.insert(0, {tests!r})
from PySide6.QtCore import QTimer
from fakes import FakeModel, FakeProbe
from ablage_desktop.engine import load_config
from ablage_desktop.engine.backends.base import Availability, BackendSpec, EngineOptions
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.gui.application import create_window, run_window

LOAD_S = {load_s}
probe = FakeProbe()
load_started = threading.Event()

def slow_load(name, options):
    load_started.set()
    time.sleep(LOAD_S)  # a multi-GB checkpoint coming off the disk
    return FakeModel(name, "cpu", 1 << 20, probe, "text")

app, bridge, window = create_window(load_config(), footprints=None)
spec = BackendSpec("slow", "cpu", "slow", EngineOptions,
                   lambda o: MemoryEstimate("cpu", 1 << 20, 0),
                   check=lambda o: Availability.yes(), load=slow_load)
bridge.engine.add_model("slow", spec, EngineOptions(engine="slow"))
{scenario}
sys.exit(run_window(app, bridge, window, shutdown_timeout_ms={timeout_ms}))
"""

WHILE_LOADING = """
def close_when_loading():  # once the load runs (the control thread may still be preparing)
    if load_started.is_set():
        watch.stop()
        QTimer.singleShot(300, window.close)

watch = QTimer()
watch.timeout.connect(close_when_loading)
watch.start(50)
QTimer.singleShot(100, lambda: bridge.models.load("slow"))
"""

WHILE_READING = """
bridge.worker.pageDone.connect(window.close)  # a slot of the window: runs in the GUI thread
QTimer.singleShot(100, lambda: bridge.enqueue([{pdf!r}], "tesseract"))
"""


WHILE_READING_SLOWLY = """
from fakes import ScriptedBackend, scripted_spec, sleep_hook
reader = ScriptedBackend(concurrency=2, hook=sleep_hook(0.3), name="reader")
bridge.engine.add_model("reader", scripted_spec(reader, 2), EngineOptions(engine="reader"))

def quit_when_reading():  # in the GUI thread, as the user would
    if sum(len(entry.pages) for entry in window.queue.entries) >= 2:
        watch.stop()
        window.quit_action.trigger()  # File > Quit asks; the user answers Quit
        window.close_question.button(window.close_question.StandardButton.Yes).click()

watch = QTimer()
watch.timeout.connect(quit_when_reading)
watch.start(50)
QTimer.singleShot(100, lambda: bridge.enqueue([{pdf!r}], "reader"))
"""


WHILE_READING_AND_LOADING = """
from fakes import ScriptedBackend, scripted_spec
reader = ScriptedBackend(name="reader")
bridge.engine.add_model("reader", scripted_spec(reader), EngineOptions(engine="reader"))

def load_when_read():  # a page was read (the decoder runs): now a slow load
    if any(entry.pages for entry in window.queue.entries):
        watch.stop()
        bridge.models.load("slow")
        loading.start(50)

def close_when_loading():  # once the load really runs (the control thread may be busy first)
    if load_started.is_set():
        loading.stop()
        QTimer.singleShot(300, window.close)

watch, loading = QTimer(), QTimer()
watch.timeout.connect(load_when_read)
loading.timeout.connect(close_when_loading)
watch.start(50)
QTimer.singleShot(100, lambda: bridge.enqueue([{pdf!r}], "reader"))
"""


def run_child(
    tmp_path: Path, scenario: str, load_s: float, timeout_ms: int
) -> subprocess.CompletedProcess[str]:
    script = CHILD.format(
        tests=str(REPO / "tests"), load_s=load_s, scenario=scenario, timeout_ms=timeout_ms
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )


def assert_clean_exit(child: subprocess.CompletedProcess[str]) -> None:
    assert child.returncode == 0, child.stderr
    assert "QThread: Destroyed while thread is still running" not in child.stderr
    assert "Traceback" not in child.stderr


def test_closing_while_a_model_loads_waits_for_it_and_exits_0(tmp_path: Path) -> None:
    child = run_child(tmp_path, WHILE_LOADING, load_s=2.0, timeout_ms=10_000)

    assert_clean_exit(child)


def test_closing_while_a_load_outlasts_the_wait_still_exits_0(tmp_path: Path) -> None:
    child = run_child(tmp_path, WHILE_LOADING, load_s=20.0, timeout_ms=1_000)

    assert_clean_exit(child)
    assert "still busy" in child.stderr  # the log says why it did not wait longer
    assert "leaked shared_memory" not in child.stderr  # the decoders' memory is given back


def test_closing_while_a_batch_runs_cancels_it_and_exits_0(tmp_path: Path) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 30, dpi=200))
    scenario = WHILE_READING.format(pdf=str(pdf))

    child = run_child(tmp_path, scenario, load_s=0, timeout_ms=10_000)

    assert_clean_exit(child)


@pytest.mark.parametrize("load_s", [0.0])
def test_a_child_that_just_opens_and_closes_exits_0(tmp_path: Path, load_s: float) -> None:
    child = run_child(tmp_path, "QTimer.singleShot(300, window.close)", load_s, 10_000)

    assert_clean_exit(child)


def test_quitting_while_reading_leaves_no_busy_thread_and_no_shared_memory(
    tmp_path: Path,
) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 30, dpi=72))
    scenario = WHILE_READING_SLOWLY.format(pdf=str(pdf))

    child = run_child(tmp_path, scenario, load_s=0, timeout_ms=10_000)

    assert_clean_exit(child)
    assert "still busy" not in child.stderr
    assert "leaked shared_memory" not in child.stderr


def test_a_thread_left_busy_at_exit_leaks_no_shared_memory(tmp_path: Path) -> None:
    pdf = tmp_path / "short.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 2, dpi=72))
    scenario = WHILE_READING_AND_LOADING.format(pdf=str(pdf))

    child = run_child(tmp_path, scenario, load_s=20.0, timeout_ms=1_000)

    assert_clean_exit(child)
    assert "still busy" in child.stderr
    assert "leaked shared_memory" not in child.stderr
