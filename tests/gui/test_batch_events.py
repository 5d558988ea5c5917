"""The batch worker's listener: a batch's document events become its signals, tagged with the
window's batch id, and the events of another job never reach them."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, cast

from ablage_desktop.engine import (
    DocumentFinished,
    DocumentStarted,
    Engine,
    Event,
    OcrDocument,
    OcrPage,
    PageDone,
    Routed,
)
from ablage_desktop.engine.events import Listeners
from ablage_desktop.gui.batch_events import BatchEvents
from ablage_desktop.gui.workers.batch import EngineWorker

DOC = Path("/in/scan.pdf")


def page(index: int) -> OcrPage:
    return OcrPage(index=index, width=1, height=1, backend="reader", seconds=0.0, text="")


def document_events(job: int | None, pages: int = 2) -> list[Event]:
    """What the pipeline emits for a one-document batch of ``job``."""
    events: list[Event] = [DocumentStarted(DOC, 0, 1, pages, job=job)]
    events.append(PageDone(DOC, 0, 1, pages, page(0), restored=True, job=job))
    events += [PageDone(DOC, 0, 1, pages, page(i), job=job) for i in range(1, pages)]
    events.append(DocumentFinished(0, 1, OcrDocument(DOC), job=job))
    return events


class Signals:
    """Every signal of the worker that ``BatchEvents`` emits, as (signal, batch, detail)."""

    def __init__(self, worker: EngineWorker) -> None:
        self.seen: list[tuple[str, int, Any]] = []
        worker.documentStarted.connect(lambda b, pos, pages: self.add("started", b, pages))
        worker.pageDone.connect(lambda b, pos, p: self.add("page", b, p.index))
        worker.pageRestored.connect(lambda b, pos, p: self.add("restored", b, p.index))
        worker.documentFinished.connect(lambda b, pos, r: self.add("finished", b, r.ok))

    def add(self, signal: str, batch: int, detail: object) -> None:
        self.seen.append((signal, batch, detail))

    def of(self, batch: int) -> list[tuple[str, Any]]:
        return [(signal, detail) for signal, b, detail in self.seen if b == batch]


def worker() -> EngineWorker:
    return EngineWorker(cast(Engine, None))  # the listener needs only the worker's signals


def test_a_batch_passes_its_document_events_as_signals_with_its_batch_id(qtbot) -> None:
    batch_worker = worker()
    signals = Signals(batch_worker)
    listen = BatchEvents(3, batch_worker)

    for event in [Routed(DOC, 0, "reader", "chosen", job=5), *document_events(5, pages=3)]:
        listen(event)

    assert listen.job == 5
    assert signals.of(3) == [
        ("started", 3),
        ("restored", 0),
        ("page", 1),
        ("page", 2),
        ("finished", True),
    ]


def test_two_batches_events_do_not_mix(qtbot) -> None:
    batch_worker = worker()
    signals = Signals(batch_worker)
    events = Listeners()
    events.subscribe(BatchEvents(1, batch_worker))  # a new batch: its first event names its job
    events.subscribe(BatchEvents(2, batch_worker, job=8))  # a resumed batch: job 8

    first, second = document_events(7, pages=2), document_events(8, pages=3)
    for event in first[:2]:
        events.emit(event)
    for pair in itertools.zip_longest(second, first[2:]):  # from here on, interleaved
        for event in filter(None, pair):
            events.emit(event)

    assert signals.of(1) == [("started", 2), ("restored", 0), ("page", 1), ("finished", True)]
    assert signals.of(2) == [
        ("started", 3),
        ("restored", 0),
        ("page", 1),
        ("page", 2),
        ("finished", True),
    ]


def test_a_batch_without_an_archive_takes_the_events_without_a_job(qtbot) -> None:
    batch_worker = worker()
    signals = Signals(batch_worker)
    listen = BatchEvents(4, batch_worker)

    for event in document_events(None):
        listen(event)

    assert listen.job is None
    assert [signal for signal, _ in signals.of(4)] == ["started", "restored", "page", "finished"]
