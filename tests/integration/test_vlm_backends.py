"""The vision-language backends, end to end on the CPU with tiny models of the real architectures.

The tiny models (tests/tiny_models.py) have random weights: their text is noise, so the tests
check the plumbing (loading rules, quantization, batching, cancel, memory), not accuracy.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from samples import text_page

torch = pytest.importorskip("torch")

from tiny_models import build_all  # noqa: E402

from ablage_desktop.engine import PageImage, load_config  # noqa: E402
from ablage_desktop.engine.backends import REGISTRY  # noqa: E402
from ablage_desktop.engine.backends.transformers_vlm import (  # noqa: E402
    VisionLanguageBackend,
    VisionLanguageOptions,
    _CancelCriteria,
    safetensors_parameters,
)
from ablage_desktop.engine.backends.vlm_embedding import (  # noqa: E402
    Int8Embedding,
    quantize_input_embedding,
)
from ablage_desktop.engine.backends.vlm_process import IsolatedVisionLanguageBackend  # noqa: E402
from ablage_desktop.engine.core import EngineCore  # noqa: E402
from ablage_desktop.engine.errors import Cancelled  # noqa: E402
from ablage_desktop.engine.events import Event, ModelLeaked  # noqa: E402
from ablage_desktop.engine.run.cancel import CancelToken  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated")

MODELS = {"got_ocr2": "got_ocr2", "qwen2_vl": "qwen2_vl", "janus_pro": "janus"}
"""Configured model name -> tiny folder (and engine)."""


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_all(tmp_path_factory.mktemp("tiny_vlm"))


def config_file(tmp_path: Path, tiny: dict[str, Path], **settings: object) -> Path:
    lines = ["models:"]
    for name, folder in MODELS.items():
        extra = "".join(f", {key}: {value}" for key, value in settings.items())
        lines.append(f"  {name}: {{source: {tiny[folder]}, max_new_tokens: 6{extra}}}")
    path = tmp_path / "tiny.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def page() -> PageImage:
    return PageImage(Path("page.png"), 0, text_page().convert("RGB"), 300)


def options(engine: str, folder: Path, **changes: object) -> VisionLanguageOptions:
    settings: dict[str, object] = {"max_new_tokens": 6, **changes}
    return VisionLanguageOptions(engine=engine, source=str(folder), **settings)


@pytest.mark.parametrize("name", list(MODELS))
def test_each_family_reads_a_page_through_the_cli(
    tiny: dict[str, Path], tmp_path: Path, name: str
) -> None:
    image = tmp_path / "page.png"
    text_page().save(image)
    config = config_file(tmp_path, tiny, quantization="fp32")

    command = [sys.executable, "-m", "ablage_desktop", "ocr", str(image), "--backend", name]
    command += ["--config", str(config), "--format", "json", "--out", str(tmp_path / "out")]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ},
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((tmp_path / "out" / "page.json").read_text(encoding="utf-8"))
    (first,) = data["pages"]
    assert first["backend"] == name
    assert isinstance(first["text"], str)
    # the model's worker process ended cleanly: nothing of it left for the resource tracker
    assert "resource_tracker" not in result.stderr


@pytest.mark.parametrize("quantization", ["fp32", "bf16", "int8", "int4"])
@pytest.mark.parametrize("family", sorted(set(MODELS.values())))
def test_every_quantization_loads_and_generates_on_the_cpu(
    tiny: dict[str, Path], family: str, quantization: str
) -> None:
    if quantization in ("int8", "int4") and not _bitsandbytes():
        pytest.skip("bitsandbytes is not installed")
    opts = options(family, tiny[family], quantization=quantization)
    backend = VisionLanguageBackend(family, opts, _fam(family))
    try:
        result = backend.recognize(page())
        assert isinstance(result.text, str)
        expected = {"fp32": torch.float32, "bf16": torch.bfloat16}
        if quantization in expected:
            assert backend.model.dtype == expected[quantization]
        else:
            assert getattr(backend.model, f"is_loaded_in_{quantization[-1]}bit")
    finally:
        backend.close()


def test_the_cancel_answer_lives_on_the_device_of_the_tokens() -> None:
    # generate() ands it with its own flags on the model's device: a CPU answer failed every
    # page of every model on CUDA ("found at least two devices, cuda:0 and cpu").
    cancel = CancelToken()
    criteria = _CancelCriteria(cancel)
    tokens = torch.zeros((2, 5), dtype=torch.long, device="meta")
    answer = criteria(tokens, None)
    assert answer.device == tokens.device and answer.shape == (2,)
    cancel.cancel()
    assert criteria(torch.zeros((3, 1), dtype=torch.long), None).tolist() == [True] * 3


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
@pytest.mark.parametrize("quantization", ["bf16", "int8", "int4"])
@pytest.mark.parametrize("family", sorted(set(MODELS.values())))
def test_every_family_reads_a_page_on_the_gpu(
    tiny: dict[str, Path], family: str, quantization: str
) -> None:
    if quantization in ("int8", "int4") and not _bitsandbytes():
        pytest.skip("bitsandbytes is not installed")
    opts = options(family, tiny[family], quantization=quantization, device="gpu")
    backend = VisionLanguageBackend(family, opts, _fam(family))
    try:
        assert backend.model.device.type == "cuda"
        assert isinstance(backend.recognize(page()).text, str)
        # Janus' token embedding is not its output layer's weight: int8 beside bitsandbytes
        embedding = backend.model.get_input_embeddings()
        assert isinstance(embedding, Int8Embedding) == (
            family == "janus" and quantization != "bf16"
        )
    finally:
        backend.close()


def test_janus_reads_a_page_with_its_token_embedding_in_int8(tiny: dict[str, Path]) -> None:
    """What a GPU load does under int8 and int4 (``vlm_embedding``), done here on the CPU: the
    prompt is looked up in the int8 table, and the answer is the one the full table gives."""
    opts = options("janus", tiny["janus"], quantization="fp32", max_new_tokens=12)
    backend = VisionLanguageBackend("janus", opts, _fam("janus"))
    try:
        answer = backend.recognize(page()).text
        assert quantize_input_embedding(backend.model) > 0
        assert isinstance(backend.model.get_input_embeddings(), Int8Embedding)
        assert backend.recognize(page()).text == answer
    finally:
        backend.close()


def test_fp16_on_a_cpu_loads_fp32_and_says_so(
    tiny: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        opts = options("got_ocr2", tiny["got_ocr2"], quantization="fp16")
        backend = VisionLanguageBackend("got_ocr2", opts, _fam("got_ocr2"))
    try:
        assert backend.model.dtype == torch.float32
        assert "fp16 is slow or unsupported on a CPU" in caplog.text
    finally:
        backend.close()


@pytest.mark.parametrize("family", sorted(set(MODELS.values())))
def test_a_batch_of_four_reads_like_four_single_pages(tiny: dict[str, Path], family: str) -> None:
    opts = options(family, tiny[family], quantization="fp32", max_batch_size=4)
    backend = VisionLanguageBackend(family, opts, _fam(family))
    images = [text_page(size=(300 + 40 * n, 120 + 30 * n)).convert("RGB") for n in range(4)]
    try:
        batched = backend.recognize_images(images)
        singles = [backend.recognize_images([image])[0] for image in images]
    finally:
        backend.close()

    assert batched == singles


def test_cancel_stops_a_long_generation(tiny: dict[str, Path]) -> None:
    opts = options("qwen2_vl", tiny["qwen2_vl"], quantization="fp32", max_new_tokens=100_000)
    backend = VisionLanguageBackend("qwen2_vl", opts, _fam("qwen2_vl"))
    cancel = CancelToken()
    timer = threading.Timer(0.5, cancel.cancel)
    timer.start()
    started = time.perf_counter()
    try:
        with pytest.raises(Cancelled):
            backend.recognize(page(), cancel)
    finally:
        timer.cancel()
        backend.close()

    assert time.perf_counter() - started < 5.0


def test_the_manager_loads_unloads_and_leaves_no_live_model(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    config = load_config([config_file(tmp_path, tiny, quantization="fp32", isolated="false")])
    engine = EngineCore(config)
    events: list[Event] = []
    engine.events.subscribe(events.append)

    with engine.manager.acquire("got_ocr2") as lease:
        assert isinstance(lease.recognize(page()).text, str)
        model_ref = lease.backend.model  # type: ignore[attr-defined]
        measured = sum(p.numel() * p.element_size() for p in model_ref.parameters())
        del model_ref
    plan = REGISTRY["got_ocr2"].estimate(engine.options("got_ocr2")).plan
    engine.manager.unload("got_ocr2")
    engine.close()

    assert not [e for e in events if isinstance(e, ModelLeaked)]
    assert plan is not None
    assert abs(plan.weights - measured) / measured < 0.01  # the weights as the plan has them


def test_the_estimate_comes_from_the_checkpoint_not_from_guesses(tiny: dict[str, Path]) -> None:
    counted = safetensors_parameters(tiny["janus"])

    assert counted is not None and counted > 10_000


def test_the_plan_counts_the_bf16_softmax_copy(tiny: dict[str, Path]) -> None:
    def copies(**changes: object) -> int:
        plan = REGISTRY["got_ocr2"].estimate(options("got_ocr2", tiny["got_ocr2"], **changes)).plan
        assert plan is not None
        return plan.softmax_copies

    assert copies(device="gpu", quantization="bf16") == 2
    # int8 computes in the checkpoint's dtype: float32 in the tiny folders (one copy, no upcast)
    assert copies(device="gpu", quantization="int8") == 1
    assert copies(device="gpu", quantization="fp16") == 1  # torch fuses fp16's upcast
    assert copies(device="gpu", quantization="fp32") == 1
    assert copies(device="cpu", quantization="bf16") == 2  # the same on a CPU (measured)
    assert copies(device="cpu", quantization="fp32") == 1


def test_folders_that_must_not_load_say_why(tiny: dict[str, Path], tmp_path: Path) -> None:
    spec = REGISTRY["got_ocr2"]
    no_weights = tmp_path / "no_weights"
    shutil.copytree(tiny["got_ocr2"], no_weights)
    (no_weights / "model.safetensors").unlink()
    pickled = tmp_path / "pickled"
    shutil.copytree(no_weights, pickled)
    (pickled / "pytorch_model.bin").write_bytes(b"not loaded, ever")
    remote = tmp_path / "remote"
    shutil.copytree(tiny["got_ocr2"], remote)
    config = json.loads((remote / "config.json").read_text())
    config["auto_map"] = {"AutoModel": "modeling_evil.EvilModel"}
    (remote / "config.json").write_text(json.dumps(config))

    reasons = {
        folder.name: spec.availability(options("got_ocr2", folder)).reason
        for folder in (no_weights, pickled, remote)
    }

    assert "has no .safetensors weights" in reasons["no_weights"]
    assert "only pickle weights (pytorch_model.bin)" in reasons["pickled"]
    assert "asks for remote code" in reasons["remote"]
    missing = spec.availability(options("got_ocr2", Path("owner/absent-model")))
    assert "not downloaded" in missing.reason


def _fam(engine: str) -> object:
    """The family adapter of an engine (what its spec's load uses)."""
    from ablage_desktop.engine.backends import got_ocr2, janus, qwen2_vl

    return {"got_ocr2": got_ocr2.GotOcr2(), "qwen2_vl": qwen2_vl.Qwen2VL(), "janus": janus.Janus()}[
        engine
    ]


def _bitsandbytes() -> bool:
    import importlib.util

    return importlib.util.find_spec("bitsandbytes") is not None


def test_attention_is_chosen_by_what_the_family_and_device_support() -> None:
    from ablage_desktop.engine.backends.transformers_vlm import choose_attention

    got, qwen = _fam("got_ocr2"), _fam("qwen2_vl")

    assert choose_attention("auto", got, "cpu") == ("eager", "")  # type: ignore[arg-type]
    assert choose_attention("auto", qwen, "cpu") == ("sdpa", "")  # type: ignore[arg-type]
    assert choose_attention("sdpa", got, "cpu")[0] == "eager"  # type: ignore[arg-type]
    attention, note = choose_attention("flash_attention_2", qwen, "cpu")  # type: ignore[arg-type]
    assert attention == "sdpa" and "not usable here" in note


def test_warmup_runs_a_blank_page_after_loading(
    tiny: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    opts = options("janus", tiny["janus"], quantization="fp32", warmup=True)
    with caplog.at_level(logging.INFO):
        backend = VisionLanguageBackend("janus", opts, _fam("janus"))
    backend.close()

    assert "janus warmed up in" in caplog.text


def test_the_pipeline_reads_a_chosen_vlm_in_batches_with_the_same_text(
    tiny: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samples import pdf_bytes

    from ablage_desktop.engine import OcrRequest

    sizes: list[int] = []
    real = IsolatedVisionLanguageBackend.recognize_images

    def spy(
        self: IsolatedVisionLanguageBackend, images: list[object], cancel: object = None
    ) -> list[str]:
        sizes.append(len(images))
        return real(self, images, cancel)  # type: ignore[arg-type]

    # the model's worker process reads the batches (the configuration's default); the pages
    # one at a time are read in the app's own process (a worker reads as that process does:
    # test_vlm_worker), which spares a second worker's start (torch and transformers, 4-5 s)
    monkeypatch.setattr(IsolatedVisionLanguageBackend, "recognize_images", spy)

    pdf = tmp_path / "four.pdf"
    pdf.write_bytes(pdf_bytes([text_page(size=(300 + 50 * n, 200)) for n in range(4)], dpi=72))
    texts = {}
    for batch, isolated in ((1, "false"), (4, "true")):
        # (with the pages' preprocessing, as configured: without it a page is read before the
        # next is rendered often enough on a busy machine that no batch forms)
        path = config_file(
            tmp_path, tiny, quantization="fp32", max_batch_size=batch, isolated=isolated
        )
        engine = EngineCore(load_config([path]))
        (result,) = engine.ocr(OcrRequest([pdf], backend="qwen2_vl"))
        engine.close()
        assert result.ok
        texts[batch] = [page.text for page in result.pages]

    assert texts[4] == texts[1]
    assert max(sizes) > 1  # the second run really generated several pages at once


def test_janus_holds_no_image_generation_weights(tiny: dict[str, Path]) -> None:
    opts = options("janus", tiny["janus"], quantization="fp32")
    backend = VisionLanguageBackend("janus", opts, _fam("janus"))
    try:
        names = [name for name, _ in backend.model.named_parameters()]
        text = backend.recognize(page()).text
    finally:
        backend.close()
    plan = REGISTRY["janus"].estimate(opts).plan

    assert names and not [n for n in names if ".vqmodel." in n or ".generation_" in n]
    assert isinstance(text, str)
    # the plan leaves them out too: fewer parameters than the folder holds
    counted = safetensors_parameters(tiny["janus"])
    assert plan is not None and counted is not None and plan.parameters < counted
