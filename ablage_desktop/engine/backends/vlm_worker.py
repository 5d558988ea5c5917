"""The model's side of a vision-language worker process, and the messages both sides send.

A vision-language model loaded into the app's own process leaves memory behind when it is
unloaded: the family's modules and oneDNN's kernels (150-200 MiB of RSS at full size), and on a
GPU the CUDA context, cuBLAS's workspaces and the CUDA libraries (110-920 MiB of VRAM and
1.1 GiB of RSS measured on an H200, issue 22). In a process of its own the unload ends the
process and every byte comes back; a crash in native code (or the kernel's OOM killer) costs
the page, not the app. ``serve`` runs in a ``spawn`` child: it loads the model once, reads
batches of pages on request and ends on ``Close`` or when the app's end of the pipe closes.
"""

from __future__ import annotations

import atexit
import logging
import os
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.errors import (
    Cancelled,
    CorruptModelFiles,
    EngineStopped,
    ModelLoadError,
    OutOfMemory,
    RecognitionError,
)
from ablage_desktop.engine.memory.probe import glibc
from ablage_desktop.engine.run.cancel import CancelToken, EventLike
from ablage_desktop.engine.run.cores import cores_if_restricted

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.backends.transformers_vlm import Family, VisionLanguageOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Usage:
    """What the worker holds, read inside it: its RSS, its peak RSS since the last reset, and
    torch's CUDA allocator (None on a CPU)."""

    rss: int
    peak_rss: int
    cuda_allocated: int | None = None
    cuda_peak: int | None = None
    cuda_reserved: int | None = None


@dataclass(frozen=True, slots=True)
class Loaded:
    warmup_seconds: float | None
    usage: Usage


@dataclass(frozen=True, slots=True)
class Read:
    images: list[Image.Image]


@dataclass(frozen=True, slots=True)
class Texts:
    texts: list[str]
    usage: Usage


@dataclass(frozen=True, slots=True)
class AskUsage:
    """Asks for a ``Usage``; with ``reset_peak``, the peaks start again from now."""

    reset_peak: bool = False


@dataclass(frozen=True, slots=True)
class Close:
    pass


@dataclass(frozen=True, slots=True)
class Failed:
    """An error of the worker's, in words: exceptions are not sent as such (the app's typed
    errors do not all survive pickling, torch's cannot be unpickled without torch)."""

    kind: str
    """``out_of_memory``, ``cancelled``, ``corrupt``, ``load`` or ``recognition``."""
    message: str
    detail: dict[str, str] = field(default_factory=dict)


def failure_of(exc: BaseException, during: str) -> Failed:
    """``exc``, raised in the worker while ``during`` ("loading" or "recognition"), in words."""
    kind_name = type(exc).__name__
    if isinstance(exc, OutOfMemory):
        return Failed("out_of_memory", str(exc), {"cause": exc.cause or str(exc)})
    if kind_name == "OutOfMemoryError" or isinstance(exc, MemoryError):
        return Failed("out_of_memory", f"{kind_name}: {exc}", {"cause": f"{kind_name}: {exc}"})
    if isinstance(exc, Cancelled):
        return Failed("cancelled", str(exc))
    if isinstance(exc, CorruptModelFiles):
        return Failed("corrupt", str(exc), {"reason": exc.reason})
    if isinstance(exc, ModelLoadError):
        return Failed("load", str(exc), {"reason": exc.reason})
    if isinstance(exc, RecognitionError):
        return Failed("recognition", str(exc))
    if during == "recognition":
        return Failed("recognition", str(exc), {"cause": f"{kind_name}: {exc}"})
    return Failed("load", f"{kind_name}: {exc}", {"reason": f"{kind_name}: {exc}"})


def error_of(failed: Failed, model: str, during: str) -> Exception:
    """The app's typed error for what the worker sent (the app's side of ``failure_of``)."""
    if failed.kind == "out_of_memory":
        return OutOfMemory(model, during, failed.detail.get("cause", failed.message))
    if failed.kind == "cancelled":
        return Cancelled()
    if failed.kind == "corrupt":
        return CorruptModelFiles(model, failed.detail.get("reason", failed.message))
    if failed.kind == "load":
        return ModelLoadError(model, failed.detail.get("reason", failed.message))
    if "cause" in failed.detail:
        return RecognitionError(f"{model} failed: {failed.detail['cause']}")
    return RecognitionError(failed.message)


def stopped_error(model: str, during: str, exitcode: int | None) -> Exception:
    """The worker ended without an answer. While loading, killed by the system (SIGKILL: the
    kernel's OOM killer) is an out-of-memory, which the manager answers by freeing idle models
    and trying once more; anything else is a failed load. During a page it is
    ``EngineStopped``: the page goes on to the next engine, and the model is loaded afresh for
    the next page that needs it."""
    killed = exitcode == -9
    how = (
        "it was killed (signal 9), most likely for lack of memory"
        if killed
        else f"exit code {exitcode}"
        if exitcode is None or exitcode >= 0
        else f"signal {-exitcode}"
    )
    if during == "loading":
        if killed:
            return OutOfMemory(model, during, f"its process ended: {how}")
        return ModelLoadError(model, f"its process ended while loading ({how})")
    return EngineStopped(model, f"its process ended during the page ({how})")


# --- the worker ----------------------------------------------------------------------------


def usage() -> Usage:
    """This process's memory, as ``Usage``."""
    status = _proc_status()
    torch = _torch_on_cuda()
    cuda = (
        (
            int(torch.cuda.memory_allocated()),
            int(torch.cuda.max_memory_allocated()),
            int(torch.cuda.memory_reserved()),
        )
        if torch is not None
        else (None, None, None)
    )
    return Usage(status.get("VmRSS", 0), status.get("VmHWM", 0), *cuda)


def _torch_on_cuda() -> Any | None:
    """torch, where this process has imported it and made its CUDA context; else None."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_available() or not torch.cuda.is_initialized():
        return None
    return torch


def _proc_status() -> dict[str, int]:
    try:
        text = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return {}
    values = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if name in ("VmRSS", "VmHWM") and parts:
            values[name] = int(parts[0]) * 1024
    return values


def _trim_heap(libc: Any) -> None:
    if libc is not None:
        libc.malloc_trim(0)


def _empty_cuda_cache() -> None:
    torch = _torch_on_cuda()
    if torch is not None:
        torch.cuda.empty_cache()


def reset_peak() -> None:
    """Peaks start again from now (``/proc/self/clear_refs`` for the RSS, torch's for CUDA)."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        log.debug("the peak RSS cannot be reset here")
    torch = _torch_on_cuda()
    if torch is not None:
        torch.cuda.reset_peak_memory_stats()


def serve(
    conn: Connection,
    name: str,
    family: Family,
    options: VisionLanguageOptions,
    cancel_event: EventLike,
    log_level: int,
) -> None:
    """The worker's life: load, answer requests one at a time, close. Run by ``spawn``."""
    import signal

    # Ctrl-C reaches the whole process group: the app cancels the page and closes the worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format=f"%(asctime)s {name} worker %(message)s")
    try:
        _serve(conn, name, family, options, cancel_event)
    finally:
        # multiprocessing's own clean-up runs when this returns; the interpreter's exit after
        # it (torch's exit handlers, its threads, the modules' teardown) took 0.9 s of every
        # unload, for nothing: the process holds nothing to save. Registered last, this exit
        # handler runs first and ends the process there.
        atexit.register(os._exit, 0)


def _serve(
    conn: Connection,
    name: str,
    family: Family,
    options: VisionLanguageOptions,
    cancel_event: EventLike,
) -> None:
    from ablage_desktop.engine.backends.transformers_vlm import VisionLanguageBackend

    if cores := cores_if_restricted():  # torch's own count is the machine's (``run/cores.py``)
        import torch

        torch.set_num_threads(cores)
    try:
        backend = VisionLanguageBackend(name, options, family)
    except BaseException as exc:  # every failure goes back in words
        conn.send(failure_of(exc, "loading"))
        return
    # looked up once: finding the C library runs a search of the system's libraries
    libc = glibc()
    _trim_heap(libc)  # the load's buffers, freed by now, go back to the system
    conn.send(Loaded(backend.warmup_seconds, usage()))
    token = CancelToken(cancel_event)
    try:
        while True:
            try:
                request: Any = conn.recv()
            except EOFError:  # the app is gone
                break
            if isinstance(request, Close):
                break
            if isinstance(request, AskUsage):
                if request.reset_peak:
                    reset_peak()
                conn.send(usage())
                continue
            failed: Failed | None = None
            try:
                texts = backend.recognize_images(request.images, token)
            except BaseException as exc:
                failed = failure_of(exc, "recognition")
            # Out of the except block: the failed call's frames, and their tensors, are gone.
            # The page's buffers (activations; on a CPU the temporaries of bitsandbytes' int8
            # matmul, which the C heap kept: 1-2 GiB at full size) go back to the system;
            # after an out-of-memory the GPU's cached blocks too, for the app's retry.
            _trim_heap(libc)
            if failed is not None:
                if failed.kind == "out_of_memory":
                    _empty_cuda_cache()
                conn.send(failed)
                continue
            conn.send(Texts(texts, usage()))
    finally:
        backend.close()
