"""Engine events: each writes itself as JSON (the ``--events`` record, whose layout tools rely
on), carries the job id of its batch, and reaches a consumer's handler by its type."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import typing
from pathlib import Path
from typing import Any

import pytest
from fakes import ScriptedBackend, scripted_spec
from samples import text_page

from ablage_desktop.engine import DocumentState, EventHandlers, ModelState
from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.eventlog import EventLog, event_record
from ablage_desktop.engine.events import (
    DocumentFinished,
    DocumentStarted,
    Event,
    FallbackTaken,
    MemorySample,
    ModelLeaked,
    ModelStateChanged,
    ModelWarmedUp,
    PageDone,
    Routed,
)
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrPage
from ablage_desktop.engine.run.jobs import JobStamp

DOC = Path("/in/scan.pdf")
NAME = {"document": "/in/scan.pdf", "document_bytes_b64": "L2luL3NjYW4ucGRm"}
PAGE = OcrPage(index=1, width=10, height=20, backend="tesseract", seconds=1.23456, text="x")
SNAPSHOT = MemorySnapshot(rss=1, ram_used=2, ram_total=3, ram_available=1, vram_total=None)
ERROR = ErrorInfo("empty", "The page is empty.")
PLAN = {"model": 1000}

# One event of every type, and its record as the old isinstance ladder of eventlog wrote it
# (same keys, same order), with the job id at the end.
SAMPLES: list[tuple[Event, dict[str, Any]]] = [
    (
        ModelStateChanged(
            "qwen", ModelState.LOADING, ModelState.READY, 5, "cuda", 2.34567, PLAN, job=7
        ),
        {
            "event": "model_state",
            "model": "qwen",
            "previous": "loading",
            "state": "ready",
            "bytes": 5,
            "device": "cuda",
            "seconds": 2.346,
            "plan": PLAN,
        },
    ),
    (ModelWarmedUp("qwen", 0.5, job=7), {"event": "model_warmup", "model": "qwen", "seconds": 0.5}),
    (
        ModelLeaked("qwen", ("Tensor", "Module"), job=7),
        {"event": "leak", "model": "qwen", "objects": ["Tensor", "Module"]},
    ),
    (
        MemorySample(SNAPSHOT, "warning", job=7),
        {
            "event": "memory",
            "rss": 1,
            "ram_used": 2,
            "ram_total": 3,
            "vram_allocated": None,
            "vram_reserved": None,
            "vram_used": None,
            "vram_total": None,
            "workers_rss": None,
            "pressure": "warning",
        },
    ),
    (
        Routed(DOC, 1, "rapidocr", "a clean scan", PLAN, job=7),
        {
            "event": "route",
            **NAME,
            "page": 1,
            "backend": "rapidocr",
            "reason": "a clean scan",
            "plan": PLAN,
        },
    ),
    (
        FallbackTaken(DOC, 1, "qwen", "rapidocr", ERROR, job=7),
        {
            "event": "fallback",
            **NAME,
            "page": 1,
            "from": "qwen",
            "to": "rapidocr",
            "error": {"kind": "empty", "message": "The page is empty."},
        },
    ),
    (
        DocumentStarted(DOC, 0, 2, 3, "ab" * 32, "pdf", job=7),
        {"event": "document_started", **NAME, "pages": 3},
    ),
    (
        PageDone(DOC, 0, 2, 3, PAGE, restored=True, job=7),
        {
            "event": "page_done",
            **NAME,
            "page": 1,
            "backend": "tesseract",
            "seconds": 1.235,
            "restored": True,
        },
    ),
    (
        DocumentFinished(0, 2, OcrDocument(DOC, "ab" * 32, [PAGE], ERROR), job=7),
        {
            "event": "document_done",
            **NAME,
            "pages": 1,
            "error": {"kind": "empty", "message": "The page is empty."},
            "state": "failed",
        },
    ),
]


def test_there_is_a_sample_of_every_event_type() -> None:
    assert {type(event) for event, _ in SAMPLES} == set(typing.get_args(Event))


@pytest.mark.parametrize(("event", "expected"), SAMPLES, ids=lambda v: type(v).__name__)
def test_an_event_writes_itself_as_json_with_its_job(event: Event, expected: dict) -> None:
    record = event.to_json()

    assert record == {**expected, "job": 7}
    assert list(record) == [*expected, "job"]  # the log's key order, the job id last
    assert json.loads(json.dumps(record)) == record
    assert record["event"] == type(event).kind


@pytest.mark.parametrize(("event", "expected"), SAMPLES, ids=lambda v: type(v).__name__)
def test_the_log_record_keeps_its_layout_and_adds_no_job_where_none_is_known(
    event: Event, expected: dict
) -> None:
    record = event_record(dataclasses.replace(event, job=None), now=12.34567)

    assert list(record) == ["event", "t", *list(expected)[1:]]
    assert record == {**expected, "t": 12.346}


def test_the_event_log_writes_one_line_per_event(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events.jsonl")
    for event, _ in SAMPLES:
        log(event)
    log.close()

    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["event"] for r in records] == [expected["event"] for _, expected in SAMPLES]
    assert all(r["job"] == 7 and isinstance(r["t"], float) for r in records)


def test_a_document_finished_says_how_the_batch_left_it() -> None:
    def finished(error: ErrorInfo | None) -> DocumentState:
        return DocumentFinished(0, 1, OcrDocument(DOC, error=error)).state

    assert finished(None) is DocumentState.DONE
    assert finished(ErrorInfo("cancelled", "Cancelled by the user.")) is DocumentState.CANCELLED
    assert finished(ERROR) is DocumentState.FAILED


def test_handlers_take_the_events_of_their_own_type_only() -> None:
    seen: list[str] = []
    handlers = (
        EventHandlers()
        .on(PageDone, lambda e: seen.append(f"page {e.page.index}"))
        .on(ModelLeaked, lambda e: seen.append(f"leak {e.model}"))
    )

    for event, _ in SAMPLES:
        handlers(event)

    assert seen == ["leak qwen", "page 1"]


def test_the_stamp_puts_the_job_on_the_batch_events_once_it_is_known() -> None:
    out: list[Event] = []
    stamp = JobStamp(out.append)
    routed = Routed(DOC, 0, "rapidocr", "why")

    stamp(routed)
    stamp.job = 4
    stamp(routed)
    stamp(Routed(DOC, 0, "rapidocr", "why", job=9))

    assert [event.job for event in out] == [None, 4, 9]


@pytest.fixture
def engine(tmp_path: Path):
    store = Store(tmp_path / "archive.sqlite3")
    engine = EngineCore(load_config([]), store=store)
    reader = ScriptedBackend(name="reader")
    engine.add_model("reader", scripted_spec(reader), EngineOptions(engine="reader"))
    yield engine
    engine.close()
    store.close()


def test_the_events_of_an_archived_batch_carry_its_job_id(
    engine: EngineCore, tmp_path: Path
) -> None:
    page = tmp_path / "page.png"
    text_page().save(page)
    events: list[Event] = []
    engine.events.subscribe(events.append)

    runs = []
    for force in (False, True):
        start = len(events)
        (document,) = engine.ocr(OcrRequest([page], backend="reader", force=force))
        assert document.ok
        runs.append(events[start:])

    assert engine.store is not None
    with sqlite3.connect(engine.store.path) as db:
        jobs = [row[0] for row in db.execute("SELECT id FROM jobs ORDER BY id")]
    assert len(jobs) == 2
    for run, job in zip(runs, jobs, strict=True):
        batch = [e for e in run if not isinstance(e, ModelStateChanged | MemorySample)]
        assert {type(e) for e in batch} >= {Routed, DocumentStarted, PageDone, DocumentFinished}
        assert {e.job for e in batch} == {job}
    models = [e for e in events if isinstance(e, ModelStateChanged)]
    assert models and {e.job for e in models} == {None}
