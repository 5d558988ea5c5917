"""Unloading: one model on request, the idle models a rule picks, and the evictions that make
room for a load or a page. Every unload ends in ``finish``: the backend closed, the memory
given back and waited for, and any object still alive reported as a leak."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable

from ablage_desktop.engine.errors import ModelBusy
from ablage_desktop.engine.memory.probe import MemoryProbe, MemorySnapshot
from ablage_desktop.engine.models.budget import Budget, pick_victim
from ablage_desktop.engine.models.leaks import leak_report
from ablage_desktop.engine.models.records import ModelRecord, PageSize
from ablage_desktop.engine.models.recovery import close_quietly, collect, wait_for_recovery
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.models.table import ModelTable

log = logging.getLogger(__name__)


class Unloader:
    """Takes models out of memory; it shares the manager's table (and lock)."""

    def __init__(
        self,
        table: ModelTable,
        probe: MemoryProbe,
        budget: Budget,
        recovery_timeout_s: float,
        sleep: Callable[[float], None],
    ) -> None:
        self._table = table
        self._probe = probe
        self._budget = budget
        self._recovery_timeout_s = recovery_timeout_s
        self._sleep = sleep

    def unload(self, name: str, *, wait_s: float = 0.0) -> bool:
        """Unload ``name``; True when it was resident.

        A model in use is waited for up to ``wait_s`` seconds, then refused with
        ``ModelBusy``; a model that failed to load is reset to unloaded.
        """
        deadline = self._table.clock() + wait_s
        with self._table.cond:
            record = self._table.record(name)
            while record.pins > 0 or record.state in (ModelState.LOADING, ModelState.UNLOADING):
                remaining = deadline - self._table.clock()
                if remaining <= 0:
                    if record.state is ModelState.UNLOADING:
                        return False
                    raise ModelBusy(name, max(1, record.pins))
                self._table.cond.wait(remaining)
            resident = record.state is ModelState.READY
            if record.state is ModelState.FAILED:
                self._table.set_state(record, ModelState.UNLOADED)
                record.error = None
            elif resident:
                self._table.set_state(record, ModelState.UNLOADING)
        self._table.outbox.flush()
        if resident:
            self.finish(record)
        return resident

    def unload_where(
        self,
        chosen: Callable[[ModelRecord], bool],
        announce: Callable[[ModelRecord], None] = lambda record: None,
        *,
        give_back: bool = True,
    ) -> list[str]:
        """Unload every idle model ``chosen`` picks (it is asked under the lock); without
        ``give_back``, as ``finish`` says."""
        with self._table.cond:
            victims = [r for r in self._table.records.values() if r.idle and chosen(r)]
            for victim in victims:
                self._table.set_state(victim, ModelState.UNLOADING)
        self._table.outbox.flush()
        for victim in victims:
            announce(victim)
            self.finish(victim, give_back=give_back)
        return [victim.name for victim in victims]

    def evict_until_fits(
        self,
        record: ModelRecord,
        page: PageSize | None,
        batch: int,
        purpose: str,
        not_for_now: Callable[[ModelRecord], bool] = lambda record: False,
    ) -> None:
        """Evict idle models, least recently used first, until ``record`` fits (with ``batch``
        pages of size ``page`` where given); raise the last ``InsufficientMemory`` when no
        idle model is left. ``not_for_now`` ends the eviction early, under the lock."""
        while True:
            with self._table.cond:
                if not_for_now(record):
                    return
                problem = self._budget.fit_problem(
                    record, self._table.records.values(), self._probe.snapshot(), page, batch
                )
                if problem is None:
                    return
                victim = pick_victim(record, self._table.records.values())
                if victim is None:
                    raise problem
                log.info("Unloading %s to make room for %s", victim.name, purpose)
                self._table.set_state(victim, ModelState.UNLOADING)
            self._table.outbox.flush()
            self.finish(victim)

    def finish(self, record: ModelRecord, *, give_back: bool = True) -> None:
        """Run by the one thread that set ``record`` UNLOADING. Without ``give_back`` (the
        process ends next) the backend is closed, its processes stopped, but its memory is
        not collected, handed back or checked for leaks: two full garbage collections took
        0.15 s of a command's end."""
        with self._table.cond:
            backend, record.backend = record.backend, None
            tracked, record.tracked = record.tracked, []
            # What the idle model holds, not its pages' activations: those are not held
            # now, and waiting for them to come back ran every GPU unload into the timeout.
            resident = record.resident_bytes
        before = self._probe.snapshot() if give_back else None
        if backend is not None:
            close_quietly(record.name, backend)
            del backend
        if before is not None:
            self._give_back(record, before, resident, tracked)
        with self._table.cond:
            self._table.set_state(record, ModelState.UNLOADED)
            if record.down is not None:
                record.error, record.down = record.down, None  # shown until the next load
            self._table.cond.notify_all()
        self._table.outbox.flush()

    def _give_back(
        self,
        record: ModelRecord,
        before: MemorySnapshot,
        resident: int,
        tracked: list[weakref.ref[object]],
    ) -> None:
        """Collect what the closed backend left, hand it back, on a GPU wait (within a
        bound) until the device shows it free, and report what of it is still referenced."""
        collect(self._probe)
        if record.device == "gpu":
            wait_for_recovery(
                self._probe,
                record.name,
                before,
                resident,
                self._recovery_timeout_s,
                self._table.clock,
                self._sleep,
            )
        leak = leak_report(record.name, tracked)
        if leak is not None:
            self._table.outbox.send_now(leak)
