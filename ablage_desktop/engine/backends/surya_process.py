"""The app's side of Surya's worker process: start it, ask it, measure it, stop it.

The worker (``surya_worker.py``) runs with the Python of Surya's own environment and answers
one JSON line per request. Its answers are read by a thread of their own, so that a question
can wait with a timeout and a worker that died is noticed at once (its stdout closes).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WORKER_SCRIPT = Path(__file__).with_name("surya_worker.py")
STOP_TIMEOUT_S = 20.0
LOG_TAIL = 1500


class WorkerFailed(Exception):
    """The worker answered with an error; ``server_exit`` where its model server ended."""

    def __init__(self, message: str, server_exit: int | None = None) -> None:
        super().__init__(message)
        self.server_exit = server_exit


class WorkerGone(Exception):
    """The worker process ended, or did not answer in time (it is then stopped)."""


class WorkerCancelled(Exception):
    """The caller cancelled while the worker was reading: the worker was stopped (a page
    cannot be taken back from Surya's server any other way)."""


CANCEL_POLL_S = 0.2


class SuryaProcess:
    """One worker process, asked one question at a time."""

    def __init__(self, python: Path, env: dict[str, str], folder: Path) -> None:
        self.folder = folder
        self._stderr_path = folder / "worker.log"
        self._stderr = self._stderr_path.open("wb")
        self._process = subprocess.Popen(
            # -P: the script's folder is not put on sys.path, where the app's own
            # ``surya.py`` would hide Surya's package.
            [str(python), "-P", str(WORKER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            cwd=folder,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._answers: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self.server_pid: int | None = None
        reader = threading.Thread(
            target=self._read_answers, name="ablage-surya-answers", daemon=True
        )
        reader.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def _read_answers(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        for line in stdout:
            self._answers.put(line)
        self._answers.put(None)

    def ask(
        self,
        request: dict[str, Any],
        timeout_s: float,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> dict[str, Any]:
        """The worker's answer to ``request``; raises ``WorkerFailed`` for an error it
        reports, ``WorkerGone`` when it ended or took longer than ``timeout_s``,
        ``WorkerCancelled`` (the worker killed) once ``cancelled`` says so."""
        with self._lock:
            try:
                stdin = self._process.stdin
                assert stdin is not None
                stdin.write(json.dumps(request) + "\n")
                stdin.flush()
            except (BrokenPipeError, OSError, ValueError) as exc:
                raise WorkerGone(self._ended(f"could not be asked ({exc})")) from None
            line = self._answer(timeout_s, cancelled)
        if line is None:
            raise WorkerGone(self._ended("ended"))
        answer: dict[str, Any] = json.loads(line)
        if not answer.get("ok"):
            raise WorkerFailed(str(answer.get("error", "unknown error")), answer.get("server_exit"))
        return answer

    def _answer(self, timeout_s: float, cancelled: Callable[[], bool]) -> str | None:
        deadline = time.monotonic() + timeout_s
        while True:
            if cancelled():
                self.kill()
                raise WorkerCancelled()
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerGone(f"Surya's worker did not answer within {timeout_s:.0f} s")
            try:
                return self._answers.get(timeout=min(left, CANCEL_POLL_S))
            except queue.Empty:
                continue

    def _ended(self, what: str) -> str:
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        return f"Surya's worker {what} (exit status {code}): {self.stderr_tail()}"

    def stderr_tail(self) -> str:
        try:
            text = self._stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return text[-LOG_TAIL:].strip()

    def memory(self) -> int:
        """Resident bytes of the worker and every process it started (its model server)."""
        import psutil

        try:
            root = psutil.Process(self._process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        return total

    def stop(self) -> None:
        """Ask the worker to stop its server and end; kill what is left after a while."""
        if self._process.poll() is None:
            try:
                self.ask({"op": "stop"}, STOP_TIMEOUT_S)
                self.server_pid = None  # stopped by the worker: its group id may be reused
            except (WorkerFailed, WorkerGone) as exc:
                log.info("Surya's worker did not stop cleanly: %s", exc)
        self.kill()

    def kill(self) -> None:
        """End the worker and its server for certain (the server has a process group)."""
        if self.server_pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.server_pid, signal.SIGKILL)
        if self._process.poll() is None:
            self._process.kill()
        try:
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            log.warning("Surya's worker %d did not end after SIGKILL", self._process.pid)
        self.server_pid = None
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        self._stderr.close()
