"""Engines the configuration lists but this version cannot run yet.

They stay visible (``models list``, the GUI) as unavailable with the reason, so a user never
wonders where a configured model went. Their option schemas are real: a config that sets them
is validated today.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ablage_desktop.engine.backends.base import BackendSpec, EngineOptions
from ablage_desktop.engine.memory.estimate import MIB, MemoryEstimate, estimate_transformer


class VisionLanguageOptions(EngineOptions):
    """A Hugging Face transformers vision-language model used for OCR."""

    source: str
    """Hub id (owner/name) or a local folder."""
    revision: str | None = None
    device: Literal["auto", "gpu", "cpu"] = "auto"
    quantization: Literal["fp32", "fp16", "bf16", "int8", "int4"] = "fp16"
    attention: Literal["auto", "flash_attention_2", "sdpa", "eager"] = "auto"
    compile: Literal["off", "default", "reduce-overhead", "max-autotune"] = "off"
    max_batch_size: int = Field(1, ge=1)
    max_new_tokens: int = Field(2048, ge=1)
    warmup: bool = False


class PlannedEngineOptions(EngineOptions):
    """An engine with no options of its own yet."""


_VLM = (
    "the transformers vision-language backends are not built into this version yet "
    "(planned: GPU backends issue)"
)
_TORCHVISION = (
    "not built into this version: it needs torchvision, which cannot be installed beside the "
    "pinned torch build"
)

PARAMETERS = {"got_ocr2": 580_000_000, "qwen2_vl": 2_210_000_000, "janus": 2_050_000_000}
"""Parameter counts of the seed checkpoints (GOT-OCR 2.0, Qwen2-VL-2B, Janus-Pro-1B)."""


def _vlm_estimate(options: EngineOptions) -> MemoryEstimate:
    assert isinstance(options, VisionLanguageOptions)
    device = "cpu" if options.device == "cpu" else "gpu"
    return estimate_transformer(device, PARAMETERS[options.engine], options.quantization)


def _cpu_estimate(options: EngineOptions) -> MemoryEstimate:
    return MemoryEstimate("cpu", weights=1 << 30, activations=512 * MIB)


SPECS = (
    BackendSpec(
        "got_ocr2", "gpu", "GOT-OCR 2.0", VisionLanguageOptions, _vlm_estimate, planned_reason=_VLM
    ),
    BackendSpec(
        "qwen2_vl", "gpu", "Qwen2-VL", VisionLanguageOptions, _vlm_estimate, planned_reason=_VLM
    ),
    BackendSpec(
        "janus", "gpu", "Janus-Pro", VisionLanguageOptions, _vlm_estimate, planned_reason=_VLM
    ),
    BackendSpec(
        "surya",
        "cpu",
        "Surya OCR",
        PlannedEngineOptions,
        _cpu_estimate,
        planned_reason=_TORCHVISION,
    ),
    BackendSpec(
        "docling",
        "cpu",
        "Docling",
        PlannedEngineOptions,
        _cpu_estimate,
        planned_reason=_TORCHVISION,
    ),
)
