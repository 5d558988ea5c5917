"""GOT-OCR 2.0 (``GotOcr2ForConditionalGeneration``): a SAM vision tower and a Qwen2 decoder.

Its processor builds the OCR prompt itself; answers end in ``<|im_end|>``, which its generation
config does not stop at, so generation gets that stop string. The SAM tower feeds 4-D tensors
to its Linear layers, which bitsandbytes cannot quantize: it stays in full precision.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends.transformers_vlm import decode_new_tokens, make_spec

if TYPE_CHECKING:
    from PIL import Image


class GotOcr2:
    model_type = "got_ocr2"
    model_types = ("got_ocr2",)
    title = "GOT-OCR 2.0"
    parameters = 561_000_000
    supports_sdpa = False  # GOT refuses attn_implementation="sdpa"
    int8_skip_modules = ("model.vision_tower", "lm_head")
    unused_modules: tuple[str, ...] = ()

    def load_model(self, folder: Path, kwargs: dict[str, Any]) -> Any:
        from transformers import GotOcr2ForConditionalGeneration

        return GotOcr2ForConditionalGeneration.from_pretrained(folder, **kwargs)

    def load_processor(self, folder: Path) -> Any:
        from transformers import GotOcr2Processor

        return GotOcr2Processor.from_pretrained(folder, local_files_only=True)

    def inputs(self, processor: Any, images: Sequence[Image.Image]) -> Any:
        return processor(list(images), padding=True, padding_side="left", return_tensors="pt")

    def generate_kwargs(self, processor: Any) -> dict[str, Any]:
        return {"stop_strings": "<|im_end|>", "tokenizer": processor.tokenizer}

    def decode(self, processor: Any, inputs: Any, output: Any) -> list[str]:
        return decode_new_tokens(processor, inputs, output)


SPEC = make_spec("got_ocr2", GotOcr2())
