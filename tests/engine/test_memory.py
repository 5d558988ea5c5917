"""Memory readings, pressure levels, estimates and the sampler thread."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psutil
import pytest
from fakes import GIB, FakeProbe

from ablage_desktop.engine.memory.estimate import estimate_transformer, weights_bytes
from ablage_desktop.engine.memory.pressure import Pressure, pressure_of
from ablage_desktop.engine.memory.probe import MemorySnapshot, SystemProbe, glibc
from ablage_desktop.engine.memory.sampler import MemorySampler


def snapshot(
    ram_used: int, vram_used: int | None = None, vram_total: int | None = None
) -> MemorySnapshot:
    return MemorySnapshot(
        rss=GIB,
        ram_used=ram_used,
        ram_total=16 * GIB,
        ram_available=16 * GIB - ram_used,
        vram_used=vram_used,
        vram_total=vram_total,
    )


def test_the_real_probe_reads_this_machine_without_pulling_torch_in() -> None:
    had_torch = "torch" in sys.modules
    reading = SystemProbe().snapshot()

    assert reading.rss > 10 << 20
    assert 0 < reading.ram_used < reading.ram_total
    assert reading.ram_available > 0
    assert ("torch" in sys.modules) == had_torch
    if not reading.has_gpu:  # no driver here: no VRAM, and no error
        assert reading.vram_total is None and reading.vram_free is None


def test_the_real_probe_counts_the_processes_it_started_apart_from_its_own() -> None:
    """A model's worker holds its memory outside the app's RSS; the probe sums it apart."""
    probe = SystemProbe()
    held = 200 << 20
    child = subprocess.Popen(
        [sys.executable, "-c", f"import sys; x = bytearray({held}); sys.stdin.read()"],
        stdin=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while psutil.Process(child.pid).memory_info().rss < held and time.monotonic() < deadline:
            time.sleep(0.05)
        reading = probe.snapshot()
    finally:
        child.communicate(b"")
    after = probe.snapshot()

    assert reading.workers_rss is not None and after.workers_rss is not None
    assert reading.workers_rss - after.workers_rss >= held


def test_the_real_probe_empty_cache_is_harmless_without_a_gpu() -> None:
    SystemProbe().empty_cache()


@pytest.mark.parametrize(
    ("ram_used", "vram_used", "expected"),
    [
        (4 * GIB, None, Pressure.NORMAL),
        (13 * GIB, None, Pressure.WARNING),  # 81 % of RAM
        (int(15.5 * GIB), None, Pressure.CRITICAL),
        (4 * GIB, 20 * GIB, Pressure.WARNING),  # 83 % of VRAM, RAM is fine
        (4 * GIB, 23 * GIB, Pressure.CRITICAL),
    ],
)
def test_pressure_follows_the_fuller_device(
    ram_used: int, vram_used: int | None, expected: Pressure
) -> None:
    reading = pressure_of(
        snapshot(ram_used, vram_used, 24 * GIB if vram_used is not None else None), 0.80, 0.95
    )

    assert reading.level is expected


def test_estimates_scale_with_quantization() -> None:
    params = 1_000_000_000
    assert weights_bytes(params, "fp32") == 4 * params
    assert weights_bytes(params, "fp16") == 2 * params
    assert weights_bytes(params, "int8") < weights_bytes(params, "fp16")
    assert weights_bytes(params, "int4") < weights_bytes(params, "int8")
    estimate = estimate_transformer("gpu", params, "bf16")
    assert estimate.total > estimate.weights
    with pytest.raises(ValueError, match="unknown quantization"):
        weights_bytes(params, "int3")


def test_the_sampler_reports_readings_at_its_rate_until_stopped() -> None:
    probe = FakeProbe(ram_total=16 * GIB, ram_base=int(15.5 * GIB))
    readings: list[tuple[MemorySnapshot, Pressure]] = []
    enough = threading.Event()

    def on_sample(reading: MemorySnapshot, level: Pressure) -> None:
        readings.append((reading, level))
        if len(readings) >= 3:
            enough.set()

    sampler = MemorySampler(probe, rate_hz=50, warning=0.8, critical=0.95, on_sample=on_sample)
    sampler.start()
    try:
        assert enough.wait(5.0)
    finally:
        sampler.stop()
    count = len(readings)

    assert readings[0][1] is Pressure.CRITICAL
    assert readings[0][0].ram_total == 16 * GIB
    assert not [t for t in threading.enumerate() if t.name == "ablage-memory"]
    assert len(readings) == count  # nothing after stop


def test_a_torch_still_being_imported_by_another_thread_is_no_gpu(monkeypatch) -> None:
    """The sampler reads memory while a model's load may be importing torch: a module in
    sys.modules without its ``cuda`` attribute yet must read as "no GPU", not raise."""
    import sys
    import types

    from ablage_desktop.engine.memory.probe import SystemProbe, loaded_cuda

    monkeypatch.setitem(sys.modules, "torch", types.ModuleType("torch"))
    assert loaded_cuda() is None
    snapshot = SystemProbe().snapshot()
    assert snapshot.rss > 0 and snapshot.vram_allocated is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc is Linux's")
def test_the_c_library_is_found_without_starting_a_process(monkeypatch) -> None:
    """``find_library`` ran ``ldconfig -p``: a fork of the app (of a model's worker, with its
    gigabytes) at every start and every heap trim of the lexicon."""

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    libc = glibc()

    assert libc is not None
    assert libc.malloc_trim(0) in (0, 1)
