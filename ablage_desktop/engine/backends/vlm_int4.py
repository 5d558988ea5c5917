"""bitsandbytes' 4-bit layers on a CPU that its packed kernel cannot take, kept off it.

On a CPU with AVX512-BF16, bitsandbytes repacks a 4-bit layer's weight for its fast kernel at
the layer's first forward (``Linear4bit.forward``). That repacking needs the layer's outputs
to be a multiple of 32 and its inputs a multiple of the quantization's block (64).
Qwen2.5-VL-3B's vision MLP has 3,420 of each: every page failed, with "AssertionError: N must
be divisible by block_n" for its gate and up projections and a failed reshape of the block
scales for its down projection (bitsandbytes 0.50.2). Such layers are marked as having no such
kernel, so they take bitsandbytes' general path (the weight dequantized for each matmul); every
other layer keeps the fast one.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

PACKED_OUTPUTS = 32
"""The repacked weight's block of output rows (``_convert_weight_packed_for_cpu``)."""
QUANTIZATION_BLOCK = 64
"""bitsandbytes' default 4-bit block, where a layer's quantization state does not say."""


def keep_unpackable_layers_unpacked(model: Any) -> list[str]:
    """Mark ``model``'s 4-bit layers whose shape the packed CPU kernel refuses; their names."""
    import bitsandbytes as bnb

    marked = []
    for name, module in model.named_modules():
        if not isinstance(module, bnb.nn.Linear4bit):
            continue
        state = getattr(module.weight, "quant_state", None)
        block = getattr(state, "blocksize", None) or QUANTIZATION_BLOCK
        if module.out_features % PACKED_OUTPUTS or module.in_features % block:
            module.support_avx512bf16_for_cpu = False
            marked.append(name)
    if marked:
        log.debug("4-bit layers kept off the packed CPU kernel: %s", ", ".join(marked))
    return marked
