"""Qwen2-VL and Qwen2.5-VL: a ViT with a 2x2 patch merger and a Qwen2 decoder, asked to read.

One engine for both: a folder's ``config.json`` (``qwen2_vl`` or ``qwen2_5_vl``) picks the model
class; their processors differ only for videos, so the image-only processor reads both.

transformers' ``Qwen2VLProcessor`` insists on a video processor, and the only one there is
needs torchvision, which cannot be installed beside the pinned torch: the adapter uses an
image-only subclass (built when a model loads, so importing this module imports no
transformers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends.model_folder import model_type_of
from ablage_desktop.engine.backends.transformers_vlm import (
    OCR_PROMPT,
    chat_inputs,
    decode_new_tokens,
    make_spec,
)

if TYPE_CHECKING:
    from PIL import Image


def image_only_processor_class() -> type:
    """``Qwen2VLProcessor`` without its video processor (no torchvision needed)."""
    from transformers import Qwen2VLProcessor

    class Qwen2VLImageOnlyProcessor(Qwen2VLProcessor):
        def __init__(self, image_processor=None, tokenizer=None, chat_template=None, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(image_processor, tokenizer, None, chat_template=chat_template)

        def __call__(self, images=None, text=None, videos=None, **kwargs):  # type: ignore[no-untyped-def]
            if videos is not None:
                raise ValueError("this processor reads images only, not videos")
            return super().__call__(images=images, text=text, **kwargs)

    return Qwen2VLImageOnlyProcessor


class Qwen2VL:
    model_type = "qwen2_vl"
    model_types = ("qwen2_vl", "qwen2_5_vl")
    title = "Qwen2-VL"
    parameters = 2_209_000_000
    supports_sdpa = True
    int8_skip_modules = ("lm_head",)
    unused_modules: tuple[str, ...] = ()

    def load_model(self, folder: Path, kwargs: dict[str, Any]) -> Any:
        if model_type_of(folder) == "qwen2_5_vl":
            from transformers import Qwen2_5_VLForConditionalGeneration

            return Qwen2_5_VLForConditionalGeneration.from_pretrained(folder, **kwargs)
        from transformers import Qwen2VLForConditionalGeneration

        return Qwen2VLForConditionalGeneration.from_pretrained(folder, **kwargs)

    def load_processor(self, folder: Path) -> Any:
        return image_only_processor_class().from_pretrained(folder, local_files_only=True)

    def inputs(self, processor: Any, images: Sequence[Image.Image]) -> Any:
        return chat_inputs(processor, images, OCR_PROMPT)

    def generate_kwargs(self, processor: Any) -> dict[str, Any]:
        return {}

    def decode(self, processor: Any, inputs: Any, output: Any) -> list[str]:
        return decode_new_tokens(processor, inputs, output)


SPEC = make_spec("qwen2_vl", Qwen2VL())
