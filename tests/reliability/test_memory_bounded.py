"""Memory bounded by design: a 300-page document peaks at about the memory of a 10-page one.

Row 3 of the reliability matrix. Each run is a fresh process (``benchmarks/peak_memory.py``):
the real engine, decoder process, page pipeline and archive on a generated TIFF or PDF, with
peak RSS taken from the kernel (``ru_maxrss``) for the app and for its decoder process.
The default run uses a cheap recognizer and A4 pages at 100 dpi (about 1 MB each decoded, so
300 pages held would show as 300 MB); ``ABLAGE_FULL_SIZE=1`` adds Tesseract at 300 dpi.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "peak_memory.py"
MAX_RATIO = 1.5
FULL_SIZE = os.environ.get("ABLAGE_FULL_SIZE") == "1"


def peak(kind: str, pages: int, dpi: int, backend: str) -> dict[str, int]:
    child = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--kind",
            kind,
            "--pages",
            str(pages),
            "--dpi",
            str(dpi),
            "--backend",
            backend,
        ],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.returncode == 0, child.stderr
    figures = json.loads(child.stdout.splitlines()[-1])
    assert figures["pages"] == pages and not figures["errors"], figures
    return figures


def assert_bounded(kind: str, dpi: int, backend: str) -> None:
    small = peak(kind, 10, dpi, backend)
    large = peak(kind, 300, dpi, backend)

    held = 290 * small["page_bytes"]  # what keeping the extra pages' images would cost
    assert held > small["app_peak"]  # so a leak of decoded pages could not hide in the ratio
    for key in ("app_peak", "decoder_peak"):
        assert large[key] / small[key] < MAX_RATIO, (key, small, large)
    total = (large["app_peak"] + large["decoder_peak"]) / (
        small["app_peak"] + small["decoder_peak"]
    )
    assert total < MAX_RATIO, (small, large)


@pytest.mark.parametrize("kind", ["tiff", "pdf"])
def test_300_pages_peak_at_the_memory_of_10(kind: str) -> None:
    assert_bounded(kind, dpi=100, backend="ink")


@pytest.mark.slow
@pytest.mark.skipif(not FULL_SIZE, reason="full size (Tesseract, 300 dpi): ABLAGE_FULL_SIZE=1")
@pytest.mark.parametrize("kind", ["tiff", "pdf"])
def test_300_pages_peak_at_the_memory_of_10_with_tesseract_at_300_dpi(kind: str) -> None:
    assert_bounded(kind, dpi=300, backend="tesseract")
