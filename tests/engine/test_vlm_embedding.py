"""The token embedding bitsandbytes leaves in 16 bits, held in int8 instead (``vlm_embedding``)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from ablage_desktop.engine.backends import vlm_embedding  # noqa: E402
from ablage_desktop.engine.backends.vlm_embedding import (  # noqa: E402
    Int8Embedding,
    quantize_input_embedding,
)


class Decoder(nn.Module):
    """The two accessors transformers' models have, around an embedding and an output layer."""

    def __init__(self, vocab: int, width: int, tied: bool) -> None:
        super().__init__()
        self.inner = nn.Module()
        self.inner.embed_tokens = nn.Embedding(vocab, width)
        self.lm_head = nn.Linear(width, vocab, bias=False)
        if tied:
            self.lm_head.weight = self.inner.embed_tokens.weight

    def get_input_embeddings(self) -> nn.Module:
        return self.inner.embed_tokens

    def get_output_embeddings(self) -> nn.Module:
        return self.lm_head


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_each_row_comes_back_within_half_a_step_in_the_tables_dtype(
    dtype: torch.dtype, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vlm_embedding, "ROWS_AT_ONCE", 7)  # rows quantized in several steps
    generator = torch.Generator().manual_seed(0)
    table = torch.randn(50, 16, generator=generator) * torch.linspace(0.01, 30, 50)[:, None]
    table[3] = 0  # a row of zeros stays zeros
    table[4, 5] = 500  # an outlier costs only its own row's precision
    table = table.to(dtype)

    quantized = Int8Embedding.of(table)
    ids = torch.arange(50)
    looked_up = quantized(ids)

    assert looked_up.dtype == dtype and quantized.rows.dtype == torch.int8
    exact = table.to(torch.float32)
    step = exact.abs().amax(dim=1, keepdim=True) / 127
    rounding = exact.abs() * 2**-7  # the table's dtype rounds the result once more
    assert bool(((looked_up.to(torch.float32) - exact).abs() <= step / 2 + rounding + 1e-6).all())
    assert bool((looked_up[3] == 0).all())
    assert float((looked_up[5] - table[5]).abs().max()) < 0.05 * float(step[4])
    assert quantized(torch.tensor([[4, 5], [5, 4]])).shape == (2, 2, 16)


def test_an_untied_embedding_is_replaced_and_a_tied_one_left() -> None:
    untied = Decoder(vocab=1000, width=32, tied=False)
    table = untied.get_input_embeddings().weight.detach().clone()

    saved = quantize_input_embedding(untied)

    embedding = untied.get_input_embeddings()
    assert isinstance(embedding, Int8Embedding) and untied.inner.embed_tokens is embedding
    assert saved == 1000 * 32 * 4 - (1000 * 32 + 1000 * 4)
    ids = torch.tensor([0, 17, 999])
    assert torch.allclose(embedding(ids), table[ids], atol=float(table.abs().max()) / 127)
    assert quantize_input_embedding(untied) == 0  # already int8

    tied = Decoder(vocab=1000, width=32, tied=True)
    before = tied.get_input_embeddings()
    assert quantize_input_embedding(tied) == 0
    assert tied.get_input_embeddings() is before and tied.lm_head.weight is before.weight
