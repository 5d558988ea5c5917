"""One attempt to load a model, and what counts as running out of memory while doing so."""

from __future__ import annotations

import sys

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.errors import AblageError, ModelLoadError, OutOfMemory
from ablage_desktop.engine.models.records import ModelRecord


def is_out_of_memory(exc: BaseException) -> bool:
    """True for torch's CUDA OOM (matched by type, torch only if already loaded) and ours."""
    if isinstance(exc, OutOfMemory | MemoryError):
        return True
    torch = sys.modules.get("torch")
    cuda_oom = getattr(getattr(torch, "cuda", None), "OutOfMemoryError", None)
    return cuda_oom is not None and isinstance(exc, cuda_oom)


def load_once(record: ModelRecord) -> Backend | str:
    """The loaded backend, or what ran out of memory; any other failure raises, typed.

    An out-of-memory error is answered in words, not raised: once this returns, the failed
    attempt's frames (and tensors) are unreachable, so a retry starts from free memory."""
    try:
        return record.spec.load(record.name, record.options)
    except Exception as exc:
        if not is_out_of_memory(exc):
            if isinstance(exc, AblageError):
                raise
            raise ModelLoadError(record.name, f"{type(exc).__name__}: {exc}") from exc
        return exc.cause if isinstance(exc, OutOfMemory) else f"{exc}"
