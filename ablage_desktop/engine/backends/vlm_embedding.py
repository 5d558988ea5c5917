"""A decoder's token embedding in int8 where bitsandbytes would leave it in 16 bits.

bitsandbytes quantizes ``nn.Linear`` layers only. A decoder whose token embedding is not tied to
its output layer keeps that table in the checkpoint's dtype under int8 and int4: Janus-Pro-1B's
is 102,400 x 2,048, 400 MiB in bf16, an eighth of the model it reads with. An embedding is a
lookup, not a matmul, so it is quantized here the way bitsandbytes' int8 quantizes a weight's
rows: each row by its own largest magnitude, one float32 scale per row; a looked-up row comes
back within half a step (``max |row| / 254``) and in the dtype the table had.

A tied embedding (GOT-OCR2, Qwen2-VL) is left alone: it is the output layer's weight too, which
stays in 16 bits (``lm_head`` is skipped, as transformers does by default: in int8 on a CPU
it takes 3.4x to 44x as long per generated token, ``benchmarks/output_layer.py``).

Only on a GPU, where the table is loaded into memory whole. On a CPU it stays a view of the
checkpoint's memory map, of which only the rows looked up become resident (a page touches a few
hundred): an int8 copy held more there, not less (Janus-Pro-1B int8 at full size in a worker,
RSS after two pages 2,052 MiB without the copy, 2,253 MiB with it, the same hour).

Imported only where a model loads (torch is imported by then).
"""

from __future__ import annotations

import logging
from typing import Any

import torch
from torch import nn

log = logging.getLogger(__name__)

ROWS_AT_ONCE = 8192
"""Rows quantized per step: their float32 copy (64 MiB at 2,048 wide) is all the quantization
adds to the load's peak."""
FLOAT_DTYPES = (torch.float32, torch.float16, torch.bfloat16)


class Int8Embedding(nn.Module):
    """A token embedding held as int8 rows with a float32 scale each."""

    def __init__(self, rows: torch.Tensor, scales: torch.Tensor, dtype: torch.dtype) -> None:
        super().__init__()
        self.register_buffer("rows", rows)
        self.register_buffer("scales", scales)
        self.dtype = dtype
        self.num_embeddings, self.embedding_dim = rows.shape

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        looked_up = nn.functional.embedding(ids, self.rows).to(torch.float32)
        return (looked_up * nn.functional.embedding(ids, self.scales)).to(self.dtype)

    @classmethod
    def of(cls, table: torch.Tensor) -> Int8Embedding:
        rows = torch.empty(table.shape, dtype=torch.int8, device=table.device)
        scales = torch.empty((table.shape[0], 1), dtype=torch.float32, device=table.device)
        for start in range(0, table.shape[0], ROWS_AT_ONCE):
            part = table[start : start + ROWS_AT_ONCE].to(torch.float32)
            scale = part.abs().amax(dim=1, keepdim=True).clamp_min(1e-12) / 127.0
            rows[start : start + ROWS_AT_ONCE] = torch.round(part / scale).to(torch.int8)
            scales[start : start + ROWS_AT_ONCE] = scale
        return cls(rows, scales, table.dtype)

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}, int8 rows, {self.dtype} out"


def quantize_input_embedding(model: Any) -> int:
    """Replace ``model``'s untied token embedding by an ``Int8Embedding``; the bytes it saved
    (0 where the embedding is tied, already quantized or not a plain ``nn.Embedding``)."""
    embedding = model.get_input_embeddings()
    if type(embedding) is not nn.Embedding or embedding.weight.dtype not in FLOAT_DTYPES:
        return 0
    output = model.get_output_embeddings()
    weight = getattr(output, "weight", None)
    if weight is not None and weight.data_ptr() == embedding.weight.data_ptr():
        return 0
    owner, attribute = _owner_of(model, embedding)
    with torch.no_grad():
        quantized = Int8Embedding.of(embedding.weight.detach())
    setattr(owner, attribute, quantized)
    before = embedding.weight.numel() * embedding.weight.element_size()
    after = quantized.rows.numel() + quantized.scales.numel() * 4
    log.debug("token embedding %s in int8: %d -> %d MiB", attribute, before >> 20, after >> 20)
    return before - after


def _owner_of(model: Any, module: Any) -> tuple[Any, str]:
    """The module holding ``module`` as an attribute, and that attribute's name."""
    for name, candidate in model.named_modules():
        if candidate is module:
            parent, _, attribute = name.rpartition(".")
            return (model.get_submodule(parent) if parent else model), attribute
    raise ValueError("the input embedding is not a submodule of the model")
