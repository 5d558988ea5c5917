"""Why the GUI thread stutters: its long calls, its waits for a core, its waits for the GIL.

``ui_latency.py --profile`` uses this to explain each long gap between its timer ticks. Three
sources, each cheap enough to leave the figures close to an unprofiled run:

calls
    ``sys.setprofile`` on the GUI thread only (the engine threads run unprofiled) times every
    Python call and every builtin/Qt call it makes; a call over the threshold is kept with its
    stack. Slots and event handlers that Qt calls appear as calls at the bottom of a stack. The
    innermost long calls (no long call inside them) are the causes.
the GUI thread's clock
    At each tick the GUI thread reads ``/proc/thread-self/schedstat``: the time it ran on a
    core and the time it waited in the kernel's run queue. What is left of a gap is time it
    slept: the idle wait for the next tick, or waiting for the GIL (or another lock).
the GIL probe
    A Python thread sleeps 5 ms at a time and notes how late it wakes, less its own run-queue
    wait: that is how long it waited for the GIL. On each wake it also samples the GUI thread's
    stack and every Python thread's CPU clock, so a gap shows which threads ran in it.
"""

from __future__ import annotations

import collections
import itertools
import statistics
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

_EVENT_LOOPS = ("QEventLoop.exec", "QCoreApplication.exec", "QApplication.exec")
"""The benchmark's own waits: one long call each, around everything else."""

PROBE_S = 0.005
"""The GIL probe's sleep."""


def schedstat() -> tuple[float, float]:
    """This thread's (seconds on a core, seconds waiting in the run queue) so far."""
    try:
        fields = Path("/proc/thread-self/schedstat").read_text().split()
        return int(fields[0]) / 1e9, int(fields[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return time.thread_time(), 0.0


_CODE_NAMES: dict[Any, str] = {}


def _code_name(code: Any) -> str:
    """``module.qualname``; the app's own modules by their path in the package, with a ``~``."""
    name = _CODE_NAMES.get(code)
    if name is None:
        path = code.co_filename.replace("\\", "/")
        module = path.rsplit("/", 1)[-1].removesuffix(".py")
        if "/ablage_desktop/" in path:
            module = "~" + path.rsplit("/ablage_desktop/", 1)[1].removesuffix(".py")
        name = f"{module}.{getattr(code, 'co_qualname', code.co_name)}"
        _CODE_NAMES[code] = name
    return name


def _frame_name(frame: FrameType) -> str:
    return f"{_code_name(frame.f_code)}:{frame.f_lineno}"


def _builtin_name(function: Any) -> str:
    owner = getattr(function, "__self__", None)
    qualname = getattr(function, "__qualname__", None) or getattr(function, "__name__", "?")
    if owner is not None and "." not in qualname and not isinstance(owner, type(sys)):
        qualname = f"{type(owner).__name__}.{qualname}"
    return f"[C] {qualname}"


@dataclass
class LongCall:
    """One call on the GUI thread that took at least the threshold."""

    start: float
    end: float
    stack: tuple[str, ...]  # outermost first; the last is the call itself
    innermost: bool  # no long call inside it: this one is a cause, not a container

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


@dataclass
class _Open:
    name: str
    start: float
    long_child: bool = False


@dataclass
class Sample:
    """One wake of the GIL probe."""

    at: float
    gil_wait: float  # seconds late, less the run-queue wait
    gui_stack: tuple[str, ...]
    cpu: dict[str, float]  # Python thread name -> its CPU clock (s)
    holder: tuple[str, tuple[str, ...]] | None = None  # a long wait: who ran, where it is now


@dataclass
class Tick:
    at: float
    cpu: float
    runqueue: float


@dataclass
class GuiProfiler:
    """Attach on the GUI thread with ``start()``; call ``tick()`` from the tick's slot."""

    threshold_s: float = 0.016
    calls: list[LongCall] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    _stack: list[_Open] = field(default_factory=list)
    _gui_ident: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _probe: threading.Thread | None = None

    def start(self) -> None:
        self._gui_ident = threading.get_ident()
        sys.setprofile(self._trace)
        self._probe = threading.Thread(target=self._run_probe, name="gil-probe", daemon=True)
        self._probe.start()

    def stop(self) -> None:
        sys.setprofile(None)
        self._stop.set()
        if self._probe is not None:
            self._probe.join(1.0)

    def label(self, name: str) -> None:
        """Rename the innermost open call (``notify`` names the event it delivers)."""
        if self._stack:
            self._stack[-1].name = name

    def tick(self, at: float) -> None:
        cpu, runqueue = schedstat()
        self.ticks.append(Tick(at, cpu, runqueue))

    # --- the GUI thread's calls ----------------------------------------------------------

    def _trace(self, frame: FrameType, event: str, arg: Any) -> None:
        now = time.perf_counter()
        if event == "call":
            self._stack.append(_Open(_code_name(frame.f_code), now))
        elif event == "c_call":
            self._stack.append(_Open(_builtin_name(arg), now))
        elif event in ("return", "c_return", "c_exception"):
            if not self._stack:
                return  # a frame that was open before the profile started
            done = self._stack.pop()
            if now - done.start >= self.threshold_s:
                stack = (*(o.name for o in self._stack), done.name)
                self.calls.append(LongCall(done.start, now, stack, not done.long_child))
                if self._stack:
                    self._stack[-1].long_child = True

    # --- the GIL probe -------------------------------------------------------------------

    def _run_probe(self) -> None:
        _, waited = schedstat()
        while not self._stop.is_set():
            before = time.perf_counter()
            time.sleep(PROBE_S)
            now = time.perf_counter()
            _, runqueue = schedstat()
            late = now - before - PROBE_S
            gil_wait = max(0.0, late - (runqueue - waited))
            waited = runqueue
            frames = sys._current_frames()
            gui = frames.get(self._gui_ident)
            cpu = {}
            for thread in threading.enumerate():
                if thread.ident is None or thread.name == "gil-probe":
                    continue
                try:
                    clock = time.pthread_getcpuclockid(thread.ident)
                    cpu[thread.name] = time.clock_gettime(clock)
                except (OSError, AttributeError):
                    continue
            sample = Sample(now, gil_wait, _stack_of(gui), cpu)
            if gil_wait >= self.threshold_s and self.samples:
                sample.holder = self._holder(self.samples[-1], sample, frames)
            self.samples.append(sample)

    def _holder(
        self, before: Sample, now: Sample, frames: dict[int, FrameType]
    ) -> tuple[str, tuple[str, ...]] | None:
        """The thread that ran most of a long GIL wait, and its stack just after it let go.

        A C call that keeps the GIL is not interrupted by the switch interval; the holder lets
        go when it returns to Python, so its stack now shows the line that made that call."""
        used = {name: now.cpu[name] - before.cpu.get(name, 0.0) for name in now.cpu}
        name = max(used, key=lambda n: used[n], default=None)
        if name is None or used[name] < 0.5 * now.gil_wait:
            return None
        for thread in threading.enumerate():
            if thread.name == name and thread.ident in frames:
                return name, _stack_of(frames[thread.ident])
        return None

    # --- the report ----------------------------------------------------------------------

    def report(self, ticks: Sequence[float], origin: float, top: int = 12) -> list[str]:
        """Lines explaining the gaps between ``ticks`` (perf_counter seconds)."""
        lines: list[str] = []
        lines += self._causes(top)
        lines += self._gil_summary()
        lines += self._holders(top)
        lines += self._gaps(ticks, origin, top)
        return lines

    def _causes(self, top: int) -> list[str]:
        causes: dict[tuple[str, ...], list[float]] = collections.defaultdict(list)
        for call in self.calls:
            if call.innermost and not call.stack[-1].endswith(_EVENT_LOOPS):
                causes[_short(call.stack)].append(call.ms)
        ordered = sorted(causes.items(), key=lambda item: -sum(item[1]))
        lines = [
            f"profile: GUI-thread calls >= {self.threshold_s * 1000:.0f} ms, innermost "
            f"(count, total, largest; stack outermost first):"
        ]
        for stack, durations in ordered[:top]:
            lines.append(
                f"  {len(durations):4d} x, {sum(durations):8.1f} ms, max {max(durations):6.1f} ms:"
                f" {' > '.join(stack)}"
            )
        if not ordered:
            lines.append("  none")
        return lines

    def _gil_summary(self) -> list[str]:
        waits = [s.gil_wait * 1000 for s in self.samples]
        if not waits:
            return ["profile: GIL probe: no samples"]
        ordered = sorted(waits)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
        over = sum(1 for w in waits if w >= self.threshold_s * 1000)
        return [
            f"profile: GIL probe ({len(waits)} wakes of a {PROBE_S * 1000:.0f} ms sleep): "
            f"wait for the GIL mean {statistics.fmean(waits):.2f} ms, p99 {p99:.1f} ms, "
            f"max {max(waits):.1f} ms, {over} waits >= {self.threshold_s * 1000:.0f} ms"
        ]

    def _holders(self, top: int) -> list[str]:
        held: dict[tuple[str, ...], list[float]] = collections.defaultdict(list)
        for sample in self.samples:
            if sample.holder is not None:
                name, stack = sample.holder
                held[(name, *_short(stack, 4, 2))].append(sample.gil_wait * 1000)
        ordered = sorted(held.items(), key=lambda item: -sum(item[1]))
        lines = [
            f"profile: who held the GIL through the probe's waits >= "
            f"{self.threshold_s * 1000:.0f} ms (the thread that ran; its stack once it let go):"
        ]
        for (name, *stack), waits in ordered[:top]:
            lines.append(
                f"  {len(waits):4d} x, {sum(waits):8.1f} ms, max {max(waits):6.1f} ms: "
                f"{name}: {' > '.join(stack)}"
            )
        return lines

    def _gaps(self, ticks: Sequence[float], origin: float, top: int) -> list[str]:
        by_time = {tick.at: tick for tick in self.ticks}
        gaps = []
        for a, b in itertools.pairwise(ticks):
            if b - a >= self.threshold_s and a in by_time and b in by_time:
                gaps.append((b - a, a, b))
        gaps.sort(reverse=True)
        lines = []
        # Where the time of every long gap went, summed over all of them.
        cpu = runqueue = 0.0
        for _gap, a, b in gaps:
            cpu += by_time[b].cpu - by_time[a].cpu
            runqueue += by_time[b].runqueue - by_time[a].runqueue
        total = sum(gap for gap, _, _ in gaps)
        if total:
            lines.append(
                f"profile: {len(gaps)} gaps >= {self.threshold_s * 1000:.0f} ms, "
                f"{total * 1000:.0f} ms in all: GUI thread on a core {cpu * 1000:.0f} ms "
                f"({cpu / total:.0%}), waiting for a core {runqueue * 1000:.0f} ms "
                f"({runqueue / total:.0%}), asleep (idle or waiting for the GIL) "
                f"{(total - cpu - runqueue) * 1000:.0f} ms ({(total - cpu - runqueue) / total:.0%})"
            )
        lines.append("profile: the largest gaps:")
        for gap, a, b in gaps[:top]:
            on_cpu = (by_time[b].cpu - by_time[a].cpu) * 1000
            queued = (by_time[b].runqueue - by_time[a].runqueue) * 1000
            asleep = gap * 1000 - on_cpu - queued
            lines.append(
                f"  {gap * 1000:6.1f} ms at {a - origin:7.2f} s: GUI on a core {on_cpu:5.1f} ms, "
                f"run queue {queued:5.1f} ms, asleep {asleep:5.1f} ms; "
                f"GIL probe max wait {self._max_gil(a, b):5.1f} ms; "
                f"CPU in the gap: {self._busiest(a, b)}"
            )
            for call in self._calls_in(a, b):
                lines.append(f"      call {call.ms:6.1f} ms: {' > '.join(_short(call.stack))}")
            stacks = collections.Counter(s.gui_stack for s in self._samples_in(a, b))
            for stack, count in stacks.most_common(2):
                if stack:
                    lines.append(f"      GUI stack x{count}: {' > '.join(stack[-4:])}")
        return lines

    def _samples_in(self, a: float, b: float) -> Iterator[Sample]:
        return (s for s in self.samples if a <= s.at <= b)

    def _max_gil(self, a: float, b: float) -> float:
        waits = [s.gil_wait for s in self.samples if a <= s.at <= b + 0.05]
        return max(waits, default=0.0) * 1000

    def _calls_in(self, a: float, b: float) -> list[LongCall]:
        inside = [
            c
            for c in self.calls
            if c.innermost and c.end > a and c.start < b and not c.stack[-1].endswith(_EVENT_LOOPS)
        ]
        return sorted(inside, key=lambda c: -c.ms)[:3]

    def _busiest(self, a: float, b: float) -> str:
        before = [s for s in self.samples if s.at <= a]
        after = [s for s in self.samples if s.at >= b]
        if not before or not after:
            return "-"
        first, last = before[-1], after[0]
        used = {
            name: last.cpu[name] - first.cpu.get(name, last.cpu[name])
            for name in last.cpu
            if last.cpu[name] - first.cpu.get(name, last.cpu[name]) > 0.002
        }
        window = (last.at - first.at) * 1000
        ordered = sorted(used.items(), key=lambda item: -item[1])[:3]
        return (
            ", ".join(f"{name} {seconds * 1000:.0f}" for name, seconds in ordered)
            + f" ms of {window:.0f}"
        )


def _stack_of(frame: FrameType | None) -> tuple[str, ...]:
    names = []
    while frame is not None:
        names.append(_frame_name(frame))
        frame = frame.f_back
    return tuple(reversed(names))


def _short(stack: tuple[str, ...], ours: int = 3, theirs: int = 2) -> tuple[str, ...]:
    """The innermost few of the app's frames (``~``), then the library frames under them."""
    kept = [name for name in stack if not name.startswith(("ui_latency.", "gui_profile."))]
    last_ours = max((i for i, name in enumerate(kept) if name.startswith("~")), default=-1)
    if last_ours < 0:
        return tuple(kept[-(ours + theirs) :])
    head = kept[: last_ours + 1][-ours:]
    tail = kept[last_ours + 1 :]
    if len(tail) > theirs:
        tail = [*tail[: theirs - 1], "...", tail[-1]]
    return (*head, *tail)
