"""Engines the configuration lists but this version cannot run yet.

They stay visible (``models list``, the GUI) as unavailable with the reason, so a user never
wonders where a configured model went. Their option schemas are real: a config that sets them
is validated today.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ablage_desktop.engine.backends.base import BackendSpec, EngineOptions


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

SPECS = (
    BackendSpec("got_ocr2", "gpu", "GOT-OCR 2.0", VisionLanguageOptions, planned_reason=_VLM),
    BackendSpec("qwen2_vl", "gpu", "Qwen2-VL", VisionLanguageOptions, planned_reason=_VLM),
    BackendSpec("janus", "gpu", "Janus-Pro", VisionLanguageOptions, planned_reason=_VLM),
    BackendSpec("surya", "cpu", "Surya OCR", PlannedEngineOptions, planned_reason=_TORCHVISION),
    BackendSpec("docling", "cpu", "Docling", PlannedEngineOptions, planned_reason=_TORCHVISION),
)
