"""Every model's record, the one lock that guards them, and the events their changes make.

The manager and its unloader share one table: whatever they read or change here, they do
under ``cond``, and they flush the outbox once they have let it go.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ablage_desktop.engine.errors import UnknownBackend
from ablage_desktop.engine.events import Event
from ablage_desktop.engine.models.outbox import Outbox
from ablage_desktop.engine.models.records import ModelRecord
from ablage_desktop.engine.models.state import ModelState


class ModelTable:
    # Invariants (under cond):
    # - record.pins > 0 exactly when record.state is BUSY;
    # - at most one record is LOADING, and ``loading`` names it.

    def __init__(self, emit: Callable[[Event], None], clock: Callable[[], float]) -> None:
        self.cond = threading.Condition()
        self.records: dict[str, ModelRecord] = {}
        self.outbox = Outbox(emit, self.cond)
        self.clock = clock
        self.loading: str | None = None
        self.batches = 0
        """Batches running now: with keep-alive 0, models stay between their pages."""

    def record(self, name: str) -> ModelRecord:
        try:
            return self.records[name]
        except KeyError:
            raise UnknownBackend(name, list(self.records)) from None

    def set_state(
        self, record: ModelRecord, state: ModelState, seconds: float | None = None
    ) -> None:
        """Change state under the lock; the event is sent when the outbox is flushed."""
        self.outbox.put(record.move_to(state, self.clock(), seconds))
