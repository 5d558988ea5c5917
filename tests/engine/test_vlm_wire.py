"""What a vision-language worker's failures become in the app, and how a model in a worker is
measured: words across the pipe, the app's typed errors on this side (no torch needed)."""

from __future__ import annotations

import pickle
from types import SimpleNamespace
from typing import Any

import pytest

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.backends.vlm_worker import (
    Failed,
    error_of,
    failure_of,
    stopped_error,
)
from ablage_desktop.engine.errors import (
    Cancelled,
    CorruptModelFiles,
    EngineStopped,
    ModelLoadError,
    OutOfMemory,
    RecognitionError,
)
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.models.loading import is_out_of_memory
from ablage_desktop.engine.models.measure import load_growth

MIB = 1 << 20


class OutOfMemoryError(RuntimeError):
    """Named as torch's CUDA OOM is: the worker matches it by name (torch is not imported
    on the app's side)."""


def across(exc: BaseException, during: str) -> Exception:
    """``exc`` raised in the worker, as the app raises it (through pickle, as the pipe sends)."""
    failed = pickle.loads(pickle.dumps(failure_of(exc, during)))
    assert isinstance(failed, Failed)
    return error_of(failed, "qwen2_vl", during)


def test_an_out_of_memory_in_the_worker_is_one_the_manager_retries() -> None:
    error = across(OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"), "loading")

    assert isinstance(error, OutOfMemory) and is_out_of_memory(error)
    assert "Tried to allocate 2.00 GiB" in str(error) and error.during == "loading"
    assert isinstance(across(MemoryError(), "recognition"), OutOfMemory)


@pytest.mark.parametrize(
    ("raised", "expected", "words"),
    [
        (Cancelled(), Cancelled, "Cancelled by the user"),
        (CorruptModelFiles("x", "the weights are damaged"), CorruptModelFiles, "damaged"),
        (ModelLoadError("x", "ValueError: bad config"), ModelLoadError, "bad config"),
        (RecognitionError("qwen2_vl failed: ValueError: no"), RecognitionError, "failed: Value"),
    ],
)
def test_the_apps_own_errors_keep_their_type_and_words(
    raised: Exception, expected: type[Exception], words: str
) -> None:
    error = across(raised, "recognition")

    assert type(error) is expected and words in str(error)


def test_any_other_failure_is_a_failed_load_or_a_failed_page() -> None:
    load = across(KeyError("vision_config"), "loading")
    page = across(KeyError("vision_config"), "recognition")

    assert type(load) is ModelLoadError and "KeyError" in load.reason
    assert type(page) is RecognitionError and "qwen2_vl failed: KeyError" in str(page)


def test_a_worker_that_ended_says_how() -> None:
    killed_loading = stopped_error("qwen2_vl", "loading", -9)
    crashed_loading = stopped_error("qwen2_vl", "loading", -11)
    killed_reading = stopped_error("qwen2_vl", "recognition", -9)
    exited_reading = stopped_error("qwen2_vl", "recognition", 1)

    # the kernel's OOM killer while loading: the manager frees idle models and tries again
    assert isinstance(killed_loading, OutOfMemory) and "lack of memory" in str(killed_loading)
    assert type(crashed_loading) is ModelLoadError and "signal 11" in str(crashed_loading)
    # during a page: the page goes on, the model is started afresh for the next
    assert isinstance(killed_reading, EngineStopped) and "signal 9" in str(killed_reading)
    assert isinstance(exited_reading, EngineStopped) and "exit code 1" in str(exited_reading)


class _Worker(Backend):
    def __init__(self, rss: int, on_device: int | None) -> None:
        super().__init__("m")
        self._rss, self._on_device = rss, on_device

    def recognize(self, page: Any, cancel: Any = None) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def process_memory(self) -> int | None:
        return self._rss

    def device_memory(self) -> int | None:
        return self._on_device


def _record(device: str) -> Any:
    estimate = MemoryEstimate(device, 1_000 * MIB, 100 * MIB)  # type: ignore[arg-type]
    return SimpleNamespace(name="m", device=device, loads=1, estimate=estimate, measured=None)


def test_a_worker_on_a_gpu_is_measured_on_the_device_and_on_a_cpu_by_its_rss() -> None:
    snapshot = MemorySnapshot(rss=0, ram_used=0, ram_total=0, ram_available=0)
    worker = _Worker(rss=1_500 * MIB, on_device=1_200 * MIB)

    on_gpu = load_growth(_record("gpu"), snapshot, snapshot, worker)
    on_cpu = load_growth(_record("cpu"), snapshot, snapshot, _Worker(1_500 * MIB, None))

    assert on_gpu == 1_200 * MIB  # its RSS (CUDA's libraries) is not the model's VRAM
    assert on_cpu == 1_500 * MIB  # a reload is measured too: the worker starts afresh
