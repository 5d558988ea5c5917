"""The budget arithmetic: what a device may hold, whether a model or a page fits, and which
idle model is evicted first.

Nothing here takes a lock: the manager calls in under its own, with its records.
"""

from __future__ import annotations

from collections.abc import Iterable

from ablage_desktop.engine.errors import InsufficientMemory
from ablage_desktop.engine.memory.estimate import Device
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.models.policy import ManagerPolicy
from ablage_desktop.engine.models.records import ModelRecord, PageSize
from ablage_desktop.engine.models.state import ModelState


class Budget:
    """The policy's limits, less the memory reserved outside the models."""

    def __init__(self, policy: ManagerPolicy) -> None:
        self.policy = policy
        self._reserved: dict[str, tuple[Device, int]] = {}
        """Memory held outside the models (the orientation step's RapidOCR session)."""

    def reserve(self, label: str, device: Device, size: int) -> None:
        """Count ``size`` bytes held outside the models against ``device``'s budget."""
        if size > 0:
            self._reserved[label] = (device, size)
        else:
            self._reserved.pop(label, None)

    def reserved_on(self, device: Device) -> int:
        return sum(size for where, size in tuple(self._reserved.values()) if where == device)

    def of(self, device: Device, snapshot: MemorySnapshot) -> int:
        """Bytes the models may use on ``device``: the share of its total, or the absolute size,
        less what is reserved outside the models."""
        if device == "gpu":
            if self.policy.vram_budget is not None:
                whole = self.policy.vram_budget
            else:
                whole = int(self.policy.max_vram_usage * (snapshot.vram_total or 0))
        elif self.policy.ram_budget is not None:
            whole = self.policy.ram_budget
        else:
            whole = int(self.policy.max_ram_usage * snapshot.ram_total)
        return whole - self.reserved_on(device)

    def fit_problem(
        self,
        record: ModelRecord,
        records: Iterable[ModelRecord],
        snapshot: MemorySnapshot,
        page: PageSize | None = None,
        batch: int = 1,
    ) -> InsufficientMemory | None:
        """Why ``record`` cannot be loaded now (or, resident, cannot read ``batch`` pages of
        size ``page``), or None when it fits."""
        if record.remote:
            return None
        others = [r for r in records if r is not record and r.state.resident and not r.remote]
        if record.state in (ModelState.READY, ModelState.BUSY):
            return self._page_problem(record, snapshot, others, page, batch)
        need = record.need(page, batch)
        problem = self._count_problem(record, others, need)
        if problem is not None:
            return problem
        budget, accounted, free = self._room(record, snapshot, others)
        have = min(budget - accounted, free)
        if need <= have:
            return None
        detail = (
            f"budget {budget >> 20} MiB, models resident {accounted >> 20} MiB, "
            f"free on the device {free >> 20} MiB"
        )
        if page is not None and record.estimate.plan is not None:
            detail = f"{page_words(record, page, batch)}; {detail}"
        return InsufficientMemory(record.name, record.device, need, max(0, have), detail)

    def _count_problem(
        self, record: ModelRecord, others: list[ModelRecord], need: int
    ) -> InsufficientMemory | None:
        """Why ``record`` may not join ``others`` whatever their sizes, or None."""
        if len(others) >= self.policy.max_resident_models:
            return InsufficientMemory(
                record.name,
                record.device,
                need,
                0,
                f"{len(others)} models are resident, the most allowed "
                "(management.max_resident_models), and none is idle",
            )
        if record.device == "gpu" and self.policy.single_gpu_model:
            gpu_models = [r.name for r in others if r.device == "gpu"]
            if gpu_models:
                return InsufficientMemory(
                    record.name,
                    "gpu",
                    need,
                    0,
                    f"one GPU model at a time (management.single_gpu_model) and "
                    f"{', '.join(gpu_models)} is in use",
                )
        return None

    def _page_problem(
        self,
        record: ModelRecord,
        snapshot: MemorySnapshot,
        others: list[ModelRecord],
        page: PageSize | None,
        batch: int,
    ) -> InsufficientMemory | None:
        """Why a resident ``record`` cannot read this batch of pages: its weights are already
        in memory, so the page must fit in what the budget and the device have left."""
        if page is None or record.estimate.plan is None:
            return None
        need = record.estimate.page_bytes(page[0], page[1], batch)
        budget, accounted, free = self._room(record, snapshot, others)
        have = min(budget - accounted - record.resident_bytes, free)
        if need <= have:
            return None
        detail = (
            f"{page_words(record, page, batch)}; the weights take "
            f"{record.resident_bytes >> 20} MiB of a budget of {budget >> 20} MiB, other models "
            f"{accounted >> 20} MiB, free on the device {free >> 20} MiB"
        )
        return InsufficientMemory(record.name, record.device, need, max(0, have), detail)

    def _room(
        self, record: ModelRecord, snapshot: MemorySnapshot, others: list[ModelRecord]
    ) -> tuple[int, int, int]:
        """The budget of ``record``'s device, what ``others`` take of it, and what is free."""
        accounted = sum(r.footprint for r in others if r.device == record.device)
        return self.of(record.device, snapshot), accounted, free_on(record.device, snapshot)

    def cannot_fit(
        self, record: ModelRecord, records: Iterable[ModelRecord], snapshot: MemorySnapshot
    ) -> str | None:
        """Why ``record`` could not be loaded even after evicting every idle model, or None."""
        same = [
            r for r in records if r is not record and r.state.resident and r.device == record.device
        ]
        pinned = sum(r.footprint for r in same if not r.idle)
        idle = sum(r.footprint for r in same if r.idle)
        free = free_on(record.device, snapshot)
        have = min(self.of(record.device, snapshot) - pinned, free + idle)
        if record.footprint > have:
            return (
                f"needs {record.footprint >> 20} MiB of {record.device.upper()} memory, "
                f"at most {max(0, have) >> 20} MiB can be made free"
            )
        return None


def pick_victim(record: ModelRecord, records: Iterable[ModelRecord]) -> ModelRecord | None:
    """The idle model to evict first for ``record``: the least recently used."""
    idle = [r for r in records if r is not record and r.idle and not r.remote]
    # The same device first: freeing RAM does not make a GPU model fit.
    idle.sort(key=lambda r: (r.device != record.device, r.last_used))
    return idle[0] if idle else None


def free_on(device: Device, snapshot: MemorySnapshot) -> int:
    """What the device has free right now (0 where it cannot say)."""
    return (snapshot.vram_free if device == "gpu" else snapshot.ram_available) or 0


def page_words(record: ModelRecord, page: PageSize, batch: int) -> str:
    """The page's share of the need, in words."""
    plan = record.estimate.plan
    assert plan is not None
    return f"a page of {plan.page(page[0], page[1], batch).describe()}"
