"""A vision-language model in a worker process of its own (``isolated``, the default), with the
tiny models of the real architectures: it reads as the in-process backend does, is measured in
its process, stops within a token on a cancel, and a worker that dies becomes a typed error."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from PIL import Image
from samples import text_page

torch = pytest.importorskip("torch")

from tiny_models import build_got_ocr2, build_qwen2_vl  # noqa: E402

from ablage_desktop.engine import PageImage, load_config  # noqa: E402
from ablage_desktop.engine.backends import REGISTRY  # noqa: E402
from ablage_desktop.engine.backends.transformers_vlm import VisionLanguageOptions  # noqa: E402
from ablage_desktop.engine.backends.vlm_process import IsolatedVisionLanguageBackend  # noqa: E402
from ablage_desktop.engine.core import EngineCore  # noqa: E402
from ablage_desktop.engine.errors import Cancelled, EngineStopped  # noqa: E402
from ablage_desktop.engine.events import Event, ModelLeaked, ModelStateChanged  # noqa: E402
from ablage_desktop.engine.memory.plan import CUDA_CONTEXT, WORKER_PROCESS_RAM  # noqa: E402
from ablage_desktop.engine.memory.probe import SystemProbe  # noqa: E402
from ablage_desktop.engine.run.cancel import CancelToken  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny_worker")
    return {
        "got_ocr2": build_got_ocr2(root / "got_ocr2"),
        "qwen2_vl": build_qwen2_vl(root / "qwen2_vl"),
    }


def options(engine: str, tiny: dict[str, Path], **changes: object) -> VisionLanguageOptions:
    settings: dict[str, object] = {"max_new_tokens": 6, "quantization": "fp32", **changes}
    return VisionLanguageOptions(engine=engine, source=str(tiny[engine]), **settings)


def page() -> PageImage:
    return PageImage(Path("page.png"), 0, text_page().convert("RGB"), 300)


def page_that_ends_soon() -> PageImage:
    """A black page, which the tiny Qwen2-VL reads as three tokens and its end token (greedy,
    seeded weights; each choice leads the runner-up by 0.25 logits or more).

    The text page reads on for about 1,700 tokens (30-60 s here) before its end token comes."""
    return PageImage(Path("black.png"), 0, Image.new("RGB", (300, 112), "black"), 300)


def test_the_worker_reads_as_the_apps_own_process_does_and_ends_with_the_unload(
    tiny: dict[str, Path],
) -> None:
    spec = REGISTRY["got_ocr2"]
    in_process = spec.load("got_ocr2", options("got_ocr2", tiny, isolated=False))
    try:
        expected = in_process.recognize(page()).text
    finally:
        in_process.close()

    worker = spec.load("got_ocr2", options("got_ocr2", tiny))
    assert isinstance(worker, IsolatedVisionLanguageBackend)
    pid = worker.pid
    try:
        assert pid is not None and pid != os.getpid()
        assert worker.recognize(page()).text == expected
        pages = worker.recognize_batch([page(), page()])
        held = worker.process_memory()
    finally:
        worker.close()

    assert [p.text for p in pages] == [expected, expected]
    # the worker's RSS: its interpreter, torch and the (tiny) model
    assert held is not None and held > 100 << 20
    assert worker.usage.peak_rss >= worker.usage.rss > 0
    assert worker.pid is None and not psutil.pid_exists(pid)


def test_the_manager_measures_the_worker_and_its_plan_counts_the_process(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    config = tmp_path / "models.yaml"
    config.write_text(
        f"models:\n  got_ocr2: {{source: {tiny['got_ocr2']}, quantization: fp32, "
        "max_new_tokens: 4}\n",
        encoding="utf-8",
    )
    engine = EngineCore(load_config([config]))
    events: list[Event] = []
    engine.events.subscribe(events.append)
    try:
        with engine.manager.acquire("got_ocr2", (400, 300)) as lease:
            pid = lease.backend.pid  # type: ignore[attr-defined]
            lease.recognize(page())
            loaded = SystemProbe().snapshot()
        measured = engine.manager.info("got_ocr2").measured_bytes
        plan = engine.manager.info("got_ocr2").plan
        engine.manager.unload("got_ocr2")
        unloaded = SystemProbe().snapshot()
    finally:
        engine.close()

    # the memory graph's "helper processes" curve: the worker shows there, not in the app's RSS
    assert loaded.workers_rss is not None and unloaded.workers_rss is not None
    assert loaded.workers_rss - unloaded.workers_rss > 0.5 * WORKER_PROCESS_RAM

    assert plan is not None and plan.process == WORKER_PROCESS_RAM
    # what the load took is the worker's whole RSS, which the plan's process term covers
    assert measured is not None and 0.5 * WORKER_PROCESS_RAM < measured < plan.resident * 1.5
    assert not psutil.pid_exists(pid)
    states = [e.state for e in events if isinstance(e, ModelStateChanged)]
    assert states[-1] == "unloaded"
    assert not [e for e in events if isinstance(e, ModelLeaked)]


def test_the_plan_counts_the_workers_process_on_its_device(tiny: dict[str, Path]) -> None:
    def plan(**changes: object) -> tuple[int, int]:
        estimate = REGISTRY["got_ocr2"].estimate(options("got_ocr2", tiny, **changes))
        assert estimate.plan is not None
        return estimate.plan.process, estimate.plan.resident

    assert plan(device="cpu")[0] == WORKER_PROCESS_RAM
    assert plan(device="gpu")[0] == CUDA_CONTEXT  # a CUDA context of its own
    process, resident = plan(device="cpu", isolated=False)
    assert process == 0 and resident == plan(device="cpu")[1] - WORKER_PROCESS_RAM


@pytest.fixture(scope="module")
def long_readers() -> Iterator[list[IsolatedVisionLanguageBackend]]:
    """The workers of ``long_reader``, closed at the module's end."""
    started: list[IsolatedVisionLanguageBackend] = []
    try:
        yield started
    finally:
        for worker in started:
            worker.close()


@pytest.fixture
def long_reader(
    long_readers: list[IsolatedVisionLanguageBackend], tiny: dict[str, Path]
) -> IsolatedVisionLanguageBackend:
    """A Qwen2-VL worker whose pages read on for as long as the test lets them.

    The cancel test leaves its worker alive and idle, and the kill test after it takes that
    one: a worker's start (torch, transformers, the model) is 4-5 s. A new one is started
    where the last one is gone (a test killed or closed it, or ran alone)."""
    if not long_readers or long_readers[-1].pid is None:
        worker = REGISTRY["qwen2_vl"].load(
            "qwen2_vl", options("qwen2_vl", tiny, max_new_tokens=100_000)
        )
        assert isinstance(worker, IsolatedVisionLanguageBackend)
        long_readers.append(worker)
    return long_readers[-1]


def test_a_cancel_reaches_the_worker_and_it_reads_the_next_page(
    long_reader: IsolatedVisionLanguageBackend,
) -> None:
    worker = long_reader
    cancel = CancelToken()
    timer = threading.Timer(0.5, cancel.cancel)
    try:
        timer.start()
        started = time.perf_counter()
        with pytest.raises(Cancelled):
            worker.recognize(page(), cancel)
        stopped_after = time.perf_counter() - started
        # the shared flag was cleared for the next page: it is read to its end
        assert isinstance(worker.recognize(page_that_ends_soon()).text, str)
        assert worker.pid is not None
    finally:
        timer.cancel()

    assert stopped_after < 5.0


def test_a_worker_killed_during_a_page_stops_the_engine_in_words(
    long_reader: IsolatedVisionLanguageBackend,
) -> None:
    worker = long_reader
    pid = worker.pid
    assert pid is not None
    timer = threading.Timer(0.5, os.kill, (pid, signal.SIGKILL))
    try:
        timer.start()
        with pytest.raises(EngineStopped, match=r"signal 9.*lack of memory"):
            worker.recognize(page())
        with pytest.raises(EngineStopped, match="was stopped"):
            worker.recognize(page())
    finally:
        timer.cancel()
        worker.close()


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_a_worker_on_the_gpu_holds_its_model_there_and_gives_it_all_back(
    tiny: dict[str, Path],
) -> None:
    worker = REGISTRY["got_ocr2"].load(
        "got_ocr2", options("got_ocr2", tiny, quantization="bf16", device="gpu")
    )
    assert isinstance(worker, IsolatedVisionLanguageBackend)
    try:
        assert isinstance(worker.recognize(page()).text, str)
        on_device = worker.device_memory()
        allocated = worker.usage.cuda_allocated
    finally:
        worker.close()

    assert allocated is not None and allocated > 0
    assert on_device is not None and on_device >= allocated
    assert worker.pid is None


def test_a_page_whose_worker_was_killed_goes_on_to_the_next_engine(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    """The kernel's OOM killer (SIGKILL) takes the model's worker during a page: the page is
    read by the next engine of the chain, and the model is unloaded, to start afresh."""
    from ablage_desktop.engine import OcrRequest
    from ablage_desktop.engine.events import FallbackTaken, Routed
    from ablage_desktop.engine.models.state import ModelState

    chain = ["qwen2_vl", "tesseract"]
    settings = {
        "models": {
            "qwen2_vl": {
                "engine": "qwen2_vl",
                "source": str(tiny["qwen2_vl"]),
                "quantization": "fp32",
                "max_new_tokens": 100_000,
            }
        },
        "routing": {"complex": chain, "simple": chain, "unknown": chain, "combine": False},
        "preprocessing": {"enabled": False},
    }
    config = tmp_path / "models.yaml"
    config.write_text(json.dumps(settings), encoding="utf-8")
    image = tmp_path / "page.png"
    text_page().save(image)
    engine = EngineCore(load_config([config]))
    events: list[Event] = []
    engine.events.subscribe(events.append)
    killers: list[threading.Timer] = []

    def kill_while_it_reads(event: Event) -> None:
        # Half a second after the page went to the model (its answer runs to 100,000 tokens):
        # a timer from before the batch fired, under load, while intake still started, and
        # the worker was restarted for the page instead.
        if isinstance(event, Routed) and event.backend == "qwen2_vl":
            killer = threading.Timer(0.5, os.kill, (pid, signal.SIGKILL))
            killers.append(killer)
            killer.start()

    engine.events.subscribe(kill_while_it_reads)
    try:
        with engine.manager.acquire("qwen2_vl") as lease:
            pid = lease.backend.pid  # type: ignore[attr-defined]
        try:
            (document,) = engine.ocr(OcrRequest([image], backend="auto", archive=False))
        finally:
            for killer in killers:
                killer.cancel()
        info = engine.manager.info("qwen2_vl")
    finally:
        engine.close()

    (read,) = document.pages
    assert read.backend == "tesseract" and read.text.strip()
    fallbacks = [e for e in events if isinstance(e, FallbackTaken)]
    assert [(f.from_backend, f.to_backend) for f in fallbacks] == [("qwen2_vl", "tesseract")]
    assert "signal 9" in fallbacks[0].error.message
    assert info.state is ModelState.UNLOADED
