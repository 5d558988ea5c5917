"""Engine events as JSON lines (``ocr --events FILE``): the decisions, for people and tools."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import IO, Any

from ablage_desktop.engine.events import (
    DocumentFinished,
    DocumentStarted,
    Event,
    FallbackTaken,
    MemorySample,
    ModelLeaked,
    ModelStateChanged,
    ModelWarmedUp,
    PageDone,
    Routed,
)
from ablage_desktop.engine.pathtext import json_name


def event_record(event: Event, now: float | None = None) -> dict[str, Any]:
    """The JSON object for one event, with its ``t`` timestamp (seconds since the epoch)."""
    t = round(time.time() if now is None else now, 3)
    if isinstance(event, ModelStateChanged):
        record = {
            "event": "model_state",
            "t": t,
            "model": event.model,
            "previous": event.previous,
            "state": event.state,
            "bytes": event.bytes,
            "device": event.device,
            "seconds": round(event.seconds, 3),
        }
        if event.plan is not None:
            record["plan"] = event.plan
        return record
    if isinstance(event, ModelWarmedUp):
        return {
            "event": "model_warmup",
            "t": t,
            "model": event.model,
            "seconds": round(event.seconds, 3),
        }
    if isinstance(event, MemorySample):
        s = event.snapshot
        return {
            "event": "memory",
            "t": t,
            "rss": s.rss,
            "ram_used": s.ram_used,
            "ram_total": s.ram_total,
            "vram_allocated": s.vram_allocated,
            "vram_reserved": s.vram_reserved,
            "vram_used": s.vram_used,
            "vram_total": s.vram_total,
            "pressure": event.pressure,
        }
    if isinstance(event, Routed):
        return {
            "event": "route",
            "t": t,
            **json_name(event.document),
            "page": event.page,
            "backend": event.backend,
            "reason": event.reason,
            **({"plan": event.plan} if event.plan is not None else {}),
        }
    if isinstance(event, FallbackTaken):
        return {
            "event": "fallback",
            "t": t,
            **json_name(event.document),
            "page": event.page,
            "from": event.from_backend,
            "to": event.to_backend,
            "error": event.error.to_json(),
        }
    if isinstance(event, PageDone):
        return {
            "event": "page_done",
            "t": t,
            **json_name(event.document),
            "page": event.page.index,
            "backend": event.page.backend,
            "seconds": round(event.page.seconds, 3),
            "restored": event.restored,
        }
    if isinstance(event, ModelLeaked):
        return {"event": "leak", "t": t, "model": event.model, "objects": list(event.objects)}
    if isinstance(event, DocumentStarted):
        return {
            "event": "document_started",
            "t": t,
            **json_name(event.document),
            "pages": event.pages,
        }
    if isinstance(event, DocumentFinished):
        error = event.result.error
        return {
            "event": "document_done",
            "t": t,
            **json_name(event.result.document),
            "pages": len(event.result.pages),
            "error": error.to_json() if error else None,
        }
    raise TypeError(f"no JSON form for {type(event).__name__}")


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
