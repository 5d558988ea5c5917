"""The tiny models of tiny_models.py load and read images with the plain transformers API.

``read_text`` below is the OCR recipe for each family (prompt, processor call, generate
arguments, decoding of the new tokens only) that the app's adapters follow; the tests pin that
it runs on the CPU in fp32, bf16 and with bitsandbytes int8 and nf4, and that reading a batch
of pages gives the same text as reading them one at a time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from PIL import Image, ImageDraw
from tiny_models import Qwen2VLImageOnlyProcessor, build_all
from transformers import (
    AutoConfig,
    BitsAndBytesConfig,
    GotOcr2ForConditionalGeneration,
    GotOcr2Processor,
    JanusForConditionalGeneration,
    JanusProcessor,
    LogitsProcessor,
    LogitsProcessorList,
    Qwen2VLForConditionalGeneration,
)

FAMILIES = ("got_ocr2", "qwen2_vl", "janus")
CLASSES: dict[str, tuple[Any, Any]] = {
    "got_ocr2": (GotOcr2ForConditionalGeneration, GotOcr2Processor),
    "qwen2_vl": (Qwen2VLForConditionalGeneration, Qwen2VLImageOnlyProcessor),
    "janus": (JanusForConditionalGeneration, JanusProcessor),
}
OCR_PROMPT = "Read all the text in this image."
MAX_NEW_TOKENS = 6

INT8_SKIP_MODULES = {
    # SAM's vision tower feeds 4-D tensors to its Linear layers, which bitsandbytes' int8
    # matmul does not take. A list given here replaces transformers' default (the tied
    # lm_head), so "lm_head" must be in it too.
    "got_ocr2": ["model.vision_tower", "lm_head"],
    "qwen2_vl": None,
    "janus": None,
}


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("tiny_models"))


def pages() -> list[Image.Image]:
    """Three small pages that differ in shape, colour and content.

    Their shapes differ enough for Qwen2-VL to give them different numbers of image tokens, so
    that a batch of them needs padding.
    """
    result = []
    for size, text, paper, ink in [
        ((300, 60), "Hallo Welt", "white", "black"),
        ((160, 230), "Rechnung 42", "yellow", "red"),
        ((100, 100), "Öl", "pink", "blue"),
    ]:
        page = Image.new("RGB", size, paper)
        draw = ImageDraw.Draw(page)
        draw.rectangle((5, 5, size[0] // 2, 40), fill=ink)
        draw.text((10, 50), text, fill="black")
        result.append(page)
    return result


def load(family: str, folder: Path, **kwargs: Any) -> tuple[Any, Any]:
    model_class, processor_class = CLASSES[family]
    model = model_class.from_pretrained(folder, device_map="cpu", **kwargs).eval()
    return model, processor_class.from_pretrained(folder)


def ocr_inputs(family: str, processor: Any, images: list[Image.Image], **options: Any) -> Any:
    if family == "got_ocr2":
        # GOT builds its own prompt ("<|im_start|>system ... <img><imgpad>*256</img>\nOCR: ...");
        # prompts differ in length only with crop_to_patches (256 tokens per tile).
        return processor(images, padding=True, padding_side="left", return_tensors="pt", **options)
    messages = [
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": OCR_PROMPT}]}
    ]
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True)
    extra = {"generation_mode": "text"} if family == "janus" else {}
    return processor(
        text=[prompt] * len(images),
        images=images,
        padding=True,
        padding_side="left",
        return_tensors="pt",
        **extra,
    )


def generate_kwargs(family: str, processor: Any) -> dict[str, Any]:
    if family == "got_ocr2":
        # GOT's generation config stops at <|endoftext|> only; its answers end in <|im_end|>.
        return {"stop_strings": "<|im_end|>", "tokenizer": processor.tokenizer}
    if family == "janus":
        return {"generation_mode": "text"}
    return {}


def read_text(
    family: str,
    model: Any,
    processor: Any,
    images: list[Image.Image],
    options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> list[str]:
    inputs = ocr_inputs(family, processor, images, **(options or {}))
    # pixel_values in the model's dtype: GOT's vision tower fails on fp32 input in bf16 otherwise
    inputs = inputs.to(model.device, dtype=model.dtype)
    with torch.inference_mode():
        output = model.generate(
            **inputs,
            max_new_tokens=MAX_NEW_TOKENS,
            do_sample=False,
            **generate_kwargs(family, processor),
            **kwargs,
        )
    new_tokens = output[:, inputs["input_ids"].shape[1] :]
    return processor.batch_decode(new_tokens, skip_special_tokens=True)


def test_the_folders_are_small_safetensors_checkpoints(tiny_models: dict[str, Path]) -> None:
    assert set(tiny_models) == set(FAMILIES)
    for family, folder in tiny_models.items():
        assert AutoConfig.from_pretrained(folder).model_type == family
        assert (folder / "model.safetensors").is_file()
        assert not list(folder.glob("*.bin"))
        assert sum(f.stat().st_size for f in folder.iterdir()) < 4_000_000


@pytest.mark.parametrize("family", FAMILIES)
def test_reads_a_page_in_fp32(tiny_models: dict[str, Path], family: str) -> None:
    model, processor = load(family, tiny_models[family], dtype=torch.float32)
    assert model.dtype == torch.float32

    [text] = read_text(family, model, processor, pages()[:1])

    assert isinstance(text, str)
    assert text.strip()


@pytest.mark.parametrize("family", FAMILIES)
def test_a_batch_reads_like_one_page_at_a_time(tiny_models: dict[str, Path], family: str) -> None:
    model, processor = load(family, tiny_models[family], dtype=torch.float32)
    images = pages()

    one_by_one = [read_text(family, model, processor, [image])[0] for image in images]
    batched = read_text(family, model, processor, images)

    assert batched == one_by_one
    assert len(set(one_by_one)) > 1, "the pages should not all read alike"
    if family == "qwen2_vl":
        lengths = {ocr_inputs(family, processor, [image])["input_ids"].shape[1] for image in images}
        assert len(lengths) == len(images), "the batch should need padding"


def test_got_reads_tiled_pages_with_different_tile_counts_in_one_batch(
    tiny_models: dict[str, Path],
) -> None:
    model, processor = load("got_ocr2", tiny_models["got_ocr2"], dtype=torch.float32)
    wide, small = Image.new("RGB", (600, 150), "white"), Image.new("RGB", (60, 60), "yellow")
    ImageDraw.Draw(wide).rectangle((5, 5, 300, 40), fill="black")
    ImageDraw.Draw(small).rectangle((5, 5, 30, 40), fill="red")
    tiles = {"crop_to_patches": True, "max_patches": 4}
    lengths = {
        ocr_inputs("got_ocr2", processor, [page], **tiles)["input_ids"].shape[1]
        for page in (wide, small)
    }
    assert len(lengths) == 2, "the two pages should make prompts of different lengths"

    one_by_one = [
        read_text("got_ocr2", model, processor, [page], tiles)[0] for page in (wide, small)
    ]
    batched = read_text("got_ocr2", model, processor, [wide, small], tiles)

    assert batched == one_by_one


def quantization(mode: str, family: str) -> dict[str, Any]:
    if mode == "bf16":
        return {"dtype": torch.bfloat16}
    if mode == "int8":
        config = BitsAndBytesConfig(
            load_in_8bit=True,
            llm_int8_skip_modules=INT8_SKIP_MODULES[family],
            # Without outlier columns (threshold 6.0 by default) int8 rounds a page the same
            # whichever pages share its batch; with them the outlier columns are chosen over
            # the whole batch, and batched text may differ from one-at-a-time text.
            llm_int8_threshold=0.0,
        )
        return {"dtype": torch.float32, "quantization_config": config}
    config = BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=torch.float32,
    )
    return {"dtype": torch.float32, "quantization_config": config}


@pytest.mark.parametrize("mode", ["bf16", "int8", "nf4"])
@pytest.mark.parametrize("family", FAMILIES)
def test_reads_in_bf16_and_quantized(tiny_models: dict[str, Path], family: str, mode: str) -> None:
    if mode != "bf16":
        pytest.importorskip("bitsandbytes")
    model, processor = load(family, tiny_models[family], **quantization(mode, family))
    images = pages()[:2]

    one_by_one = [read_text(family, model, processor, [image])[0] for image in images]
    batched = read_text(family, model, processor, images)

    assert batched == one_by_one


def test_int8_keeps_the_listed_modules_and_quantizes_the_rest(
    tiny_models: dict[str, Path],
) -> None:
    pytest.importorskip("bitsandbytes")
    from bitsandbytes.nn import Linear8bitLt

    model, _ = load("got_ocr2", tiny_models["got_ocr2"], **quantization("int8", "got_ocr2"))
    linears = {
        name: type(module)
        for name, module in model.named_modules()
        if isinstance(module, torch.nn.Linear)
    }

    assert linears["lm_head"] is torch.nn.Linear
    assert all(kind is torch.nn.Linear for name, kind in linears.items() if "vision_tower" in name)
    assert linears["model.language_model.layers.0.self_attn.q_proj"] is Linear8bitLt


END_TOKENS = {
    "got_ocr2": "<|im_end|>",
    "qwen2_vl": "<|im_end|>",
    "janus": "<\uff5cend\u2581of\u2581sentence\uff5c>",
}


@pytest.mark.parametrize("family", FAMILIES)
def test_reading_stops_at_the_end_token_and_drops_it(
    tiny_models: dict[str, Path], family: str
) -> None:
    model, processor = load(family, tiny_models[family], dtype=torch.float32)
    end = processor.tokenizer.convert_tokens_to_ids(END_TOKENS[family])

    texts = read_text(family, model, processor, pages()[:2], sequence_bias={(end,): 1000.0})

    assert texts == ["", ""]


class EndFirstRowAtOnce(LogitsProcessor):
    """Makes the first row of a batch say ``token_id`` as its first new token."""

    def __init__(self, prompt_length: int, token_id: int) -> None:
        self.prompt_length = prompt_length
        self.token_id = token_id

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if input_ids.shape[1] == self.prompt_length:
            scores[0, :] = -float("inf")
            scores[0, self.token_id] = 0.0
        return scores


# Janus' generate() drops a logits_processor argument in text mode, so it is not here.
@pytest.mark.parametrize("family", ["got_ocr2", "qwen2_vl"])
def test_a_page_that_ends_at_once_leaves_the_rest_of_its_batch_alone(
    tiny_models: dict[str, Path], family: str
) -> None:
    model, processor = load(family, tiny_models[family], dtype=torch.float32)
    images = pages()[:2]
    prompt_length = ocr_inputs(family, processor, images)["input_ids"].shape[1]
    end = processor.tokenizer.convert_tokens_to_ids(END_TOKENS[family])
    stop_first = LogitsProcessorList([EndFirstRowAtOnce(prompt_length, end)])

    first, second = read_text(family, model, processor, images, logits_processor=stop_first)

    assert first == ""
    assert second == read_text(family, model, processor, images)[1]


def test_the_qwen2_vl_folder_is_laid_out_like_the_hub_checkpoint(
    tiny_models: dict[str, Path],
) -> None:
    folder = tiny_models["qwen2_vl"]
    preprocessor = json.loads((folder / "preprocessor_config.json").read_text())

    assert preprocessor["image_processor_type"] == "Qwen2VLImageProcessor"
    assert preprocessor["processor_class"] == "Qwen2VLProcessor"
    assert "chat_template" in json.loads((folder / "chat_template.json").read_text())
    assert not (folder / "processor_config.json").exists()


def test_the_image_only_qwen2_vl_processor_loads_without_torchvision(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    processor = Qwen2VLImageOnlyProcessor.from_pretrained(tiny_models["qwen2_vl"])

    assert not hasattr(processor, "video_processor")
    assert processor.image_processor.size["longest_edge"] == 28 * 28 * 16
    assert processor.chat_template
    inputs = processor(
        text=["<|vision_start|><|image_pad|><|vision_end|>OCR"],
        images=pages()[:1],
        return_tensors="pt",
    )
    assert {"input_ids", "pixel_values", "image_grid_thw", "mm_token_type_ids"} <= set(inputs)
    with pytest.raises(ValueError, match="images only"):
        processor(text=["<|vision_start|><|video_pad|><|vision_end|>"], videos=[pages()[:2]])

    processor.save_pretrained(tmp_path)
    again = Qwen2VLImageOnlyProcessor.from_pretrained(tmp_path)
    assert again.image_processor.size == processor.image_processor.size
    assert again.chat_template == processor.chat_template
