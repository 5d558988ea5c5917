"""Soak: a long batch through the real CLI keeps its memory flat.

Row 3 of the reliability matrix (with ``test_memory_bounded``). ``benchmarks/soak.py`` runs
generated documents through ``ablage-desktop ocr`` with Tesseract and reads the RSS of the CLI
and its decoder process as documents finish. The default run is small (18 documents, a sample
every 3); ``ABLAGE_FULL_SIZE=1`` runs the issue's 500 documents with a sample every 25.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "soak.py"
MAX_SPREAD = 100_000_000
FULL_SIZE = os.environ.get("ABLAGE_FULL_SIZE") == "1"


def run_soak(tmp_path: Path, documents: int, every: int) -> dict[str, object]:
    child = subprocess.run(
        [sys.executable, str(SCRIPT), "--documents", str(documents), "--every", str(every),
         "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=7200,
        check=False,
        cwd=REPO,
    )  # fmt: skip
    assert child.returncode == 0, child.stderr + child.stdout
    record = json.loads((tmp_path / "soak.json").read_text(encoding="utf-8"))
    samples = record["samples"]
    assert [sample["documents"] for sample in samples] == list(range(every, documents + 1, every))
    assert f"{documents} document(s) done, 0 failed" in record["summary"]
    assert "spread:" in child.stdout
    with Image.open(tmp_path / "soak.png") as plot:
        assert plot.format == "PNG" and plot.width > 400
    return record


def test_a_small_soak_stays_flat(tmp_path: Path) -> None:
    record = run_soak(tmp_path, documents=18, every=3)

    assert record["tail_spread_bytes"] < MAX_SPREAD


@pytest.mark.slow
@pytest.mark.skipif(not FULL_SIZE, reason="full size (500 documents): ABLAGE_FULL_SIZE=1")
def test_500_documents_stay_flat(tmp_path: Path) -> None:
    record = run_soak(tmp_path, documents=500, every=25)

    assert record["tail_spread_bytes"] < MAX_SPREAD
