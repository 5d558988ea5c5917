"""Engine events as JSON lines (``ocr --events FILE``): the decisions, for people and tools."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import IO, Any

from ablage_desktop.engine.events import Event


def event_record(event: Event, now: float | None = None) -> dict[str, Any]:
    """The JSON object for one event: its name, its ``t`` timestamp (seconds since the
    epoch), then what the event says of itself (``to_json``)."""
    record = event.to_json()
    t = round(time.time() if now is None else now, 3)
    return {"event": record["event"], "t": t, **record}


class EventLog:
    """Writes each event as one JSON line; safe to call from several threads."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = path.open("w", encoding="utf-8", errors="backslashreplace")
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self._lock:  # the timestamp under the lock keeps the file in time order
            if not self._file.closed:
                line = json.dumps(event_record(event), ensure_ascii=False)
                self._file.write(line + "\n")
                self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()
