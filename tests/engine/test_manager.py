"""The model manager: one load per model, pins, budgets, eviction, OOM retry, TTL, leaks."""

from __future__ import annotations

import gc
import logging
import threading

import pytest
from fakes import GIB, FakeClock, FakeModelScript, FakeProbe, register_fakes

from ablage_desktop.engine.errors import (
    IllegalTransition,
    InsufficientMemory,
    ModelBusy,
    ModelLoadError,
    OutOfMemory,
)
from ablage_desktop.engine.events import Event, ModelLeaked, ModelStateChanged
from ablage_desktop.engine.memory.pressure import Pressure
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager, is_out_of_memory
from ablage_desktop.engine.models.state import TRANSITIONS, ModelState, check_transition


class Recorder:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def states(self, model: str) -> list[str]:
        return [
            e.state for e in self.events if isinstance(e, ModelStateChanged) and e.model == model
        ]


def make_manager(
    probe: FakeProbe,
    *scripts: FakeModelScript,
    clock: FakeClock | None = None,
    **policy: object,
) -> tuple[ModelManager, Recorder]:
    recorder = Recorder()
    clock = clock or FakeClock()
    manager = ModelManager(
        ManagerPolicy(**policy),  # type: ignore[arg-type]
        probe,
        recorder,
        clock=clock,
        sleep=clock.sleep,
    )
    register_fakes(manager, probe, *scripts)
    return manager, recorder


def state(manager: ModelManager, name: str) -> ModelState:
    return manager.info(name).state


# --- states ----------------------------------------------------------------------------------


def test_every_state_change_the_table_forbids_raises() -> None:
    for current in ModelState:
        for new in ModelState:
            if new in TRANSITIONS[current]:
                check_transition("m", current, new)
            else:
                with pytest.raises(IllegalTransition, match=f"from {current.value} to {new.value}"):
                    check_transition("m", current, new)


def test_a_load_use_unload_cycle_emits_each_transition_with_bytes() -> None:
    probe = FakeProbe()
    manager, recorder = make_manager(probe, FakeModelScript("got", "gpu", 2 * GIB))

    with manager.acquire("got"):
        pass
    manager.unload("got")

    assert recorder.states("got") == ["loading", "ready", "busy", "ready", "unloading", "unloaded"]
    changes = [e for e in recorder.events if isinstance(e, ModelStateChanged)]
    assert [e.previous for e in changes][:2] == ["unloaded", "loading"]
    assert changes[1].bytes == 2 * GIB and changes[-1].bytes == 0


# --- acquire, pins, one load at a time -------------------------------------------------------


def test_a_load_without_a_page_leaves_the_model_ready_and_never_busy() -> None:
    """The Load button, eager loading and the dispatcher's load ahead: the events show a load,
    not a page read; with keep-alive 0 the model stays until it is used once."""
    script = FakeModelScript("got", "gpu", 2 * GIB)
    manager, recorder = make_manager(FakeProbe(), script, keep_alive_s=0)

    manager.load("got")
    manager.load("got")  # resident already: nothing happens

    assert recorder.states("got") == ["loading", "ready"]
    assert script.loads == 1 and state(manager, "got") is ModelState.READY
    manager.acquire("got").release()  # used: keep-alive 0 unloads it after the use
    assert recorder.states("got")[2:] == ["busy", "ready", "unloading", "unloaded"]
    assert script.loads == 1

    script.fail_load = "weights missing"
    with pytest.raises(ModelLoadError, match="weights missing"):
        manager.load("got")
    assert state(manager, "got") is ModelState.FAILED


def test_eight_threads_asking_for_one_model_load_it_once() -> None:
    probe = FakeProbe()
    script = FakeModelScript("got", "gpu", 2 * GIB, load_delay=0.2)
    manager, _ = make_manager(probe, script)
    leases = []
    start = threading.Barrier(8)

    def worker() -> None:
        start.wait()
        leases.append(manager.acquire("got"))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert script.loads == 1
    assert manager.info("got").users == 8
    assert state(manager, "got") is ModelState.BUSY
    for lease in leases:
        lease.release()
    assert state(manager, "got") is ModelState.READY


def test_only_one_load_runs_at_a_time() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def during_load() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.05)
        with lock:
            running -= 1

    scripts = [FakeModelScript(f"m{n}", "cpu", GIB, during_load=during_load) for n in range(3)]
    manager, _ = make_manager(FakeProbe(), *scripts)
    threads = [
        threading.Thread(target=lambda n=script.name: manager.acquire(n).release())
        for script in scripts
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert most == 1
    assert all(state(manager, script.name) is ModelState.READY for script in scripts)


def test_a_failed_load_is_shared_by_everyone_who_waited_for_it() -> None:
    probe = FakeProbe()
    script = FakeModelScript("got", "gpu", GIB, fail_load="weights are damaged", load_delay=0.1)
    manager, _ = make_manager(probe, script)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            manager.acquire("got")
        except ModelLoadError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert script.attempts == 1
    assert len(errors) == 4
    assert all("weights are damaged" in str(e) for e in errors)
    assert state(manager, "got") is ModelState.FAILED
    script.fail_load = ""
    manager.acquire("got").release()  # a later request tries again
    assert state(manager, "got") is ModelState.READY


# --- unloading a model in use ----------------------------------------------------------------


def test_a_pinned_model_is_not_unloaded_the_request_is_refused_with_a_reason() -> None:
    manager, _ = make_manager(FakeProbe(), FakeModelScript("got", "gpu", GIB))
    lease = manager.acquire("got")

    with pytest.raises(ModelBusy, match="in use by 1 page"):
        manager.unload("got")

    assert state(manager, "got") is ModelState.BUSY
    lease.release()


def test_an_unload_that_waits_happens_when_the_page_is_done() -> None:
    probe = FakeProbe()
    recorder = Recorder()
    manager = ModelManager(ManagerPolicy(), probe, recorder)  # real clock: it really waits
    register_fakes(manager, probe, FakeModelScript("got", "gpu", GIB))
    lease = manager.acquire("got")
    releaser = threading.Timer(0.1, lease.release)
    releaser.start()

    assert manager.unload("got", wait_s=5.0) is True

    releaser.join()
    assert state(manager, "got") is ModelState.UNLOADED
    assert recorder.states("got")[-3:] == ["ready", "unloading", "unloaded"]


# --- budgets and eviction --------------------------------------------------------------------


def test_idle_models_are_evicted_least_recently_used_first_until_the_new_one_fits() -> None:
    probe = FakeProbe(vram_total=10 * GIB)
    clock = FakeClock()
    a, b, c = (FakeModelScript(n, "gpu", 4 * GIB) for n in "abc")
    manager, _ = make_manager(probe, a, b, c, clock=clock, single_gpu_model=False)
    manager.acquire("a").release()
    clock.now += 1
    manager.acquire("b").release()
    clock.now += 1
    manager.acquire("a").release()  # a is now the most recently used

    manager.acquire("c").release()

    assert state(manager, "b") is ModelState.UNLOADED
    assert state(manager, "a") is ModelState.READY
    assert probe.used("gpu") == 8 * GIB


def test_a_model_that_cannot_fit_beside_pinned_ones_says_need_and_have() -> None:
    probe = FakeProbe(vram_total=10 * GIB)
    a, b = FakeModelScript("a", "gpu", 6 * GIB), FakeModelScript("b", "gpu", 4 * GIB)
    manager, _ = make_manager(probe, a, b, single_gpu_model=False)
    lease = manager.acquire("a")

    with pytest.raises(InsufficientMemory) as caught:
        manager.acquire("b")

    error = caught.value
    assert error.need == 4 * GIB
    assert error.have == 9 * GIB - 6 * GIB  # budget 0.9 x 10 GiB, minus the pinned model
    assert "needs about 4.00 GiB of GPU memory, but only 3.00 GiB" in error.message
    assert state(manager, "a") is ModelState.BUSY  # the pinned model was not touched
    assert state(manager, "b") is ModelState.UNLOADED  # no room is not a broken model
    lease.release()


def test_an_absolute_budget_overrides_the_share() -> None:
    probe = FakeProbe(vram_total=24 * GIB)
    manager, _ = make_manager(probe, FakeModelScript("big", "gpu", 8 * GIB), vram_budget=6 * GIB)

    with pytest.raises(InsufficientMemory, match="budget 6144 MiB"):
        manager.acquire("big")


def test_memory_used_by_other_programs_counts() -> None:
    probe = FakeProbe(vram_total=10 * GIB, vram_base=7 * GIB)  # a game holds 7 GiB
    manager, _ = make_manager(probe, FakeModelScript("got", "gpu", 4 * GIB))

    with pytest.raises(InsufficientMemory, match="free on the device 3072 MiB"):
        manager.acquire("got")


def test_one_gpu_model_at_a_time_by_default() -> None:
    probe = FakeProbe(vram_total=80 * GIB, vram_base=GIB)  # the CUDA contexts
    manager, _ = make_manager(
        probe, FakeModelScript("got", "gpu", GIB), FakeModelScript("qwen", "gpu", GIB)
    )
    manager.acquire("got").release()

    with manager.acquire("qwen"):
        assert state(manager, "got") is ModelState.UNLOADED
        with pytest.raises(InsufficientMemory, match="one GPU model at a time"):
            manager.acquire("got")


def test_as_many_gpu_models_as_fit_when_allowed() -> None:
    probe = FakeProbe(vram_total=80 * GIB, vram_base=GIB)  # the CUDA contexts
    manager, _ = make_manager(
        probe,
        FakeModelScript("got", "gpu", GIB),
        FakeModelScript("qwen", "gpu", GIB),
        single_gpu_model=False,
    )
    manager.acquire("got").release()
    manager.acquire("qwen").release()

    assert state(manager, "got") is ModelState.READY
    assert state(manager, "qwen") is ModelState.READY


def test_maximum_resident_models() -> None:
    scripts = [FakeModelScript(f"m{n}", "cpu", GIB) for n in range(3)]
    manager, _ = make_manager(FakeProbe(), *scripts, max_resident_models=2)
    manager.acquire("m0").release()
    manager.acquire("m1").release()

    manager.acquire("m2").release()

    assert [state(manager, f"m{n}").value for n in range(3)] == ["unloaded", "ready", "ready"]


def test_the_measured_footprint_replaces_the_estimate() -> None:
    probe = FakeProbe(vram_total=10 * GIB)
    script = FakeModelScript("got", "gpu", size=3 * GIB, estimate=GIB)
    measured: list[tuple[str, int]] = []
    manager, recorder = make_manager(probe, script)
    manager._on_measured = lambda name, size: measured.append((name, size))

    manager.acquire("got").release()

    info = manager.info("got")
    assert info.estimated_bytes == GIB
    assert info.measured_bytes == 3 * GIB
    assert measured == [("got", 3 * GIB)]
    ready = [e for e in recorder.events if isinstance(e, ModelStateChanged) and e.state == "ready"]
    assert ready[0].bytes == 3 * GIB


# --- out of memory ---------------------------------------------------------------------------


def test_oom_on_the_first_load_evicts_idle_models_and_retries_exactly_once() -> None:
    probe = FakeProbe(vram_total=80 * GIB, vram_base=GIB)  # the CUDA contexts
    idle = FakeModelScript("idle", "gpu", GIB)
    got = FakeModelScript("got", "gpu", GIB, oom_loads=1)
    manager, recorder = make_manager(probe, idle, got, single_gpu_model=False)
    manager.acquire("idle").release()

    manager.acquire("got").release()

    assert got.attempts == 2 and got.loads == 1
    assert state(manager, "idle") is ModelState.UNLOADED
    assert probe.empty_cache_calls >= 1
    assert recorder.states("got")[:2] == ["loading", "ready"]  # one LOADING across both tries


def test_oom_twice_gives_up_with_a_typed_error() -> None:
    probe = FakeProbe()
    got = FakeModelScript("got", "gpu", GIB, oom_loads=2)
    manager, _ = make_manager(probe, got)

    with pytest.raises(OutOfMemory, match="ran out of memory during loading"):
        manager.acquire("got")

    assert got.attempts == 2
    assert state(manager, "got") is ModelState.FAILED
    assert manager.info("got").error is not None


def test_torchs_own_cuda_oom_is_recognised_by_its_type() -> None:
    torch = pytest.importorskip("torch")
    assert is_out_of_memory(torch.cuda.OutOfMemoryError("CUDA out of memory"))
    assert not is_out_of_memory(RuntimeError("CUDA out of memory"))  # no string matching


# --- unloading: memory coming back, leaks ----------------------------------------------------


def test_slow_vram_recovery_is_waited_for_within_the_bound() -> None:
    probe = FakeProbe(vram_total=24 * GIB)
    probe.recovery_lag = 5
    clock = FakeClock()
    manager, _ = make_manager(probe, FakeModelScript("got", "gpu", 8 * GIB), clock=clock)
    manager.acquire("got").release()
    started = clock.now

    manager.unload("got")

    waited = clock.now - started
    assert 0 < waited < manager.policy.recovery_timeout_s
    assert probe.used("gpu") == 0


def test_an_unload_waits_for_the_weights_not_for_a_pages_activations(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A VLM's estimate holds a full page's activations beside its weights; only the weights
    # are held when it is unloaded (on an H200 every unload waited out the 5 s bound).
    probe = FakeProbe(vram_total=80 * GIB, vram_base=GIB)  # the CUDA contexts
    clock = FakeClock()
    got = FakeModelScript("got", "gpu", 8 * GIB, activations=6 * GIB)
    manager, _ = make_manager(probe, got, clock=clock)
    manager.acquire("got").release()
    started = clock.now

    with caplog.at_level(logging.WARNING):
        manager.unload("got")

    assert clock.now - started < 0.5
    assert "did not come back" not in caplog.text


def test_vram_that_never_comes_back_is_given_up_on_after_the_bound(
    caplog: pytest.LogCaptureFixture,
) -> None:
    probe = FakeProbe(vram_total=24 * GIB)
    probe.recovery_lag = 10**9
    clock = FakeClock()
    manager, _ = make_manager(
        probe, FakeModelScript("got", "gpu", 8 * GIB), clock=clock, recovery_timeout_s=2.0
    )
    manager.acquire("got").release()
    started = clock.now

    with caplog.at_level(logging.WARNING):
        manager.unload("got")

    assert 2.0 <= clock.now - started < 2.2
    assert "did not come back within 2.0 s" in caplog.text
    assert state(manager, "got") is ModelState.UNLOADED


def test_a_deliberate_leak_is_reported_with_the_models_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    script = FakeModelScript("got", "gpu", GIB, leak=True)
    manager, recorder = make_manager(FakeProbe(), script)
    manager.acquire("got").release()

    with caplog.at_level(logging.WARNING):
        manager.unload("got")

    leaks = [e for e in recorder.events if isinstance(e, ModelLeaked)]
    assert [(e.model, e.objects) for e in leaks] == [("got", ("FakeModel", "Weights"))]
    assert "Leak: got is unloaded" in caplog.text


def test_a_clean_unload_reports_no_leak_even_with_an_old_lease_kept() -> None:
    manager, recorder = make_manager(FakeProbe(), FakeModelScript("got", "gpu", GIB))
    lease = manager.acquire("got")
    lease.release()

    manager.unload("got")

    assert not [e for e in recorder.events if isinstance(e, ModelLeaked)]
    with pytest.raises(RuntimeError, match="released"):
        _ = lease.backend


def test_a_close_before_the_process_ends_closes_every_model_without_giving_memory_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A command's end: each backend is closed (a model's processes stop), but nothing is
    collected, trimmed or checked for leaks, which the process's end does for it."""
    probe = FakeProbe()
    leaky = FakeModelScript("leaky", "cpu", GIB, leak=True)
    manager, recorder = make_manager(probe, FakeModelScript("got", "gpu", GIB), leaky)
    manager.load("got")
    manager.load("leaky")
    collections: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(1) or 0)
    trims = probe.empty_cache_calls

    manager.close(ending=True)

    assert {state(manager, name) for name in ("got", "leaky")} == {ModelState.UNLOADED}
    assert probe.held == {}  # each backend closed
    assert collections == [] and probe.empty_cache_calls == trims
    assert not [e for e in recorder.events if isinstance(e, ModelLeaked)]


# --- keep-alive ------------------------------------------------------------------------------


def test_an_idle_model_unloads_after_the_keep_alive_time() -> None:
    clock = FakeClock()
    manager, _ = make_manager(
        FakeProbe(), FakeModelScript("got", "gpu", GIB), clock=clock, keep_alive_s=300
    )
    manager.acquire("got").release()

    clock.now += 299
    assert manager.expire_idle() == []
    clock.now += 2
    assert manager.expire_idle() == ["got"]
    assert state(manager, "got") is ModelState.UNLOADED


def test_a_model_in_use_never_expires() -> None:
    clock = FakeClock()
    manager, _ = make_manager(
        FakeProbe(), FakeModelScript("got", "gpu", GIB), clock=clock, keep_alive_s=10
    )
    lease = manager.acquire("got")
    clock.now += 1000

    assert manager.expire_idle() == []
    lease.release()


def test_keep_alive_minus_one_keeps_the_model() -> None:
    clock = FakeClock()
    manager, _ = make_manager(
        FakeProbe(), FakeModelScript("got", "gpu", GIB), clock=clock, keep_alive_s=-1
    )
    manager.acquire("got").release()
    clock.now += 10**6

    assert manager.expire_idle() == []


def test_keep_alive_zero_unloads_after_use_but_not_between_the_pages_of_a_batch() -> None:
    script = FakeModelScript("got", "gpu", GIB)
    manager, _ = make_manager(FakeProbe(), script, keep_alive_s=0)

    with manager.batch():
        manager.acquire("got").release()
        assert state(manager, "got") is ModelState.READY
        manager.acquire("got").release()
    assert state(manager, "got") is ModelState.UNLOADED
    assert script.loads == 1

    manager.acquire("got").release()  # outside a batch: after use
    assert state(manager, "got") is ModelState.UNLOADED


def test_the_keep_alive_thread_unloads_by_itself() -> None:
    recorder = Recorder()
    unloaded = threading.Event()

    def listen(event: Event) -> None:
        recorder(event)
        if isinstance(event, ModelStateChanged) and event.state == "unloaded":
            unloaded.set()

    probe = FakeProbe()
    manager = ModelManager(ManagerPolicy(keep_alive_s=0.2), probe, listen)
    register_fakes(manager, probe, FakeModelScript("got", "gpu", GIB))
    manager.start()
    try:
        manager.acquire("got").release()
        assert unloaded.wait(5.0)
    finally:
        manager.close()


# --- eager loading and pressure --------------------------------------------------------------


def test_eager_loading_loads_in_the_background() -> None:
    probe = FakeProbe()
    script = FakeModelScript("got", "gpu", GIB, load_delay=0.3)
    ready = threading.Event()

    def listen(event: Event) -> None:
        if isinstance(event, ModelStateChanged) and event.state == "ready":
            ready.set()

    manager = ModelManager(ManagerPolicy(lazy_loading=False), probe, listen)
    register_fakes(manager, probe, script)
    manager.start(preload=["got"])
    try:
        assert script.loads == 0  # start() returned before the load finished
        assert ready.wait(5.0)
        assert script.loads == 1
    finally:
        manager.close()


def test_warning_pressure_clears_caches_and_critical_unloads_idle_gpu_models() -> None:
    probe = FakeProbe()
    manager, _ = make_manager(
        probe,
        FakeModelScript("got", "gpu", GIB),
        FakeModelScript("cpu_engine", "cpu", GIB),
        single_gpu_model=False,
    )
    manager.acquire("got").release()
    manager.acquire("cpu_engine").release()
    cleared = probe.empty_cache_calls  # loads clear them too

    manager.observe(Pressure.WARNING)
    assert probe.empty_cache_calls == cleared + 1
    assert state(manager, "got") is ModelState.READY

    manager.observe(Pressure.CRITICAL)
    assert state(manager, "got") is ModelState.UNLOADED
    assert state(manager, "cpu_engine") is ModelState.READY
    assert manager.pressure is Pressure.CRITICAL
