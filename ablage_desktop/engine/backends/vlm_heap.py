"""The C heap given back after each block of a model that bitsandbytes runs on a CPU.

On a CPU, each of bitsandbytes' int8 layers makes temporaries for its matmul: the input in
float16 and in int8, the int32 product, the outlier columns' weights dequantized (and, on a
CPU without AVX-512, a float32 copy of the whole weight). They are freed when the layer is
done, but glibc's heap keeps the memory: the sizes differ from layer to layer and from the
vision tower to the decoder, so the free blocks are not reused and the heap grows through the
page. Qwen2-VL-2B int8 at full size peaked 1.5-1.9 GiB above its loaded size, by an amount that
changed from run to run, about as high as the same model in bf16. Trimming the heap after each
block of the model (each child of a ``ModuleList``: a vision block, a decoder layer) holds the
page to one block's temporaries, at some speed: the freed pages are faulted in again by the
next block (``benchmarks/RESULTS.md``: +39 % page time with 4 new tokens, +12 % with 64,
none that shows with 256).

Only a block that read more than one token is followed by a trim: the vision tower and the
prompt's prefill. The decoding steps read one token each, with the same sizes step after step,
so the heap reuses their blocks; a trim there would only fault them in again for every token.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from ablage_desktop.engine.memory.probe import glibc

log = logging.getLogger(__name__)


def outermost_blocks(model: Any) -> dict[str, list[Any]]:
    """The children of ``model``'s outermost ``ModuleList``s (a list inside a block is the
    block's own business), by the list's name."""
    from torch import nn

    lists: dict[str, list[Any]] = {}
    for name, module in model.named_modules():
        if isinstance(module, nn.ModuleList) and not any(
            name.startswith(f"{outer}.") for outer in lists
        ):
            lists[name] = list(module)
    return lists


def trim_heap_after_blocks(model: Any) -> int:
    """Hook a heap trim after each outermost repeated block of ``model``; how many were hooked
    (0 where the C library has no ``malloc_trim``)."""
    libc = glibc()
    if libc is None:
        return 0
    trim = partial(trims_after, libc)
    blocks = [block for listed in outermost_blocks(model).values() for block in listed]
    for block in blocks:
        block.register_forward_hook(trim)
    log.debug("a heap trim after each of %d blocks", len(blocks))
    return len(blocks)


def read_many_tokens(output: Any) -> bool:
    """Whether a block's output holds more than one token (not a decoding step)."""
    hidden = output[0] if isinstance(output, tuple | list) and output else output
    shape = getattr(hidden, "shape", None)
    return shape is not None and len(shape) >= 2 and shape[-2] > 1


def trims_after(libc: Any, module: Any, args: Any, output: Any) -> None:
    """The hook: a trim after a block whose output holds more than one token."""
    if read_many_tokens(output):
        libc.malloc_trim(0)
