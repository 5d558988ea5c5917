"""The heap trim after each block of a model bitsandbytes runs on a CPU (``vlm_heap``)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from ablage_desktop.engine.backends import vlm_heap  # noqa: E402


class Trims:
    """A C library that counts its ``malloc_trim`` calls."""

    def __init__(self) -> None:
        self.calls = 0

    def malloc_trim(self, pad: int) -> int:
        assert pad == 0
        self.calls += 1
        return 1


class Block(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.parts = nn.ModuleList([nn.Linear(width, width), nn.Linear(width, width)])

    def forward(self, hidden: torch.Tensor) -> tuple[torch.Tensor]:
        for part in self.parts:
            hidden = part(hidden)
        return (hidden,)


class Model(nn.Module):
    def __init__(self, width: int = 8) -> None:
        super().__init__()
        self.layers = nn.ModuleList([Block(width) for _ in range(3)])

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            (hidden,) = layer(hidden)
        return hidden


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> Trims:
    library = Trims()
    monkeypatch.setattr(vlm_heap, "glibc", lambda: library)
    return library


def test_each_outermost_block_trims_after_reading_many_tokens(trims: Trims) -> None:
    model = Model()
    assert vlm_heap.trim_heap_after_blocks(model) == 3  # the lists inside a block: not again

    with torch.no_grad():
        model(torch.zeros(1, 40, 8))  # a prefill (or a vision pass) of 40 tokens
    assert trims.calls == 3


def test_a_decoding_step_of_one_token_is_not_trimmed(trims: Trims) -> None:
    model = Model()
    vlm_heap.trim_heap_after_blocks(model)

    with torch.no_grad():
        model(torch.zeros(2, 1, 8))  # a batch of two pages, one new token each
    assert trims.calls == 0


def test_without_malloc_trim_nothing_is_hooked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vlm_heap, "glibc", lambda: None)
    model = Model()

    assert vlm_heap.trim_heap_after_blocks(model) == 0
    assert not any(module._forward_hooks for module in model.modules())
