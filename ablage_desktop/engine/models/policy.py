"""The model manager's rules, as the ``management`` section of the configuration sets them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ManagerPolicy:
    """The manager's rules, from the ``management`` section of the configuration."""

    lazy_loading: bool = True
    keep_alive_s: float = 300.0
    """Idle time before a model unloads: 0 unloads after use, a negative value never."""
    max_resident_models: int = 3
    single_gpu_model: bool = True
    max_vram_usage: float = 0.9
    max_ram_usage: float = 0.8
    vram_budget: int | None = None
    ram_budget: int | None = None
    recovery_timeout_s: float = 5.0
    """How long an unload waits for the device memory to come back."""
