"""What the engine reports while it works, and a small listener list to deliver it.

Events are plain dataclasses with no Qt in them; the GUI worker turns them into signals and
the CLI into progress lines. They are emitted on the thread that runs the engine call.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrPage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ModelStateChanged:
    model: str
    previous: str
    state: str
    bytes: int
    """The model's footprint while resident (measured where known, else estimated); 0 after."""
    device: str
    seconds: float
    """Time spent in the previous state (for READY after LOADING: the load time)."""
    plan: dict[str, Any] | None = None
    """The memory plan the manager budgets by (``ModelPlan.to_json``), for a planned model."""


@dataclass(frozen=True, slots=True)
class ModelWarmedUp:
    """A model read its warm-up page after loading (``warmup: true``)."""

    model: str
    seconds: float


@dataclass(frozen=True, slots=True)
class ModelLeaked:
    model: str
    objects: tuple[str, ...]
    """Type names of the model's objects still alive after it was unloaded."""


@dataclass(frozen=True, slots=True)
class MemorySample:
    snapshot: MemorySnapshot
    pressure: str


@dataclass(frozen=True, slots=True)
class Routed:
    document: Path
    page: int
    backend: str
    reason: str
    plan: dict[str, Any] | None = None
    """The memory plan of ``backend`` at this page's size, where it has one."""


@dataclass(frozen=True, slots=True)
class FallbackTaken:
    document: Path
    page: int
    from_backend: str
    to_backend: str
    error: ErrorInfo


@dataclass(frozen=True, slots=True)
class DocumentStarted:
    document: Path
    position: int
    """0-based place of the document in the batch."""
    total: int
    pages: int
    sha256: str = ""
    doc_type: str = ""
    """The type read from the file's bytes (``pdf``, ``png`` ...)."""


@dataclass(frozen=True, slots=True)
class PageDone:
    document: Path
    position: int
    total: int
    pages: int
    page: OcrPage
    restored: bool = False
    """Taken from the archive (read before, or before an interruption), not recognised now."""


@dataclass(frozen=True, slots=True)
class DocumentFinished:
    position: int
    total: int
    result: OcrDocument


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
