"""What ``full_size.py`` counts for one row: a model in the app's process, or in its worker.

In the app's process (``isolated: false``) the row reads this process (its RSS and ``VmHWM``,
or torch's CUDA allocator). In a worker process (the default) it asks the worker
(``IsolatedVisionLanguageBackend.read_usage``: the worker's RSS and peak, or its allocator) and
adds this process's RSS growth on a CPU; the GPU's used memory is asked of ``nvidia-smi``, so
that this process makes no CUDA context of its own.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

from ablage_desktop.engine.backends import vlm_worker

MIB = 1 << 20


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def smi_memory(field: str) -> int | None:
    """The GPU's ``memory.<field>`` (free, used) by ``nvidia-smi``, which makes no CUDA context
    here; None without it."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    answer = subprocess.run(
        [smi, f"--query-gpu=memory.{field}", "--format=csv,noheader,nounits", "--id=0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if answer.returncode != 0 or not answer.stdout.strip():
        return None
    return int(float(answer.stdout.split()[0]) * MIB)


def nvml_used() -> int | None:
    """The GPU's used memory by NVML (nvidia-ml-py; no CUDA context); None without it."""
    try:
        import pynvml

        pynvml.nvmlInit()
    except Exception:  # no package, no driver
        return None
    try:
        return int(pynvml.nvmlDeviceGetMemoryInfo(pynvml.nvmlDeviceGetHandleByIndex(0)).used)
    finally:
        pynvml.nvmlShutdown()


class InProcessMeter:
    """The model in this process: its RSS and peak RSS, or torch's allocator on the GPU, read
    as a worker reads its own (``vlm_worker.usage``)."""

    isolated = False

    def __init__(self, gpu: bool) -> None:
        self.gpu = gpu

    def start(self) -> None:
        if self.gpu:
            import torch

            torch.zeros(1, device="cuda")  # the CUDA context is the "before", as torch is on a CPU

    def used(self, backend: Any | None) -> int:
        usage = vlm_worker.usage()
        return int(usage.cuda_allocated or 0) if self.gpu else usage.rss

    def reset_peak(self, backend: Any) -> None:
        vlm_worker.reset_peak()

    def peak(self, backend: Any) -> int:
        usage = vlm_worker.usage()
        return int(usage.cuda_peak or 0) if self.gpu else usage.peak_rss

    def device_used(self) -> int:
        """The GPU's used memory as the driver sees it (every process, the context included)."""
        import torch

        free, total = torch.cuda.mem_get_info()
        return int(total - free)


class WorkerMeter:
    """The model in its worker process: the worker's figures (and this process's RSS)."""

    isolated = True

    def __init__(self, gpu: bool) -> None:
        self.gpu = gpu
        self._rss_at_reset = 0

    def start(self) -> None:
        pass

    def used(self, backend: Any | None) -> int:
        """This process's RSS and the worker's on a CPU; the worker's allocator on a GPU."""
        usage = backend.read_usage() if backend is not None and backend.pid else None
        if self.gpu:
            return int(usage.cuda_allocated or 0) if usage else 0
        return _rss() + (usage.rss if usage else 0)

    def reset_peak(self, backend: Any) -> None:
        backend.read_usage(reset_peak=True)
        self._rss_at_reset = _rss()

    def peak(self, backend: Any) -> int:
        usage = backend.read_usage()
        if self.gpu:
            return int(usage.cuda_peak or 0)
        return max(_rss(), self._rss_at_reset) + usage.peak_rss

    def device_used(self) -> int:
        used = smi_memory("used")
        if used is None:
            used = nvml_used()
        if used is None:
            raise RuntimeError(
                "nvidia-smi or nvidia-ml-py is needed to read the GPU without a CUDA context here"
            )
        return used


def meter_for(gpu: bool, isolated: bool) -> InProcessMeter | WorkerMeter:
    return WorkerMeter(gpu) if isolated else InProcessMeter(gpu)
