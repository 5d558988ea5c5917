"""The memory graph's rolling window: samples and markers of the last ``window_s`` seconds.

Appending is cheap (a tuple into a deque); the graph draws from here on its own timer. What
leaves the window is dropped here and handed back, so the graph can take its lines off the plot.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP

from ablage_desktop.engine import MemorySnapshot

log = logging.getLogger(__name__)

GIB: Final = 1024**3

RSS: Final = QT_TRANSLATE_NOOP("MemoryGraph", "process RSS")
WORKERS: Final = QT_TRANSLATE_NOOP("MemoryGraph", "helper processes RSS")
RAM: Final = QT_TRANSLATE_NOOP("MemoryGraph", "system RAM used")
VRAM_ALLOCATED: Final = QT_TRANSLATE_NOOP("MemoryGraph", "VRAM allocated")
VRAM_RESERVED: Final = QT_TRANSLATE_NOOP("MemoryGraph", "VRAM reserved")
VRAM_USED: Final = QT_TRANSLATE_NOOP("MemoryGraph", "device VRAM used")

# Name, snapshot field, colour. Mid-saturation colours that read on light and dark backgrounds;
# red is left out so it stays the colour of critical pressure.
CURVES: Final = (
    (RSS, "rss", "#1f77b4"),
    (WORKERS, "workers_rss", "#17becf"),
    (RAM, "ram_used", "#2ca02c"),
    (VRAM_ALLOCATED, "vram_allocated", "#ff7f0e"),
    (VRAM_RESERVED, "vram_reserved", "#9467bd"),
    (VRAM_USED, "vram_used", "#e377c2"),
)
VRAM_FIELDS: Final = frozenset(f for _, f, _ in CURVES if f.startswith("vram"))


def brings_curve(field_name: str, snapshot: MemorySnapshot) -> bool:
    """Whether this sample puts the curve of ``field_name`` on the graph.

    VRAM curves come with the first VRAM reading; the helper processes' curve with the first
    process that holds memory, so a machine that never starts one is not shown a flat zero."""
    value = getattr(snapshot, field_name)
    if field_name == "workers_rss":
        return bool(value)
    return field_name not in VRAM_FIELDS or value is not None


@dataclass(slots=True)
class Marker:
    """An event at time ``t``; ``line`` is its vertical line once the graph has drawn it."""

    t: float
    label: str
    line: pg.InfiniteLine | None = field(default=None)


class MemorySeries:
    """Samples (t, then one value in GiB per curve, NaN where absent) and markers, bounded by
    time: nothing older than ``window_s`` before the newest moment is kept."""

    def __init__(self, window_s: float, max_samples: int) -> None:
        self.window_s = window_s
        # The time window is the real bound; maxlen only guards against a flood of equal stamps.
        self.samples: deque[tuple[float, ...]] = deque(maxlen=max_samples)
        self.markers: deque[Marker] = deque()
        self.now: float | None = None
        self.gpu_seen = False
        """Whether any sample so far carried VRAM readings."""

    def append(self, t: float, snapshot: MemorySnapshot) -> bool:
        """Keep one reading; False (and nothing kept) for one older than the newest."""
        if self.samples and t < self.samples[-1][0]:
            log.debug("dropping a memory sample from the past (t=%s < %s)", t, self.samples[-1][0])
            return False
        values = tuple(
            math.nan if (v := getattr(snapshot, f)) is None else v / GIB for _, f, _ in CURVES
        )
        self.samples.append((float(t), *values))
        if not self.gpu_seen and any(getattr(snapshot, f) is not None for f in VRAM_FIELDS):
            self.gpu_seen = True
            log.debug("first VRAM reading: showing the VRAM curves")
        return True

    def add_marker(self, t: float, label: str) -> None:
        self.markers.append(Marker(float(t), label))

    def advance(self, t: float) -> list[Marker]:
        """Move "now" forward to ``t``; the markers that left the window (samples just go)."""
        if self.now is None or t > self.now:
            self.now = t
        oldest = self.now - self.window_s
        samples = self.samples
        while samples and samples[0][0] < oldest:
            samples.popleft()
        dropped = [m for m in self.markers if m.t < oldest]
        if dropped:
            self.markers = deque(m for m in self.markers if m.t >= oldest)
        return dropped

    def clear(self) -> list[Marker]:
        """Forget every sample and marker; the markers, for their lines."""
        dropped = list(self.markers)
        self.samples.clear()
        self.markers.clear()
        self.now = None
        return dropped

    def array(self) -> np.ndarray:
        """The samples as rows of (t, value per curve)."""
        return np.asarray(self.samples, dtype=float)

    def top(self) -> float:
        """The highest value of any curve in the window (0 with none)."""
        if not self.samples:
            return 0.0
        values = self.array()[:, 1:]
        finite = values[np.isfinite(values)]
        return float(finite.max()) if finite.size else 0.0

    def seconds(self) -> float:
        """From the oldest sample kept to now (0 with none)."""
        if not self.samples or self.now is None:
            return 0.0
        return self.now - self.samples[0][0]
