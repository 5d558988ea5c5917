"""Engine threads run behind the window: a lowered thread, and the threads it starts, are nicer."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from ablage_desktop.engine.run.priority import ENGINE_NICENESS, at_low_priority, lower_this_thread

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice is Linux's")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@linux_only
def test_a_lowered_thread_and_its_children_are_nicer_and_the_caller_is_not() -> None:
    mine = _nice()
    seen: dict[str, int] = {}

    def engine_work() -> None:
        assert lower_this_thread()
        seen["lowered"] = _nice()
        child = threading.Thread(target=lambda: seen.setdefault("child", _nice()))
        child.start()
        child.join()

    thread = threading.Thread(target=engine_work)
    thread.start()
    thread.join()

    assert seen["lowered"] == min(19, mine + ENGINE_NICENESS)
    assert seen["child"] == seen["lowered"]  # a pool started from there is lowered too
    assert _nice() == mine


@linux_only
def test_at_low_priority_returns_the_result_or_raises_and_leaves_the_caller_as_it_was() -> None:
    mine = _nice()
    assert at_low_priority(_nice) == min(19, mine + ENGINE_NICENESS)
    with pytest.raises(ValueError, match="no model"):
        at_low_priority(lambda: (_ for _ in ()).throw(ValueError("no model")))
    assert _nice() == mine
