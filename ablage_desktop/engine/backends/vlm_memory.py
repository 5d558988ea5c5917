"""The memory plans of the vision-language families, read from a model folder without loading it.

Only ``config.json``, the processor's JSON files and the safetensors headers are read (a few
KB; no weight, no torch). Each family's resize rule is the one its processor applies:

* GOT-OCR2 resizes every page to one fixed square (1024 px): its token count never changes;
* Qwen2-VL and Qwen2.5-VL keep the page's aspect and area within ``min_pixels`` ..
  ``max_pixels``, on a grid of 28 px (``smart_resize``): a 300 dpi page can give 11,000 tokens;
* Janus resizes to a fixed square (384 px): 576 tokens.

Quantized weights: bitsandbytes replaces the ``nn.Linear`` layers outside the skipped modules
(int8: one byte per weight and a float32 scale per output row; nf4 with double quantization:
half a byte per weight and about one byte per 64-weight block); every other tensor keeps the
checkpoint's dtype. A safetensors header does not name module types, so a 2-D ``*.weight``
outside embeddings and norms counts as a Linear layer. A decoder's token embedding that is not
tied to its output layer is held in int8 on a GPU under both (``vlm_embedding``): one byte per
weight and a float32 scale per row. On a CPU, where the load keeps the checkpoint's dtype, it
stays in the checkpoint's memory map and only the rows a page looks up become resident: the
plan counts it as weights but not as resident (``ModelPlan.unread``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ablage_desktop.engine.backends.model_folder import DTYPE_BYTES, read_header
from ablage_desktop.engine.backends.vlm_device import BITSANDBYTES
from ablage_desktop.engine.memory.plan import (
    BF16_SOFTMAX_COPIES,
    CUDA_CONTEXT,
    WORKER_PROCESS_RAM,
    BlockLayers,
    DecoderShape,
    MatmulTemporaries,
    ModelPlan,
    VisionPass,
)

PROMPT_TOKENS = 64
"""Chat template, system prompt and the OCR instruction around the image (30-60 tokens)."""
NOT_LINEAR = ("embed", "norm", "position", "pos_", "codebook", "rel_pos")
"""Name parts of 2-D weights that are embeddings or norms, not Linear layers."""
NF4_BLOCK = 64
NF4_TABLES = (16 + 256) * 4 + 8
"""Bytes of a 4-bit layer's quantization state beside its block scales: NF4's 16 levels and
the 256-entry code of the scales' own (double) quantization in float32, and an offset."""
ACTIVATION_BYTES = {"fp32": 4, "fp16": 2, "bf16": 2}
TOKEN_EMBEDDING = "embed_tokens.weight"
"""The decoder's token embedding in the checkpoints of all four families."""
VISION_NAMES = ("visual.", "vision_model.", "vision_tower.")
"""Name parts of the vision towers' tensors (Qwen2-VL, Janus, GOT): their blocks read the
page's patches, the decoder's layers the prompt."""


@dataclass(frozen=True, slots=True)
class Weights:
    parameters: int
    bytes: int
    checkpoint_dtype_bytes: int
    """The dtype most of the checkpoint is stored in (what ``auto`` loads beside int8/int4)."""
    quantized: int = 0
    """Weights bitsandbytes quantizes (int8/int4)."""
    largest_block: int = 0
    """Quantized weights of the block that has the most (a decoder layer, a vision block)."""
    vision_blocks: tuple[BlockLayers, ...] = ()
    """int8: the vision tower's blocks (each kind once) by their quantized layers' shapes."""
    decoder_blocks: tuple[BlockLayers, ...] = ()
    """int8: the same for the decoder's layers."""
    unread: int = 0
    """Of ``bytes``, what stays in the checkpoint's memory map, read a few rows at a time."""


EMBEDDING_KEPT = "kept"
"""How the token embedding is held: as loaded (tied to the output layer, or on a GPU
without bitsandbytes); in int8 (``vlm_embedding``: untied, on a GPU under int8 and int4);
left in the checkpoint's memory map (untied, on a CPU, where the load keeps its dtype)."""
EMBEDDING_INT8 = "int8"
EMBEDDING_MAPPED = "mapped"


def _skipped(name: str, skip: Sequence[str]) -> bool:
    """Whether tensor ``name`` lies in one of the modules bitsandbytes leaves alone.

    Checkpoints keep transformers' older key layout (``vision_tower.x`` for the module
    ``model.vision_tower.x``), so a module path matches without its leading ``model.`` too."""
    for module in skip:
        for path in {module, module.removeprefix("model.")}:
            if name.startswith(path + ".") or f".{path}." in name:
                return True
    return False


def _is_linear(name: str, shape: Sequence[int], skip: Sequence[str]) -> bool:
    if len(shape) != 2 or not name.endswith(".weight"):
        return False
    if any(part in name for part in NOT_LINEAR):
        return False
    return not _skipped(name, skip)


def weights_of(
    folder: Path,
    quantization: str,
    skip: Sequence[str] = (),
    unused: Sequence[str] = (),
    embedding: str = EMBEDDING_KEPT,
) -> Weights | None:
    """Bytes of the checkpoint's tensors as ``quantization`` loads them, without the modules
    the backend drops after the load (``unused``, dotted prefixes); None when unreadable.
    ``embedding``: how the token embedding is held (``EMBEDDING_KEPT`` and the others)."""
    dropped = tuple(prefix + "." for prefix in unused)
    parameters = quantized = 0
    blocks: dict[str, int] = {}
    layers: dict[str, list[tuple[int, int]]] = {}
    total = 0.0
    unread = 0
    by_dtype: dict[int, int] = {}
    for path in sorted(folder.glob("*.safetensors")):
        try:
            header = read_header(path)
        except (OSError, ValueError):
            return None
        for name, entry in header.tensors.items():
            if name.startswith(dropped):
                continue
            shape = entry["shape"]
            count = math.prod(shape)
            stored = DTYPE_BYTES.get(str(entry.get("dtype")), 4)
            parameters += count
            by_dtype[stored] = by_dtype.get(stored, 0) + count
            loaded = ACTIVATION_BYTES.get(quantization, stored)
            if embedding != EMBEDDING_KEPT and name.endswith(TOKEN_EMBEDDING):
                if embedding == EMBEDDING_INT8 and quantization in BITSANDBYTES:
                    total += count + shape[0] * 4
                    continue
                if embedding == EMBEDDING_MAPPED and loaded == stored:
                    unread += count * stored
            if quantization not in BITSANDBYTES or not _is_linear(name, shape, skip):
                total += count * loaded
                continue
            quantized += count
            block = block_of(name)
            blocks[block] = blocks.get(block, 0) + count
            layers.setdefault(block, []).append((shape[0], shape[1]))
            if quantization == "int8":
                total += count + shape[0] * 4
            else:
                # packed weights, 8-bit block scales, their float32 scales, the tables
                total += count / 2 + count / NF4_BLOCK + count / NF4_BLOCK / 64 + NF4_TABLES
    if not parameters:
        return None
    dominant = max(by_dtype, key=lambda width: by_dtype[width])
    int8 = quantization == "int8"
    return Weights(
        parameters,
        int(total),
        dominant,
        quantized,
        largest_block=max(blocks.values(), default=0),
        vision_blocks=_kinds(v for b, v in layers.items() if in_vision(b)) if int8 else (),
        decoder_blocks=_kinds(v for b, v in layers.items() if not in_vision(b)) if int8 else (),
        unread=unread,
    )


def _kinds(blocks: Iterable[list[tuple[int, int]]]) -> tuple[BlockLayers, ...]:
    """Each kind of block once (the blocks of one list have the same shapes), its layers
    sorted: the count does not depend on their order."""
    return tuple(sorted({tuple(sorted(layers)) for layers in blocks}))


def in_vision(name: str) -> bool:
    """Whether the tensor or module ``name`` lies in a vision tower (``VISION_NAMES``)."""
    return any(name.startswith(part) or f".{part}" in name for part in VISION_NAMES)


def block_of(name: str) -> str:
    """The repeated block a tensor belongs to: its name up to the first index
    (``model.layers.3`` for ``model.layers.3.mlp.up_proj.weight``); a layer outside any list
    is a block of its own."""
    parts = name.split(".")
    for position, part in enumerate(parts):
        if part.isdigit():
            return ".".join(parts[: position + 1])
    return name


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def image_processor_settings(folder: Path) -> dict[str, Any]:
    """The image processor's settings: ``preprocessor_config.json`` (as on the Hub), else the
    ``image_processor`` part of ``processor_config.json`` (as transformers 5 saves them), with
    the processor's own ``num_image_tokens`` where it has one."""
    processor = _json(folder / "processor_config.json")
    nested = processor.get("image_processor")
    settings = dict(nested) if isinstance(nested, dict) else {}
    settings.update(_json(folder / "preprocessor_config.json"))
    if "num_image_tokens" in processor:
        settings.setdefault("num_image_tokens", processor["num_image_tokens"])
    return settings


def tied_embedding(config: dict[str, Any]) -> bool:
    """Whether the config ties the token embedding to the output layer (transformers' default
    where it does not say)."""
    for part in (config, config.get("text_config") or {}):
        if "tie_word_embeddings" in part:
            return bool(part["tie_word_embeddings"])
    return True


def decoder_shape(config: dict[str, Any], eager: bool) -> DecoderShape:
    text = config.get("text_config") or config
    hidden = int(text.get("hidden_size", 0))
    heads = int(text.get("num_attention_heads", 1))
    return DecoderShape(
        layers=int(text.get("num_hidden_layers", 0)),
        hidden=hidden,
        intermediate=int(text.get("intermediate_size", 4 * hidden)),
        heads=heads,
        kv_heads=int(text.get("num_key_value_heads") or heads),
        head_dim=int(text.get("head_dim") or hidden // max(1, heads)),
        vocab=int(text.get("vocab_size", 0)),
        eager=eager,
    )


def _square_side(preprocessor: dict[str, Any], default: int) -> tuple[int, int]:
    size = preprocessor.get("size") or {}
    if isinstance(size, dict) and "height" in size:
        return int(size["height"]), int(size["width"])
    return default, default


# --- the families' resize rules ----------------------------------------------------------------


def got_ocr2_pass(
    config: dict[str, Any], preprocessor: dict[str, Any]
) -> Callable[[int, int], VisionPass]:
    """SAM ViT: the page resized to one square; windowed attention plus a few global layers,
    all eager (GOT refuses sdpa), so a global layer scores every patch against every other."""
    vision = config.get("vision_config") or {}
    height, width = _square_side(preprocessor, int(vision.get("image_size", 1024)))
    patch = int(vision.get("patch_size", 16))
    patches = (height // patch) * (width // patch)
    window = int(vision.get("window_size", 14))
    span = patches if vision.get("global_attn_indexes") else window * window
    tokens = int(config.get("image_seq_length") or patches // 16)
    seen = VisionPass(
        tokens=tokens,
        patches=patches,
        hidden=int(vision.get("hidden_size", 768)),
        mlp=int(vision.get("mlp_dim", 3072)),
        heads=int(vision.get("num_attention_heads", 12)),
        attention_span=span,
        pixels=height * width,
    )
    return lambda page_width, page_height: seen


def smart_resize(
    height: int, width: int, factor: int, min_pixels: int, max_pixels: int
) -> tuple[int, int]:
    """Qwen2-VL's resize: both sides multiples of ``factor``, the area within the bounds."""
    h_bar = max(factor, round(height / factor) * factor)
    w_bar = max(factor, round(width / factor) * factor)
    if h_bar * w_bar > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h_bar = max(factor, math.floor(height / beta / factor) * factor)
        w_bar = max(factor, math.floor(width / beta / factor) * factor)
    elif h_bar * w_bar < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h_bar = math.ceil(height * beta / factor) * factor
        w_bar = math.ceil(width * beta / factor) * factor
    return h_bar, w_bar


def qwen2_vl_pass(
    config: dict[str, Any], preprocessor: dict[str, Any], eager: bool
) -> Callable[[int, int], VisionPass]:
    """A ViT over 14 px patches of the page at (about) its own size; 2x2 patches make a token.

    Qwen2.5-VL (``intermediate_size`` in its vision config) has a gated MLP and attends
    within 112 px windows except in its ``fullatt_block_indexes`` layers.
    """
    vision = config.get("vision_config") or {}
    size = preprocessor.get("size") or {}
    min_pixels = int(preprocessor.get("min_pixels") or size.get("shortest_edge") or 56 * 56)
    max_pixels = int(preprocessor.get("max_pixels") or size.get("longest_edge") or 28 * 28 * 1280)
    patch = int(preprocessor.get("patch_size") or vision.get("patch_size", 14))
    merge = int(preprocessor.get("merge_size") or vision.get("spatial_merge_size", 2))
    temporal = int(preprocessor.get("temporal_patch_size") or vision.get("temporal_patch_size", 2))
    qwen25 = "intermediate_size" in vision
    hidden = int(vision.get("hidden_size" if qwen25 else "embed_dim", 1280))
    mlp = int(vision.get("intermediate_size") or hidden * int(vision.get("mlp_ratio", 4)))
    heads = int(vision.get("num_heads", 16))

    def seen(page_width: int, page_height: int) -> VisionPass:
        height, width = smart_resize(page_height, page_width, patch * merge, min_pixels, max_pixels)
        patches = (height // patch) * (width // patch)
        span = patches if eager else 0
        return VisionPass(
            tokens=patches // (merge * merge),
            patches=patches,
            hidden=hidden,
            mlp=mlp,
            heads=heads,
            attention_span=span,
            gated_mlp=qwen25,
            pixels=height * width * temporal,
        )

    return seen


def janus_pass(
    config: dict[str, Any], preprocessor: dict[str, Any], eager: bool
) -> Callable[[int, int], VisionPass]:
    """SigLIP: the page resized to one square (384 px), one token per 16 px patch."""
    vision = config.get("vision_config") or {}
    height, width = _square_side(preprocessor, int(vision.get("image_size", 384)))
    patch = int(vision.get("patch_size", 16))
    patches = (height // patch) * (width // patch)
    hidden = int(vision.get("hidden_size", 1024))
    tokens = preprocessor.get("num_image_tokens") or vision.get("num_image_tokens") or patches
    seen = VisionPass(
        tokens=int(tokens),
        patches=patches,
        hidden=hidden,
        mlp=int(hidden * float(vision.get("mlp_ratio", 4.0))),
        heads=int(vision.get("num_attention_heads", 16)),
        attention_span=patches if eager else 0,
        pixels=height * width,
    )
    return lambda page_width, page_height: seen


def plan_of(
    folder: Path,
    model_type: str,
    quantization: str,
    attention: str,
    skip: Sequence[str],
    max_new_tokens: int,
    batch: int,
    device: str = "gpu",
    isolated: bool = False,
    unused: Sequence[str] = (),
) -> ModelPlan | None:
    """The plan of the model in ``folder``; None where its files cannot tell. ``isolated``:
    the model runs in a worker process of its own, whose interpreter (on a GPU, its CUDA
    context) the plan counts too; ``unused``: modules dropped after the load, not counted."""
    config = _json(folder / "config.json")
    preprocessor = image_processor_settings(folder)
    if not config:
        return None
    embedding = EMBEDDING_KEPT
    if not tied_embedding(config):
        embedding = EMBEDDING_INT8 if device == "gpu" else EMBEDDING_MAPPED
    weights = weights_of(folder, quantization, skip, unused, embedding)
    if weights is None:
        return None
    eager = attention == "eager"
    if model_type == "got_ocr2":
        seen = got_ocr2_pass(config, preprocessor)
        eager = True
    elif model_type in ("qwen2_vl", "qwen2_5_vl"):
        seen = qwen2_vl_pass(config, preprocessor, eager)
    elif model_type == "janus":
        seen = janus_pass(config, preprocessor, eager)
    else:
        return None
    activation = ACTIVATION_BYTES.get(quantization, weights.checkpoint_dtype_bytes)
    # bitsandbytes on a CPU: one block's matmul temporaries at a time (vlm_heap)
    temporaries = MatmulTemporaries()
    if device == "cpu" and quantization == "int8":
        temporaries = MatmulTemporaries(weights.vision_blocks, weights.decoder_blocks)
    elif device == "cpu" and quantization == "int4":
        temporaries = MatmulTemporaries(fixed=weights.largest_block * activation)
    # bf16 activations (bf16 itself, or int8/int4 over a bf16 checkpoint); fp16 (CUDA only:
    # a CPU loads fp32 instead) has its upcast fused into the softmax
    bf16 = activation == 2 and quantization != "fp16"
    return ModelPlan(
        family=model_type,
        quantization=quantization,
        parameters=weights.parameters,
        weights=weights.bytes,
        activation_bytes=activation,
        decoder=decoder_shape(config, eager),
        vision_pass=seen,
        prompt_tokens=PROMPT_TOKENS,
        max_new_tokens=max_new_tokens,
        batch=batch,
        temporaries=temporaries,
        softmax_copies=BF16_SOFTMAX_COPIES if bf16 else 1,
        process=(WORKER_PROCESS_RAM if device == "cpu" else CUDA_CONTEXT) if isolated else 0,
        unread=weights.unread,
    )
