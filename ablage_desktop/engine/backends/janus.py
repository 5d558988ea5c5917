"""Janus-Pro (``JanusForConditionalGeneration``): SigLIP encoder and a Llama decoder, asked to read.

Janus generates images too; ``generation_mode="text"`` keeps it to text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends.transformers_vlm import (
    OCR_PROMPT,
    chat_inputs,
    decode_new_tokens,
    make_spec,
)

if TYPE_CHECKING:
    from PIL import Image


class Janus:
    model_type = "janus"
    model_types = ("janus",)
    title = "Janus-Pro"
    parameters = 2_077_000_000
    supports_sdpa = True
    int8_skip_modules = ("lm_head",)
    unused_modules = (
        # image generation: the VQ model, its embeddings, aligner and head (OCR reads text)
        "model.vqmodel",
        "model.generation_embeddings",
        "model.generation_aligner",
        "model.generation_head",
    )

    def load_model(self, folder: Path, kwargs: dict[str, Any]) -> Any:
        from transformers import JanusForConditionalGeneration

        return JanusForConditionalGeneration.from_pretrained(folder, **kwargs)

    def load_processor(self, folder: Path) -> Any:
        from transformers import JanusProcessor

        return JanusProcessor.from_pretrained(folder, local_files_only=True)

    def inputs(self, processor: Any, images: Sequence[Image.Image]) -> Any:
        return chat_inputs(processor, images, OCR_PROMPT, generation_mode="text")

    def generate_kwargs(self, processor: Any) -> dict[str, Any]:
        return {"generation_mode": "text"}

    def decode(self, processor: Any, inputs: Any, output: Any) -> list[str]:
        return decode_new_tokens(processor, inputs, output)


SPEC = make_spec("janus", Janus())
