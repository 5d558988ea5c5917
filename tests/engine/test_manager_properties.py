"""Random sequences of acquire / release / unload / OOM / time passing against a scripted machine.

Whatever the order: the budget is never exceeded, a pinned model is never unloaded, and every
state change is one the transition table allows.
"""

from __future__ import annotations

from fakes import GIB, FakeClock, FakeModelScript, FakeProbe, register_fakes
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from ablage_desktop.engine.errors import (
    InsufficientMemory,
    ModelBusy,
    ModelLoadError,
    OutOfMemory,
)
from ablage_desktop.engine.events import Event, ModelStateChanged
from ablage_desktop.engine.models.manager import Lease, ManagerPolicy, ModelManager
from ablage_desktop.engine.models.state import TRANSITIONS, ModelState

VRAM_TOTAL = 16 * GIB
RAM_TOTAL = 8 * GIB
MODELS = {
    "got": ("gpu", 5 * GIB),
    "qwen": ("gpu", 7 * GIB),
    "janus": ("gpu", 6 * GIB),
    "huge": ("gpu", 20 * GIB),
    "rapid": ("cpu", 2 * GIB),
    "tess": ("cpu", 1 * GIB),
}
NAMES = st.sampled_from(sorted(MODELS))


class ManagerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.probe = FakeProbe(ram_total=RAM_TOTAL, vram_total=VRAM_TOTAL, ram_base=GIB)
        self.clock = FakeClock()
        self.events: list[Event] = []
        self.pins: dict[str, int] = dict.fromkeys(MODELS, 0)
        self.violations: list[str] = []
        self.scripts = {
            name: FakeModelScript(name, device, size) for name, (device, size) in MODELS.items()
        }
        self.manager = ModelManager(
            ManagerPolicy(single_gpu_model=False, keep_alive_s=60, max_resident_models=4),
            self.probe,
            self.record,
            clock=self.clock,
            sleep=self.clock.sleep,
        )
        register_fakes(self.manager, self.probe, *self.scripts.values())
        self.leases: list[Lease] = []

    def record(self, event: Event) -> None:
        self.events.append(event)
        if isinstance(event, ModelStateChanged):
            if ModelState(event.state) not in TRANSITIONS[ModelState(event.previous)]:
                self.violations.append(f"illegal {event.previous} -> {event.state}")
            if event.state == "unloading" and self.pins[event.model]:
                self.violations.append(f"{event.model} unloaded while pinned")

    @rule(name=NAMES)
    def acquire(self, name: str) -> None:
        try:
            lease = self.manager.acquire(name)
        except (InsufficientMemory, OutOfMemory, ModelLoadError):
            return  # does not fit, or a scripted OOM: refusing is allowed, breaking rules is not
        self.pins[name] += 1
        self.leases.append(lease)

    @precondition(lambda self: self.leases)
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        lease = self.leases.pop(data.draw(st.integers(0, len(self.leases) - 1)))
        self.pins[lease.name] -= 1
        lease.release()

    @rule(name=NAMES)
    def unload(self, name: str) -> None:
        try:
            self.manager.unload(name)
        except ModelBusy:
            assert self.pins[name] > 0

    @rule(name=NAMES, times=st.integers(1, 2))
    def out_of_memory_on_next_loads(self, name: str, times: int) -> None:
        self.scripts[name].oom_loads = times

    @rule(seconds=st.floats(0, 120))
    def time_passes(self, seconds: float) -> None:
        self.clock.now += seconds
        self.manager.expire_idle()

    @invariant()
    def budget_is_never_exceeded(self) -> None:
        assert self.probe.used("gpu") <= 0.9 * VRAM_TOTAL
        assert self.probe.used("cpu") - GIB <= 0.8 * RAM_TOTAL

    @invariant()
    def pinned_models_are_busy_and_rules_hold(self) -> None:
        assert not self.violations, self.violations
        for name, pins in self.pins.items():
            info = self.manager.info(name)
            assert info.users == pins
            if pins:
                assert info.state is ModelState.BUSY

    @invariant()
    def at_most_the_allowed_number_is_resident(self) -> None:
        resident = [i for i in self.manager.infos() if i.state.resident]
        assert len(resident) <= 4

    def teardown(self) -> None:
        for lease in self.leases:
            lease.release()
        self.manager.close()


ManagerMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
TestManagerProperties = ManagerMachine.TestCase
