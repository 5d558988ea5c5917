"""Model states and the only transitions allowed between them.

UNLOADED -> LOADING -> READY <-> BUSY; READY -> UNLOADING -> UNLOADED; LOADING -> FAILED;
LOADING -> UNLOADED when there was no room to begin; FAILED -> LOADING (try again) or UNLOADED
(forget the failure). Anything else is a bug in the
manager, and raises.
"""

from __future__ import annotations

import enum
from types import MappingProxyType

from ablage_desktop.engine.errors import IllegalTransition


class ModelState(enum.StrEnum):
    UNLOADED = "unloaded"
    LOADING = "loading"
    READY = "ready"
    BUSY = "busy"
    UNLOADING = "unloading"
    FAILED = "failed"

    @property
    def resident(self) -> bool:
        """Whether the model holds (or is about to hold, or still holds) memory."""
        return self in (ModelState.LOADING, ModelState.READY, ModelState.BUSY, ModelState.UNLOADING)


TRANSITIONS: MappingProxyType[ModelState, frozenset[ModelState]] = MappingProxyType(
    {
        ModelState.UNLOADED: frozenset({ModelState.LOADING}),
        # LOADING -> UNLOADED: the load was called off before it began (the model did not fit).
        ModelState.LOADING: frozenset({ModelState.READY, ModelState.FAILED, ModelState.UNLOADED}),
        ModelState.READY: frozenset({ModelState.BUSY, ModelState.UNLOADING}),
        ModelState.BUSY: frozenset({ModelState.READY}),
        ModelState.UNLOADING: frozenset({ModelState.UNLOADED}),
        ModelState.FAILED: frozenset({ModelState.LOADING, ModelState.UNLOADED}),
    }
)


def check_transition(model: str, current: ModelState, new: ModelState) -> None:
    if new not in TRANSITIONS[current]:
        raise IllegalTransition(model, current.value, new.value)
