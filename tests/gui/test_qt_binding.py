"""The Qt binding itself: PySide6 6.12.0 lost a reference to True on every Signal.emit().

The window emits thousands of signals a minute (pages, memory samples, pyqtgraph redraws), so
that bug aborted the app after a few minutes ("bool_dealloc"). Checked in a child process,
because on a broken binding it kills the process.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from PySide6.QtCore import QObject, Signal
class Emitter(QObject):
    fired = Signal(int)
emitter = Emitter()
before = sys.getrefcount(True)
for n in range(20000):
    emitter.fired.emit(n)
print(before - sys.getrefcount(True))
"""


def test_emitting_signals_does_not_leak_references() -> None:
    child = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )

    assert child.returncode == 0, child.stderr[-500:]
    assert int(child.stdout.strip()) <= 1
