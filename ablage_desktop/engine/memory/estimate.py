"""How many bytes a model will need before it is loaded.

A vision-language model whose files are here gets a per-page plan (``memory/plan.py``): its
weights at the quantization, and what each page adds at the page's size. Other models give
measured figures (the CPU engines) or, without files, weights x quantization + a share.
After a load the manager measures the real footprint and uses that next time (LM Studio and
accelerate do the same: estimate first, measure after).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ablage_desktop.engine.memory.plan import ModelPlan

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
    """Bytes the loaded model holds before any page."""
    activations: int
    """Bytes one page (one batch) adds while it is read; for a planned model, at the
    reference page (A4, 300 dpi)."""
    plan: ModelPlan | None = None
    """The per-page plan of a vision-language model, where its files allow one."""

    @property
    def total(self) -> int:
        return self.weights + self.activations

    def page_bytes(self, width: int, height: int, batch: int = 1) -> int:
        """What a batch of pages of this size adds to the weights."""
        if self.plan is not None:
            return self.plan.page(width, height, batch).total
        return self.activations * max(1, batch)


def estimate_from_plan(device: Device, plan: ModelPlan) -> MemoryEstimate:
    """The estimate the manager budgets by: the plan's resident bytes and a reference page."""
    from ablage_desktop.engine.memory.plan import REFERENCE_PAGE

    return MemoryEstimate(device, plan.resident, plan.page(*REFERENCE_PAGE).total, plan)


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
