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


_OWN_ENVIRONMENT = (
    "not built into this version: its pinned packages (pillow, opencv, huggingface-hub) clash "
    "with the app's, so it needs an environment of its own"
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
        planned_reason=_OWN_ENVIRONMENT,
    ),
)
