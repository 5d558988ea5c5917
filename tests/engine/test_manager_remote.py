"""The manager's rules for remote models (inference servers): no local memory, never evicted
or expired, kept between pages, let go when the server goes away, and a visible queue."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fakes import GIB, FakeClock, FakeModelScript, FakeProbe, register_fakes
from PIL import Image

from ablage_desktop.engine.errors import RemoteUnreachable
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.state import ModelState

PAGE = PageImage(Path("a.png"), 0, Image.new("L", (8, 8), 255), None)


def manager_with(probe: FakeProbe, *scripts: FakeModelScript, **policy: object) -> ModelManager:
    clock = FakeClock()
    manager = ModelManager(
        ManagerPolicy(**policy),  # type: ignore[arg-type]
        probe,
        clock=clock,
        sleep=clock.sleep,
    )
    register_fakes(manager, probe, *scripts)
    return manager


def server() -> FakeModelScript:
    return FakeModelScript("office", "remote", 0)


def test_a_server_is_resident_beside_local_models_without_counting_against_the_limits() -> None:
    probe = FakeProbe(ram_total=4 * GIB)
    big = FakeModelScript("big", "cpu", 2 * GIB)
    manager = manager_with(probe, big, server(), max_resident_models=1, ram_budget=2 * GIB)
    manager.acquire("office").release()
    manager.acquire("big").release()  # fits: the server neither counts nor takes memory
    assert manager.info("office").state is ModelState.READY
    assert manager.info("big").state is ModelState.READY
    assert manager.cannot_fit("office") is None
    assert manager.info("office").measured_bytes is None


def test_a_server_is_never_evicted_expired_or_unloaded_after_use() -> None:
    probe = FakeProbe(ram_total=4 * GIB)
    first = FakeModelScript("first", "cpu", 2 * GIB)
    second = FakeModelScript("second", "cpu", 2 * GIB)
    manager = manager_with(probe, first, second, server(), ram_budget=2 * GIB, keep_alive_s=0)
    with manager.batch():
        manager.acquire("office").release()
        manager.acquire("first").release()
        manager.acquire("second").release()  # evicts first, not the server
    assert manager.info("first").state is ModelState.UNLOADED
    assert manager.info("office").state is ModelState.READY  # keep-alive 0 is for memory
    assert manager.expire_idle() == []
    assert manager.unload("office")  # "unload": just stop using it
    assert manager.info("office").state is ModelState.UNLOADED


def test_a_server_that_went_away_is_let_go_once_its_pages_are_done() -> None:
    probe = FakeProbe()
    gone = RemoteUnreachable("office", "http://gpu:8000/v1", "connection refused")
    gone.server_down = True
    script = server()
    script.page_errors = [gone]
    manager = manager_with(probe, script)
    lease = manager.acquire("office")
    other = manager.acquire("office")
    with pytest.raises(RemoteUnreachable):
        lease.recognize(PAGE)
    lease.release()
    assert manager.info("office").state is ModelState.BUSY  # another page still uses it
    other.release()
    info = manager.info("office")
    assert info.state is ModelState.UNLOADED
    assert info.error is not None and "connection refused" in info.error.message
    manager.acquire("office").release()  # the next use checks the server again
    assert script.loads == 2 and manager.info("office").error is None


def test_pages_in_flight_and_waiting_are_counted() -> None:
    probe = FakeProbe()
    manager = manager_with(probe, server())
    entered, leave = threading.Event(), threading.Event()

    class Slow:
        concurrency = 1

        def recognize(self, page: PageImage, cancel: object = None) -> object:
            entered.set()
            leave.wait(5)
            return "done"

    lease = manager.acquire("office")
    lease._backend = Slow()  # type: ignore[assignment]
    lease._record.backend = lease._backend  # type: ignore[assignment]
    threads = [threading.Thread(target=lease.recognize, args=(PAGE,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    entered.wait(5)
    for _ in range(200):
        info = manager.info("office")
        if info.queued == 1:
            break
        threading.Event().wait(0.01)
    assert (info.in_flight, info.queued) == (1, 1)
    leave.set()
    for thread in threads:
        thread.join(5)
    info = manager.info("office")
    assert (info.in_flight, info.queued) == (0, 0) and info.page_seconds is not None
    lease.release()
