"""benchmarks/output_layer.py at a small shape: each int8 form holds about half of bf16's
bytes and gives the same logits within its rounding."""

from __future__ import annotations

import pytest
from benchmark_scripts import load_script

MIB = 1 << 20


def test_the_int8_forms_hold_half_and_keep_the_top_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("bitsandbytes")
    script = load_script("output_layer.py", "output_layer_script")
    rows = script.main(["--shape", "4096x256", "--tokens", "2", "--states", "8"])

    by = {row["form"]: row for row in rows}
    assert set(by) == {"bf16", "weight-only", "bitsandbytes"}
    bf16 = by["bf16"]["held"]
    assert bf16 == 4096 * 256 * 2
    # int8 weights and their scales: one float32 per 64 weights, or per row
    assert by["weight-only"]["held"] == 4096 * 256 + 4096 * 4 * 4
    assert by["bitsandbytes"]["held"] == 4096 * 256 + 4096 * 4
    for row in rows:
        assert row["ms_per_token"] > 0
        assert row["error"] < 0.05  # int8 steps of 1/127 of a group's largest weight
        assert row["same_top"] >= 6
    assert "| custom | weight-only |" in capsys.readouterr().out
