"""The real command line in a child process, as a user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

TIMEOUT_S = 180


def run_cli(
    *args: str | Path,
    cwd: Path,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "ablage_desktop", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env={**os.environ, **(env or {})},
        check=False,
    )


def start_cli(*args: str | Path, cwd: Path, stderr: Path | None = None) -> subprocess.Popen[str]:
    """The command running in the background; its stderr into ``stderr`` (a file) if given,
    so that whatever its children print after it is gone is kept too. It takes Ctrl-C as a
    terminal delivers it even where the tests run with SIGINT ignored (started in the
    background, ``make test &``): Python keeps an ignored SIGINT ignored in a child."""
    return subprocess.Popen(
        [sys.executable, "-m", "ablage_desktop", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL if stderr is None else stderr.open("w"),
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def decoders_of(process: psutil.Process) -> list[psutil.Process]:
    """The app's decoder processes; a child that ends while it is looked at is none of them
    (a short-lived child not reaped yet is a zombie without a command line)."""
    decoders = []
    for child in process.children():
        try:
            command = " ".join(child.cmdline())
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
        if "spawn_main" in command:
            decoders.append(child)
    return decoders
