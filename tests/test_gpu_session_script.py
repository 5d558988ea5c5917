"""benchmarks/gpu_session.sh, the prepared call for a lent GPU machine: it must not be found
broken in the 15 minutes a session gets there. Checked here: its steps keep to the budget,
and every option it passes still exists in the script it passes it to."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SESSION = REPO / "benchmarks" / "gpu_session.sh"
STEPS = ("tests", "janus", "output_layer", "got_ocr2", "qwen2_5_vl")


def test_a_spent_budget_skips_every_step_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "OUT": str(out), "GPU_SESSION_SECONDS": "0"}
    subprocess.run(["bash", "-n", str(SESSION)], check=True)
    done = subprocess.run(
        ["bash", str(SESSION)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    log = (out / "log.txt").read_text()
    assert [line.split(":")[0] for line in log.splitlines()] == [f"== {s}" for s in STEPS]
    assert "skipped" in log and not (out / "rows.jsonl").exists()


@pytest.mark.parametrize("script", ["full_size.py", "output_layer.py"])
def test_every_option_it_passes_exists(script: str) -> None:
    text = SESSION.read_text()
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    if script == "full_size.py":  # its common options are in FULL=(...), its steps use FULL
        lines = [line for line in lines if "FULL" in line or script in line]
    else:
        lines = [line for line in lines if script in line]
    options = {option for line in lines for option in re.findall(r"(--[a-z][a-z-]+)", line)}
    options -= {"--no-index", "--no-deps", "--no-compile", "--no-cache-dir", "--upgrade"}
    usage = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert options and options <= set(re.findall(r"(--[a-z][a-z-]+)", usage))
