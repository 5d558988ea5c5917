"""Tiny, randomly initialised vision-language models of the three families the app runs.

Each ``build_*`` function makes a model of the real architecture (GOT-OCR2, Qwen2-VL, Janus)
with a few hundred thousand parameters, its tokenizer (a byte-level BPE trained here, offline)
and its processor, and ``save_pretrained``s everything (safetensors) into a folder laid out like
the real checkpoint on the Hub. The folder loads back with the plain transformers API:

* ``AutoConfig.from_pretrained(folder).model_type`` is "got_ocr2", "qwen2_vl" or "janus";
* ``<Family>ForConditionalGeneration.from_pretrained(folder, dtype=..., device_map="cpu")``;
* ``GotOcr2Processor`` / ``Qwen2VLImageOnlyProcessor`` / ``JanusProcessor.from_pretrained(folder)``.

The hidden size defaults to 64 because bitsandbytes nf4 on the CPU needs ``in_features >= 64``
(with 32 it fails in ``generate``: "shape '[96, 0]' is invalid for input of size 48"). The
weights are seeded (``seed=0``): the same folder on every build. The tokenizers keep
transformers' default right padding, as a real checkpoint may: a batch must ask for
``padding_side="left"`` itself. Each build takes well under a second and writes 1.3-2 MB.
Nothing here touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (
    GotOcr2Config,
    GotOcr2ForConditionalGeneration,
    GotOcr2ImageProcessorPil,
    GotOcr2Processor,
    JanusConfig,
    JanusForConditionalGeneration,
    JanusImageProcessorPil,
    JanusProcessor,
    PreTrainedTokenizerFast,
    Qwen2_5_VLConfig,
    Qwen2_5_VLForConditionalGeneration,
    Qwen2VLConfig,
    Qwen2VLForConditionalGeneration,
    Qwen2VLImageProcessorPil,
)

from ablage_desktop.engine.backends.qwen2_vl import image_only_processor_class

CORPUS = [
    "Rechnung Nr. 2024-117 vom 3. März 2024 über 1.234,56 EUR inkl. 19 % MwSt.",
    "Sehr geehrte Damen und Herren, anbei erhalten Sie die Übersicht Ihrer Buchungen.",
    "Straße, Größe, Übergabe, Äpfel, Öl: ä ö ü ß Ä Ö Ü.",
    "Invoice number 42, total amount due: $1,234.56. Thank you for your business!",
    "The quick brown fox jumps over the lazy dog. 0123456789 ()[]{}<>/\\|@#&*+-=_:;,.?!'\"",
    "Read all the text in this image. OCR: You should follow the instructions carefully.",
    "You are a helpful assistant. What is shown in this image?",
]
"""A few sentences to train the tokenizer on: German and English office text, digits, symbols."""

VOCAB_SIZE = 400
"""Byte-level BPE: 256 byte tokens plus merges plus the family's special tokens."""

INIT_STD = 0.3
"""Standard deviation of the random weights. With transformers' defaults (0.02, and 1e-10 for
GOT's vision tower) every page reads as one token repeated; with 0.3 the greedy text depends on
the page and changes from token to token, so that a test can tell pages (and batch rows) apart."""

QWEN2_VL_CHAT_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}"
    "{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}"
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}"
    "<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}<|im_end|>\n"
    "{% else %}{% for content in message['content'] %}"
    "{% if content['type'] == 'image' or 'image' in content or 'image_url' in content %}"
    "{% set image_count.value = image_count.value + 1 %}"
    "{% if add_vision_id %}Picture {{ image_count.value }}: {% endif %}"
    "<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif content['type'] == 'video' or 'video' in content %}"
    "{% set video_count.value = video_count.value + 1 %}"
    "{% if add_vision_id %}Video {{ video_count.value }}: {% endif %}"
    "<|vision_start|><|video_pad|><|vision_end|>"
    "{% elif 'text' in content %}{{ content['text'] }}"
    "{% endif %}{% endfor %}<|im_end|>\n"
    "{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
"""The chat template of Qwen/Qwen2-VL-2B-Instruct (chat_template.json there)."""

JANUS_CHAT_TEMPLATE = (
    "{%set seps=['\n\n','<\uff5cend\u2581of\u2581sentence\uff5c>']%}"
    "{%set i=0%}"
    "{%for message in messages%}"
    "{%if message['role']|lower=='user'%}"
    "<|User|>: "
    "{%elif message['role']|lower=='assistant'%}"
    "<|Assistant|>:{%if not (loop.last and not add_generation_prompt and "
    "message['content'][0]['type']=='text' and message['content'][0]['text']=='')%} {%endif%}"
    "{%else%}"
    "{{message['role'].capitalize()}}: "
    "{%endif%}"
    "{%for content in message['content']%}"
    "{%if content['type']=='image'%}"
    "{%if not loop.first%}{{'\n'}}{%endif%}"
    "<image_placeholder>"
    "{%if not loop.last%}{{'\n'}}{%endif%}"
    "{%elif content['type']=='text'%}"
    "{%set text=content['text']%}"
    "{%if loop.first%}{%set text=text.lstrip()%}{%endif%}"
    "{%if loop.last%}{%set text=text.rstrip()%}{%endif%}"
    "{%if not loop.first and message['content'][loop.index0-1]['type']=='text'%}"
    "{{' '+text}}"
    "{%else%}"
    "{{text}}"
    "{%endif%}"
    "{%endif%}"
    "{%endfor%}"
    "{%if not loop.last or add_generation_prompt%}"
    "{%if message['role']|lower=='user'%}"
    "{{seps[0]}}"
    "{%else%}"
    "{{seps[1]}}"
    "{%endif%}"
    "{%endif%}"
    "{%endfor%}"
    "{%if add_generation_prompt%}<|Assistant|>:{%endif%}"
)
"""The chat template of deepseek-community/Janus-Pro-1B (from transformers' conversion script)."""


def _train_tokenizer(special_tokens: list[str]) -> Tokenizer:
    """A byte-level BPE like Qwen's and DeepSeek's, trained on CORPUS; special tokens first."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        special_tokens=special_tokens,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(CORPUS, trainer=trainer)
    return tokenizer


def _fast_tokenizer(special_tokens: list[str], **kwargs: object) -> PreTrainedTokenizerFast:
    return PreTrainedTokenizerFast(tokenizer_object=_train_tokenizer(special_tokens), **kwargs)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    """Random weights that are the same on every build, without touching the global RNG."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def _heads(hidden_size: int) -> int:
    if hidden_size % 16:
        raise ValueError(f"hidden_size must be a multiple of 16, got {hidden_size}")
    return hidden_size // 16


# --------------------------------------------------------------------------------------------
# GOT-OCR2
# --------------------------------------------------------------------------------------------

GOT_SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<img>", "</img>", "<imgpad>"]


def build_got_ocr2(folder: Path, hidden_size: int = 64, *, seed: int = 0) -> Path:
    """GotOcr2ForConditionalGeneration with a SAM-style vision tower and a Qwen2 decoder.

    The vision tower sees a 64x64 image as a 64x64 grid (patch 1), which the projector's two
    stride-2 convolutions turn into 16x16 = 256 image tokens: the number GotOcr2Processor
    inserts by default (``num_image_tokens=256``), as for the real 1024x1024 / patch 16 model.
    """
    folder = Path(folder)
    tokenizer = _fast_tokenizer(
        GOT_SPECIAL_TOKENS,
        eos_token="<|endoftext|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=GOT_SPECIAL_TOKENS[1:],
    )
    image_size = 64
    image_processor = GotOcr2ImageProcessorPil(size={"height": image_size, "width": image_size})
    processor = GotOcr2Processor(image_processor=image_processor, tokenizer=tokenizer)

    heads = _heads(hidden_size)
    config = GotOcr2Config(
        vision_config={
            "hidden_size": hidden_size,
            "output_channels": hidden_size // 2,
            "num_hidden_layers": 2,
            "num_attention_heads": heads,
            "image_size": image_size,
            "patch_size": 1,
            "window_size": 16,
            "global_attn_indexes": [],
            "initializer_range": INIT_STD,
            "mlp_dim": hidden_size * 2,
        },
        text_config={
            "model_type": "qwen2",
            "vocab_size": len(tokenizer),
            "hidden_size": hidden_size,
            "intermediate_size": hidden_size * 2,
            "num_hidden_layers": 2,
            "num_attention_heads": heads,
            "num_key_value_heads": max(1, heads // 2),
            "max_position_embeddings": 1024,
            "tie_word_embeddings": True,
            "initializer_range": INIT_STD,
            "bos_token_id": None,
            "eos_token_id": tokenizer.convert_tokens_to_ids("<|endoftext|>"),
            "pad_token_id": tokenizer.pad_token_id,
        },
        image_token_index=tokenizer.convert_tokens_to_ids("<imgpad>"),
        image_seq_length=256,
    )
    with _seeded(seed):
        model = GotOcr2ForConditionalGeneration(config).eval()
    model.generation_config.eos_token_id = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


# --------------------------------------------------------------------------------------------
# Qwen2-VL
# --------------------------------------------------------------------------------------------

QWEN2_VL_SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]


Qwen2VLImageOnlyProcessor = image_only_processor_class()
"""The app's own image-only Qwen2-VL processor: the tiny folders load with what real ones use."""


def build_qwen2_vl(
    folder: Path, hidden_size: int = 64, *, seed: int = 0, version: str = "2"
) -> Path:
    """Qwen2VLForConditionalGeneration: a ViT with 2x2 patch merger and a Qwen2 decoder (mrope).

    The image processor keeps the real patch size 14 and merge size 2 but allows at most
    28*28*16 pixels, so an image becomes at most 64 patches of the vision tower and 16 tokens
    of the decoder. ``version="2.5"`` builds Qwen2_5_VLForConditionalGeneration (model_type
    ``qwen2_5_vl``): a gated-MLP vision tower with window attention, as Qwen2.5-VL-3B has.
    """
    folder = Path(folder)
    tokenizer = _fast_tokenizer(
        QWEN2_VL_SPECIAL_TOKENS,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=QWEN2_VL_SPECIAL_TOKENS[1:],
    )
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in QWEN2_VL_SPECIAL_TOKENS}
    image_processor = Qwen2VLImageProcessorPil(
        patch_size=14,
        temporal_patch_size=2,
        merge_size=2,
        size={"shortest_edge": 28 * 28 * 4, "longest_edge": 28 * 28 * 16},
    )
    processor = Qwen2VLImageOnlyProcessor(
        image_processor=image_processor, tokenizer=tokenizer, chat_template=QWEN2_VL_CHAT_TEMPLATE
    )

    heads = _heads(hidden_size)
    if version == "2.5":
        config_class, model_class = Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration
        vision_config = {
            "depth": 2,
            "hidden_size": hidden_size,
            # not a multiple of 32, as Qwen2.5-VL-3B's 3,420 (bitsandbytes' packed 4-bit CPU
            # kernel refuses such layers: vlm_int4)
            "intermediate_size": hidden_size * 2 + 8,
            "out_hidden_size": hidden_size,
            "num_heads": heads,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "window_size": 56,
            "fullatt_block_indexes": [1],
            "initializer_range": INIT_STD,
        }
    else:
        config_class, model_class = Qwen2VLConfig, Qwen2VLForConditionalGeneration
        vision_config = {
            "depth": 2,
            "embed_dim": hidden_size,
            "hidden_size": hidden_size,
            "mlp_ratio": 2,
            "num_heads": heads,
            "patch_size": 14,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "initializer_range": INIT_STD,
        }
    config = config_class(
        vision_config=vision_config,
        text_config={
            "vocab_size": len(tokenizer),
            "hidden_size": hidden_size,
            "intermediate_size": hidden_size * 2,
            "num_hidden_layers": 2,
            "num_attention_heads": heads,
            "num_key_value_heads": max(1, heads // 2),
            "max_position_embeddings": 1024,
            "initializer_range": INIT_STD,
            # head_dim 16: the three mrope sections (time, height, width) share its 8 frequencies
            "rope_parameters": {
                "rope_type": "default",
                "rope_theta": 1e6,
                "mrope_section": [2, 3, 3],
            },
            "bos_token_id": ids["<|endoftext|>"],
            "eos_token_id": ids["<|im_end|>"],
            "pad_token_id": ids["<|endoftext|>"],
        },
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        # as in Qwen2-VL-2B (7B and 72B have a separate lm_head)
        tie_word_embeddings=True,
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
    )
    with _seeded(seed):
        model = model_class(config).eval()
    # As in Qwen2-VL-2B-Instruct's generation_config.json: stop at <|im_end|> or <|endoftext|>.
    model.generation_config.bos_token_id = ids["<|endoftext|>"]
    model.generation_config.eos_token_id = [ids["<|im_end|>"], ids["<|endoftext|>"]]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(folder)
    processor_class = "Qwen2_5_VLProcessor" if version == "2.5" else "Qwen2VLProcessor"
    _save_like_qwen2_vl_2b_instruct(processor, folder, processor_class)
    return folder


def _save_like_qwen2_vl_2b_instruct(
    processor: Qwen2VLImageOnlyProcessor, folder: Path, processor_class: str = "Qwen2VLProcessor"
) -> None:
    """Write the processor's files the way Qwen/Qwen2-VL-2B-Instruct has them.

    That is a flat ``preprocessor_config.json`` with ``min_pixels``/``max_pixels``, a
    ``chat_template.json`` and the tokenizer files, all naming ``Qwen2VLProcessor``: nothing in
    the folder refers to the image-only class, which must load it as it would a real download.
    """
    image_processor = processor.image_processor
    preprocessor = {
        "min_pixels": image_processor.size["shortest_edge"],
        "max_pixels": image_processor.size["longest_edge"],
        "patch_size": image_processor.patch_size,
        "temporal_patch_size": image_processor.temporal_patch_size,
        "merge_size": image_processor.merge_size,
        "image_mean": list(image_processor.image_mean),
        "image_std": list(image_processor.image_std),
        "image_processor_type": "Qwen2VLImageProcessor",
        "processor_class": processor_class,
    }
    (folder / "preprocessor_config.json").write_text(json.dumps(preprocessor, indent=2) + "\n")
    chat_template = {"chat_template": processor.chat_template}
    (folder / "chat_template.json").write_text(json.dumps(chat_template, indent=2) + "\n")
    processor.tokenizer.save_pretrained(folder)
    tokenizer_config = folder / "tokenizer_config.json"
    settings = json.loads(tokenizer_config.read_text())
    settings["processor_class"] = processor_class
    tokenizer_config.write_text(json.dumps(settings, indent=2) + "\n")


# --------------------------------------------------------------------------------------------
# Janus
# --------------------------------------------------------------------------------------------

JANUS_BOS = "<\uff5cbegin\u2581of\u2581sentence\uff5c>"
JANUS_EOS = "<\uff5cend\u2581of\u2581sentence\uff5c>"
JANUS_PAD = "<\uff5c\u2581pad\u2581\uff5c>"
JANUS_IMAGE_TOKENS = {
    "image_token": "<image_placeholder>",
    "boi_token": "<begin_of_image>",
    "eoi_token": "<end_of_image>",
}


def build_janus(folder: Path, hidden_size: int = 64, *, seed: int = 0) -> Path:
    """JanusForConditionalGeneration: SigLIP-style vision tower, Llama decoder, VQ-VAE.

    The vision tower sees 32x32 images in 8x8 patches: 16 image tokens per image (576 in
    Janus-Pro), written into the processor (``num_image_tokens``) and the vision config.
    The VQ-VAE and the image generation head are only used to generate images; they are
    there, tiny (base_channels 32: GroupNorm needs 32 groups), so that the weights match.
    """
    folder = Path(folder)
    special = [JANUS_BOS, JANUS_EOS, JANUS_PAD, *JANUS_IMAGE_TOKENS.values()]
    backend = _train_tokenizer(special)
    # Like the DeepSeek tokenizer: every encoded text starts with the BOS token.
    backend.post_processor = processors.TemplateProcessing(
        single=f"{JANUS_BOS} $A",
        pair=f"{JANUS_BOS} $A {JANUS_BOS} $B",
        special_tokens=[(JANUS_BOS, backend.token_to_id(JANUS_BOS))],
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token=JANUS_BOS,
        eos_token=JANUS_EOS,
        pad_token=JANUS_PAD,
        extra_special_tokens=JANUS_IMAGE_TOKENS,
    )
    image_size, patch_size = 32, 8
    num_image_tokens = (image_size // patch_size) ** 2
    image_processor = JanusImageProcessorPil(size={"height": image_size, "width": image_size})
    processor = JanusProcessor(
        image_processor=image_processor,
        tokenizer=tokenizer,
        chat_template=JANUS_CHAT_TEMPLATE,
        use_default_system_prompt=True,
        num_image_tokens=num_image_tokens,
    )

    heads = _heads(hidden_size)
    config = JanusConfig(
        text_config={
            "model_type": "llama",
            "vocab_size": len(tokenizer),
            "hidden_size": hidden_size,
            "intermediate_size": hidden_size * 2,
            "num_hidden_layers": 2,
            "num_attention_heads": heads,
            "num_key_value_heads": max(1, heads // 2),
            "max_position_embeddings": 1024,
            "initializer_range": INIT_STD,
            "bos_token_id": tokenizer.bos_token_id,
            "eos_token_id": tokenizer.eos_token_id,
            "pad_token_id": tokenizer.pad_token_id,
        },
        vision_config={
            "hidden_size": hidden_size,
            "num_hidden_layers": 2,
            "num_attention_heads": heads,
            "image_size": image_size,
            "patch_size": patch_size,
            "mlp_ratio": 2,
            "projection_dim": hidden_size,
            "depth": 2,
            "num_image_tokens": num_image_tokens,
            "initializer_range": INIT_STD,
        },
        vq_config={
            "embed_dim": 8,
            "num_embeddings": 64,
            "latent_channels": 32,
            "base_channels": 32,
            "channel_multiplier": [1, 1],
            "num_res_blocks": 1,
            "projection_dim": hidden_size,
            "image_token_embed_dim": hidden_size,
            "initializer_range": INIT_STD,
        },
        image_token_id=tokenizer.convert_tokens_to_ids(JANUS_IMAGE_TOKENS["image_token"]),
        tie_word_embeddings=False,  # as Janus-Pro: its output layer is a weight of its own
    )
    with _seeded(seed):
        model = JanusForConditionalGeneration(config).eval()
    # As transformers' conversion script writes Janus-Pro's generation_config.json: the
    # classifier-free guidance and the begin-of-image token are for image generation, which
    # JanusForConditionalGeneration.generate() turns off in its (default) text mode.
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.bos_token_id = tokenizer.bos_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config._from_model_config = False
    model.generation_config.temperature = 1
    model.generation_config.guidance_scale = 5
    model.generation_config.generation_kwargs = {
        "boi_token_id": tokenizer.convert_tokens_to_ids(JANUS_IMAGE_TOKENS["boi_token"])
    }
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def build_all(root: Path) -> dict[str, Path]:
    """All three families, each in its own folder under root, keyed by model_type."""
    root = Path(root)
    return {
        "got_ocr2": build_got_ocr2(root / "got_ocr2"),
        "qwen2_vl": build_qwen2_vl(root / "qwen2_vl"),
        "janus": build_janus(root / "janus"),
    }


def build_qwen2_5_vl(folder: Path, hidden_size: int = 64, *, seed: int = 0) -> Path:
    """Qwen2.5-VL (model_type ``qwen2_5_vl``), laid out like Qwen2-VL's folder."""
    return build_qwen2_vl(folder, hidden_size, seed=seed, version="2.5")
