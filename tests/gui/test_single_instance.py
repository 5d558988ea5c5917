"""A second launch hands its files to the running window: two real processes.

The first runs the window as ``run_gui`` does; the second is the real command line,
``python -m ablage_desktop FILE``, as a file manager would start it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from samples import REPO, text_page

from ablage_desktop.gui.single_instance import InstanceServer, send_to_running, socket_name

FIRST = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from ablage_desktop.engine import load_config
from ablage_desktop.gui import application

real_create = application.create_window

def create_window(*args, **kwargs):
    app, bridge, window = real_create(*args, **kwargs)
    QTimer.singleShot(0, lambda: print("READY", flush=True))  # in the event loop: listening

    def watch():
        if window.queue.entries:
            print("QUEUED", *[Path(e.path).name for e in window.queue.entries], flush=True)
            window.close()

    timer = QTimer(window)
    timer.timeout.connect(watch)
    timer.start(100)
    return app, bridge, window

application.create_window = create_window
config_file = Path(sys.argv[1])
sys.exit(application.run_gui(load_config(), [], None, None, config_file))
"""


def environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }


def test_a_second_launch_adds_its_file_to_the_running_window(tmp_path: Path) -> None:
    env = environment(tmp_path)
    config_file = tmp_path / "config" / "ablage-desktop" / "config.yaml"
    page = tmp_path / "scan.png"
    text_page().save(page)
    first = subprocess.Popen(
        [sys.executable, "-c", FIRST, str(config_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "READY"
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "ablage_desktop", str(page)],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert time.monotonic() - started < 60  # it did not open a window of its own
        assert first.stdout.readline().split() == ["QUEUED", "scan.png"]
        assert first.wait(60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


def test_socket_names_differ_per_user_and_per_profile() -> None:
    assert socket_name("/a", user="anna") != socket_name("/a", user="bert")
    assert socket_name("/a", user="anna") != socket_name("/b", user="anna")
    assert socket_name("/a", user="anna") == socket_name("/a", user="anna")


def test_without_a_running_window_nobody_answers(qapp: QCoreApplication, tmp_path: Path) -> None:
    name = socket_name(str(tmp_path))
    assert not send_to_running(["x.png"], name)
    server = InstanceServer(name)
    try:
        assert server.listen()
        received: list[list[str]] = []
        server.pathsReceived.connect(received.append)
        assert send_to_running([str(tmp_path / "x.png")], name)
        deadline = time.monotonic() + 5
        while not received and time.monotonic() < deadline:
            qapp.processEvents()
        assert received == [[str(tmp_path / "x.png")]]
    finally:
        server.close()
