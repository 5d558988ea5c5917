"""The engines without the app, on the same page images: what the app is compared against.

* ``tesseract-cli``: the ``tesseract`` program, one process per page, as a shell script would
  call it (its start and model load are part of every page, as they are for such a script).
* ``rapidocr-direct``: the RapidOCR library called in this process on each image, with the
  configured model's settings, its lines joined as the library returns them.

Both get the configured model's settings (languages, page segmentation, thresholds), so the
ratio shows what the app adds or saves, not a difference of settings.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions, new_session, rapidocr_params
from ablage_desktop.engine.backends.tesseract import TesseractOptions, find_tessdata
from ablage_desktop.engine.config import AppConfig
from ablage_desktop.engine.errors import RecognitionError
from ablage_desktop.engine.intake.documents import PageImage

log = logging.getLogger(__name__)

TESSERACT_TIMEOUT_S = 300.0

T = TypeVar("T")

Recognizer = Callable[[PageImage], str]


@dataclass(frozen=True, slots=True)
class Peer:
    """A way to read pages without the app; ``open`` yields a recogniser for a while."""

    name: str
    engine: str
    """The app's engine it stands beside, for the ratio."""
    version: str
    open: Callable[[], Any]
    child_peak_rss: Callable[[], int] = lambda: 0
    """The largest resident size of a child process so far (0 for in-process peers)."""


def available_peers(config: AppConfig) -> tuple[list[Peer], dict[str, str]]:
    """The peers this machine can run, and why the others cannot."""
    peers: list[Peer] = []
    missing: dict[str, str] = {}
    tesseract_options = _first_options(config, TesseractOptions) or TesseractOptions(
        engine="tesseract"
    )
    program = shutil.which("tesseract")
    if program is None:
        missing["tesseract-cli"] = "the tesseract program is not on the PATH"
    else:
        peers.append(TesseractCli(program, tesseract_options).peer())
    try:
        import rapidocr
    except ImportError:
        missing["rapidocr-direct"] = "the rapidocr package is not installed"
    else:
        options = _first_options(config, RapidOcrOptions) or RapidOcrOptions(engine="rapidocr")
        peers.append(
            Peer(
                name="rapidocr-direct",
                engine="rapidocr",
                version=getattr(rapidocr, "__version__", ""),
                open=lambda: _rapidocr_direct(options),
            )
        )
    return peers, missing


def _first_options(config: AppConfig, kind: type[T]) -> T | None:
    for options in config.models.values():
        if isinstance(options, kind):
            return options
    return None


@contextmanager
def _rapidocr_direct(options: RapidOcrOptions) -> Iterator[Recognizer]:
    ocr = new_session(rapidocr_params(options))

    def recognize(page: PageImage) -> str:
        output = ocr(page.image)
        return "\n".join(output.txts or ())

    yield recognize


class TesseractCli:
    """``tesseract IMAGE stdout -l LANGS --psm N``, the page handed over as a PNG on stdin."""

    def __init__(self, program: str, options: TesseractOptions) -> None:
        self.program = program
        self.options = options
        self._peak_rss = 0

    def peer(self) -> Peer:
        return Peer(
            name="tesseract-cli",
            engine="tesseract",
            version=self.version(),
            open=self.session,
            child_peak_rss=lambda: self._peak_rss,
        )

    def version(self) -> str:
        try:
            done = subprocess.run(
                [self.program, "--version"], capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
        first = (done.stdout or done.stderr).splitlines()
        return first[0].removeprefix("tesseract ").strip() if first else ""

    def command(self, dpi: float | None) -> list[str]:
        command = [self.program, "stdin", "stdout", "-l", self.options.languages]
        command += ["--psm", str(self.options.page_segmentation)]
        folder, _missing = find_tessdata(self.options)
        if folder is not None and self.options.tessdata is not None:
            command += ["--tessdata-dir", str(folder)]
        if dpi:
            command += ["--dpi", str(round(dpi))]
        return command

    @contextmanager
    def session(self) -> Iterator[Recognizer]:
        self._peak_rss = 0
        yield self.recognize

    def recognize(self, page: PageImage) -> str:
        """The text of one page; the PNG is encoded before the clock starts (by the caller)."""
        buffer = io.BytesIO()
        page.image.save(buffer, format="PNG", compress_level=1)
        text, peak = run_measured(self.command(page.dpi), buffer.getvalue(), TESSERACT_TIMEOUT_S)
        self._peak_rss = max(self._peak_rss, peak)
        return text


def run_measured(command: list[str], stdin: bytes, timeout_s: float) -> tuple[str, int]:
    """The program's stdout and its own peak resident size in bytes (0 where unknown).

    The peak is the kernel's high-water mark of the program's memory (``VmHWM``), read every
    few milliseconds while it runs: ``ru_maxrss`` of a child would count this process's own
    size, which the child shares between fork and exec.
    """
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    watcher = _HighWater(process.pid)
    watcher.start()
    try:
        stdout, stderr = process.communicate(stdin, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RecognitionError(f"{command[0]} took longer than {timeout_s:.0f} s") from None
    finally:
        watcher.stop()
    if process.returncode != 0:
        reason = stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1] if reason else f"exit status {process.returncode}"
        raise RecognitionError(f"{command[0]} failed: {detail}")
    return stdout.decode("utf-8", "replace"), watcher.peak


class _HighWater(threading.Thread):
    """Follows ``/proc/PID/status`` of a running child for its peak resident size (Linux)."""

    INTERVAL_S = 0.005

    def __init__(self, pid: int) -> None:
        super().__init__(name="bench-child-memory", daemon=True)
        self._status = Path(f"/proc/{pid}/status")
        self._done = threading.Event()
        self.peak = 0

    def run(self) -> None:
        while not self._done.is_set():
            try:
                text = self._status.read_text(encoding="ascii", errors="replace")
            except OSError:  # not Linux, or the child is gone
                return
            for line in text.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)
                    break
            self._done.wait(self.INTERVAL_S)

    def stop(self) -> None:
        self._done.set()
        self.join()


def timed(recognize: Recognizer, page: PageImage) -> tuple[str, float]:
    started = time.perf_counter()
    text = recognize(page)
    return text, time.perf_counter() - started
