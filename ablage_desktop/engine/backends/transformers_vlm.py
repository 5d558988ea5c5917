"""The shared machinery of the Hugging Face vision-language backends (GOT-OCR2, Qwen2-VL, Janus).

Rules that hold for every family:

* Only safetensors, never ``trust_remote_code``: a folder with only pickle weights (``.bin``,
  ``.pt``), a ``config.json`` that asks for remote code (``auto_map``) or a truncated
  ``.safetensors`` is refused with its typed error before any weight is read
  (``model_folder.check_folder``).
* Nothing touches the network: a hub id is looked up in the local Hugging Face cache only;
  ``ablage-desktop models download NAME`` is the one explicit way to fetch a model.
* torch and transformers are imported only when a model loads (checking and estimating read
  ``config.json`` and the safetensors headers, no weights).
* On a CPU, half precision is slow or unsupported: fp16 becomes fp32, and the log says so.

A family adapter (one small module each) owns the model class, the processor, the prompt, the
generation settings and the clean-up of the output.
"""

from __future__ import annotations

import abc
import importlib.util
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import Field

from ablage_desktop.engine.backends.base import Availability, Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.backends.hub_cache import cached_snapshot
from ablage_desktop.engine.backends.model_folder import (
    check_folder,
    model_type_of,
    safetensors_parameters,
)
from ablage_desktop.engine.backends.vlm_device import (
    BITSANDBYTES,
    cuda_present,
    effective_quantization,
)
from ablage_desktop.engine.backends.vlm_heap import trim_heap_after_blocks
from ablage_desktop.engine.backends.vlm_memory import plan_of
from ablage_desktop.engine.errors import (
    Cancelled,
    CorruptModelFiles,
    ModelLoadError,
    RecognitionError,
)
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import (
    MemoryEstimate,
    estimate_from_plan,
    estimate_transformer,
)
from ablage_desktop.engine.memory.mapped import page_out_files
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.cancel import CancelToken

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

NOT_DOWNLOADED = "not downloaded"
ACTIVATION_SHARE = 0.2
"""Without the model's files (not downloaded): activations and KV cache as a share of the
weights. With them, the per-page plan (``vlm_memory.plan_of``) replaces this guess."""


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
    isolated: bool = True
    """Load and read in a worker process of its own, which the unload ends: every byte comes
    back (on a GPU the CUDA context too), and a crash costs a page, not the app. False: in
    the app's process (~390 MiB of RAM less while loaded: the worker's interpreter, torch and
    transformers; but those stay in the app after the unload)."""


class Family(Protocol):
    """What one model family adds to the shared machinery."""

    model_type: str
    """``config.json``'s model_type."""
    model_types: tuple[str, ...]
    """Every model_type the family loads (Qwen2-VL also loads Qwen2.5-VL)."""
    title: str
    parameters: int
    """Parameter count of the seed checkpoint, for estimates before it is downloaded."""
    supports_sdpa: bool
    int8_skip_modules: tuple[str, ...]
    """Modules bitsandbytes must leave in full precision (they break quantized)."""
    unused_modules: tuple[str, ...]
    """Modules reading never runs (Janus's image generation): dropped after the load, never
    quantized, and left out of the plan."""

    def load_model(self, folder: Path, kwargs: dict[str, Any]) -> Any: ...

    def load_processor(self, folder: Path) -> Any: ...

    def inputs(self, processor: Any, images: Sequence[Image.Image]) -> Any:
        """The model inputs for plain OCR of ``images`` (tensors on the CPU)."""
        ...

    def decode(self, processor: Any, inputs: Any, output: Any) -> list[str]:
        """The new text of each image, cleaned into page text."""
        ...

    def generate_kwargs(self, processor: Any) -> dict[str, Any]: ...


OCR_PROMPT = "Read all the text in this image. Keep the line breaks."


def chat_inputs(processor: Any, images: Sequence[Image.Image], prompt: str, **extra: Any) -> Any:
    """Inputs of chat-style families: the prompt through the chat template, left padded."""
    messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": prompt}]}]
    text = processor.apply_chat_template(messages, add_generation_prompt=True)
    return processor(
        text=[text] * len(images),
        images=list(images),
        padding=True,
        padding_side="left",
        return_tensors="pt",
        **extra,
    )


def decode_new_tokens(processor: Any, inputs: Any, output: Any) -> list[str]:
    """Only the generated tokens, as clean page text."""
    new_tokens = output[:, inputs["input_ids"].shape[1] :]
    texts = processor.batch_decode(new_tokens, skip_special_tokens=True)
    return [text.strip() for text in texts]


# --- finding and checking the files ----------------------------------------------------------


def resolve_folder(options: VisionLanguageOptions) -> Path | None:
    """The local folder of ``options.source``: the folder itself, or the hub id in the cache."""
    source = Path(options.source).expanduser()
    if source.is_dir():
        return source
    if "/" not in options.source or source.is_absolute():
        return None
    return cached_snapshot(options.source, options.revision)


def device_of(options: VisionLanguageOptions) -> Literal["cpu", "gpu"]:
    if options.device == "cpu":
        return "cpu"
    if options.device == "gpu":
        return "gpu"
    return "gpu" if cuda_present() else "cpu"


# --- the spec pieces every family shares -----------------------------------------------------


def make_check(family: Family) -> Callable[[EngineOptions], Availability]:
    def check(options: EngineOptions) -> Availability:
        assert isinstance(options, VisionLanguageOptions)
        for package in ("torch", "transformers", "accelerate"):
            if importlib.util.find_spec(package) is None:
                if getattr(sys, "frozen", False):  # a PyInstaller build made without torch
                    return Availability.no(
                        "this build of the app has no GPU engines (it was made without "
                        f"{package}); use the GPU build or install the app with pip"
                    )
                return Availability.no(f"the {package} package is not installed")
        folder = resolve_folder(options)
        if folder is None:
            return Availability.no(
                f"{NOT_DOWNLOADED}: {options.source} is neither a folder nor in the Hugging Face "
                "cache"
            )
        refusal = check_folder(family.model_type, folder, family.model_types)
        if refusal is not None:
            return Availability.no(refusal.reason)
        if (
            options.quantization in BITSANDBYTES
            and importlib.util.find_spec("bitsandbytes") is None
        ):
            return Availability.no(f"{options.quantization} needs the bitsandbytes package")
        return Availability.yes()

    return check


def make_estimate(family: Family) -> Callable[[EngineOptions], MemoryEstimate]:
    def estimate(options: EngineOptions) -> MemoryEstimate:
        assert isinstance(options, VisionLanguageOptions)
        device = device_of(options)
        folder = resolve_folder(options)
        quantization, _ = effective_quantization(options.quantization, device)
        if folder is not None:
            attention, _ = choose_attention(options.attention, family, device)
            plan = plan_of(
                folder,
                model_type_of(folder) or family.model_type,
                quantization,
                attention,
                family.int8_skip_modules,
                options.max_new_tokens,
                options.max_batch_size,
                device,
                options.isolated,
                family.unused_modules,
            )
            if plan is not None:
                return estimate_from_plan(device, plan)
        parameters = (safetensors_parameters(folder) if folder else None) or family.parameters
        return estimate_transformer(device, parameters, quantization, ACTIVATION_SHARE)

    return estimate


def make_spec(engine: str, family: Family) -> BackendSpec:
    def load(name: str, options: EngineOptions) -> Backend:
        assert isinstance(options, VisionLanguageOptions)
        if options.isolated:
            from ablage_desktop.engine.backends.vlm_process import IsolatedVisionLanguageBackend

            return IsolatedVisionLanguageBackend(name, options, family)
        return VisionLanguageBackend(name, options, family)

    return BackendSpec(
        engine=engine,
        kind="gpu",
        title=family.title,
        options=VisionLanguageOptions,
        estimate=make_estimate(family),
        check=make_check(family),
        load=load,
    )


# --- loading and running ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """How a model is loaded here, decided before from_pretrained; logged in full."""

    folder: Path
    device: str
    quantization: str
    attention: str
    notes: tuple[str, ...]


def choose_attention(requested: str, family: Family, device: str) -> tuple[str, str]:
    """The attention implementation to use, and why it differs from what was asked."""
    flash = importlib.util.find_spec("flash_attn") is not None and device == "gpu"
    if requested == "flash_attention_2" and not flash:
        fallback = "sdpa" if family.supports_sdpa else "eager"
        return fallback, f"flash_attention_2 is not usable here: using {fallback}"
    if requested == "sdpa" and not family.supports_sdpa:
        return "eager", f"{family.title} does not support sdpa: using eager"
    if requested != "auto":
        return requested, ""
    if flash and family.supports_sdpa:
        return "flash_attention_2", ""
    return ("sdpa" if family.supports_sdpa else "eager"), ""


def plan_load(options: VisionLanguageOptions, family: Family, name: str) -> LoadPlan:
    folder = resolve_folder(options)
    if folder is None:
        raise ModelLoadError(name, f"{options.source} is not downloaded")
    refusal = check_folder(name, folder, family.model_types)
    if refusal is not None:
        raise refusal
    device = device_of(options)
    if device == "gpu" and not cuda_present():
        raise ModelLoadError(name, "device: gpu is configured but no CUDA device is usable")
    quantization, note = effective_quantization(options.quantization, device)
    attention, attention_note = choose_attention(options.attention, family, device)
    notes = tuple(n for n in (note, attention_note) if n)
    return LoadPlan(folder, device, quantization, attention, notes)


def drop_modules(model: Any, paths: Sequence[str]) -> None:
    """Drop the submodules at ``paths`` (dotted, from the model): their tensors are freed (on a
    CPU, pages of the checkpoint's memory map never read), and nothing of them stays resident."""
    for path in paths:
        parent_path, _, name = path.rpartition(".")
        parent = model.get_submodule(parent_path) if parent_path else model
        if getattr(parent, name, None) is not None:
            setattr(parent, name, None)
            log.debug("dropped %s: reading does not use it", path)


class _CancelCriteria:
    """Stops ``generate`` within a token when the batch is cancelled.

    Its answer lives on the device of the tokens: ``generate`` ands it with its own flags,
    and a CPU tensor there failed every page of a model on CUDA."""

    def __init__(self, cancel: CancelToken) -> None:
        self.cancel = cancel

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        return torch.full(
            (input_ids.shape[0],),
            self.cancel.cancelled,
            dtype=torch.bool,
            device=input_ids.device,
        )


class ImagesBackend(Backend):
    """A backend that reads whole images into text: pages and batches of pages from that."""

    def __init__(self, name: str, options: VisionLanguageOptions) -> None:
        super().__init__(name)
        self.options = options

    def recognize_images(
        self, images: Sequence[Image.Image], cancel: CancelToken | None = None
    ) -> list[str]:
        """Text of each image, generated together (up to max_batch_size at a time)."""
        token = cancel or CancelToken()
        texts: list[str] = []
        size = self.options.max_batch_size
        for start in range(0, len(images), size):
            texts += self._read_batch(list(images[start : start + size]), token)
        return texts

    @abc.abstractmethod
    def _read_batch(self, images: list[Image.Image], cancel: CancelToken) -> list[str]:
        """Text of each image of one batch."""

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        (text,) = self.recognize_images([page.image], cancel)
        return self._page_result(page, started, text, ())

    def recognize_batch(
        self, pages: Sequence[PageImage], cancel: CancelToken | None = None
    ) -> list[OcrPage]:
        started = time.perf_counter()
        texts = self.recognize_images([page.image for page in pages], cancel)
        share = (time.perf_counter() - started) / max(1, len(pages))
        return [
            self._page_result(page, time.perf_counter() - share, text, ())
            for page, text in zip(pages, texts, strict=True)
        ]


class VisionLanguageBackend(ImagesBackend):
    def __init__(self, name: str, options: VisionLanguageOptions, family: Family) -> None:
        super().__init__(name, options)
        self.family = family
        self.plan = plan_load(options, family, name)
        for note in self.plan.notes:
            log.warning("%s: %s", name, note)
        import torch

        self._torch = torch
        kwargs: dict[str, Any] = {
            "trust_remote_code": False,
            "use_safetensors": True,
            "local_files_only": True,
            "attn_implementation": self.plan.attention,
            "device_map": "cuda" if self.plan.device == "gpu" else "cpu",
        }
        dtypes = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
        if self.plan.quantization in dtypes:
            kwargs["dtype"] = dtypes[self.plan.quantization]
        else:
            kwargs["quantization_config"] = self._bitsandbytes_config()
        started = time.perf_counter()
        try:
            self.model = family.load_model(self.plan.folder, kwargs)
            self.processor = family.load_processor(self.plan.folder)
        except Exception as exc:
            kind = type(exc).__name__
            if kind == "OutOfMemoryError" or isinstance(exc, MemoryError):
                raise  # the manager matches these by type and retries once
            if kind == "SafetensorError":  # damaged after the check (or in a way it misses)
                raise CorruptModelFiles(name, f"the weights are damaged: {exc}") from exc
            raise ModelLoadError(name, f"{kind}: {exc}") from exc
        self.model.eval()
        if family.unused_modules:
            drop_modules(self.model, family.unused_modules)
        if self.plan.device == "gpu":
            if self.plan.quantization in BITSANDBYTES:
                from ablage_desktop.engine.backends.vlm_embedding import quantize_input_embedding

                quantize_input_embedding(self.model)
            torch.cuda.empty_cache()
        if self.plan.device == "cpu":
            # The checkpoint pages the load read stay mapped; the model holds its own copies.
            released = page_out_files(self.plan.folder.glob("*.safetensors"))
            log.debug("%s: asked the kernel to reclaim %d MiB of file pages", name, released >> 20)
            if self.plan.quantization in BITSANDBYTES:
                trim_heap_after_blocks(self.model)
            if self.plan.quantization == "int4":
                from ablage_desktop.engine.backends.vlm_int4 import keep_unpackable_layers_unpacked

                keep_unpackable_layers_unpacked(self.model)
        if options.compile != "off":
            self.model.forward = torch.compile(self.model.forward, mode=options.compile)
        log.info(
            "%s loaded from %s on %s as %s with %s attention in %.1f s",
            name,
            self.plan.folder,
            self.plan.device,
            self.plan.quantization,
            self.plan.attention,
            time.perf_counter() - started,
        )
        self.warmup_seconds: float | None = None
        """How long the warm-up page took (None without one): the manager reports it."""
        if options.warmup:
            from PIL import Image

            started = time.perf_counter()
            self._generate([Image.new("RGB", (64, 64), "white")], CancelToken(), 4)
            self.warmup_seconds = time.perf_counter() - started
            log.info("%s warmed up in %.2f s", name, self.warmup_seconds)

    def _bitsandbytes_config(self) -> Any:
        from transformers import BitsAndBytesConfig

        torch = self._torch
        if self.plan.quantization == "int8":
            return BitsAndBytesConfig(load_in_8bit=True, llm_int8_skip_modules=self._skipped())
        compute = torch.bfloat16 if self.plan.device == "gpu" else torch.float32
        return BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=compute,
            llm_int8_skip_modules=self._skipped(),
        )

    def _skipped(self) -> list[str]:
        """Modules left unquantized: those that break quantized, and those dropped after the
        load (quantizing them would only cost time and memory)."""
        return [*self.family.int8_skip_modules, *self.family.unused_modules]

    def _read_batch(self, images: list[Image.Image], cancel: CancelToken) -> list[str]:
        return self._generate(images, cancel)

    def _generate(
        self, images: Sequence[Image.Image], cancel: CancelToken, max_new_tokens: int | None = None
    ) -> list[str]:
        from transformers import StoppingCriteriaList

        torch = self._torch
        rgb = [image.convert("RGB") for image in images]
        # pixel values in the model's dtype: GOT's vision tower fails on fp32 input in bf16
        inputs = self.family.inputs(self.processor, rgb).to(
            self.model.device, dtype=self.model.dtype
        )
        kwargs = {
            "max_new_tokens": max_new_tokens or self.options.max_new_tokens,
            "do_sample": False,
            "stopping_criteria": StoppingCriteriaList([_CancelCriteria(cancel)]),
            **self.family.generate_kwargs(self.processor),
        }
        try:
            with torch.inference_mode():
                output = self.model.generate(**inputs, **kwargs)
        except (RuntimeError, ValueError, AssertionError) as exc:  # a library's assert too
            if type(exc).__name__ == "OutOfMemoryError":
                raise  # the manager matches it by type and retries once
            raise RecognitionError(f"{self.name} failed: {type(exc).__name__}: {exc}") from exc
        if cancel.cancelled:
            raise Cancelled()
        return self.family.decode(self.processor, inputs, output)

    def tracked_objects(self) -> Sequence[object]:
        return (self, self.model)

    def close(self) -> None:
        self.model = None
        self.processor = None
        torch = self._torch
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
