"""Tiny random-weight stand-ins for Surya's two models, built offline with the real classes.

* ``build_recognizer``: a Qwen3.5-VL (``Qwen3_5ForConditionalGeneration``, the architecture
  of ``datalab-to/surya-ocr-2``) with a byte-level tokenizer, Qwen2-VL's image processor and
  a chat template; saved as a hub snapshot is laid out (no processor class: the app's serving
  folder adds its own). About 125k parameters.
* ``build_detector``: Surya's EfficientViT text detector, built by ``surya_tiny_detector.py``
  in Surya's environment.

Their answers are noise; the lines, boxes, states, memory and events around them are real.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from samples import DATA, text_page
from tiny_models import QWEN2_VL_SPECIAL_TOKENS

from ablage_desktop.engine.backends.surya import SuryaOptions, environment_python, has_surya

SURYA_PYTHON = environment_python(SuryaOptions(engine="surya"))
needs_surya = pytest.mark.skipif(
    not has_surya(SURYA_PYTHON),
    reason=f"Surya's environment is missing at {SURYA_PYTHON} (make test builds it)",
)
PAGE = DATA / "funsd_0060024314.png"
LIMITS = {"max_tokens": 48, "block_max_tokens": 24}
"""Low token limits: the random model never says it is done, and Surya retries."""

SPECIALS = tuple(QWEN2_VL_SPECIAL_TOKENS)
"""Qwen3.5-VL's chat and vision markers are Qwen2-VL's."""
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
    "{% for c in message['content'] %}"
    "{% if c['type'] in ('image', 'image_url') %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif c['type'] == 'text' %}{{ c['text'] }}{% endif %}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


def _byte_alphabet() -> list[str]:
    """GPT-2's bytes-to-unicode table: every byte as one printable character."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    codes = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    return [chr(code) for code in codes]


def build_recognizer(folder: Path) -> Path:
    import torch
    from tokenizers import AddedToken
    from transformers import Qwen3_5Config, Qwen3_5ForConditionalGeneration, Qwen3_5Tokenizer
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import (
        Qwen2VLImageProcessorPil,
    )

    torch.manual_seed(0)
    vocab = {char: index for index, char in enumerate(_byte_alphabet())}
    for special in SPECIALS:
        vocab[special] = len(vocab)
    tokenizer = Qwen3_5Tokenizer(
        vocab=vocab,
        merges=[],
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token="<|endoftext|>",
    )
    tokenizer.add_tokens(
        [AddedToken(s, special=True, normalized=False) for s in SPECIALS], special_tokens=True
    )
    ids = {special: tokenizer.convert_tokens_to_ids(special) for special in SPECIALS}
    config = Qwen3_5Config(
        text_config={
            "vocab_size": 64 * ((len(vocab) + 63) // 64),
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "layer_types": ["linear_attention", "full_attention"],
            "num_attention_heads": 2,
            "num_key_value_heads": 1,
            "head_dim": 32,
            "linear_key_head_dim": 8,
            "linear_value_head_dim": 8,
            "linear_num_key_heads": 2,
            "linear_num_value_heads": 2,
            "max_position_embeddings": 4096,
            "rope_parameters": {
                "rope_type": "default",
                "rope_theta": 10000.0,
                "partial_rotary_factor": 0.25,
                "mrope_section": [2, 1, 1],
                "mrope_interleaved": True,
            },
            "eos_token_id": ids["<|im_end|>"],
            "pad_token_id": ids["<|endoftext|>"],
        },
        vision_config={
            "depth": 1,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_heads": 2,
            "patch_size": 16,
            "spatial_merge_size": 2,
            "temporal_patch_size": 2,
            "out_hidden_size": 32,
            "num_position_embeddings": 64,
        },
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
        eos_token_id=ids["<|im_end|>"],
        pad_token_id=ids["<|endoftext|>"],
    )
    model = Qwen3_5ForConditionalGeneration(config).eval()
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(folder)
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.save_pretrained(folder)
    (folder / "chat_template.jinja").write_text(CHAT_TEMPLATE, encoding="utf-8")
    Qwen2VLImageProcessorPil(
        patch_size=16, merge_size=2, temporal_patch_size=2, min_pixels=32 * 32, max_pixels=256 * 256
    ).save_pretrained(folder)
    return folder


def build_detector(folder: Path, surya_python: Path) -> Path:
    script = Path(__file__).with_name("surya_tiny_detector.py")
    subprocess.run([str(surya_python), str(script), str(folder)], check=True, timeout=300)
    return folder


def model_servers() -> list[psutil.Process]:
    """The ``transformers serve`` processes under this (test) process."""
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            if "serve" in process.cmdline():
                found.append(process)
        except psutil.Error:
            continue
    return found


def page_file(folder: Path) -> Path:
    """A form of the data set; where the data set is absent, a printed page made in ``folder``
    (the engine's behaviour is the same, the data set only makes the page a real one)."""
    if PAGE.is_file():
        return PAGE
    made = folder / "printed.png"
    text_page(size=(1400, 900)).save(made)
    return made


def options(models: dict[str, Path], **changes: object) -> SuryaOptions:
    """Options that read the tiny ``models`` with low token limits."""
    return SuryaOptions(
        engine="surya", source=str(models["source"]), detector=str(models["detector"]), **LIMITS
    ).model_copy(update=changes)


def config_file(
    folder: Path, models: dict[str, Path], extra: dict[str, object] | None = None
) -> Path:
    """A configuration whose ``surya`` entry reads the tiny models (JSON is YAML too)."""
    entry = {"engine": "surya", **{k: str(v) for k, v in models.items()}, **LIMITS}
    config = folder / "config.yaml"
    config.write_text(json.dumps({"models": {"surya": entry}, **(extra or {})}), encoding="utf-8")
    return config


def surya_processes(served: list[psutil.Process]) -> list[int]:
    """Surya's worker (the server's parent) and every process under it."""
    worker = served[0].parent()
    assert worker is not None and "surya_worker.py" in " ".join(worker.cmdline())
    return [worker.pid, *(child.pid for child in worker.children(recursive=True))]


def started_by_surya(process: psutil.Process) -> bool:
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return "surya_worker.py" in command or "serve" in command


def gone(pids: list[int], timeout_s: float = 15.0) -> bool:
    """Whether every process of ``pids`` has ended within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if psutil.pid_exists(pid) and not _zombie(pid)]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True
