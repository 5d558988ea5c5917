"""A description of the machine a benchmark ran on, so figures can be compared later."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import sys
from pathlib import Path
from typing import Any

from ablage_desktop.engine.memory.cgroup import MemoryGroup, cpu_limit
from ablage_desktop.engine.run.cores import usable_cores

PACKAGES = (
    "ablage-desktop",
    "torch",
    "transformers",
    "bitsandbytes",
    "onnxruntime",
    "rapidocr",
    "tesserocr",
    "pypdfium2",
)


def describe_machine() -> dict[str, Any]:
    """The machine, and the share of it the process was given (a container's ``--cpus`` and
    ``--memory``: ``cpu_limit``, ``usable_cores``, ``ram_limit_bytes``; None where unlimited)."""
    import psutil

    memory = psutil.virtual_memory()
    group = MemoryGroup.of_this_process()
    limited = group.read() if group is not None else None
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": _cpu_model(),
        "cpu_count_logical": os.cpu_count(),
        "cpu_count_physical": psutil.cpu_count(logical=False),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_limit": cpu_limit(),
        "usable_cores": usable_cores(),
        "ram_total_bytes": memory.total,
        "ram_limit_bytes": limited.limit if limited is not None else None,
        "gpu": _gpu(),
        "packages": {name: _version(name) for name in PACKAGES},
    }


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _gpu() -> dict[str, Any] | None:
    """The first CUDA device, if torch is already imported and sees one (never imports torch)."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    with contextlib.suppress(Exception):
        if torch.cuda.is_available():
            properties = torch.cuda.get_device_properties(0)
            return {
                "name": properties.name,
                "memory_bytes": int(properties.total_memory),
                "cuda": torch.version.cuda,
            }
    return None


def engine_version(engine: str) -> str:
    """The version of the library behind ``engine``, as far as this process can tell."""
    if engine == "tesseract":
        with contextlib.suppress(Exception):
            import tesserocr

            # "tesseract 5.5.4\n leptonica-..." : the library tesserocr bundles, not the program.
            return str(tesserocr.tesseract_version()).split()[1]
        return ""
    package = {"rapidocr": "rapidocr", "docling": "docling-slim"}.get(engine, "transformers")
    return _version(package) or ""
