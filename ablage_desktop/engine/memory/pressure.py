"""Memory pressure: normal, warning or critical, from the configured shares of each device.

Warning clears caches; critical unloads idle GPU models and sends new pages to CPU engines
(the model manager and the router act on it).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from ablage_desktop.engine.memory.probe import MemorySnapshot


class Pressure(enum.IntEnum):
    NORMAL = 0
    WARNING = 1
    CRITICAL = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class PressureReading:
    level: Pressure
    ram_share: float
    vram_share: float | None


def pressure_of(snapshot: MemorySnapshot, warning: float, critical: float) -> PressureReading:
    """The level of the fuller device: used share of RAM, and of VRAM where there is a GPU."""
    ram_share = snapshot.ram_used / snapshot.ram_total if snapshot.ram_total else 0.0
    vram_share = None
    if snapshot.vram_total:
        free = snapshot.vram_free or 0
        vram_share = (snapshot.vram_total - free) / snapshot.vram_total
    share = max(ram_share, vram_share or 0.0)
    level = Pressure.NORMAL
    if share >= critical:
        level = Pressure.CRITICAL
    elif share >= warning:
        level = Pressure.WARNING
    return PressureReading(level, ram_share, vram_share)
