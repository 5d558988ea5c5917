"""Surya's side of the Surya engine: a process in Surya's own environment (``.venv-surya``).

Not imported by the app: the app runs this file by its path with that environment's Python
(its pins clash with the app's, see docs/notes/SURYA.md), and talks to it in JSON lines, one
request on stdin, one answer on stdout. It uses Surya's own code: the text detector
(EfficientViT) in this process, the recognition model (a vision-language model) through the
OpenAI-compatible server named by ``SURYA_INFERENCE_URL``. When the app asks, this process
starts that server itself and is its parent: a server never outlives the worker (it is
stopped when the worker stops or its stdin closes, and killed by the kernel when the worker
dies), and the worker ends when the app does (its stdin closes).

Requests: ``start`` (the server's command, if any; load the detector; attach to the server),
``read`` (one page image: Surya's blocks in reading order, their lines, the detected lines),
``stop``. Only the standard library, Pillow, bs4 and Surya are imported here.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

PR_SET_PDEATHSIG = 1
POLL_S = 0.2
"""How often a page's wait looks whether the server still runs (the answer ends it at once)."""
HEALTH_POLL_S = 0.05
"""How often a starting server is asked whether it is up: a refused connection costs next to
nothing, and each start waits half a poll on average after the server is ready."""
STOP_WAIT_S = 10.0
LOG_TAIL = 1500
"""Characters of the server's log quoted when it fails to start or stops."""


class WorkerError(Exception):
    """A request that failed; ``server_exit`` is the server's exit status where it ended."""

    def __init__(self, message: str, server_exit: int | None = None) -> None:
        super().__init__(message)
        self.server_exit = server_exit


def _die_with_parent() -> None:
    """In the server's child process: the kernel sends SIGTERM when the worker dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class ModelServer:
    """The recognition server this worker started (its own process group)."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: str) -> None:
        self.log_path = Path(log_path)
        self._log = self.log_path.open("ab")  # closed in stop()
        self.process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )

    def exited(self) -> int | None:
        return self.process.poll()

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:]
        except OSError:
            return ""

    def wait_healthy(self, health_url: str, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            code = self.exited()
            if code is not None:
                raise WorkerError(
                    f"the model server exited with status {code} while starting: {self.log_tail()}",
                    code,
                )
            try:
                with urllib.request.urlopen(health_url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(HEALTH_POLL_S)
        raise WorkerError(
            f"the model server did not answer at {health_url} within {timeout_s:.0f} s: "
            f"{self.log_tail()}"
        )

    def stop(self) -> None:
        """SIGTERM to the server's whole group (it has processes of its own), then SIGKILL to
        whatever of it is still there after a while; returns once the group is gone."""
        group = self.process.pid
        _signal_group(group, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT_S
        while _group_alive(group, self.process) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _group_alive(group, self.process):
            _signal_group(group, signal.SIGKILL)
            self.process.wait(timeout=STOP_WAIT_S)
            deadline = time.monotonic() + STOP_WAIT_S
            while _group_alive(group, self.process) and time.monotonic() < deadline:
                time.sleep(0.05)
        self._log.close()


def _group_alive(group: int, leader: subprocess.Popen[bytes]) -> bool:
    leader.poll()  # reaps the leader once it ended
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


class CountingManager:
    """Surya's inference manager, counting the requests that failed: Surya turns a failed
    request into an empty block, and a page whose every request failed must be an error."""

    def __init__(self, manager: Any) -> None:
        self._manager = manager
        self.requests = 0
        self.failed = 0

    def generate(self, batch: list[Any]) -> list[Any]:
        outputs = self._manager.generate(batch)
        self.requests += len(outputs)
        self.failed += sum(1 for output in outputs if output.error)
        return outputs

    def capacity(self) -> int:
        return int(self._manager.capacity())

    def start(self) -> None:
        self._manager.start()


class Worker:
    def __init__(self) -> None:
        self.server: ModelServer | None = None
        self.detector: Any = None
        self.manager: CountingManager | None = None
        self.pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="surya-read")

    def start(self, request: dict[str, Any]) -> dict[str, Any]:
        server = request.get("server")
        if server:
            # Started first, waited for last: the server loads the recognition model while this
            # process imports Surya and loads the detector (on two cores about 30 % of the
            # tiny test models' load; a failed server is still reported with its log).
            self.server = ModelServer(server["argv"], server.get("env", {}), server["log"])
        from surya.detection import DetectionPredictor
        from surya.inference import SuryaInferenceManager

        # .local(): the detector in this process (plain DetectionPredictor() would spawn a
        # detection server of Surya's own that outlives us).
        self.detector = DetectionPredictor.local(request.get("detector"))
        if self.server is not None:
            self.server.wait_healthy(server["health_url"], float(server["timeout_s"]))
        self.manager = CountingManager(SuryaInferenceManager(method="llamacpp"))
        self.manager.start()  # attaches: /health, then the model id the server reports
        return {"server_pid": self.server.process.pid if self.server else None}

    def read(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.manager is None or self.detector is None:
            raise WorkerError("not started")
        future = self.pool.submit(self._read, request["image"])
        while True:
            try:
                return future.result(timeout=POLL_S)
            except concurrent.futures.TimeoutError:
                code = self.server.exited() if self.server is not None else None
                if code is not None:
                    raise WorkerError(
                        f"the model server stopped with status {code} during the page: "
                        f"{self.server.log_tail() if self.server else ''}",
                        code,
                    ) from None

    def _read(self, image_path: str) -> dict[str, Any]:
        from PIL import Image
        from surya.recognition import RecognitionPredictor

        assert self.manager is not None
        with Image.open(image_path) as opened:
            image = opened.convert("RGB")
        detected = self.detector([image])[0]
        lines = [_box(box.polygon) for box in detected.bboxes]
        before = (self.manager.requests, self.manager.failed)
        predictor = RecognitionPredictor(self.manager)
        predictor.disable_tqdm = True
        page = predictor([image], full_page=True)[0]
        blocks = _blocks(page.blocks)
        how = "full page"
        if not any(block["lines"] for block in blocks) and lines:
            # The full-page answer has no text where the detector sees lines: read the
            # detected lines one by one (Surya's block mode on the detector's boxes).
            page = predictor([image], [_line_layout(detected)], full_page=False)[0]
            blocks = _blocks(page.blocks)
            how = "detected lines"
        requests = self.manager.requests - before[0]
        failed = self.manager.failed - before[1]
        if requests and failed == requests:
            raise WorkerError(f"every request to the model server failed ({failed})")
        return {"blocks": blocks, "detected": lines, "how": how, "requests": requests}

    def stop(self, request: dict[str, Any]) -> dict[str, Any]:
        self.close()
        return {}

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self.server is not None:
            self.server.stop()
            self.server = None


def _box(polygon: list[list[float]]) -> list[float]:
    xs = [point[0] for point in polygon]
    ys = [point[1] for point in polygon]
    return [min(xs), min(ys), max(xs), max(ys)]


def _line_layout(detected: Any) -> Any:
    from surya.layout.schema import LayoutBox, LayoutResult

    boxes = [
        LayoutBox(polygon=box.polygon, label="Text", raw_label="Text", position=index)
        for index, box in enumerate(detected.bboxes)
    ]
    return LayoutResult(bboxes=boxes, image_bbox=detected.image_bbox)


def _blocks(blocks: list[Any]) -> list[dict[str, Any]]:
    """Surya's blocks in reading order: label, box, confidence and the text's lines."""
    found = []
    for block in sorted(blocks, key=lambda block: block.reading_order):
        if block.skipped or block.error:
            continue
        found.append(
            {
                "label": block.label,
                "box": _box(block.polygon),
                "confidence": float(block.confidence or 0.0),
                "lines": _text_lines(block.html),
            }
        )
    return found


def _text_lines(html: str) -> list[str]:
    """The block's HTML as lines of plain text (paragraphs, line breaks, list items, cells)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html or "", "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(["p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div"]):
        tag.insert_after("\n")
    for cell in soup.find_all(["td", "th"]):
        cell.insert_after(" ")
    text = "".join(char for char in soup.get_text() if char in "\n\t" or char.isprintable())
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def main() -> int:
    # This file lies beside the app's own ``surya.py``: its folder must not hide Surya.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    # Ctrl-C in a terminal reaches the whole process group: the app decides what it means
    # (a batch left resumable) and stops this worker itself, as it does its decoder.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = sys.stdout
    sys.stdout = sys.stderr  # Surya's and torch's prints must not reach the answer channel
    worker = Worker()
    handlers = {"start": worker.start, "read": worker.read, "stop": worker.stop}
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            started = time.perf_counter()
            request = json.loads(line)
            op = request.get("op", "")
            try:
                answer: dict[str, Any] = {"ok": True, **handlers[op](request)}
            except WorkerError as exc:
                answer = {"ok": False, "error": str(exc), "server_exit": exc.server_exit}
            except Exception as exc:  # reported in words, the worker goes on
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            answer["seconds"] = round(time.perf_counter() - started, 4)
            answers.write(json.dumps(answer) + "\n")
            answers.flush()
            if op == "stop":
                break
    finally:
        worker.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
