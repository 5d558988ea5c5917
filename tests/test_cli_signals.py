"""``kill -USR1`` on a command whose threads are busy: their stacks are written and the command
goes on (faulthandler's own handler, walking frames that running threads push and pop, crashed
a watching command with SIGSEGV)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Threads recursing deep enough that their frames cross the interpreter's stack chunks, which
# are freed as they return: the memory a handler walking them unguarded would read.
BUSY_COMMAND = """
import sys, threading, time
from ablage_desktop.cli.signals import stop_on_signals

def busy(until):
    def down(n):
        return 0 if n == 0 else down(n - 1) + 1
    while time.monotonic() < until:
        down(900)

with stop_on_signals():
    until = time.monotonic() + float(sys.argv[1])
    threads = [threading.Thread(target=busy, args=(until,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    print("ready", flush=True)
    for thread in threads:
        thread.join()
print("done", flush=True)
"""


def test_many_stack_dumps_while_threads_run_leave_the_command_running(tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    with log.open("w") as stderr:
        command = subprocess.Popen(
            [sys.executable, "-c", BUSY_COMMAND, "2"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            assert command.stdout is not None
            assert command.stdout.readline() == "ready\n"
            for _ in range(150):
                command.send_signal(signal.SIGUSR1)
                time.sleep(0.005)
            out, _ = command.communicate(timeout=60)
        finally:
            if command.poll() is None:
                command.kill()
    assert command.returncode == 0, f"ended by signal {-command.returncode}"
    assert out == "done\n"
    stacks = log.read_text(encoding="utf-8")
    assert stacks.count("most recent call first") >= 2
    assert "in down" in stacks
