"""How many bytes a model will need before it is loaded: weights x quantization + headroom.

Estimates only have to be good enough to decide what to evict; after a load the manager
measures the real footprint and uses that next time (LM Studio and accelerate do the same:
estimate first, measure after).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Device = Literal["cpu", "gpu", "remote"]
"""Where a model runs; a ``remote`` one (an inference server) costs no local memory."""
MIB = 1 << 20

BYTES_PER_PARAMETER: dict[str, float] = {
    "fp32": 4.0,
    "fp16": 2.0,
    "bf16": 2.0,
    "int8": 1.0,
    "int4": 0.5,
}
QUANTIZATION_OVERHEAD = {"int8": 1.10, "int4": 1.15}
"""bitsandbytes keeps scales and some layers (norms, heads) in 16 bit."""


@dataclass(frozen=True, slots=True)
class MemoryEstimate:
    device: Device
    weights: int
    activations: int

    @property
    def total(self) -> int:
        return self.weights + self.activations


def weights_bytes(parameters: int, quantization: str) -> int:
    try:
        per_parameter = BYTES_PER_PARAMETER[quantization]
    except KeyError:
        raise ValueError(
            f"unknown quantization {quantization!r}; expected one of {sorted(BYTES_PER_PARAMETER)}"
        ) from None
    return int(parameters * per_parameter * QUANTIZATION_OVERHEAD.get(quantization, 1.0))


def estimate_transformer(
    device: Device, parameters: int, quantization: str, activation_share: float = 0.2
) -> MemoryEstimate:
    """A transformers model: its weights, plus activations and KV cache as a share of them."""
    weights = weights_bytes(parameters, quantization)
    return MemoryEstimate(device, weights, int(weights * activation_share))
