"""A background thread that reads memory a few times a second, for the graph and the manager."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from ablage_desktop.engine.memory.pressure import Pressure, pressure_of
from ablage_desktop.engine.memory.probe import MemoryProbe, MemorySnapshot

log = logging.getLogger(__name__)


class MemorySampler:
    def __init__(
        self,
        probe: MemoryProbe,
        rate_hz: float,
        warning: float,
        critical: float,
        on_sample: Callable[[MemorySnapshot, Pressure], None],
    ) -> None:
        self._probe = probe
        self._interval = 1.0 / rate_hz
        self._warning = warning
        self._critical = critical
        self._on_sample = on_sample
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ablage-memory", daemon=True)
            self._thread.start()

    def sample(self) -> None:
        """Take one reading now (the thread calls this at the configured rate)."""
        snapshot = self._probe.snapshot()
        level = pressure_of(snapshot, self._warning, self._critical).level
        self._on_sample(snapshot, level)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except Exception:
                log.exception("Reading memory failed")
            self._stop.wait(self._interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
