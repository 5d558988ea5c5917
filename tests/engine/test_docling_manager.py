"""Docling managed like every other model: load, measured footprint, unload, memory back.

The real backend with the tiny layout model (``tiny_docling``) through the real
``ModelManager``: Docling's converter, its pipeline, the torch layout model and RapidOCR's
sessions are built on each load and must be gone after each unload.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
from born_digital import pdf_bytes, report_page
from PIL import Image

from ablage_desktop.engine.backends.docling import SPEC, DoclingOptions
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.events import Event, ModelLeaked
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.probe import SystemProbe
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.statuses import BackendStatus

NAME = "docling"
CYCLES = 10
RSS_GROWTH = 0.05
"""The process after the last cycle may be at most 5 % larger than after the first one."""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> PageImage:
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(pdf_bytes([report_page()]))
    return PageImage(path, 0, Image.new("L", (827, 1170), 255), 100)


def managed(artifacts: Path, events: list[Event]) -> ModelManager:
    manager = ModelManager(ManagerPolicy(), SystemProbe(), events.append)
    options = DoclingOptions(engine=NAME, artifacts_path=artifacts)
    manager.register(NAME, SPEC, options, SPEC.estimate(options))
    return manager


def test_the_manager_loads_and_unloads_docling_and_nothing_of_it_stays(
    tiny_artifacts: Path, report: PageImage
) -> None:
    events: list[Event] = []
    manager = managed(tiny_artifacts, events)

    with manager.acquire(NAME) as lease:
        result = lease.recognize(report)
        assert manager.info(NAME).state is ModelState.BUSY

    assert result.backend == NAME and result.lines
    assert manager.info(NAME).state is ModelState.READY
    assert manager.unload(NAME)
    assert manager.info(NAME).state is ModelState.UNLOADED
    assert [event for event in events if isinstance(event, ModelLeaked)] == []


def run_cycles(
    artifacts: Path, report: PageImage, cycles: int
) -> tuple[list[int], list[list[str]], int]:
    """``cycle_rss`` in a fresh child process whose C heap has two arenas (see below why):
    RSS after each cycle, the leaks reported, the footprint the manager measured."""
    child = subprocess.run(
        [sys.executable, __file__, str(artifacts), str(report.document), str(cycles)],
        env={
            **{key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"},
            "PYTHONPATH": os.pathsep.join(sys.path),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    rss, leaks, measured = json.loads(child.stdout.splitlines()[-1])
    return rss, leaks, measured


def cycle_rss(
    artifacts: Path, report: PageImage, cycles: int
) -> tuple[list[int], list[Event], int]:
    """RSS after each of ``cycles`` load, read, unload cycles through the manager, the
    events, and the footprint the manager measured at the first load."""
    events: list[Event] = []
    manager = managed(artifacts, events)
    process = psutil.Process()
    rss: list[int] = []
    measured = 0
    for _ in range(cycles):
        with manager.acquire(NAME) as lease:
            lease.recognize(report)
        measured = measured or manager.info(NAME).measured_bytes or 0
        assert manager.unload(NAME)
        gc.collect()
        rss.append(process.memory_info().rss)
    return rss, events, measured


@pytest.mark.slow
def test_ten_load_read_unload_cycles_measure_the_load_and_give_the_memory_back(
    tiny_artifacts: Path, report: PageImage
) -> None:
    """In a child process whose C heap is capped at two arenas the way ``app.main`` caps the
    app's (``engine/memory/heap.py``, first thing).

    Docling starts new threads for every page it converts, and glibc gives threads heaps
    (arenas) of their own that keep freed memory for reuse: with glibc's default (8 per
    core) RSS climbs 10 to 30 MiB a cycle here over the first ten cycles, slowing down; with
    one or two arenas it stays within 1 %. What is measured is whether Docling's memory is
    freed, not how glibc caches it. A fresh process also lets the manager measure the first
    load (in this one, earlier tests' freed memory is reused by the load, and the manager
    rightly refuses such a growth as the footprint).
    """
    rss, leaks, measured = run_cycles(tiny_artifacts, report, CYCLES)

    estimate = SPEC.estimate(DoclingOptions(engine=NAME, artifacts_path=tiny_artifacts))
    print(
        f"\nDocling (tiny layout model, RapidOCR): measured {measured >> 20} MiB at the load, "
        f"estimated {estimate.weights >> 20} MiB + {estimate.activations >> 20} MiB a page; "
        f"RSS after each of {CYCLES} cycles (MiB): {[size >> 20 for size in rss]}"
    )
    assert leaks == []
    assert 0 < measured <= estimate.total
    assert rss[-1] <= rss[0] * (1 + RSS_GROWTH)


def test_models_list_shows_docling_available_with_what_its_missing_weights_would_add(
    tmp_path: Path, tiny_artifacts: Path
) -> None:
    def docling_row(artifacts: Path) -> BackendStatus:
        config = tmp_path / f"{artifacts.name}.yaml"
        config.write_text(f"models:\n  docling:\n    artifacts_path: {artifacts}\n")
        engine = EngineCore(load_config([config]))
        try:
            return next(row for row in engine.statuses() if row.name == NAME)
        finally:
            engine.close()

    empty = tmp_path / "empty"
    empty.mkdir()
    without = docling_row(empty)
    present = docling_row(tiny_artifacts)

    assert without.available and present.available
    assert any("models download docling" in note for note in without.notes)
    assert not any("models download docling" in note for note in present.notes)


if __name__ == "__main__":  # the child process of the cycles test
    from ablage_desktop.engine import limit_heap_arenas
    from ablage_desktop.engine.backends.docling import prepare

    assert limit_heap_arenas()  # first thing, as app.main does
    prepare()  # Docling's imports in a thread of their own, as every load does
    artifacts, pdf = (Path(argument) for argument in sys.argv[1:3])
    page = PageImage(pdf, 0, Image.new("L", (827, 1170), 255), 100)
    sizes, seen, taken = cycle_rss(artifacts, page, int(sys.argv[3]))
    leaked = [event.objects for event in seen if isinstance(event, ModelLeaked)]
    sys.stdout.write(json.dumps([sizes, leaked, taken]) + "\n")
