"""What the engine reports while it works, and a small listener list to deliver it.

Events are plain dataclasses with no Qt in them; the GUI worker turns them into signals and
the CLI into progress lines. They are emitted on the thread that runs the engine call. Each
says what it is as JSON itself (``to_json``, the ``--events`` log's record without its time),
and an event of a batch carries the batch's job id, so a consumer can tell batches apart.
Consumers pick their events by type with ``EventHandlers``, never by walking the union.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.pathtext import json_name
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrPage
from ablage_desktop.engine.run.states import DocumentState

log = logging.getLogger(__name__)


class _Record:
    """What every event shares: its name in the log, and its job id there when it has one."""

    __slots__ = ()
    kind: ClassVar[str]
    """The event's name in JSON (``"event"``), as the ``--events`` log has always written it."""
    job: int | None

    def _record(self, fields: dict[str, Any]) -> dict[str, Any]:
        record = {"event": self.kind, **fields}
        if self.job is not None:
            record["job"] = self.job
        return record


@dataclass(frozen=True, slots=True)
class ModelStateChanged(_Record):
    kind: ClassVar[str] = "model_state"
    model: str
    previous: ModelState
    state: ModelState
    bytes: int
    """The model's footprint while resident (measured where known, else estimated); 0 after."""
    device: str
    seconds: float
    """Time spent in the previous state (for READY after LOADING: the load time)."""
    plan: dict[str, Any] | None = None
    """The memory plan the manager budgets by (``ModelPlan.to_json``), for a planned model."""
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        record = {
            "model": self.model,
            "previous": self.previous.value,
            "state": self.state.value,
            "bytes": self.bytes,
            "device": self.device,
            "seconds": round(self.seconds, 3),
        }
        if self.plan is not None:
            record["plan"] = self.plan
        return self._record(record)


@dataclass(frozen=True, slots=True)
class ModelWarmedUp(_Record):
    """A model read its warm-up page after loading (``warmup: true``)."""

    kind: ClassVar[str] = "model_warmup"
    model: str
    seconds: float
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        return self._record({"model": self.model, "seconds": round(self.seconds, 3)})


@dataclass(frozen=True, slots=True)
class ModelLeaked(_Record):
    kind: ClassVar[str] = "leak"
    model: str
    objects: tuple[str, ...]
    """Type names of the model's objects still alive after it was unloaded."""
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        return self._record({"model": self.model, "objects": list(self.objects)})


@dataclass(frozen=True, slots=True)
class MemorySample(_Record):
    kind: ClassVar[str] = "memory"
    snapshot: MemorySnapshot
    pressure: str
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        s = self.snapshot
        return self._record(
            {
                "rss": s.rss,
                "ram_used": s.ram_used,
                "ram_total": s.ram_total,
                "vram_allocated": s.vram_allocated,
                "vram_reserved": s.vram_reserved,
                "vram_used": s.vram_used,
                "vram_total": s.vram_total,
                "workers_rss": s.workers_rss,
                "pressure": self.pressure,
            }
        )


@dataclass(frozen=True, slots=True)
class Routed(_Record):
    kind: ClassVar[str] = "route"
    document: Path
    page: int
    backend: str
    reason: str
    plan: dict[str, Any] | None = None
    """The memory plan of ``backend`` at this page's size, where it has one."""
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        record = {
            **json_name(self.document),
            "page": self.page,
            "backend": self.backend,
            "reason": self.reason,
        }
        if self.plan is not None:
            record["plan"] = self.plan
        return self._record(record)


@dataclass(frozen=True, slots=True)
class FallbackTaken(_Record):
    kind: ClassVar[str] = "fallback"
    document: Path
    page: int
    from_backend: str
    to_backend: str
    error: ErrorInfo
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        return self._record(
            {
                **json_name(self.document),
                "page": self.page,
                "from": self.from_backend,
                "to": self.to_backend,
                "error": self.error.to_json(),
            }
        )


@dataclass(frozen=True, slots=True)
class DocumentStarted(_Record):
    kind: ClassVar[str] = "document_started"
    document: Path
    position: int
    """0-based place of the document in the batch."""
    total: int
    pages: int
    sha256: str = ""
    doc_type: str = ""
    """The type read from the file's bytes (``pdf``, ``png`` ...)."""
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        return self._record({**json_name(self.document), "pages": self.pages})


@dataclass(frozen=True, slots=True)
class PageDone(_Record):
    kind: ClassVar[str] = "page_done"
    document: Path
    position: int
    total: int
    pages: int
    page: OcrPage
    restored: bool = False
    """Taken from the archive (read before, or before an interruption), not recognised now."""
    job: int | None = None

    def to_json(self) -> dict[str, Any]:
        return self._record(
            {
                **json_name(self.document),
                "page": self.page.index,
                "backend": self.page.backend,
                "seconds": round(self.page.seconds, 3),
                "restored": self.restored,
            }
        )


@dataclass(frozen=True, slots=True)
class DocumentFinished(_Record):
    kind: ClassVar[str] = "document_done"
    position: int
    total: int
    result: OcrDocument
    job: int | None = None

    @property
    def state(self) -> DocumentState:
        """Done, failed, or cancelled (stopped by the user, not a failure)."""
        return DocumentState.of(self.result)

    def to_json(self) -> dict[str, Any]:
        error = self.result.error
        return self._record(
            {
                **json_name(self.result.document),
                "pages": len(self.result.pages),
                "error": error.to_json() if error else None,
                "state": self.state.value,
            }
        )


Event = (
    ModelStateChanged
    | ModelWarmedUp
    | ModelLeaked
    | MemorySample
    | Routed
    | FallbackTaken
    | DocumentStarted
    | PageDone
    | DocumentFinished
)
Listener = Callable[[Event], None]


class Listeners:
    """Subscribers to engine events; a failing listener is logged and never stops the engine."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: Event) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:
                log.exception("An event listener failed on %s", type(event).__name__)


E = TypeVar("E", bound=Event)


class EventHandlers:
    """One consumer's handlers, by event type: an event goes to the handler of its own type,
    and the types the consumer did not name pass by. Built once, called for every event."""

    def __init__(self) -> None:
        self._handlers: dict[type, Callable[[Any], None]] = {}

    def on(self, event_type: type[E], handler: Callable[[E], None]) -> EventHandlers:
        """Let ``handler`` take the events of ``event_type``; the same object, to chain."""
        self._handlers[event_type] = handler
        return self

    def __call__(self, event: Event) -> None:
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)
