"""Engines the configuration lists but this version cannot run here (Surya).

They stay visible (``models list``, the GUI) as unavailable with the reason, so a user never
wonders where a configured model went. Their option schemas are real: a config that sets them
is validated today.
"""

from __future__ import annotations

from ablage_desktop.engine.backends.base import BackendSpec, EngineOptions
from ablage_desktop.engine.memory.estimate import MIB, MemoryEstimate


class PlannedEngineOptions(EngineOptions):
    """An engine with no options of its own yet."""


_TORCHVISION = (
    "not built into this version: it needs torchvision, which cannot be installed beside the "
    "pinned torch build"
)


def _cpu_estimate(options: EngineOptions) -> MemoryEstimate:
    return MemoryEstimate("cpu", weights=1 << 30, activations=512 * MIB)


SPECS = (
    BackendSpec(
        "surya",
        "cpu",
        "Surya OCR",
        PlannedEngineOptions,
        _cpu_estimate,
        planned_reason=_TORCHVISION,
    ),
)
