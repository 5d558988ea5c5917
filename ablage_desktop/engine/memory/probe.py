"""Reading the machine's memory: process RSS, system RAM, and VRAM where a GPU is there.

One protocol, so the model manager and its tests see the same interface: the real probe reads
psutil, torch's CUDA allocator (only when torch is already imported: probing must never pull
torch in) and NVML (absent driver = no VRAM, not an error); tests script every number.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from typing import Any, Protocol

from ablage_desktop.engine.memory.cgroup import MemoryGroup
from ablage_desktop.engine.memory.descendants import descendants, resident_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MemorySnapshot:
    """Bytes, at one moment. VRAM fields are None where there is no CUDA device."""

    rss: int
    ram_used: int
    ram_total: int
    ram_available: int
    vram_allocated: int | None = None
    """Bytes held by tensors in this process (torch)."""
    vram_reserved: int | None = None
    """Bytes torch's caching allocator holds from the driver for this process."""
    vram_used: int | None = None
    """Bytes in use on the device by every process (NVML), or reserved where NVML is absent."""
    vram_total: int | None = None
    workers_rss: int | None = None
    """Bytes resident in the processes this one started (a model's worker, Surya's server):
    a model there shows in ``ram_used`` but not in ``rss``. None where it was not read."""

    @property
    def has_gpu(self) -> bool:
        return bool(self.vram_total)

    @property
    def vram_free(self) -> int | None:
        if not self.vram_total:
            return None
        used = self.vram_used if self.vram_used is not None else self.vram_reserved or 0
        return max(0, self.vram_total - used)


def loaded_cuda() -> Any | None:
    """``torch.cuda`` where torch is imported (fully: another thread may be importing it right
    now) and sees a device; None otherwise. Never imports torch."""
    torch = sys.modules.get("torch")
    cuda = getattr(torch, "cuda", None) if torch is not None else None
    if cuda is None:
        return None
    try:
        return cuda if cuda.is_available() else None
    except Exception:  # a half-initialised torch, a broken driver: no GPU as far as we know
        return None


class MemoryProbe(Protocol):
    def snapshot(self) -> MemorySnapshot:
        """The memory now; cheap enough to call a few times a second."""
        ...

    def empty_cache(self) -> None:
        """Hand cached but unused device memory back to the driver."""
        ...


class SystemProbe:
    """The real machine: psutil for RAM, within the limit of the app's cgroup where one is set
    (a container's ``--memory``: ``cgroup.py``), torch (if loaded) and NVML for VRAM."""

    def __init__(
        self, device_index: int = 0, group: MemoryGroup | None = None, own_group: bool = True
    ) -> None:
        """``group``: the cgroup whose limit counts; without one, this process's where
        ``own_group``."""
        import psutil

        self._psutil = psutil
        self._process = psutil.Process()
        self._group = group or (MemoryGroup.of_this_process() if own_group else None)
        self._device_index = device_index
        self._nvml_lock = threading.Lock()
        self._nvml_handle: object | None = None
        self._nvml_tried = False
        self._libc = glibc()

    def snapshot(self) -> MemorySnapshot:
        ram = self._psutil.virtual_memory()
        ram_total, ram_available = int(ram.total), int(ram.available)
        limited = self._group.read() if self._group is not None else None
        if limited is not None and limited.limit < ram_total:
            ram_total, ram_available = limited.limit, min(ram_available, limited.available)
        allocated = reserved = total = None
        cuda = loaded_cuda()
        if cuda is not None:
            allocated = int(cuda.memory_allocated(self._device_index))
            reserved = int(cuda.memory_reserved(self._device_index))
            total = int(cuda.get_device_properties(self._device_index).total_memory)
        used = None
        nvml = self._nvml()
        if nvml is not None:
            info = self._nvml_memory(nvml)
            if info is not None:
                used, total = int(info.used), int(info.total)
        return MemorySnapshot(
            rss=int(self._process.memory_info().rss),
            workers_rss=self._workers_rss(),
            ram_used=ram_total - ram_available,
            ram_total=ram_total,
            ram_available=ram_available,
            vram_allocated=allocated,
            vram_reserved=reserved,
            vram_used=used if used is not None else reserved,
            vram_total=total,
        )

    def _workers_rss(self) -> int:
        """The summed RSS of this process's descendants; one that ends meanwhile counts 0."""
        found = descendants(self._process.pid)
        if found is not None:
            return sum(resident_bytes(pid) for pid in found)
        total = 0
        try:
            children = self._process.children(recursive=True)
        except self._psutil.Error as exc:
            log.debug("listing this process's children failed: %s", exc)
            return 0
        for child in children:
            try:
                total += int(child.memory_info().rss)
            except self._psutil.Error:  # it ended between the listing and the reading
                continue
        return total

    def empty_cache(self) -> None:
        cuda = loaded_cuda()
        if cuda is not None:
            cuda.empty_cache()
        self._trim_heap()

    def _trim_heap(self) -> None:
        """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``).

        An unloaded model's buffers (onnxruntime's arena, torch's small tensors) are freed
        into glibc's heap, which keeps them: without this the process's RSS stays where the
        model left it (RapidOCR: 330 MiB after its unload, 37 MiB with it)."""
        if self._libc is None:
            return
        try:
            self._libc.malloc_trim(0)
        except (AttributeError, OSError) as exc:
            log.debug("malloc_trim is not usable here: %s", exc)
            self._libc = None

    def _nvml(self) -> object | None:
        """pynvml, initialised once; None where the package or a driver is missing."""
        with self._nvml_lock:
            if self._nvml_tried:
                return sys.modules.get("pynvml") if self._nvml_handle is not None else None
            self._nvml_tried = True
            try:
                import pynvml

                pynvml.nvmlInit()
                self._nvml_handle = pynvml.nvmlDeviceGetHandleByIndex(self._device_index)
            except ImportError:
                log.debug("nvidia-ml-py is not installed: no device-level VRAM readings")
                return None
            except Exception as exc:  # pynvml.NVMLError and kin: no driver, no device
                log.debug("NVML is not usable here (%s): no device-level VRAM readings", exc)
                return None
            return pynvml

    def _nvml_memory(self, nvml: object) -> object | None:
        try:
            return nvml.nvmlDeviceGetMemoryInfo(self._nvml_handle)  # type: ignore[attr-defined]
        except Exception as exc:
            log.debug("NVML memory reading failed: %s", exc)
            return None


def glibc() -> Any | None:
    """The C library where it is glibc (Linux: ``malloc_trim``, ``mallopt``); None elsewhere.
    Looked up among the symbols the process has loaded: ``ctypes.util.find_library`` runs
    ``ldconfig -p`` in a child process, a fork of the whole app (a model's worker: gigabytes)
    each time it is asked."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None
