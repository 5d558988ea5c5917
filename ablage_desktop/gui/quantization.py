"""Which quantizations a model can take, and the one it really loads with on its device."""

from __future__ import annotations

import typing

from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.backends.transformers_vlm import effective_quantization


def quantization_choices(options: EngineOptions) -> tuple[str, ...]:
    """The values the model's ``quantization`` option accepts; none for engines without one
    (RapidOCR, Tesseract, servers), whose Quantization menu items are then disabled."""
    field = type(options).model_fields.get("quantization")
    if field is None:
        return ()
    values = typing.get_args(field.annotation)
    return tuple(str(value) for value in values)


def shown_quantization(options: EngineOptions, device: str) -> tuple[str, str]:
    """What the models table shows: the quantization the model loads with on ``device``
    (a GPU model on a CPU-only machine loads fp16 as fp32), and why it differs from the
    configured one (empty when it does not)."""
    configured = getattr(options, "quantization", None)
    if configured is None:
        return "-", ""
    return effective_quantization(str(configured), device)
