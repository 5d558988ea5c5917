"""benchmarks/int8_blocks.py on a tiny int8 model: every block is measured once per page (not
the decoding steps), and its lists are told apart as the plan's vision blocks and decoder
layers."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from tiny_models import build_qwen2_vl

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import int8_blocks

    return int8_blocks


def test_each_block_is_measured_once_a_page_against_the_plans_count(
    script: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("bitsandbytes")
    folder = build_qwen2_vl(tmp_path / "qwen2_vl")
    jsonl = tmp_path / "rows.jsonl"
    argv = ["--model", "qwen2_vl", "--folder", str(folder), "--pages", "56x56,112x112"]
    rows = script.main([*argv, "--jsonl", str(jsonl)])

    by = {(row["page"], row["kind"]): row for row in rows}
    assert set(by) == {
        (page, kind) for page in ("56x56", "112x112") for kind in ("vision", "decoder")
    }
    small, large = by["56x56", "vision"], by["112x112", "vision"]
    assert large["tokens"] > small["tokens"] > 0
    assert large["plan_block"] > small["plan_block"] > 0
    for row in rows:
        # one prefill, one token: each block ran once (the decoding step is left out)
        assert row["measured_blocks"] == row["list_blocks"]
        assert row["largest"] >= row["median"] >= 0
    assert len(jsonl.read_text().splitlines()) == len(rows)
    assert "| 112x112 | model.visual.blocks (2) | 64 |" in capsys.readouterr().out


def test_the_longest_list_outside_the_vision_tower_is_the_decoder(script: ModuleType) -> None:
    lists = {
        "model.vision_model.vision_tower.blocks": [0] * 24,
        "model.aligner.hidden_layers": [0],
        "model.language_model.layers": [0] * 24,
    }
    assert [script.kind_of(name, lists) for name in lists] == ["vision", None, "decoder"]
