"""Load time, VRAM and page throughput of the seed GPU models at fp16, int8 and int4.

For a machine with one CUDA GPU; one run of the defaults is meant to fit in 8 minutes. Nothing is
downloaded: each seed architecture is built at full size from its real configuration (carried in
this file, see ``FAMILIES``) with random weights, and pages are synthetic tensors of the shapes
the processors produce. Random weights read no real page, but a model does the same work on
them: the same weights to move, the same kernels, the same number of tokens.

Standalone on purpose: it needs Python, torch with CUDA, transformers 5.x and accelerate (and
bitsandbytes for int8/int4; without it those rows say so). It does not import ``ablage_desktop``.

What is measured, per model:

prepare
    The fp16 model built from its configuration with random weights on the GPU, saved with
    ``save_pretrained`` (safetensors) to a temporary folder and freed again. Not part of the
    table (``prepare_s`` in the JSON).

per quantization (fp16 / int8 / int4)
    load
        ``from_pretrained`` from that folder onto the GPU, as the app loads: ``dtype=float16``
        and, for int8, ``BitsAndBytesConfig(load_in_8bit=True)`` (GOT-OCR keeps its vision
        tower and ``lm_head`` in fp16); for int4, NF4 with double quantization and fp16
        compute. From the call to the model on the GPU, CUDA synchronised. The checkpoint was
        just written, so it is read from the page cache: a cold disk adds its read time.
    VRAM after load
        ``torch.cuda.memory_allocated`` and ``memory_reserved`` (the caching allocator's view;
        GiB) and, where ``pynvml`` imports, the device's used memory from NVML, which includes
        the CUDA context; the peak of ``max_memory_allocated`` during the load is in the JSON.
    per batch size (``--batch-sizes``, e.g. 1 and the engine's ``max_batch_size``)
        One warm-up ``generate`` (2 new tokens) at that batch size, then ``--runs`` timed
        greedy ``generate`` calls of exactly ``--new-tokens`` new tokens per page
        (``min_new_tokens = max_new_tokens``), all pages of a batch alike. Seconds per page =
        median run time / batch size; pages/s = batch size / median run time. Peak is
        ``max_memory_allocated`` / ``max_memory_reserved`` from the warm-up to the last run.
        A batch that runs out of memory is reported as ``oom`` and larger ones are not tried.
    unload
        ``del model``, ``gc.collect()``, ``torch.cuda.empty_cache()``, repeated until
        ``memory_reserved`` is back at its value before the load (at most 5 s: what has not come
        back by then is held by something, not late): the time until the VRAM is free for the
        next model. Whether it came back, and what is left, is in the JSON (and the notes). The
        CUDA context and cuBLAS workspaces are created before the first baseline, so they are
        not charged to the first model.

``--time-budget`` (seconds from the start of the script) stops the run in time: a combination
that would not fit is skipped and said so, and runs inside a combination stop early when the
budget is spent (the row notes how many ran). The combinations go fp16 first for every model,
then int4, then int8, whatever the order of ``--quantization``: the budget cuts the slowest
(int8) first.

``--dry-run`` builds every configuration on the meta device only (no GPU needed) and prints
parameter counts, the weight bytes at fp16/int8/int4 (int8/int4 estimated from the layers
bitsandbytes converts) and the synthetic input shapes: a check of the configurations.

Results: a Markdown table on stdout and a JSON file (``--json``, default
``benchmarks/out/gpu_models.json``), written after every combination so that a run that is cut
off keeps what it measured.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import gc
import importlib.util
import json
import math
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

SCRIPT_STARTED = time.perf_counter()
"""The time budget counts from here, before torch and transformers are imported."""

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is downloaded; fail fast instead of waiting

import torch  # noqa: E402
import transformers  # noqa: E402

GIB = 1024**3
QUANTIZATIONS = ("fp16", "int8", "int4")
DEFAULT_JSON = Path(__file__).resolve().parent / "out" / "gpu_models.json"
WARMUP_TOKENS = 2
UNLOAD_TIMEOUT_S = 5.0
"""Longest wait for the VRAM to come back; memory not freed by then is a leak, not a delay."""
RESERVE_S = 20.0
"""Seconds kept back from the budget for the last unload and writing the results."""
QUANT_COST = {"fp16": 1.0, "int4": 2.0, "int8": 5.0}
"""Rough relative cost of one combination (bitsandbytes' int8 decodes slowest); also the order
the quantizations run in, and the factor to predict a combination from a measured one."""
FILLER_TOKEN = 1000
"""First id of the stand-in prompt text: ordinary vocabulary, no special token."""


# --- the seed models ---------------------------------------------------------------------------

# GOT-OCR 2.0 (stepfun-ai/GOT-OCR-2.0-hf, ~0.56 B parameters). That checkpoint was written by
# transformers' src/transformers/models/got_ocr2/convert_got_ocr2_weights_to_hf.py with
# `GotOcr2Config()`, i.e. the class defaults: the values below are those defaults
# (configuration_got_ocr2.py, transformers 5.x), spelled out so that a change of defaults cannot
# change the benchmark. Vision tower: SAM ViT-B at 1024x1024; its 64x64 patch grid is reduced
# 4x by the projector's two stride-2 convolutions to 16x16 = 256 image tokens (the processor's
# `num_image_tokens = 256`; `image_seq_length = 576` in the config is not used for that).
# Token ids from the converter's tokenizer: <|endoftext|> 151643, <|im_start|> 151644,
# <|im_end|> 151645, <img> 151857, </img> 151858, <imgpad> 151859 (the image token).
GOT_OCR2_CONFIG: dict[str, Any] = {
    "text_config": {
        "model_type": "qwen2",
        "vocab_size": 151860,
        "hidden_size": 1024,
        "intermediate_size": 2816,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "hidden_act": "silu",
        "max_position_embeddings": 32768,
        "initializer_range": 0.02,
        "rms_norm_eps": 1e-6,
        "use_cache": True,
        "tie_word_embeddings": True,
        "rope_theta": 1000000.0,
        "use_sliding_window": False,
        "sliding_window": 4096,
        "max_window_layers": 21,
        "attention_dropout": 0.0,
    },
    "vision_config": {
        "hidden_size": 768,
        "output_channels": 256,
        "num_hidden_layers": 12,
        "num_attention_heads": 12,
        "num_channels": 3,
        "image_size": 1024,
        "patch_size": 16,
        "hidden_act": "gelu",
        "layer_norm_eps": 1e-6,
        "qkv_bias": True,
        "use_abs_pos": True,
        "use_rel_pos": True,
        "window_size": 14,
        "global_attn_indexes": [2, 5, 8, 11],
        "mlp_dim": 3072,
    },
    "image_token_index": 151859,
    "image_seq_length": 576,
    "tie_word_embeddings": True,
}

# Qwen2-VL-2B-Instruct (Qwen/Qwen2-VL-2B-Instruct, ~2.21 B parameters): the checkpoint's
# config.json (flat text fields, `vision_config`, `rope_scaling`), less the metadata keys
# (architectures, model_type, torch_dtype, transformers_version). Not downloadable here: the
# values were checked against the Qwen2-VL-2B configuration in mllm's configuration_qwen2vl.hpp
# (hidden 1536, intermediate 8960, 28 layers, 12 heads, 2 KV heads, vocab 151936, tied
# embeddings, mrope_section [16, 24, 24]; vision: depth 32, embed_dim 1280, 16 heads, patch 14,
# merge 2). NOT the defaults of Qwen2VLConfig: those are a 72B-sized text model.
QWEN2_VL_2B_CONFIG: dict[str, Any] = {
    "attention_dropout": 0.0,
    "bos_token_id": 151643,
    "eos_token_id": 151645,
    "vision_start_token_id": 151652,
    "vision_end_token_id": 151653,
    "vision_token_id": 151654,
    "image_token_id": 151655,
    "video_token_id": 151656,
    "hidden_act": "silu",
    "hidden_size": 1536,
    "initializer_range": 0.02,
    "intermediate_size": 8960,
    "max_position_embeddings": 32768,
    "max_window_layers": 28,
    "num_attention_heads": 12,
    "num_hidden_layers": 28,
    "num_key_value_heads": 2,
    "rms_norm_eps": 1e-6,
    "rope_theta": 1000000.0,
    "sliding_window": 32768,
    "tie_word_embeddings": True,
    "use_cache": True,
    "use_sliding_window": False,
    "vision_config": {
        "depth": 32,
        "embed_dim": 1280,
        "mlp_ratio": 4,
        "num_heads": 16,
        "in_chans": 3,
        "hidden_size": 1536,
        "patch_size": 14,
        "spatial_merge_size": 2,
        "temporal_patch_size": 2,
    },
    "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
    "vocab_size": 151936,
}

# Janus-Pro-1B (deepseek-community/Janus-Pro-1B, ~2.08 B parameters with the generation path):
# built as transformers' src/transformers/models/janus/convert_janus_weights_to_hf.py builds it
# from deepseek-ai/Janus-Pro-1B's config.json: a LlamaConfig from `language_config` (hidden
# 2048, intermediate 5632, 24 layers, 16 heads, 16 KV heads, vocab 102400, 16384 positions; the
# DeepSeek-LLM 1.3B text model, as in transformers' DeepSeek-VL 1.3B converter and the
# kerasformers Janus-Pro-1B recipe), JanusVisionConfig defaults (SigLIP-L/16 at 384x384, aligner
# 2048 wide, depth 2), JanusVQVAEConfig from the gen_* configs (the defaults) and the image token
# <image_placeholder> = 100581. Janus-Pro has its own lm_head (the original language model is an
# untied LlamaForCausalLM), so `tie_word_embeddings` is False; bos/eos/pad are DeepSeek's
# <|begin_of_sentence|> 100000, <|end_of_sentence|> 100001, <|pad|> 100015.
JANUS_PRO_1B_CONFIG: dict[str, Any] = {
    "text_config": {
        "model_type": "llama",
        "vocab_size": 102400,
        "hidden_size": 2048,
        "intermediate_size": 5632,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "num_key_value_heads": 16,
        "hidden_act": "silu",
        "max_position_embeddings": 16384,
        "bos_token_id": 100000,
        "eos_token_id": 100001,
        "pad_token_id": 100015,
        "tie_word_embeddings": False,
    },
    "vision_config": {
        "hidden_size": 1024,
        "num_hidden_layers": 24,
        "num_attention_heads": 16,
        "image_size": 384,
        "patch_size": 16,
        "projection_dim": 2048,
        "depth": 2,
        "num_image_tokens": 576,
    },
    "vq_config": {
        "embed_dim": 8,
        "num_embeddings": 16384,
        "projection_dim": 2048,
        "image_token_embed_dim": 2048,
    },
    "image_token_id": 100581,
    "tie_word_embeddings": False,
}


@dataclasses.dataclass(frozen=True)
class Family:
    """One seed model: where its configuration comes from and how its pages look."""

    key: str
    source: str
    config_class: str
    model_class: str
    config: dict[str, Any]
    app_params: float
    """The app's parameter count for it (its backend's ``parameters``)."""
    eos_token_id: int
    pad_token_id: int
    prefix_tokens: tuple[int, ...]
    """The prompt before the image tokens (chat template, image start marker)."""
    suffix_tokens: tuple[int, ...]
    """The prompt after the image tokens (image end marker, instruction, assistant turn)."""
    int8_skip_modules: tuple[str, ...] | None = None
    """Modules int8 leaves in fp16 (``llm_int8_skip_modules``); None: transformers' default."""


def _filler(count: int, offset: int = 0) -> tuple[int, ...]:
    return tuple(FILLER_TOKEN + offset + i for i in range(count))


FAMILIES: dict[str, Family] = {
    "got_ocr2": Family(
        key="got_ocr2",
        source="stepfun-ai/GOT-OCR-2.0-hf",
        config_class="GotOcr2Config",
        model_class="GotOcr2ForConditionalGeneration",
        config=GOT_OCR2_CONFIG,
        app_params=0.58e9,
        eos_token_id=151645,
        pad_token_id=151643,
        # <|im_start|>system ... <|im_end|><|im_start|>user\n<img> [256 x <imgpad>] </img>OCR:
        # <|im_end|><|im_start|>assistant\n
        prefix_tokens=(151644, *_filler(18), 151645, 151644, *_filler(2, 20), 151857),
        suffix_tokens=(151858, *_filler(4, 30), 151645, 151644, *_filler(2, 40)),
        int8_skip_modules=("model.vision_tower", "lm_head"),
    ),
    "qwen2_vl": Family(
        key="qwen2_vl",
        source="Qwen/Qwen2-VL-2B-Instruct",
        config_class="Qwen2VLConfig",
        model_class="Qwen2VLForConditionalGeneration",
        config=QWEN2_VL_2B_CONFIG,
        app_params=2.21e9,
        eos_token_id=151645,
        pad_token_id=151643,
        # <|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n
        # <|vision_start|> [image pads] <|vision_end|>instruction<|im_end|>\n<|im_start|>assistant\n
        prefix_tokens=(
            151644,
            *_filler(7),
            151645,
            *_filler(1, 10),
            151644,
            *_filler(2, 20),
            151652,
        ),
        suffix_tokens=(151653, *_filler(12, 30), 151645, *_filler(1, 50), 151644, *_filler(2, 60)),
    ),
    "janus": Family(
        key="janus",
        source="deepseek-community/Janus-Pro-1B",
        config_class="JanusConfig",
        model_class="JanusForConditionalGeneration",
        config=JANUS_PRO_1B_CONFIG,
        app_params=2.05e9,
        eos_token_id=100001,
        pad_token_id=100015,
        # <bos>system prompt\n\n<|User|>: <begin_of_image> [576 x <image_placeholder>]
        # <end_of_image>\ninstruction\n\n<|Assistant|>:  (image markers as stand-in tokens)
        prefix_tokens=(100000, *_filler(40), *_filler(4, 50), *_filler(1, 60)),
        suffix_tokens=(*_filler(1, 70), *_filler(12, 80), *_filler(5, 100)),
    ),
}


# --- configurations and synthetic pages ---------------------------------------------------------


def build_config(family: Family) -> Any:
    """The family's transformers configuration, from the dict carried above."""
    config_class = getattr(transformers, family.config_class)
    return config_class(**json.loads(json.dumps(family.config)))  # a deep copy


def model_class(family: Family) -> Any:
    return getattr(transformers, family.model_class)


def parse_size(text: str) -> tuple[int, int]:
    """``"896x1176"`` -> (896, 1176): width by height in pixels."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def qwen_grid(config: Any, page_size: tuple[int, int]) -> tuple[int, int, int]:
    """(t, h, w) patch grid of one page for Qwen2-VL; sides must be multiples of patch * merge."""
    vision = config.vision_config
    unit = vision.patch_size * vision.spatial_merge_size
    width, height = page_size
    if width % unit or height % unit:
        raise ValueError(f"Qwen2-VL page sides must be multiples of {unit} px, got {page_size}")
    return 1, height // vision.patch_size, width // vision.patch_size


def image_token_count(family: Family, config: Any, qwen_size: tuple[int, int]) -> int:
    """Image tokens per page, derived from the configuration as the model computes them."""
    vision = config.vision_config
    if family.key == "got_ocr2":
        side = vision.image_size // vision.patch_size // 4  # two stride-2 convolutions
        return side * side
    if family.key == "qwen2_vl":
        t, h, w = qwen_grid(config, qwen_size)
        return t * h * w // vision.spatial_merge_size**2
    return (vision.image_size // vision.patch_size) ** 2


@dataclasses.dataclass
class PageBatch:
    """Model inputs for ``batch`` identical synthetic pages."""

    tensors: dict[str, torch.Tensor]
    prompt_tokens: int
    image_tokens: int

    def shapes(self) -> dict[str, list[int]]:
        return {name: list(tensor.shape) for name, tensor in self.tensors.items()}


def pixel_values(
    family: Family, config: Any, batch: int, qwen_size: tuple[int, int], device: torch.device
) -> dict[str, torch.Tensor]:
    """Random pixels of the processor's output shape (normalised values, fp16)."""
    vision = config.vision_config
    generator = torch.Generator(device="cpu").manual_seed(0)
    if family.key == "qwen2_vl":
        t, h, w = qwen_grid(config, qwen_size)
        patch = vision.in_channels * vision.temporal_patch_size * vision.patch_size**2
        values = torch.randn(batch * t * h * w, patch, generator=generator)
        grid = torch.tensor([[t, h, w]] * batch, dtype=torch.long)
        return {
            "pixel_values": values.to(device, torch.float16),
            "image_grid_thw": grid.to(device),
        }
    channels = getattr(vision, "num_channels", 3)
    side = vision.image_size
    values = torch.randn(batch, channels, side, side, generator=generator)
    return {"pixel_values": values.to(device, torch.float16)}


def build_pages(
    family: Family, config: Any, batch: int, qwen_size: tuple[int, int], device: torch.device
) -> PageBatch:
    """input_ids with the prompt around the image tokens, attention mask and pixels."""
    count = image_token_count(family, config, qwen_size)
    image_id = int(config.image_token_id)
    row = [*family.prefix_tokens, *([image_id] * count), *family.suffix_tokens]
    input_ids = torch.tensor([row] * batch, dtype=torch.long)
    tensors = {
        "input_ids": input_ids.to(device),
        "attention_mask": torch.ones_like(input_ids).to(device),
    }
    if family.key == "qwen2_vl":  # M-RoPE needs to know which tokens are image tokens
        tensors["mm_token_type_ids"] = (input_ids == image_id).to(torch.int32).to(device)
    tensors.update(pixel_values(family, config, batch, qwen_size, device))
    return PageBatch(tensors, prompt_tokens=len(row), image_tokens=count)


def generation_config(family: Family, new_tokens: int) -> Any:
    """Greedy decoding of exactly ``new_tokens`` tokens (EOS is held off until then)."""
    return transformers.GenerationConfig(
        max_new_tokens=new_tokens,
        min_new_tokens=new_tokens,
        do_sample=False,
        num_beams=1,
        use_cache=True,
        eos_token_id=family.eos_token_id,
        pad_token_id=family.pad_token_id,
    )


# --- parameter counts and weight bytes (dry run) ----------------------------------------------


def _matches(name: str, patterns: Sequence[str]) -> bool:
    """transformers' rule for skipped modules: a prefix at a module boundary, or a suffix."""
    boundary = r"(?:(?<=\.)|(?=\.|$))"
    return any(re.match(rf"(?:{p}){boundary}", name) or name.endswith(p) for p in patterns)


def default_skips(model: torch.nn.Module) -> list[str]:
    """The modules bitsandbytes leaves alone when no skip list is given (lm_head, tied, last)."""
    try:
        from transformers.quantizers.base import get_keys_to_not_convert

        return list(get_keys_to_not_convert(model))
    except Exception:  # an internal helper: fall back to the usual answer
        return ["lm_head"]


def weight_bytes(model: torch.nn.Module, skips: Sequence[str], bits: int) -> int:
    """Bytes of the weights with every converted ``nn.Linear`` stored in ``bits`` (16, 8 or 4).

    int8 (LLM.int8): one byte a weight and an fp32 scale per output row. int4 (NF4 with double
    quantization): half a byte a weight, one byte of absmax per 64 weights, an fp32 per 256
    blocks and a 1 KiB code table per layer. Everything else stays fp16.
    """
    total = 0
    seen: set[int] = set()  # tied weights (embed_tokens / lm_head) count once
    for name, module in model.named_modules():
        own = [p for p in module.parameters(recurse=False) if id(p) not in seen]
        seen.update(id(p) for p in own)
        if not own:
            continue
        params = sum(p.numel() for p in own)
        if bits == 16 or type(module) is not torch.nn.Linear or _matches(name, skips):
            total += 2 * params
            continue
        weights = module.weight.numel()
        rest = 2 * (params - weights)  # the bias
        if bits == 8:
            total += weights + 4 * module.out_features + rest
        else:
            blocks = math.ceil(weights / 64)
            total += weights // 2 + blocks + 4 * math.ceil(blocks / 256) + 1024 + rest
    return total


def component_params(model: torch.nn.Module) -> dict[str, int]:
    """Parameters per top-level part (``model.visual``, ``model.language_model``, ``lm_head``)."""
    parts: dict[str, int] = {}
    for name, param in model.named_parameters():
        pieces = name.split(".")
        part = ".".join(pieces[:2]) if pieces[0] == "model" and len(pieces) > 2 else pieces[0]
        parts[part] = parts.get(part, 0) + param.numel()
    return parts


def dry_run_family(family: Family, qwen_size: tuple[int, int]) -> dict[str, Any]:
    """Build on the meta device; count parameters, weight bytes and input shapes."""
    config = build_config(family)
    with torch.device("meta"):
        model = model_class(family)(config)
    params = sum(p.numel() for p in model.parameters())
    int8_skips = list(family.int8_skip_modules or default_skips(model))
    int4_skips = default_skips(model)
    pages = build_pages(family, config, 1, qwen_size, torch.device("cpu"))
    text = config.get_text_config()
    lm_head = model.get_output_embeddings()
    embed = model.get_input_embeddings()
    return {
        "model": family.key,
        "source": family.source,
        "params": params,
        "app_params": family.app_params,
        "components": component_params(model),
        "tied_embeddings": lm_head is not None and lm_head.weight is embed.weight,
        "text": {
            "hidden_size": text.hidden_size,
            "layers": text.num_hidden_layers,
            "heads": text.num_attention_heads,
            "kv_heads": text.num_key_value_heads,
            "vocab": text.vocab_size,
        },
        "weight_bytes": {
            "fp16": weight_bytes(model, [], 16),
            "int8": weight_bytes(model, int8_skips, 8),
            "int4": weight_bytes(model, int4_skips, 4),
        },
        "int8_skip_modules": sorted(int8_skips),
        "int4_skip_modules": sorted(int4_skips),
        "image_tokens": pages.image_tokens,
        "prompt_tokens": pages.prompt_tokens,
        "input_shapes": pages.shapes(),
    }


def print_dry_run(results: Sequence[dict[str, Any]]) -> None:
    print(
        "| model | params | app figure | fp16 GiB | int8 GiB | int4 GiB | image tok | prompt tok |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        wb = r["weight_bytes"]
        print(
            f"| {r['model']} | {r['params'] / 1e9:.3f} B | {r['app_params'] / 1e9:.2f} B "
            f"| {wb['fp16'] / GIB:.2f} | {wb['int8'] / GIB:.2f} | {wb['int4'] / GIB:.2f} "
            f"| {r['image_tokens']} | {r['prompt_tokens']} |"
        )
    print()
    for r in results:
        t = r["text"]
        parts = ", ".join(f"{k} {v / 1e6:.1f} M" for k, v in r["components"].items())
        print(f"{r['model']} ({r['source']}):")
        print(
            f"  text: hidden {t['hidden_size']}, {t['layers']} layers, {t['heads']} heads "
            f"({t['kv_heads']} KV), vocab {t['vocab']}; lm_head tied: {r['tied_embeddings']}"
        )
        print(f"  parts: {parts}")
        print(f"  inputs (batch 1): {r['input_shapes']}")
        print(f"  int8 keeps in fp16: {r['int8_skip_modules']}")
        print(f"  int4 keeps in fp16: {r['int4_skip_modules']}")


# --- GPU measurement ---------------------------------------------------------------------------


class Budget:
    """Seconds left of ``--time-budget``, counted from the start of the script."""

    def __init__(self, seconds: float) -> None:
        self.deadline = SCRIPT_STARTED + seconds

    def left(self) -> float:
        return self.deadline - time.perf_counter() - RESERVE_S

    def allows(self, seconds: float) -> bool:
        return self.left() >= seconds


class Nvml:
    """The device's used memory as NVML sees it (CUDA context included); None without pynvml."""

    def __init__(self) -> None:
        self.handle: Any = None
        try:
            import pynvml

            pynvml.nvmlInit()
            self._pynvml = pynvml
            self.handle = self._find_handle(pynvml)
        except Exception:
            self.handle = None

    @staticmethod
    def _find_handle(pynvml: Any) -> Any:
        props = torch.cuda.get_device_properties(torch.cuda.current_device())
        uuid = getattr(props, "uuid", None)
        if uuid is not None:
            with contextlib.suppress(Exception):
                text = str(uuid)
                return pynvml.nvmlDeviceGetHandleByUUID(
                    text if text.startswith("GPU-") else f"GPU-{text}"
                )
        index = int(os.environ.get("CUDA_VISIBLE_DEVICES", "0").split(",")[0] or 0)
        return pynvml.nvmlDeviceGetHandleByIndex(index)

    def used(self) -> int | None:
        if self.handle is None:
            return None
        try:
            return int(self._pynvml.nvmlDeviceGetMemoryInfo(self.handle).used)
        except Exception:
            return None

    def driver(self) -> str | None:
        if self.handle is None:
            return None
        try:
            version = self._pynvml.nvmlSystemGetDriverVersion()
            return version.decode() if isinstance(version, bytes) else str(version)
        except Exception:
            return None


def gpu() -> torch.device:
    """The CUDA device everything runs on (the current one)."""
    return torch.device("cuda", torch.cuda.current_device())


def memory_now(nvml: Nvml) -> dict[str, int | None]:
    torch.cuda.synchronize()
    return {
        "allocated": torch.cuda.memory_allocated(),
        "reserved": torch.cuda.memory_reserved(),
        "nvml_used": nvml.used(),
    }


def free_cuda() -> None:
    gc.collect()
    torch.cuda.empty_cache()


def warm_up_cuda() -> None:
    """Create the CUDA context and the cuBLAS workspaces (they stay allocated for good).

    Done before any baseline is taken, so that the first unload is not charged for them.
    """
    for dtype in (torch.float16, torch.float32):
        x = torch.ones(256, 256, device=gpu(), dtype=dtype)
        (x @ x).sum().item()
    free_cuda()


def prepare_checkpoint(family: Family, folder: Path) -> dict[str, Any]:
    """Random fp16 weights from the configuration, saved with ``save_pretrained``."""
    started = time.perf_counter()
    config = build_config(family)
    torch.manual_seed(0)
    cls = model_class(family)
    try:
        with gpu():
            model = cls._from_config(config, dtype=torch.float16)
        built_on = "cuda"
    except Exception as error:  # e.g. an init routine that insists on CPU: slower, same weights
        print(f"  building {family.key} on the GPU failed ({error}); building on the CPU")
        free_cuda()
        model = cls._from_config(build_config(family), dtype=torch.float16)
        built_on = "cpu"
    params = sum(p.numel() for p in model.parameters())
    built = time.perf_counter()
    model.save_pretrained(folder)
    del model
    free_cuda()
    files = sum(f.stat().st_size for f in folder.glob("*.safetensors"))
    return {
        "params": params,
        "built_on": built_on,
        "build_s": built - started,
        "save_s": time.perf_counter() - built,
        "prepare_s": time.perf_counter() - started,
        "checkpoint_bytes": files,
    }


def quantization_config(family: Family, quantization: str) -> Any:
    if quantization == "int8":
        skips = list(family.int8_skip_modules) if family.int8_skip_modules else None
        return transformers.BitsAndBytesConfig(load_in_8bit=True, llm_int8_skip_modules=skips)
    if quantization == "int4":
        return transformers.BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.float16,
        )
    return None


def load_model(
    family: Family, folder: Path, quantization: str, attention: str
) -> tuple[Any, dict[str, Any]]:
    """``from_pretrained`` onto the GPU; returns the model and the load's loading info."""
    kwargs: dict[str, Any] = {
        "dtype": torch.float16,
        "device_map": {"": str(gpu())},
        "output_loading_info": True,
    }
    quant = quantization_config(family, quantization)
    if quant is not None:
        kwargs["quantization_config"] = quant
    if attention != "auto":
        kwargs["attn_implementation"] = attention
    model, info = model_class(family).from_pretrained(folder, **kwargs)
    model.eval()
    problems = {k: sorted(v) for k, v in info.items() if isinstance(v, set | list) and v}
    return model, problems


def timed_generate(model: Any, pages: PageBatch, config: Any) -> tuple[float, int]:
    """Seconds for one ``generate`` call (CUDA synchronised) and the new tokens per page."""
    torch.cuda.synchronize()
    started = time.perf_counter()
    with torch.inference_mode():
        output = model.generate(**pages.tensors, generation_config=config)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    new_tokens = int(output.shape[1]) - pages.prompt_tokens
    del output
    return seconds, new_tokens


def measure_batch(
    model: Any,
    family: Family,
    batch: int,
    args: argparse.Namespace,
    budget: Budget,
) -> dict[str, Any]:
    """Warm-up and ``--runs`` timed runs at one batch size (see the module docstring)."""
    row: dict[str, Any] = {"batch_size": batch, "status": "ok", "notes": []}
    pages = build_pages(family, model.config, batch, args.qwen_size, gpu())
    row["prompt_tokens"] = pages.prompt_tokens
    row["image_tokens"] = pages.image_tokens
    torch.cuda.reset_peak_memory_stats()
    runs: list[float] = []
    try:
        if not budget.allows(0):
            row["status"] = "skipped: time budget"
            return row
        warmup_s, _ = timed_generate(model, pages, generation_config(family, WARMUP_TOKENS))
        row["warmup_s"] = warmup_s
        config = generation_config(family, args.new_tokens)
        for _ in range(args.runs):
            estimate = runs[-1] if runs else warmup_s
            if not budget.allows(estimate):
                if runs:
                    row["notes"].append(f"time budget: {len(runs)} of {args.runs} runs")
                break
            seconds, new_tokens = timed_generate(model, pages, config)
            runs.append(seconds)
            row["new_tokens"] = new_tokens
        if runs and row["new_tokens"] != args.new_tokens:
            row["notes"].append(f"generated {row['new_tokens']} tokens, not {args.new_tokens}")
    except torch.cuda.OutOfMemoryError as error:
        row["status"] = "oom"
        row["notes"].append(str(error).splitlines()[0])
    row["peak_allocated"] = torch.cuda.max_memory_allocated()
    row["peak_reserved"] = torch.cuda.max_memory_reserved()
    del pages
    row["runs_s"] = runs
    if runs:
        median = statistics.median(runs)
        row["median_s"] = median
        row["s_per_page"] = median / batch
        row["pages_per_s"] = batch / median
        row["new_tokens_per_s"] = batch * args.new_tokens / median
    elif row["status"] == "ok":
        row["status"] = "skipped: time budget (after the warm-up)"
    return row


def unload(before: dict[str, int | None], nvml: Nvml) -> dict[str, Any]:
    """Free the cache until ``memory_reserved`` is back at ``before`` (model already dropped)."""
    baseline = int(before["reserved"] or 0)
    started = time.perf_counter()
    free_cuda()
    while torch.cuda.memory_reserved() > baseline:
        if time.perf_counter() - started > UNLOAD_TIMEOUT_S:
            break
        time.sleep(0.01)
        free_cuda()
    seconds = time.perf_counter() - started
    after = memory_now(nvml)
    return {
        "unload_s": seconds,
        "returned": int(after["reserved"] or 0) <= baseline,
        "after": after,
        "left_reserved": max(0, int(after["reserved"] or 0) - baseline),
        "left_allocated": max(0, int(after["allocated"] or 0) - int(before["allocated"] or 0)),
    }


def measure_combination(
    family: Family,
    folder: Path,
    quantization: str,
    args: argparse.Namespace,
    budget: Budget,
    nvml: Nvml,
) -> dict[str, Any]:
    """Load, run every batch size, unload: one (model, quantization) combination."""
    free_cuda()
    before = memory_now(nvml)
    torch.cuda.reset_peak_memory_stats()
    result: dict[str, Any] = {"before_load": before, "batches": []}
    started = time.perf_counter()
    try:
        model, problems = load_model(family, folder, quantization, args.attention)
    except Exception as error:
        result["status"] = f"error: load failed: {type(error).__name__}: {error}"
    if result.get("status"):  # unload outside the except block: its traceback holds tensors
        result["unload"] = unload(before, nvml)
        return result
    torch.cuda.synchronize()
    result["load_s"] = time.perf_counter() - started
    result["after_load"] = memory_now(nvml)
    result["load_peak_allocated"] = torch.cuda.max_memory_allocated()
    result["loading_info"] = problems
    result["status"] = "ok"
    try:
        for batch in args.batch_sizes:
            row = measure_batch(model, family, batch, args, budget)
            result["batches"].append(row)
            if row["status"] == "oom":
                break
    except Exception as error:
        result["status"] = f"error: {type(error).__name__}: {error}"
    del model
    result["unload"] = unload(before, nvml)
    return result


def predicted_seconds(
    family: Family, quantization: str, measured: dict[tuple[str, str], float]
) -> float:
    """Time of this combination guessed from a measured one of the same model (0: no guess)."""
    for (key, quant), seconds in measured.items():
        if key == family.key:
            return seconds * QUANT_COST[quantization] / QUANT_COST[quant]
    return 0.0


# --- results -----------------------------------------------------------------------------------


def _gib(value: Any) -> str:
    return "-" if value is None else f"{value / GIB:.2f}"


def _num(value: Any, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _short(text: str, limit: int = 160) -> str:
    """A status for the table: one line, cut at ``limit`` characters (the JSON has it all)."""
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def table_rows(combinations: Sequence[dict[str, Any]]) -> list[str]:
    """One Markdown row per (model, quantization, batch)."""
    rows = []
    for combo in combinations:
        head = f"| {combo['model']} | {combo['quantization']} "
        load = combo.get("after_load") or {}
        common = (
            f"| {_num(combo.get('load_s'))} | {_gib(load.get('allocated'))} / "
            f"{_gib(load.get('reserved'))} "
        )
        unloaded = combo.get("unload") or {}
        unload_s = unloaded.get("unload_s")
        extra = []
        if unloaded and not unloaded.get("returned", True):
            extra.append(f"VRAM not returned: {_gib(unloaded.get('left_reserved'))} GiB left")
        if combo.get("loading_info"):
            extra.append(f"loading info: {sorted(combo['loading_info'])}")
        if not combo.get("batches"):
            batch_text = ",".join(str(b) for b in combo.get("batch_sizes", [])) or "-"
            notes = "; ".join([_short(str(combo.get("status", ""))), *extra])
            rows.append(f"{head}| {batch_text} {common}| - | - | - | {_num(unload_s)} | {notes} |")
            continue
        for row in combo["batches"]:
            status = row["status"] if combo.get("status") == "ok" else str(combo.get("status"))
            notes = "; ".join([_short(status), *row.get("notes", []), *extra])
            rows.append(
                f"{head}| {row['batch_size']} {common}"
                f"| {_gib(row.get('peak_allocated'))} / {_gib(row.get('peak_reserved'))} "
                f"| {_num(row.get('s_per_page'), 3)} | {_num(row.get('pages_per_s'))} "
                f"| {_num(unload_s)} | {notes} |"
            )
    return rows


def print_table(report: dict[str, Any]) -> None:
    print(
        "| model | quant | batch | load s | after load alloc / res GiB | peak alloc / res GiB "
        "| s/page | pages/s | unload s | notes |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for line in table_rows(report["combinations"]):
        print(line)
    print()
    print(
        f"{report['new_tokens']} new tokens per page, greedy; median of {report['runs']} runs "
        "after one warm-up; random weights, synthetic pages."
    )
    skipped = [c for c in report["combinations"] if str(c.get("status", "")).startswith("skip")]
    if skipped:
        print(f"{len(skipped)} combination(s) skipped; see the notes column.")


def environment() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "transformers": transformers.__version__,
        "bitsandbytes": None,
    }
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        info["bitsandbytes"] = version("bitsandbytes")
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        info["accelerate"] = version("accelerate")
    if torch.cuda.is_available():
        props = torch.cuda.get_device_properties(torch.cuda.current_device())
        info["gpu"] = props.name
        info["gpu_total_bytes"] = props.total_memory
    return info


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


def elapsed() -> str:
    return f"[{time.perf_counter() - SCRIPT_STARTED:6.1f} s]"


# --- command line ------------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def name_list(allowed: Sequence[str]) -> Any:
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"expected a comma-separated subset of {','.join(allowed)}, got {text!r}"
            )
        return list(dict.fromkeys(names))

    return parse


def int_list(text: str) -> list[int]:
    try:
        values = [positive_int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    if not values:
        raise argparse.ArgumentTypeError("expected at least one batch size")
    return sorted(dict.fromkeys(values))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Load time, VRAM and pages/s of the seed GPU models at fp16/int8/int4 "
        "(random weights, synthetic pages, no download)."
    )
    parser.add_argument(
        "--models",
        type=name_list(tuple(FAMILIES)),
        default=list(FAMILIES),
        help="got_ocr2,qwen2_vl,janus",
    )
    parser.add_argument(
        "--quantization",
        type=name_list(QUANTIZATIONS),
        default=list(QUANTIZATIONS),
        help="fp16,int8,int4",
    )
    parser.add_argument("--batch-sizes", type=int_list, default=[1, 4], help="pages per call (1,4)")
    parser.add_argument(
        "--new-tokens", type=positive_int, default=64, help="new tokens a page (64)"
    )
    parser.add_argument("--runs", type=positive_int, default=3, help="timed runs; median (3)")
    parser.add_argument("--json", type=Path, default=None, help=f"results file ({DEFAULT_JSON})")
    parser.add_argument(
        "--time-budget", type=float, default=480.0, help="seconds for the whole run (480)"
    )
    parser.add_argument(
        "--qwen-size", type=parse_size, default=(896, 1176), help="Qwen2-VL page WxH px (896x1176)"
    )
    parser.add_argument(
        "--attention",
        choices=("auto", "sdpa", "eager", "flash_attention_2"),
        default="auto",
        help="attn_implementation (auto: transformers' choice)",
    )
    parser.add_argument(
        "--workdir", type=Path, default=None, help="folder for the temporary checkpoints (TMPDIR)"
    )
    parser.add_argument("--verbose", action="store_true", help="keep transformers' warnings")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="meta device only: parameters, bytes, shapes (no GPU)",
    )
    return parser.parse_args(argv)


def run_dry(args: argparse.Namespace) -> int:
    results = [dry_run_family(FAMILIES[key], args.qwen_size) for key in args.models]
    print_dry_run(results)
    if args.json:
        write_json(args.json, {"dry_run": True, "environment": environment(), "models": results})
        print(f"\nWritten to {args.json}")
    return 0


@contextlib.contextmanager
def checkpoints_folder(workdir: Path | None) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="gpu-models-", dir=workdir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def skipped_combination(
    family: Family, quantization: str, batches: Sequence[int], status: str
) -> dict[str, Any]:
    return {
        "model": family.key,
        "quantization": quantization,
        "batch_sizes": list(batches),
        "status": status,
        "batches": [],
    }


def prepare_all(
    families: Sequence[Family], root: Path, budget: Budget, report: dict[str, Any]
) -> dict[str, Path]:
    """Write each model's random fp16 checkpoint; returns the folders that were written."""
    folders: dict[str, Path] = {}
    for family in families:
        if not budget.allows(0):
            report["prepare"][family.key] = {"status": "skipped: time budget"}
            continue
        folder = root / family.key
        needed = int(2.2 * family.app_params)  # fp16 bytes and some room
        free = shutil.disk_usage(root).free
        if free < needed:
            status = f"skipped: {free / GIB:.1f} GiB free in {root}, needs {needed / GIB:.1f}"
            report["prepare"][family.key] = {"status": status}
            print(f"{elapsed()} {family.key}: {status}", flush=True)
            continue
        try:
            info = prepare_checkpoint(family, folder)
        except Exception as error:
            report["prepare"][family.key] = {"status": f"error: {type(error).__name__}: {error}"}
            print(f"{elapsed()} {family.key}: preparing failed: {error}", flush=True)
            free_cuda()
            continue
        report["prepare"][family.key] = {"status": "ok", **info}
        folders[family.key] = folder
        print(
            f"{elapsed()} {family.key}: {info['params'] / 1e9:.3f} B parameters, built in "
            f"{info['build_s']:.1f} s ({info['built_on']}), saved in {info['save_s']:.1f} s",
            flush=True,
        )
    return folders


def run_gpu(args: argparse.Namespace) -> int:
    budget = Budget(args.time_budget)
    json_path = args.json or DEFAULT_JSON
    nvml = Nvml()
    has_bnb = importlib.util.find_spec("bitsandbytes") is not None
    families = [FAMILIES[key] for key in args.models]
    report: dict[str, Any] = {
        "environment": {**environment(), "nvidia_driver": nvml.driver()},
        "arguments": {k: v for k, v in vars(args).items() if k != "json"},
        "new_tokens": args.new_tokens,
        "runs": args.runs,
        "prepare": {},
        "combinations": [],
    }
    env = report["environment"]
    print(
        f"{env.get('gpu')}, {env['gpu_total_bytes'] / GIB:.1f} GiB; torch {env['torch']} (CUDA "
        f"{env['cuda']}), transformers {env['transformers']}, bitsandbytes "
        f"{env['bitsandbytes'] or 'not installed'}; budget {args.time_budget:.0f} s",
        flush=True,
    )
    warm_up_cuda()
    measured: dict[tuple[str, str], float] = {}
    with checkpoints_folder(args.workdir) as root:
        folders = prepare_all(families, root, budget, report)
        for quantization in sorted(args.quantization, key=QUANT_COST.__getitem__):
            for family in families:
                combo = run_one(
                    family,
                    quantization,
                    folders.get(family.key),
                    args,
                    budget,
                    nvml,
                    has_bnb,
                    measured,
                )
                report["combinations"].append(combo)
                write_json(json_path, report)
    print()
    print_table(report)
    print(f"\nResults written to {json_path}")
    return 0


def run_one(
    family: Family,
    quantization: str,
    folder: Path | None,
    args: argparse.Namespace,
    budget: Budget,
    nvml: Nvml,
    has_bnb: bool,
    measured: dict[tuple[str, str], float],
) -> dict[str, Any]:
    """One combination, or the reason it is skipped."""
    if quantization != "fp16" and not has_bnb:
        return skipped_combination(
            family, quantization, args.batch_sizes, "skipped: bitsandbytes not installed"
        )
    if folder is None:
        status = f"skipped: no checkpoint for {family.key} (see prepare in the JSON)"
        return skipped_combination(family, quantization, args.batch_sizes, status)
    guess = predicted_seconds(family, quantization, measured)
    if not budget.allows(guess):
        left = f"{max(0.0, budget.left()):.0f} s left"
        status = f"needs ~{guess:.0f} s, {left}" if guess else left
        return skipped_combination(
            family, quantization, args.batch_sizes, f"skipped: time budget ({status})"
        )
    started = time.perf_counter()
    result = measure_combination(family, folder, quantization, args, budget, nvml)
    seconds = time.perf_counter() - started
    measured.setdefault((family.key, quantization), seconds)
    combo = {
        "model": family.key,
        "quantization": quantization,
        "batch_sizes": list(args.batch_sizes),
        "seconds": seconds,
        **result,
    }
    log_combination(combo)
    return combo


def log_combination(combo: dict[str, Any]) -> None:
    load = combo.get("after_load") or {}
    parts = [
        f"{elapsed()} {combo['model']} {combo['quantization']}: {combo.get('status')}",
        f"load {_num(combo.get('load_s'))} s",
        f"{_gib(load.get('allocated'))} GiB allocated",
    ]
    for row in combo.get("batches", []):
        parts.append(
            f"batch {row['batch_size']}: {_num(row.get('s_per_page'), 3)} s/page ({row['status']})"
        )
    parts.append(f"unload {_num((combo.get('unload') or {}).get('unload_s'))} s")
    print(", ".join(parts), flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.verbose:
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
    if args.dry_run:
        return run_dry(args)
    if not torch.cuda.is_available():
        print(
            "gpu_models.py needs a CUDA GPU (torch.cuda.is_available() is False; torch "
            f"{torch.__version__}). Use --dry-run to check the configurations without one.",
            file=sys.stderr,
        )
        return 2
    return run_gpu(args)


if __name__ == "__main__":
    sys.exit(main())
