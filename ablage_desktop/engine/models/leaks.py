"""Leak detection: weak references to a model's objects, checked once the model is unloaded."""

from __future__ import annotations

import logging
import weakref

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.events import ModelLeaked

log = logging.getLogger(__name__)


def track(backend: Backend) -> list[weakref.ref[object]]:
    """Weak references to the objects ``backend`` says must die with it."""
    return [weakref.ref(obj) for obj in backend.tracked_objects()]


def leak_report(name: str, tracked: list[weakref.ref[object]]) -> ModelLeaked | None:
    """The event for the tracked objects still alive after ``name`` was unloaded, or None."""
    alive = [ref() for ref in tracked]
    leaked = [type(obj).__name__ for obj in alive if obj is not None]
    del alive
    if not leaked:
        return None
    log.warning(
        "Leak: %s is unloaded but %d of its objects are still referenced (%s)",
        name,
        len(leaked),
        ", ".join(leaked),
    )
    return ModelLeaked(name, tuple(leaked))
