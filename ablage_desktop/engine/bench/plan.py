"""What a benchmark measures (``BenchPlan``, its rows) and how far it has come."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ablage_desktop.engine.bench.results import BenchRow
from ablage_desktop.engine.errors import UsageError


@dataclass(frozen=True, slots=True)
class BenchPlan:
    """What to measure. Empty ``backends``: every configured model (unavailable ones listed)."""

    paths: tuple[Path, ...]
    backends: tuple[str, ...] = ()
    quantizations: tuple[str, ...] = ()
    """Empty: each model's configured quantization. Engines without one run once."""
    batch_sizes: tuple[int, ...] = ()
    """Empty: each model's configured batch size. Engines that do not batch run once."""
    runs: int = 1
    warmup: int = 1
    """Pages recognised after the load and before the clock runs."""
    peers: bool = False
    isolate: bool = False
    """Each row in a fresh process: its memory figures do not depend on the rows before it
    (allocators keep what an engine freed), and an engine that crashes fails its row only."""

    def __post_init__(self) -> None:
        if self.runs < 1:
            raise UsageError("--runs must be at least 1")
        if self.warmup < 0:
            raise UsageError("--warmup must not be negative")
        if any(size < 1 for size in self.batch_sizes):
            raise UsageError("batch sizes must be at least 1")

    def to_json(self) -> dict[str, Any]:
        return {
            "paths": [str(path) for path in self.paths],
            "backends": list(self.backends) or None,
            "quantizations": list(self.quantizations) or None,
            "batch_sizes": list(self.batch_sizes) or None,
            "runs": self.runs,
            "warmup": self.warmup,
            "peers": self.peers,
            "isolate": self.isolate,
        }


@dataclass(frozen=True, slots=True)
class BenchProgress:
    """Where a run stands: row ``row`` of ``rows``, and pages of the row done so far."""

    row: int
    rows: int
    label: str
    pages_done: int
    pages_total: int
    message: str = ""


ProgressCallback = Callable[[BenchProgress], None]


@dataclass(frozen=True, slots=True)
class Setting:
    """One app row to measure: a model at one quantization and batch size."""

    backend: str
    quantization: str | None
    batch_size: int | None

    @property
    def label(self) -> str:
        return BenchRow("app", self.backend, "", "ok", "", self.quantization, self.batch_size).label


Job = Setting | str
"""A row to measure: an app setting, or a peer by its name."""
