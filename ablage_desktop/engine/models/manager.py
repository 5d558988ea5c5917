"""The model manager: which models are resident, who may use them, and what makes room.

Rules, as Ollama's scheduler and ComfyUI's model management taught us:

* One condition variable guards every record and the budget; loading and unloading run
  outside it, so a slow load never blocks a status query or a page on another model.
* Only one load runs at a time; two callers asking for the same model cause one load.
* A model in use is pinned (reference count); a pinned model is never unloaded.
* Before a load: estimate its bytes; evict idle models, least recently used first, until it
  fits the budget and the device's real free memory; otherwise ``InsufficientMemory``.
  A vision-language model with a memory plan is budgeted per page: its weights plus what the
  page (at its size, times the batch) adds; a page that cannot fit even with every idle
  model evicted is refused before it runs, with what it needs and what there is.
* A load's measured size (RSS growth, or torch's allocation on a GPU) replaces the estimate
  only where it is plausible (``measure.py``).
* Out of memory while loading: evict every idle model and retry exactly once, after the failed
  attempt's frames (and tensors) are gone (``loading.py``).
* After an unload: drop every reference, collect, empty the CUDA cache, wait (within a bound)
  for the device memory to come back, and report any tracked object still alive as a leak
  (``unloading.py``, ``recovery.py``, ``leaks.py``).
* A remote model (an inference server) costs no local memory: it never counts against a
  budget or ``max_resident_models``, is never evicted to make room and does not expire; its
  "load" is a health check. When its backend reports the server down, the model is unloaded
  as soon as no page uses it, so the next use checks the server's health again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from ablage_desktop.engine.backends.base import Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.errors import (
    ModelBusy,
    ModelLoadError,
    OutOfMemory,
    RemoteServerError,
)
from ablage_desktop.engine.events import Event, ModelWarmedUp
from ablage_desktop.engine.memory.estimate import Device, MemoryEstimate
from ablage_desktop.engine.memory.pressure import Pressure
from ablage_desktop.engine.memory.probe import MemoryProbe, MemorySnapshot
from ablage_desktop.engine.models.background import BackgroundWork
from ablage_desktop.engine.models.budget import Budget
from ablage_desktop.engine.models.leases import Lease
from ablage_desktop.engine.models.loading import is_out_of_memory, load_once
from ablage_desktop.engine.models.measure import PLAUSIBLE_SHARE, load_growth, stored_footprint
from ablage_desktop.engine.models.policy import ManagerPolicy
from ablage_desktop.engine.models.records import ModelInfo, ModelRecord, PageSize
from ablage_desktop.engine.models.recovery import collect
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.models.table import ModelTable
from ablage_desktop.engine.models.unloading import Unloader
from ablage_desktop.engine.results.document import ErrorInfo

log = logging.getLogger(__name__)

__all__ = [
    "PLAUSIBLE_SHARE",
    "Lease",
    "ManagerPolicy",
    "ModelInfo",
    "ModelManager",
    "PageSize",
    "is_out_of_memory",
]


class ModelManager:
    # Invariants (under self._table.cond), beside the table's own:
    # - the footprints of resident records on a device stay within that device's budget.

    def __init__(
        self,
        policy: ManagerPolicy,
        probe: MemoryProbe,
        emit: Callable[[Event], None] = lambda event: None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_measured: Callable[[str, int], None] = lambda name, size: None,
    ) -> None:
        self.policy = policy
        self.probe = probe
        self._clock = clock
        self._on_measured = on_measured
        self._table = ModelTable(emit, clock)
        self._pressure = Pressure.NORMAL
        self._background = BackgroundWork()
        self._budget = Budget(policy)
        self._unloader = Unloader(
            self._table, probe, self._budget, policy.recovery_timeout_s, sleep
        )

    # --- registration and status -------------------------------------------------------------

    def register(
        self,
        name: str,
        spec: BackendSpec,
        options: EngineOptions,
        estimate: MemoryEstimate,
        measured: int | None = None,
    ) -> None:
        """Make ``name`` known; ``measured`` is what an earlier run saw it take (ignored when
        it is implausibly small next to the estimate)."""
        with self._table.cond:
            if name not in self._table.records:
                record = ModelRecord(name, spec, options, estimate.device, estimate)
                record.measured = stored_footprint(name, measured, estimate)
                self._table.records[name] = record

    def reconfigure(self, name: str, options: EngineOptions, estimate: MemoryEstimate) -> None:
        """New options for a model that is not resident (a resident one must unload first)."""
        with self._table.cond:
            record = self._table.record(name)
            if record.state.resident:
                raise ModelBusy(name, max(1, record.pins))
            record.options = options
            record.estimate = estimate
            record.device = estimate.device
            record.measured = None  # measured with the old options

    def reserve(self, label: str, device: Device, size: int) -> None:
        """Count ``size`` bytes held outside the models against ``device``'s budget."""
        with self._table.cond:
            self._budget.reserve(label, device, size)

    def reserved(self, device: Device) -> int:
        with self._table.cond:
            return self._budget.reserved_on(device)

    def infos(self) -> list[ModelInfo]:
        with self._table.cond:
            return [record.info() for record in self._table.records.values()]

    def info(self, name: str) -> ModelInfo:
        with self._table.cond:
            return self._table.record(name).info()

    @property
    def pressure(self) -> Pressure:
        with self._table.cond:
            return self._pressure

    def _count(
        self, record: ModelRecord, queued: int = 0, in_flight: int = 0, seconds: float | None = None
    ) -> None:
        """Pages waiting for and inside a model (what the panel shows as its queue)."""
        with self._table.cond:
            record.count(queued, in_flight, seconds)

    def _mark_down(self, record: ModelRecord, exc: RemoteServerError) -> None:
        """The server behind ``record`` went away: stop using it once its pages are done."""
        with self._table.cond:
            if record.down is None:
                log.warning("%s: server down, unloading it when idle: %s", record.name, exc.problem)
            record.down = ErrorInfo.from_exception(exc)

    # --- acquire and release -----------------------------------------------------------------

    def acquire(self, name: str, page: PageSize | None = None, batch: int = 1) -> Lease:
        """Pin ``name``, loading it first when it is not resident.

        Waits while another load runs (one at a time) or while this model is loading or
        unloading; raises ``InsufficientMemory``, ``ModelLoadError`` or ``OutOfMemory`` when it
        cannot be loaded. With ``page`` (width, height) a model with a memory plan is budgeted
        for ``batch`` pages of that size, and refused (``InsufficientMemory``) when they
        cannot fit.
        """
        lease = self._take(name, page, batch, pin=True)
        assert lease is not None
        return lease

    def load(self, name: str, page: PageSize | None = None) -> None:
        """Make ``name`` resident without using it (the Load button, eager loading, a load
        ahead of the page that needs it): it goes from loading to ready, with no busy spell
        that its events would show as a page; with keep-alive 0 it stays until used once.
        Waits and raises as ``acquire``."""
        self._take(name, page, 1, pin=False)

    def _take(self, name: str, page: PageSize | None, batch: int, pin: bool) -> Lease | None:
        if page is not None:
            self._room_for_page(name, page, batch)
        with self._table.cond:
            record = self._table.record(name)
            failures_seen = record.failures
            while True:
                if record.state in (ModelState.READY, ModelState.BUSY):
                    lease, loading = self._pin(record) if pin else None, False
                    break
                if record.failures > failures_seen:
                    # Another caller's load of this model just failed: share its answer.
                    assert record.error is not None
                    raise ModelLoadError(name, record.error.message)
                if (
                    record.state in (ModelState.LOADING, ModelState.UNLOADING)
                    or self._table.loading is not None
                ):
                    self._table.cond.wait()
                    continue
                self._table.set_state(record, ModelState.LOADING)
                self._table.loading = name
                lease, loading = None, True
                break
        self._table.outbox.flush()
        return self._load(record, page, batch, pin) if loading else lease

    def _room_for_page(self, name: str, page: PageSize, batch: int) -> None:
        """Evict idle models until ``batch`` pages of size ``page`` fit beside ``name``, or
        refuse the page. Only for models with a plan: the others are budgeted at load."""
        with self._table.cond:
            record = self._table.record(name)

        def not_for_now(record: ModelRecord) -> bool:
            # A model that is loading or unloading: acquire waits for it, and a load makes its
            # own room.
            return (
                record.estimate.plan is None
                or record.remote
                or record.state in (ModelState.LOADING, ModelState.UNLOADING)
            )

        self._unloader.evict_until_fits(record, page, batch, f"a page of {name}", not_for_now)

    def page_plan(self, name: str, page: PageSize, batch: int = 1) -> dict[str, object] | None:
        """The memory plan of ``name`` for pages of this size (for the route event)."""
        with self._table.cond:
            record = self._table.records.get(name)
            plan = record.estimate.plan if record is not None else None
        return (
            None
            if plan is None
            else plan.to_json(page[0], page[1]) | ({"batch": batch} if batch != 1 else {})
        )

    def _pin(self, record: ModelRecord) -> Lease:
        assert record.backend is not None
        if record.pins == 0:
            self._table.set_state(record, ModelState.BUSY)
        record.pins += 1
        record.last_used = self._clock()
        return Lease(self, record, record.backend)

    def _release(self, record: ModelRecord) -> None:
        with self._table.cond:
            record.pins -= 1
            record.last_used = self._clock()
            unload_now = False
            if record.pins == 0:
                self._table.set_state(record, ModelState.READY)
                after_use = self.policy.keep_alive_s == 0 and self._table.batches == 0
                unload_now = (after_use and not record.remote) or record.down is not None
                if unload_now:
                    self._table.set_state(record, ModelState.UNLOADING)
            self._table.cond.notify_all()
        self._table.outbox.flush()
        if unload_now:
            self._unloader.finish(record)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Within a batch, a model with keep-alive 0 stays between pages; it unloads at the end."""
        with self._table.cond:
            self._table.batches += 1
        try:
            yield
        finally:
            with self._table.cond:
                self._table.batches -= 1
                ending = self._table.batches == 0 and self.policy.keep_alive_s == 0
            if ending:
                self.unload_idle(remote=False)

    # --- loading -----------------------------------------------------------------------------

    def _load(
        self, record: ModelRecord, page: PageSize | None, batch: int, pin: bool
    ) -> Lease | None:
        """Run by the one thread that set ``record`` LOADING; pinned where ``pin``."""
        started = self._clock()
        try:
            backend = self._load_with_retry(record, page, batch)
        except BaseException as exc:
            with self._table.cond:
                state = record.load_failed(exc)
                self._table.loading = None
                self._table.set_state(record, state)
                self._table.cond.notify_all()
            self._table.outbox.flush()
            raise
        with self._table.cond:
            record.loaded(backend, self._clock() - started)
            self._table.loading = None
            self._table.set_state(record, ModelState.READY, seconds=self._clock() - started)
            record.last_used = self._clock()
            lease = self._pin(record) if pin else None
            self._table.cond.notify_all()
        self._table.outbox.flush()
        warmup = getattr(backend, "warmup_seconds", None)
        if isinstance(warmup, int | float):
            self._table.outbox.send_now(ModelWarmedUp(record.name, float(warmup)))
        return lease

    def _load_with_retry(
        self, record: ModelRecord, page: PageSize | None = None, batch: int = 1
    ) -> Backend:
        for attempt in (1, 2):
            self._unloader.evict_until_fits(record, page, batch, record.name)
            before = self.probe.snapshot()
            loaded = load_once(record)
            if not isinstance(loaded, str):
                if not record.remote:  # a server's memory is not this machine's
                    # The load's own buffers (file reads, quantization) are freed by now:
                    # hand them back, so that what is measured is the model.
                    self.probe.empty_cache()
                    after = self.probe.snapshot()
                    self._measure(record, load_growth(record, before, after, loaded))
                return loaded
            log.warning("%s ran out of memory while loading (try %d of 2)", record.name, attempt)
            if attempt == 2:
                raise OutOfMemory(record.name, "loading", loaded)
            self._free_idle_beside(record)
        raise AssertionError("unreachable")

    def _measure(self, record: ModelRecord, taken: int | None) -> None:
        """Keep what the load took as the model's footprint, where the figure can be believed."""
        if taken is None:
            return
        with self._table.cond:
            record.measured = taken
        self._on_measured(record.name, taken)
        log.info(
            "%s took %d MiB (estimated %d MiB)",
            record.name,
            taken >> 20,
            record.estimate.weights >> 20,
        )

    def _free_idle_beside(self, record: ModelRecord) -> None:
        """Unload every idle model on ``record``'s device, and give their memory back."""
        self.unload_idle(keep=record.name, device=record.device)
        collect(self.probe)

    # --- making room -------------------------------------------------------------------------

    def budget(self, device: Device, snapshot: MemorySnapshot) -> int:
        """Bytes the models may use on ``device``: the share of its total, or the absolute size,
        less what is reserved outside the models."""
        return self._budget.of(device, snapshot)

    def cannot_fit(self, name: str) -> str | None:
        """Why ``name`` could not be loaded even after evicting every idle model, or None.

        Judged at the reference page (the plan's A4 at 300 dpi for a planned model); the page
        itself is judged when it is acquired."""
        with self._table.cond:
            record = self._table.record(name)
            if record.state in (ModelState.READY, ModelState.BUSY) or record.remote:
                return None
            return self._budget.cannot_fit(
                record, self._table.records.values(), self.probe.snapshot()
            )

    # --- unloading ---------------------------------------------------------------------------

    def unload(self, name: str, *, wait_s: float = 0.0) -> bool:
        """Unload ``name``; True when it was resident.

        A model in use is waited for up to ``wait_s`` seconds, then refused with
        ``ModelBusy``; a model that failed to load is reset to unloaded.
        """
        return self._unloader.unload(name, wait_s=wait_s)

    def unload_idle(
        self,
        *,
        keep: str | None = None,
        device: Device | None = None,
        remote: bool = True,
        give_back: bool = True,
    ) -> list[str]:
        """Unload every idle model (but ``keep``, only on ``device`` when given, and without
        the remote ones unless ``remote``); ``give_back``: ``Unloader.finish``."""
        return self._unloader.unload_where(
            lambda r: (
                r.name != keep
                and (device is None or r.device == device)
                and (remote or not r.remote)
            ),
            give_back=give_back,
        )

    def expire_idle(self) -> list[str]:
        """Unload the models idle for longer than the keep-alive time."""
        ttl = self.policy.keep_alive_s
        if ttl < 0:
            return []
        now = self._clock()

        def expired(record: ModelRecord) -> bool:
            # A remote model costs nothing idle: it stays ready. With keep-alive 0, a model
            # stays between the pages of a batch.
            return (
                not record.remote
                and now - record.last_used >= ttl
                and not (ttl == 0 and self._table.batches)
            )

        def announce(record: ModelRecord) -> None:
            log.info("%s was idle for %.0f s: unloading", record.name, now - record.last_used)

        return self._unloader.unload_where(expired, announce)

    # --- memory pressure ---------------------------------------------------------------------

    def observe(self, pressure: Pressure) -> None:
        """Act on the sampler's reading: warning clears caches, critical unloads idle GPU models."""
        with self._table.cond:
            previous, self._pressure = self._pressure, pressure
        if pressure >= Pressure.WARNING:
            self.probe.empty_cache()
        if pressure is Pressure.CRITICAL and previous is not Pressure.CRITICAL:
            unloaded = self.unload_idle(device="gpu")
            log.warning("Critical memory pressure: unloaded %s", ", ".join(unloaded) or "nothing")

    def recover_from_oom(self, keep: str) -> None:
        """After an OOM during inference: free every idle model on ``keep``'s device."""
        with self._table.cond:
            record = self._table.record(keep)
        self._free_idle_beside(record)

    # --- background work ---------------------------------------------------------------------

    def start(self, preload: Sequence[str] = (), connect: Sequence[str] = ()) -> None:
        """Start the keep-alive reaper; with eager loading, load ``preload`` in the background.

        ``connect`` (remote models) are health-checked in the background even with lazy
        loading: that costs no memory, and shows at once whether each server answers.
        """
        if self.policy.keep_alive_s > 0:
            self._background.reap(self.policy.keep_alive_s, self.expire_idle)
        if not self.policy.lazy_loading and preload:
            self._background.preload("ablage-preload", preload, self.load)
        for name in connect:
            self._background.preload(f"ablage-connect-{name}", [name], self.load)

    def load_ahead(self, names: Sequence[str], page: PageSize | None = None) -> None:
        """Load ``names`` in the background, one after the other, in the order a page will
        use them (for pages of size ``page``, where given): the loads then overlap work that
        would otherwise come first (Tesseract's reading, the first page's decoding). One that
        fails is skipped; the page's own ``acquire`` meets it again and reports it."""
        self._background.preload(
            f"load {', '.join(names)} ahead", names, lambda name: self.load(name, page)
        )

    def load_soon(self, name: str) -> Callable[[], None]:
        """Start loading ``name`` in the background; the wait for it, which raises what the
        load did (a broken engine: ``ModelLoadError``), so that a batch fails before it
        starts while its first pages are opened meanwhile."""
        return self._background.load_soon(f"load {name}", lambda: self.load(name))

    def close(self, *, ending: bool = False) -> None:
        """Stop the background threads and unload every model that is not in use; where the
        process is ``ending``, without giving their memory back (``Unloader.finish``)."""
        self._background.stop()
        self.unload_idle(give_back=not ending)
        with self._table.cond:
            busy = [r.name for r in self._table.records.values() if r.pins]
        if busy:
            log.warning("Closing while %s are still in use", ", ".join(busy))
