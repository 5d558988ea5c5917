"""The app's descendant processes found from /proc's children lists, not a scan of all."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from ablage_desktop.engine.memory import probe as probe_module
from ablage_desktop.engine.memory.descendants import descendants, resident_bytes
from ablage_desktop.engine.memory.probe import SystemProbe

HAS_CHILDREN_LISTS = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()
needs_children_lists = pytest.mark.skipif(
    not HAS_CHILDREN_LISTS,
    reason="this kernel does not list children in /proc (no CONFIG_PROC_CHILDREN)",
)

# A child that starts a grandchild holding 64 MiB, and waits; both end with its stdin.
TREE = (
    "import subprocess, sys;"
    "g = subprocess.Popen([sys.executable, '-c',"
    " 'import sys; x = bytearray(64 << 20); print(flush=True); sys.stdin.read()'],"
    " stdin=subprocess.PIPE, stdout=subprocess.PIPE);"
    "g.stdout.readline(); print(g.pid, flush=True); sys.stdin.read(); g.communicate(b'')"
)


@pytest.fixture
def tree():
    child = subprocess.Popen(
        [sys.executable, "-c", TREE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    grandchild = int(child.stdout.readline())
    yield child.pid, grandchild
    child.communicate("")


@needs_children_lists
def test_children_and_their_children_are_found_as_psutil_finds_them(tree) -> None:
    child, grandchild = tree

    found = descendants(os.getpid())

    assert found is not None
    assert {child, grandchild} <= set(found)
    assert sorted(found) == sorted(p.pid for p in psutil.Process().children(recursive=True))
    assert descendants(grandchild) == []


@needs_children_lists
def test_the_resident_size_is_read_as_psutil_reads_it(tree) -> None:
    _, grandchild = tree

    rss = resident_bytes(grandchild)

    assert rss >= 64 << 20
    assert abs(rss - psutil.Process(grandchild).memory_info().rss) < 4 << 20


def test_a_process_that_ended_holds_nothing() -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()

    assert resident_bytes(ended.pid) == 0


def test_a_fake_tree_is_walked_through_every_thread(tmp_path: Path) -> None:
    """A child is listed under the thread that started it; one that ended meanwhile has no
    directory and adds no more."""
    lists = {
        (100, 100): "101 ",
        (100, 107): "102 104",  # a second thread of the app started these
        (101, 101): "103",
        (102, 102): "",
        (103, 103): "",
    }  # 104 is listed but has ended: no directory
    for (pid, tid), text in lists.items():
        task = tmp_path / str(pid) / "task" / str(tid)
        task.mkdir(parents=True)
        (task / "children").write_text(text)

    assert sorted(descendants(100, tmp_path) or []) == [101, 102, 103, 104]
    assert resident_bytes(104, tmp_path) == 0


def test_without_children_lists_the_caller_is_told_to_scan(tmp_path: Path) -> None:
    (tmp_path / "100" / "task" / "100").mkdir(parents=True)
    (tmp_path / "100" / "task" / "107").mkdir()
    (tmp_path / "100" / "task" / "107" / "children").write_text("")  # not the main thread's

    assert descendants(100, tmp_path) is None
    assert descendants(999, tmp_path) is None  # no such process


def test_the_probe_falls_back_to_psutil_where_the_kernel_lists_no_children(
    tree, monkeypatch
) -> None:
    probe = SystemProbe()
    listed = probe.snapshot().workers_rss
    monkeypatch.setattr(probe_module, "descendants", lambda pid: None)
    deadline = time.monotonic() + 10
    scanned = probe.snapshot().workers_rss
    while scanned is not None and scanned < 64 << 20 and time.monotonic() < deadline:
        scanned = probe.snapshot().workers_rss

    assert listed is not None and scanned is not None
    assert scanned >= 64 << 20
    if HAS_CHILDREN_LISTS:
        assert abs(scanned - listed) < 8 << 20
