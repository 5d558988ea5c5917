"""Latency statistics and peak memory while something runs."""

from __future__ import annotations

import statistics
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ablage_desktop.engine.memory.probe import MemoryProbe, loaded_cuda


@dataclass(frozen=True, slots=True)
class LatencyStats:
    """Seconds per page over every timed page of every run."""

    count: int
    mean: float
    median: float
    minimum: float
    maximum: float
    stdev: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> LatencyStats | None:
        if not seconds:
            return None
        return cls(
            count=len(seconds),
            mean=statistics.fmean(seconds),
            median=statistics.median(seconds),
            minimum=min(seconds),
            maximum=max(seconds),
            stdev=statistics.stdev(seconds) if len(seconds) > 1 else 0.0,
        )

    def to_json(self) -> dict[str, float | int]:
        return {
            "count": self.count,
            "mean": self.mean,
            "median": self.median,
            "min": self.minimum,
            "max": self.maximum,
            "stdev": self.stdev,
        }


@dataclass(frozen=True, slots=True)
class PeakMemory:
    """The highest readings while a step ran; None where the machine has no such memory."""

    rss_before: int
    peak_rss: int
    peak_vram_allocated: int | None
    """torch's ``max_memory_allocated``: bytes in tensors of this process."""
    peak_vram_device: int | None
    """The device's used memory (NVML): every process, CUDA context included."""

    def to_json(self) -> dict[str, int | None]:
        return {
            "rss_before_bytes": self.rss_before,
            "peak_rss_bytes": self.peak_rss,
            "peak_rss_growth_bytes": self.peak_rss - self.rss_before,
            "peak_vram_allocated_bytes": self.peak_vram_allocated,
            "peak_vram_device_bytes": self.peak_vram_device,
        }


class PeakSampler:
    """Reads the probe every ``interval_s`` on a thread of its own and keeps the maxima.

    Sampling misses a spike shorter than the interval; torch's allocator keeps an exact
    maximum, which is read at the end where torch and CUDA are there.
    """

    def __init__(self, probe: MemoryProbe, interval_s: float = 0.02) -> None:
        self._probe = probe
        self._interval = interval_s
        self._stop = threading.Event()
        self._lock = threading.Lock()
        first = probe.snapshot()
        self._rss_before = first.rss
        self._peak_rss = first.rss
        self._peak_device = first.vram_used
        self._thread: threading.Thread | None = None
        self._processes: Callable[[], int | None] = lambda: None

    def watch_processes(self, memory: Callable[[], int | None]) -> None:
        """Count what ``memory`` says an engine's own processes hold (Surya's worker and
        server) as part of this process's RSS from now on."""
        self._processes = memory

    def _read(self) -> None:
        snapshot = self._probe.snapshot()
        rss = snapshot.rss + (self._processes() or 0)
        with self._lock:
            self._peak_rss = max(self._peak_rss, rss)
            if snapshot.vram_used is not None:
                self._peak_device = max(self._peak_device or 0, snapshot.vram_used)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._read()

    def __enter__(self) -> PeakSampler:
        _reset_torch_peak()
        self._thread = threading.Thread(target=self._loop, name="bench-memory", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._read()

    def result(self) -> PeakMemory:
        with self._lock:
            return PeakMemory(
                rss_before=self._rss_before,
                peak_rss=self._peak_rss,
                peak_vram_allocated=_torch_peak(),
                peak_vram_device=self._peak_device,
            )


def _reset_torch_peak() -> None:
    cuda = loaded_cuda()
    if cuda is not None:
        cuda.reset_peak_memory_stats()


def _torch_peak() -> int | None:
    cuda = loaded_cuda()
    if cuda is None:
        return None
    return int(cuda.max_memory_allocated())
