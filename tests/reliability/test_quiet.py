"""``-q`` means quiet, and a killed app leaves no noise or litter behind (issue 16, item 7).

Third-party libraries used to print past the app's logging: RapidOCR's coloured warning on
every blank page, Leptonica's "Error in pixScanForForeground" from C; after ``kill -9`` the
orphaned decoder printed BrokenPipe tracebacks and Python's resource tracker a "leaked
shared_memory" warning; SIGTERM ended the app without a word.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from cli_process import decoders_of, run_cli, start_cli
from PIL import Image
from samples import pdf_bytes, text_page

from ablage_desktop.engine.intake.decoding.segments import PREFIX, SHM_FOLDER


@pytest.mark.parametrize("backend", ["rapidocr", "auto"])
def test_quiet_means_nothing_on_stderr_for_a_blank_page(tmp_path: Path, backend: str) -> None:
    Image.new("L", (1240, 1754), 255).save(tmp_path / "blank.png")

    result = run_cli("ocr", "blank.png", "-q", "--backend", backend, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


LEPTONICA_CHILD = textwrap.dedent(
    """
    import sys
    if sys.argv[1] == "app":
        from ablage_desktop.engine import load_config
        from ablage_desktop.engine.core import EngineCore
        EngineCore(load_config()).backend("tesseract")  # loads Tesseract as a batch does
    else:
        import tesserocr  # the library alone
    from ablage_desktop.engine.backends.leptonica import loaded_library
    loaded_library().pixScanForForeground(None, None, 0, None)  # Leptonica complains in C
    """
)


def test_leptonicas_messages_from_c_are_silenced_once_tesseract_loads(tmp_path: Path) -> None:
    def stderr_of(mode: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", LEPTONICA_CHILD, mode],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True,
        ).stderr  # fmt: skip

    assert "Error in pixScanForForeground" in stderr_of("library")  # what a user used to see
    assert "Error in pixScanForForeground" not in stderr_of("app")


def test_killing_the_app_leaves_no_noise_and_no_shared_memory(tmp_path: Path) -> None:
    (tmp_path / "long.pdf").write_bytes(pdf_bytes([text_page()] * 200))
    stderr = tmp_path / "stderr.txt"
    app = start_cli("ocr", "long.pdf", "-q", "--backend", "tesseract", cwd=tmp_path, stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while not (decoders := decoders_of(psutil.Process(app.pid))):
            assert time.monotonic() < deadline, "no decoder process started"
            time.sleep(0.1)
        time.sleep(2)  # pages in flight
        app.kill()
        app.wait()
        _, alive = psutil.wait_procs(decoders, timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
    assert not alive, "the decoder outlived the app"
    noise = stderr.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in noise and "resource_tracker" not in noise, noise
    assert not list(SHM_FOLDER.glob(f"{PREFIX}{app.pid}-*"))


def test_sigterm_stops_with_a_message_and_the_batch_resumes(tmp_path: Path) -> None:
    store = tmp_path / "archive.sqlite3"
    (tmp_path / "long.pdf").write_bytes(pdf_bytes([text_page()] * 12))
    app = subprocess.Popen(
        [sys.executable, "-m", "ablage_desktop", "ocr", "long.pdf", "--backend", "tesseract",
         "--store", str(store)],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert app.stderr is not None
        for line in app.stderr:  # progress lines: stop once pages are being read
            if "long.pdf: page 2/" in line:
                break
        app.send_signal(signal.SIGTERM)
        _, rest = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()

    assert app.returncode == 143, rest
    assert "terminated; results written so far are kept" in rest
    assert "Traceback" not in rest
    resumed = run_cli("ocr", "--resume", "--store", store, "-q", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert "1 document(s) done, 0 failed, 12 page(s)" in resumed.stdout
