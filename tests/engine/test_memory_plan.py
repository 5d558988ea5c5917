"""The per-page memory plans of the vision-language families, against figures worked by hand.

The configurations are those of the seed checkpoints as published (only the fields a plan
reads): stepfun-ai/GOT-OCR-2.0-hf, Qwen/Qwen2-VL-2B-Instruct, Qwen/Qwen2.5-VL-3B-Instruct and
deepseek-community/Janus-Pro-1B. Pages: A4 at 300 dpi (2480 x 3508) and at 150 dpi
(1240 x 1754). fp32 (4 bytes per activation), 64 prompt tokens, at most 256 new tokens.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeClock, FakeModelScript, FakeProbe, fake_spec

from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.backends.vlm_memory import (
    decoder_shape,
    got_ocr2_pass,
    janus_pass,
    qwen2_vl_pass,
    smart_resize,
)
from ablage_desktop.engine.errors import InsufficientMemory
from ablage_desktop.engine.events import Event, ModelStateChanged
from ablage_desktop.engine.memory.estimate import estimate_from_plan
from ablage_desktop.engine.memory.plan import ModelPlan
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.state import ModelState

GIB = 1 << 30
A4_300 = (2480, 3508)
A4_150 = (1240, 1754)

GOT_OCR2: dict[str, Any] = {
    "model_type": "got_ocr2",
    "image_seq_length": 256,
    "vision_config": {
        "hidden_size": 768,
        "mlp_dim": 3072,
        "num_attention_heads": 12,
        "image_size": 1024,
        "patch_size": 16,
        "window_size": 14,
        "global_attn_indexes": [2, 5, 8, 11],
    },
    "text_config": {
        "hidden_size": 1024,
        "intermediate_size": 2816,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "vocab_size": 151860,
    },
}
GOT_PREPROCESSOR = {"size": {"height": 1024, "width": 1024}}

QWEN2_VL_2B: dict[str, Any] = {
    "model_type": "qwen2_vl",
    "hidden_size": 1536,
    "intermediate_size": 8960,
    "num_hidden_layers": 28,
    "num_attention_heads": 12,
    "num_key_value_heads": 2,
    "vocab_size": 151936,
    "vision_config": {
        "depth": 32,
        "embed_dim": 1280,
        "mlp_ratio": 4,
        "num_heads": 16,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
    },
}
QWEN2_VL_PREPROCESSOR = {
    "min_pixels": 3136,
    "max_pixels": 12845056,
    "patch_size": 14,
    "merge_size": 2,
    "temporal_patch_size": 2,
}

QWEN2_5_VL_3B: dict[str, Any] = {
    "model_type": "qwen2_5_vl",
    "hidden_size": 2048,
    "intermediate_size": 11008,
    "num_hidden_layers": 36,
    "num_attention_heads": 16,
    "num_key_value_heads": 2,
    "vocab_size": 151936,
    "vision_config": {
        "depth": 32,
        "hidden_size": 1280,
        "intermediate_size": 3420,
        "num_heads": 16,
        "out_hidden_size": 2048,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
        "window_size": 112,
        "fullatt_block_indexes": [7, 15, 23, 31],
    },
}

JANUS_PRO_1B: dict[str, Any] = {
    "model_type": "janus",
    "text_config": {
        "hidden_size": 2048,
        "intermediate_size": 5632,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "vocab_size": 102400,
    },
    "vision_config": {
        "hidden_size": 1024,
        "mlp_ratio": 4.0,
        "num_attention_heads": 16,
        "image_size": 384,
        "patch_size": 16,
        "num_image_tokens": 576,
    },
}
JANUS_PREPROCESSOR = {"size": {"height": 384, "width": 384}}


def plan(config: dict[str, Any], preprocessor: dict[str, Any], eager: bool = False) -> ModelPlan:
    kind = config["model_type"]
    if kind == "got_ocr2":
        seen = got_ocr2_pass(config, preprocessor)
    elif kind == "janus":
        seen = janus_pass(config, preprocessor, eager)
    else:
        seen = qwen2_vl_pass(config, preprocessor, eager)
    return ModelPlan(
        family=kind,
        quantization="fp32",
        parameters=2 * 10**9,
        weights=8 * 10**9,
        activation_bytes=4,
        decoder=decoder_shape(config, eager),
        vision_pass=seen,
        prompt_tokens=64,
        max_new_tokens=256,
    )


def test_got_ocr2_reads_every_page_as_one_1024_square_with_eager_global_attention() -> None:
    got = plan(GOT_OCR2, GOT_PREPROCESSOR, eager=True)

    page = got.page(*A4_300)

    assert page.vision_tokens == 256
    assert page.sequence == 64 + 256 + 256
    # KV: 576 tokens x 2 (k, v) x 24 layers x 16 heads x 64 dims x 4 bytes
    assert page.kv_cache == 113_246_208
    # 4096 patches x (768 x 6 + 3072 x 2) x 4 + 12 heads x 4096^2 x (2 x 4 + 4 softmax) bytes
    assert page.vision == 2_592_079_872
    # 320 x (1024 x 6 + 2816 x 3) x 4 + 16 x 320^2 x 12 (eager) + 151860 x 8 (logits)
    assert page.decoder == 39_553_440
    # page RGB (2480 x 3508 x 3) + 1024^2 x 3 floats; the vision pass is the larger
    assert page.total == 2_630_762_304
    assert got.page(*A4_150).total == 2_611_187_664


def test_bf16_scores_hold_a_second_float32_copy() -> None:
    got = replace(
        plan(GOT_OCR2, GOT_PREPROCESSOR, eager=True), activation_bytes=2, softmax_copies=2
    )

    page = got.page(*A4_300)

    # 4096 patches x (768 x 6 + 3072 x 2) x 2 + 12 heads x 4096^2 x (2 x 2 + 2 x 4) bytes
    assert page.vision == 4096 * (768 * 6 + 3072 * 2) * 2 + 12 * 4096**2 * 12
    # against one float32 copy (fp32 scores, or fp16 on CUDA): 4 bytes more per score
    fused = replace(got, softmax_copies=1).page(*A4_300)
    assert page.vision - fused.vision == 12 * 4096**2 * 4


def test_qwen2_vl_tokens_follow_the_page_size() -> None:
    qwen = plan(QWEN2_VL_2B, QWEN2_VL_PREPROCESSOR)

    big, small = qwen.page(*A4_300), qwen.page(*A4_150)

    # 3508 x 2480 -> 3500 x 2492 (multiples of 28, 8.7 MP < max_pixels): 250 x 178 patches
    assert big.vision_tokens == 44_500 // 4 == 11_125
    assert big.sequence == 64 + 11_125 + 256
    # KV: 11445 x 2 x 28 layers x 2 KV heads x 128 dims x 4 bytes
    assert big.kv_cache == 656_302_080
    # 44500 patches x (1280 x 6 + 5120 x 2) x 4 (sdpa: no score matrix)
    assert big.vision == 3_189_760_000
    # 11189 x (1536 x 6 + 8960 x 3) x 4 + 151936 x 8
    assert big.decoder == 1_616_728_064
    # RGB page 26,099,520 + 44500 patches x 1176 floats 209,328,000; vision beats KV + decoder
    assert big.total == 235_427_520 + 3_189_760_000
    # 1754 x 1240 -> 1764 x 1232: 126 x 88 = 11088 patches, 2772 tokens
    assert small.vision_tokens == 2_772
    assert small.kv_cache == 177_307_648
    assert small.vision == 794_787_840
    assert small.decoder == 410_688_512
    assert small.total == 58_682_832 + 794_787_840


def test_a_batch_costs_each_page() -> None:
    qwen = plan(QWEN2_VL_2B, QWEN2_VL_PREPROCESSOR)

    one, four = qwen.page(*A4_150), qwen.page(*A4_150, batch=4)

    assert (four.kv_cache, four.vision, four.decoder, four.inputs) == (
        4 * one.kv_cache,
        4 * one.vision,
        4 * one.decoder,
        4 * one.inputs,
    )
    assert qwen.total(*A4_150, batch=4) == qwen.resident + 4 * one.total


def test_qwen2_5_vl_has_a_gated_vision_mlp_and_a_deeper_decoder() -> None:
    qwen = plan(QWEN2_5_VL_3B, QWEN2_VL_PREPROCESSOR)

    big, small = qwen.page(*A4_300), qwen.page(*A4_150)

    assert (big.vision_tokens, small.vision_tokens) == (11_125, 2_772)
    # KV: 11445 x 2 x 36 layers x 2 KV heads x 128 dims x 4 bytes
    assert big.kv_cache == 843_816_960
    # 44500 x (1280 x 6 + 3420 x 3) x 4
    assert big.vision == 3_193_320_000
    # 11189 x (2048 x 6 + 11008 x 3) x 4 + 151936 x 8
    assert big.decoder == 2_029_199_360
    # KV + decoder 2,873,016,320 < vision 3,193,320,000: the vision pass sets the peak
    assert big.total == 235_427_520 + 3_193_320_000
    assert small.kv_cache == 3092 * 2 * 36 * 2 * 128 * 4 == 227_966_976


def test_janus_reads_every_page_as_576_tokens() -> None:
    janus = plan(JANUS_PRO_1B, JANUS_PREPROCESSOR)

    big, small = janus.page(*A4_300), janus.page(*A4_150)

    assert big.vision_tokens == small.vision_tokens == 576
    # KV: 896 x 2 x 24 layers x 16 heads x 128 dims x 4 bytes
    assert big.kv_cache == 352_321_536
    # 576 x (1024 x 6 + 4096 x 2) x 4
    assert big.vision == 33_030_144
    # 640 x (2048 x 6 + 5632 x 3) x 4 + 102400 x 8
    assert big.decoder == 75_530_240
    # RGB page + 384^2 x 3 floats; KV + decoder beat the vision pass
    assert big.total == 27_868_992 + 352_321_536 + 75_530_240
    assert small.total == 8_294_352 + 352_321_536 + 75_530_240


def test_smart_resize_keeps_the_area_within_its_bounds() -> None:
    assert smart_resize(3508, 2480, 28, 3136, 12845056) == (3500, 2492)
    assert smart_resize(1754, 1240, 28, 3136, 12845056) == (1764, 1232)
    # a 600 dpi page is shrunk below max_pixels, keeping its aspect
    height, width = smart_resize(7016, 4960, 28, 3136, 12845056)
    assert height * width <= 12845056 and height % 28 == width % 28 == 0
    assert abs(height / width - 7016 / 4960) < 0.02


# --- the manager budgets by the plan -----------------------------------------------------------


def qwen_manager(
    ram_budget: int, events: list[Event] | None = None
) -> tuple[ModelManager, FakeProbe, ModelPlan]:
    probe = FakeProbe(ram_total=64 * GIB, vram_total=None)
    qwen = plan(QWEN2_VL_2B, QWEN2_VL_PREPROCESSOR)
    manager = ModelManager(
        ManagerPolicy(ram_budget=ram_budget),
        probe,
        (events if events is not None else []).append,
        clock=FakeClock(),
    )
    script = FakeModelScript("qwen2_vl", "cpu", qwen.resident)
    manager.register(
        "qwen2_vl",
        fake_spec(script, probe),
        EngineOptions(engine="qwen2_vl"),
        estimate_from_plan("cpu", qwen),
    )
    return manager, probe, qwen


def test_the_manager_refuses_a_page_whose_plan_does_not_fit_and_says_why() -> None:
    # weights 8 GB + 96 MiB; the small page needs 0.85 GB more, the 300 dpi page 3.4 GB
    manager, _, qwen = qwen_manager(ram_budget=10 * GIB)

    with manager.acquire("qwen2_vl", A4_150) as lease:
        assert lease.name == "qwen2_vl"  # the small page fits: the model is pinned
    with pytest.raises(InsufficientMemory) as refused:
        manager.acquire("qwen2_vl", A4_300)

    error = refused.value
    assert error.need == qwen.page(*A4_300).total
    assert error.have == 10 * GIB - qwen.resident
    assert "needs about 3.19 GiB of CPU memory, but only 2.46 GiB can be made free" in error.message
    assert "2480x3508 px x1: 11125 vision tokens" in error.message
    assert manager.info("qwen2_vl").state is ModelState.READY  # the model stays loaded


def test_a_page_too_large_is_refused_before_the_model_loads() -> None:
    manager, probe, qwen = qwen_manager(ram_budget=11 * GIB)

    with pytest.raises(InsufficientMemory) as refused:
        manager.acquire("qwen2_vl", A4_300, batch=2)

    assert refused.value.need == qwen.resident + qwen.page(*A4_300, batch=2).total
    assert "x2: 11125 vision tokens" in refused.value.message
    assert manager.info("qwen2_vl").state is ModelState.UNLOADED
    assert probe.used("cpu") == probe.ram_base


def test_the_plan_reaches_the_model_state_events() -> None:
    events: list[Event] = []
    manager, _, qwen = qwen_manager(20 * GIB, events)

    manager.acquire("qwen2_vl", A4_150).release()

    ready = [e for e in events if isinstance(e, ModelStateChanged) and e.state == "ready"]
    assert ready[0].plan == qwen.to_json()
    assert ready[0].plan["page"]["vision_tokens"] == 11_125
    assert manager.page_plan("qwen2_vl", A4_150)["page"]["vision_tokens"] == 2_772  # type: ignore[index]


def test_a_folder_without_a_config_has_no_plan(tmp_path: Path) -> None:
    """Reading a folder without config: no plan, so the flat estimate stays."""
    from ablage_desktop.engine.backends.vlm_memory import plan_of

    assert plan_of(tmp_path, "qwen2_vl", "fp32", "sdpa", (), 256, 1) is None


def test_a_cpu_plan_of_a_quantized_model_holds_one_blocks_temporaries(
    tmp_path: Path,
) -> None:
    """bitsandbytes' matmuls on a CPU make temporaries the heap gives back after each block
    (``vlm_heap``). int8's are counted per block from its quantized layers' shapes and the
    tokens it reads (``int8_block_bytes``); 4-bit's are the largest block's weights,
    dequantized."""
    import json

    import numpy as np
    from safetensors.numpy import save_file

    from ablage_desktop.engine.backends.vlm_memory import block_of, plan_of, weights_of

    tensors = {  # (out, in)
        "model.layers.0.self_attn.q_proj.weight": (4, 4),
        "model.layers.0.mlp.up_proj.weight": (8, 4),
        "model.layers.1.self_attn.q_proj.weight": (4, 4),  # the same kind of layer again
        "model.layers.1.mlp.up_proj.weight": (8, 4),
        "model.layers.1.input_layernorm.weight": (4,),  # not a linear layer
        "model.visual.blocks.0.attn.qkv.weight": (12, 4),  # a vision block
        "model.embed_tokens.weight": (10, 4),  # an embedding stays as it is
        "lm_head.weight": (10, 4),  # skipped by the family
    }
    save_file(
        {name: np.zeros(shape, dtype=np.float16) for name, shape in tensors.items()},
        str(tmp_path / "model.safetensors"),
    )
    (tmp_path / "config.json").write_text(json.dumps(QWEN2_VL_2B), encoding="utf-8")
    (tmp_path / "preprocessor_config.json").write_text(
        json.dumps(QWEN2_VL_PREPROCESSOR), encoding="utf-8"
    )

    assert block_of("model.layers.1.mlp.up_proj.weight") == "model.layers.1"
    assert block_of("lm_head.weight") == "lm_head.weight"
    int8 = weights_of(tmp_path, "int8", ("lm_head",))
    assert int8 is not None and (int8.quantized, int8.largest_block) == (144, 48)
    assert int8.vision_blocks == (((12, 4),),)
    assert int8.decoder_blocks == (((4, 4), (8, 4)),)  # each kind of block once
    assert weights_of(tmp_path, "bf16", ("lm_head",)).largest_block == 0  # type: ignore[union-attr]

    def working(quantization: str, device: str, batch: int = 1) -> int:
        plan = plan_of(tmp_path, "qwen2_vl", quantization, "sdpa", ("lm_head",), 16, 1, device)
        assert plan is not None
        return plan.page(*A4_150, batch=batch).working

    # A4 at 150 dpi: 11,088 patches; 64 + 2,772 prefill tokens. Every temporary is far below
    # the heap's 32 MiB: 0.6 of the sum stays, 12 bytes an input element and 18 an output
    # element. The vision block: 4 x 12 + 12 x 18 = 264 per patch; the decoder layer:
    # (4 x 12 + 4 x 18) + (4 x 12 + 8 x 18) = 312 per token.
    assert working("int8", "cpu") == int(0.6 * 264 * 11_088) == 1_756_339
    assert working("int8", "cpu", batch=2) == int(0.6 * 264 * 22_176)
    # 4-bit: the largest block's 48 weights in the compute dtype (the checkpoint's float16)
    assert working("int4", "cpu") == 48 * 2
    assert working("int8", "gpu") == working("bf16", "cpu") == 0


def test_int8_temporaries_above_the_heaps_threshold_count_only_while_alive() -> None:
    """A temporary of 32 MiB or more is a mapping of its own, given back when freed: only the
    most one layer has alive at once counts, not the sum over the block."""
    from ablage_desktop.engine.memory.plan import int8_block_bytes

    # Qwen2-VL's vision MLP up projection, 1,280 -> 5,120, over 2,240 patches: each float32
    # output temporary is 5,120 x 4 x 2,240 = 45,875,200 bytes, above 32 MiB (33,554,432).
    # Heap: the input's allocations (12 bytes an element) and the bf16 result (2 bytes).
    heap = 2_240 * (12 * 1_280 + 2 * 5_120)
    # Mapped: the int32 product stays while the scales (another one at a time) are applied.
    mapped = 2 * 45_875_200
    assert int8_block_bytes(((5_120, 1_280),), 2_240) == int(0.6 * heap) + mapped
    assert int(0.6 * heap) + mapped == 126_156_800
    # A second such layer in the block adds its heap share, not another mapping's worth.
    two = int8_block_bytes(((5_120, 1_280), (5_120, 1_280)), 2_240)
    assert two == int(0.6 * 2 * heap) + mapped
    # Below the threshold everything is heap: 0.6 x (12 x 1,280 + 18 x 5,120) per token.
    assert int8_block_bytes(((5_120, 1_280),), 100) == int(0.6 * 100 * 107_520)


def test_an_untied_token_embedding_is_int8_on_a_gpu_and_unread_on_a_cpu(tmp_path: Path) -> None:
    """On a GPU, a token embedding that is not the output layer's weight too is held in int8
    under int8 and int4 (``vlm_embedding``): a byte per weight and a float32 scale per row. A
    tied one keeps the checkpoint's dtype (the output layer is skipped). On a CPU an untied one
    stays a view of the memory-mapped checkpoint, of which a page reads a few rows."""
    import json

    import numpy as np
    from safetensors.numpy import save_file

    from ablage_desktop.engine.backends.vlm_memory import plan_of, tied_embedding

    save_file(
        {
            "model.language_model.embed_tokens.weight": np.zeros((100, 8), dtype=np.float16),
            "lm_head.weight": np.zeros((100, 8), dtype=np.float16),
        },
        str(tmp_path / "model.safetensors"),
    )
    config: dict[str, Any] = {"text_config": {"hidden_size": 8, "num_hidden_layers": 1}}

    def planned(quantization: str, tie: bool | None, device: str = "gpu") -> ModelPlan:
        settings = config if tie is None else {**config, "tie_word_embeddings": tie}
        (tmp_path / "config.json").write_text(json.dumps(settings), encoding="utf-8")
        plan = plan_of(tmp_path, "janus", quantization, "sdpa", ("lm_head",), 16, 1, device)
        assert plan is not None
        return plan

    def weights(quantization: str, tie: bool | None, device: str = "gpu") -> int:
        return planned(quantization, tie, device).weights

    bf16 = 800 * 2
    assert weights("bf16", tie=False) == 2 * bf16
    assert weights("int8", tie=False) == weights("int4", tie=False) == bf16 + 800 + 100 * 4
    assert weights("int8", tie=True) == weights("int8", tie=None) == 2 * bf16
    # On a CPU the untied table stays in the checkpoint's memory map: weights, not resident;
    # unless the load converts it (fp32 from a float16 checkpoint: a copy of its own).
    for quantization in ("int8", "fp16"):
        cpu = planned(quantization, tie=False, device="cpu")
        assert (cpu.weights, cpu.unread) == (2 * bf16, bf16)
        assert cpu.resident == cpu.weights - bf16 + cpu.overhead
    assert planned("fp32", tie=False, device="cpu").unread == 0
    assert planned("int8", tie=True, device="cpu").unread == 0
    # the model's own setting first (transformers ties by it), then the decoder's
    assert tied_embedding({"tie_word_embeddings": False, "text_config": {}}) is False
    assert tied_embedding({"text_config": {"tie_word_embeddings": False}}) is False
    both = {"tie_word_embeddings": True, "text_config": {"tie_word_embeddings": False}}
    assert tied_embedding(both)
