"""A vision-language model's memory, per page, worked out before it loads.

A flat "weights + 20 %" is wrong both ways: a 256-token GOT page costs little beyond its
weights, a 300 dpi page through Qwen2-VL's dynamic resolution costs gigabytes of vision
activations and KV cache. The plan adds up what the model's own configuration says:

* weights: the checkpoint's tensors at the bytes the quantization leaves them (read from the
  safetensors headers by the caller);
* per page, at the page's size: the vision tokens the processor's resize rules give, the KV
  cache of the whole sequence (prompt, image, answer), the vision tower's activations and the
  decoder's prefill activations. The vision tower runs before the decoder and its activations
  are gone when the prefill starts, so the page costs the larger of the two passes;
* a batch of N pages costs N times the page.

The arithmetic lives here, free of torch; each family's reading of its configuration lives
with the backends (``backends/vlm_memory.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MIB = 1 << 20

REFERENCE_PAGE = (2480, 3508)
"""An A4 page at 300 dpi (the PDF render resolution): what a plan is quoted at before any page."""
SOFTMAX_BYTES = 4
"""Eager attention takes its softmax in float32 whatever the model's dtype."""
BF16_SOFTMAX_COPIES = 2
"""Float32 copies of the scores while a softmax in float32 runs over bf16 scores: the scores
are first copied to float32, then the softmax writes its own (torch fuses the upcast into the
kernel for fp16 on CUDA only). Measured: GOT's SAM tower in bf16 and int8 on an H200 peaks
4 bytes a score above one copy; on a CPU, ``softmax(dtype=float32)`` over 12 x 4096^2 bf16
scores adds 1,536 MiB, 8 bytes a score, and GOT int8's vision pass peaks at 2.5 GiB, not the
1.6 GiB of one copy. (GOT bf16 on a CPU hid it: its weights are read through the memory map,
and on the first page its decoder's were not resident yet while the vision tower ran.)"""
EAGER_SCORE_COPIES = 2
"""Score matrices in the model's dtype alive beside the float32 softmax: the scores and one
temporary (relative positions, the mask). Measured: GOT's SAM tower in bf16 peaks at
2 x 2 + 4 bytes per score, in fp32 at 3 x 4."""
VISION_ACTIVATION_WIDTHS = 6
"""Hidden-size-wide tensors alive at once in a vision block (residual, norm, q, k, v, out)."""
MLP_ACTIVATION_COPIES = 2
"""MLP-wide tensors alive at once (up projection and its activation; gate for gated MLPs)."""
DECODER_ACTIVATION_WIDTHS = 6
"""Hidden-size-wide tensors alive at once in a decoder layer during the prefill."""
RUNTIME_OVERHEAD = 96 * MIB
"""Processor, tokenizer and the model's Python objects beside its tensors (measured 60-90 MiB)."""
WORKER_PROCESS_RAM = 390 * MIB
"""A model in a worker process of its own (``isolated``, on a CPU): the interpreter with torch,
transformers and the family's classes imported, before any weight (measured 388 MiB with
GOT-OCR2's; torch alone is 209 MiB). In the app's own process the same libraries stayed after
the unload."""
CUDA_CONTEXT = 571 * MIB
"""A worker process's CUDA context on its GPU (measured: 1,142 MiB for two contexts on an H200,
torch 2.11 with CUDA 13); the app's own process makes none for an isolated model."""


@dataclass(frozen=True, slots=True)
class DecoderShape:
    """The language model's dimensions, from ``text_config``."""

    layers: int
    hidden: int
    intermediate: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    eager: bool = False
    """Eager attention materialises (heads x sequence x sequence) scores; sdpa does not."""
    gated_mlp: bool = True

    def kv_bytes_per_token(self, dtype_bytes: int) -> int:
        """Keys and values of every layer for one token."""
        return 2 * self.layers * self.kv_heads * self.head_dim * dtype_bytes


@dataclass(frozen=True, slots=True)
class VisionPass:
    """What the vision tower does with one page: the processor's resize rules applied."""

    tokens: int
    """Image tokens the page puts into the decoder's sequence."""
    patches: int
    """Tokens inside the vision tower (before any merger)."""
    hidden: int
    mlp: int
    heads: int
    attention_span: int = 0
    """Longest sequence one eager attention call sees (0: sdpa, no score matrix kept)."""
    gated_mlp: bool = False
    pixels: int = 0
    """Pixels of the resized image(s) the tower reads."""


@dataclass(frozen=True, slots=True)
class PagePlan:
    """Bytes one batch of pages of one size needs beyond the model's weights."""

    width: int
    height: int
    batch: int
    vision_tokens: int
    """Per page."""
    sequence: int
    """Decoder tokens per page: prompt, image and the longest answer allowed."""
    kv_cache: int
    vision: int
    """Peak of the vision tower's pass (the whole batch)."""
    decoder: int
    """Peak of the decoder's prefill beside its KV cache (the whole batch)."""
    inputs: int
    """The page images and pixel tensors handed to the model."""
    working: int = 0
    """bitsandbytes' matmul temporaries in one block on a CPU (see ``MatmulTemporaries``)."""

    @property
    def total(self) -> int:
        return self.inputs + self.working + max(self.vision, self.kv_cache + self.decoder)

    def describe(self) -> str:
        return (
            f"{self.width}x{self.height} px x{self.batch}: {self.vision_tokens} vision tokens, "
            f"{self.sequence} tokens; KV cache {_mib(self.kv_cache)}, vision "
            f"{_mib(self.vision)}, decoder {_mib(self.decoder)}, inputs {_mib(self.inputs)}"
            + (f", matmul temporaries {_mib(self.working)}" if self.working else "")
        )

    def to_json(self) -> dict[str, int]:
        return {
            "width": self.width,
            "height": self.height,
            "batch": self.batch,
            "vision_tokens": self.vision_tokens,
            "sequence": self.sequence,
            "kv_cache_bytes": self.kv_cache,
            "vision_bytes": self.vision,
            "decoder_bytes": self.decoder,
            "inputs_bytes": self.inputs,
            "working_bytes": self.working,
            "page_bytes": self.total,
        }


BlockLayers = tuple[tuple[int, int], ...]
"""A block's quantized Linear layers as (out_features, in_features)."""
MAPPED_FROM = 32 * MIB
"""glibc's largest threshold for taking a block from the heap (64-bit): a larger allocation is
a mapping of its own, given back to the system the moment it is freed."""
INT8_INPUT_ALLOCATIONS = (
    (2, True),
    (2, False),
    (1, False),
    (2, False),
    (2, False),
    (2, False),
    (1, True),
)
INT8_OUTPUT_ALLOCATIONS = ((4, True), (4, False), (4, False), (4, False), (2, True))
"""What bitsandbytes' int8 matmul allocates on a CPU, in bytes per input or output element
and whether it stays until the layer is done: the input in float16; its magnitudes, the
outlier mask, its magnitudes again, the scaled and the rounded input; the input in int8; then
the int32 product, the row-times-column scales, their product with it, that times a constant
(all float32) and the result in the model's dtype (``bitsandbytes/backends/default/ops.py``)."""
HEAP_KEPT = 0.6
"""Of the allocations below ``MAPPED_FROM`` a block makes, the share its heap still holds at
the block's peak (freed blocks of one size are reused by the next of that size or smaller).
Fitted to the peaks of nine blocks measured alone at full size (``benchmarks/int8_blocks.py``:
GOT-OCR2's decoder layers, Janus', Qwen2-VL's and Qwen2.5-VL's vision blocks and decoder
layers, Qwen2-VL's at two page sizes): each 0.80-1.16 of its list's largest (the count before,
3 bytes an input and 8 an output element, gave 0.53-1.23)."""


def int8_block_bytes(layers: BlockLayers, tokens: int) -> int:
    """Bytes int8's matmul temporaries hold at the peak of one block reading ``tokens``.

    Allocations below ``MAPPED_FROM`` come from the heap, which keeps them through the block
    (trimmed after it): ``HEAP_KEPT`` of their sum. Larger ones are mappings, held only while
    alive: the most that one layer has alive at once. A small page's temporaries are all heap,
    a large page's mostly mappings, so the count grows more slowly than the tokens."""
    heap = mapped = 0
    for out_features, in_features in layers:
        allocations = [
            *((per * in_features, kept) for per, kept in INT8_INPUT_ALLOCATIONS),
            *((per * out_features, kept) for per, kept in INT8_OUTPUT_ALLOCATIONS),
        ]
        alive = peak = 0
        for per_token, kept in allocations:
            size = per_token * tokens
            if size < MAPPED_FROM:
                heap += size
                continue
            peak = max(peak, alive + size)
            if kept:
                alive += size
        mapped = max(mapped, peak)
    return int(HEAP_KEPT * heap) + mapped


@dataclass(frozen=True, slots=True)
class MatmulTemporaries:
    """What bitsandbytes' matmuls make in one block of a model on a CPU; the heap gives it back
    after each block (``backends/vlm_heap.py``), so a page holds one block's at a time.

    int8's scale with the tokens a block reads (``int8_block_bytes``): the vision tower's blocks
    read the page's patches, the decoder's layers the prompt's prefill. 4-bit dequantizes each
    weight for the prefill's matmul: ``fixed``, the largest block's weights in the compute dtype
    (not measured)."""

    vision_blocks: tuple[BlockLayers, ...] = ()
    """The vision tower's blocks (each kind once) by the shapes of their quantized layers."""
    decoder_blocks: tuple[BlockLayers, ...] = ()
    """The same for the decoder's layers."""
    fixed: int = 0

    def bytes(self, patches: int, prefill: int) -> int:
        return self.fixed + max(self.vision(patches), self.decoder(prefill))

    def vision(self, patches: int) -> int:
        """int8: the vision tower's largest block's, at the page's patches."""
        return max((int8_block_bytes(block, patches) for block in self.vision_blocks), default=0)

    def decoder(self, prefill: int) -> int:
        """int8: the decoder's largest layer's, at the prefill's tokens."""
        return max((int8_block_bytes(block, prefill) for block in self.decoder_blocks), default=0)


@dataclass(frozen=True, eq=False)
class ModelPlan:
    """A model's weights and the rule for what each page adds, at one quantization."""

    family: str
    quantization: str
    parameters: int
    weights: int
    """Bytes of the tensors as loaded (quantized where the quantization says so)."""
    activation_bytes: int
    """Bytes per element of activations and KV cache (the dtype the model computes in)."""
    decoder: DecoderShape
    vision_pass: Callable[[int, int], VisionPass]
    """Width, height of a page -> what the vision tower does with it."""
    prompt_tokens: int
    max_new_tokens: int
    batch: int = 1
    overhead: int = RUNTIME_OVERHEAD
    process: int = 0
    """What the model's worker process holds beside the model (``WORKER_PROCESS_RAM`` on a
    CPU, ``CUDA_CONTEXT`` on a GPU); 0 for a model in the app's own process."""
    temporaries: MatmulTemporaries = MatmulTemporaries()
    """What bitsandbytes' matmuls make while pages are read on a CPU (none on a GPU)."""
    unread: int = 0
    """Of ``weights``, what a CPU load leaves in the checkpoint's memory map and a page reads a
    few rows of: a token embedding not tied to the output layer (Janus-Pro-1B's 400 MiB). Only
    the rows looked up become resident, so it is not counted as such."""
    softmax_copies: int = 1
    """Float32 copies of the scores an eager attention holds in its softmax (see
    ``BF16_SOFTMAX_COPIES``)."""
    notes: tuple[str, ...] = field(default=())

    @property
    def resident(self) -> int:
        """Bytes the loaded model holds before any page."""
        return self.weights - self.unread + self.overhead + self.process

    def page(self, width: int, height: int, batch: int | None = None) -> PagePlan:
        batch = max(1, batch or self.batch)
        seen = self.vision_pass(width, height)
        act = self.activation_bytes
        sequence = self.prompt_tokens + seen.tokens + self.max_new_tokens
        kv_cache = batch * sequence * self.decoder.kv_bytes_per_token(act)
        copies = self.softmax_copies
        vision = batch * vision_bytes(seen, act, copies)
        prefill = self.prompt_tokens + seen.tokens
        decoder = batch * decoder_bytes(self.decoder, prefill, act, copies)
        # The page as 8-bit RGB, and the resized pixels in float32 (what processors hand over).
        inputs = batch * (width * height * 3 + seen.pixels * 3 * 4)
        working = self.temporaries.bytes(batch * seen.patches, batch * prefill)
        return PagePlan(
            width,
            height,
            batch,
            seen.tokens,
            sequence,
            kv_cache,
            vision,
            decoder,
            inputs,
            working,
        )

    def total(self, width: int, height: int, batch: int | None = None) -> int:
        """Weights, runtime and one batch of pages of this size."""
        return self.resident + self.page(width, height, batch).total

    def to_json(self, width: int | None = None, height: int | None = None) -> dict[str, Any]:
        width, height = (width, height) if width and height else REFERENCE_PAGE
        page = self.page(width, height)
        return {
            "family": self.family,
            "quantization": self.quantization,
            "parameters": self.parameters,
            "weights_bytes": self.weights,
            "unread_bytes": self.unread,
            "overhead_bytes": self.overhead,
            "process_bytes": self.process,
            "kv_bytes_per_token": self.decoder.kv_bytes_per_token(self.activation_bytes),
            "max_new_tokens": self.max_new_tokens,
            "batch": page.batch,
            "page": page.to_json(),
            "total_bytes": self.resident + page.total,
        }

    def describe(self, width: int | None = None, height: int | None = None) -> str:
        """The plan in words, for a tooltip."""
        width, height = (width, height) if width and height else REFERENCE_PAGE
        page = self.page(width, height)
        return (
            f"{self.family} {self.quantization}: weights {_mib(self.weights)} "
            f"({self.parameters / 1e9:.2f} B parameters"
            f"{f'; {_mib(self.unread)} of it read from the file as needed' if self.unread else ''}"
            f") + runtime {_mib(self.overhead)}"
            f"{f' + its process {_mib(self.process)}' if self.process else ''}; "
            f"page {page.describe()}; total {_mib(self.resident + page.total)}"
        )


def vision_bytes(seen: VisionPass, dtype_bytes: int, softmax_copies: int = 1) -> int:
    """Peak activations of one page through the vision tower (one block at a time)."""
    mlp_copies = MLP_ACTIVATION_COPIES + (1 if seen.gated_mlp else 0)
    per_token = seen.hidden * VISION_ACTIVATION_WIDTHS + seen.mlp * mlp_copies
    dense = seen.patches * per_token * dtype_bytes
    scores = seen.heads * seen.attention_span**2 * _score_bytes(dtype_bytes, softmax_copies)
    return dense + scores


def decoder_bytes(
    shape: DecoderShape, prefill: int, dtype_bytes: int, softmax_copies: int = 1
) -> int:
    """Peak activations of the decoder's prefill of ``prefill`` tokens (one layer at a time),
    plus the last position's logits in float32."""
    mlp_copies = MLP_ACTIVATION_COPIES + (1 if shape.gated_mlp else 0)
    per_token = shape.hidden * DECODER_ACTIVATION_WIDTHS + shape.intermediate * mlp_copies
    dense = prefill * per_token * dtype_bytes
    scores = (
        shape.heads * prefill**2 * _score_bytes(dtype_bytes, softmax_copies) if shape.eager else 0
    )
    logits = shape.vocab * 4 * 2
    return dense + scores + logits


def _score_bytes(dtype_bytes: int, softmax_copies: int = 1) -> int:
    """Bytes per attention score an eager attention holds at its peak."""
    return EAGER_SCORE_COPIES * dtype_bytes + SOFTMAX_BYTES * softmax_copies


def _mib(size: int) -> str:
    return f"{size / MIB:,.0f} MiB"
