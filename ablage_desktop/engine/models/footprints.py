"""Measured model footprints, kept between runs so the next load starts from real numbers."""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from ablage_desktop.engine.results.atomicfile import write_atomic

log = logging.getLogger(__name__)


class FootprintStore:
    """A small JSON file: model name -> bytes its last load took."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._data: dict[str, int] = self._read()

    def _read(self) -> dict[str, int]:
        if self._path is None or not self._path.is_file():
            return {}
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable footprint file %s: %s", self._path, exc)
            return {}
        if not isinstance(raw, dict):
            return {}
        return {str(k): int(v) for k, v in raw.items() if isinstance(v, int) and v > 0}

    def get(self, name: str) -> int | None:
        with self._lock:
            return self._data.get(name)

    def put(self, name: str, size: int) -> None:
        with self._lock:
            self._data[name] = size
            data = json.dumps(self._data, indent=1, sort_keys=True).encode()
            if self._path is None:
                return
            try:
                write_atomic(self._path, data)
            except OSError as exc:
                log.warning("Cannot save measured footprints to %s: %s", self._path, exc)
