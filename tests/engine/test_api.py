"""``Engine`` (``engine/api.py``), the surface the window and the CLI use: models, memory,
exports and the archive, each as one typed call (scripted engines, no Qt)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fakes import GIB, FakeProbe, ScriptedBackend, scripted_spec
from samples import text_page

from ablage_desktop.engine import AUTO, Engine, OcrRequest, Store, load_config
from ablage_desktop.engine.backends.base import BackendSpec, EngineOptions
from ablage_desktop.engine.errors import ModelLoadError, OutputError, UnknownBackend, UsageError
from ablage_desktop.engine.events import ModelStateChanged


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = Engine(load_config([]), probe=FakeProbe(), footprints=tmp_path / "footprints.json")
    for name in ("first", "second"):
        engine.add_model(
            name, scripted_spec(ScriptedBackend(name=name)), EngineOptions(engine=name)
        )
    yield engine
    engine.close()


def state(engine: Engine, name: str) -> str:
    return next(s.state for s in engine.statuses() if s.name == name)


def test_load_unload_and_unload_all(engine: Engine) -> None:
    assert engine.load("first") == "first"
    assert engine.load("second") == "second"
    assert state(engine, "first") == "ready"

    assert engine.unload("first") is True
    assert state(engine, "first") == "unloaded"
    assert engine.unload_all() == ["second"]
    assert state(engine, "second") == "unloaded"


def test_an_unknown_model_is_a_typed_error_that_names_the_choices(engine: Engine) -> None:
    with pytest.raises(UnknownBackend) as raised:
        engine.load("abbyy")
    assert "tesseract" in raised.value.message


def test_a_quantization_the_model_cannot_take_is_refused(engine: Engine) -> None:
    status = next(s for s in engine.statuses() if s.name == "got_ocr2")
    assert "int8" in status.quantizations
    with pytest.raises(UsageError, match="cannot load as fp16"):
        engine.set_quantization("first", "fp16")

    engine.set_quantization("got_ocr2", "int8")

    assert next(s for s in engine.statuses() if s.name == "got_ocr2").quantization == "int8"
    assert next(s for s in engine.statuses() if s.name == "first").quantizations == ()


def test_the_statuses_say_which_models_take_languages(engine: Engine) -> None:
    takes = {s.name: s.takes_languages for s in engine.statuses()}
    assert takes["tesseract"] is True
    assert takes["rapidocr"] is False


def test_the_memory_budgets_are_the_configured_shares(engine: Engine) -> None:
    probe = FakeProbe(ram_total=16 * GIB, vram_total=None)

    budgets = engine.memory_budgets(probe.snapshot())

    assert 0 < budgets.cpu <= 16 * GIB
    assert budgets.gpu is None


def test_auto_is_a_real_engine_name_in_a_request(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    text_page().save(page)
    collected = engine.collect([tmp_path])

    (document,) = engine.ocr(OcrRequest(collected.documents, backend=AUTO, archive=False))

    assert document.document == page and document.ok


def test_a_chosen_engine_with_keep_alive_0_loads_once_for_its_batch(tmp_path: Path) -> None:
    """It is loaded before the batch (a broken engine fails first), kept through the batch,
    and unloaded after it; the early load used to unload it at once, so it loaded twice."""
    config = tmp_path / "keep.yaml"
    config.write_text("management:\n  keep_alive_s: 0\n", encoding="utf-8")
    engine = Engine(load_config([config]), probe=FakeProbe(), footprints=tmp_path / "f.json")
    engine.add_model(
        "first", scripted_spec(ScriptedBackend(name="first")), EngineOptions(engine="first")
    )
    seen: list[str] = []
    engine.subscribe(
        lambda event: (
            seen.append(event.state)
            if isinstance(event, ModelStateChanged) and event.model == "first"
            else None
        )
    )
    page = tmp_path / "page.png"
    text_page().save(page)
    try:
        documents = list(engine.ocr(OcrRequest([page, page], backend="first", archive=False)))
    finally:
        engine.close()

    assert [document.ok for document in documents] == [True, True]
    assert seen.count("loading") == 1
    assert seen[:2] == ["loading", "ready"] and seen[-2:] == ["unloading", "unloaded"]


def test_a_failed_export_is_an_output_error_in_words(engine: Engine, tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    text_page().save(page)
    (document,) = engine.ocr(OcrRequest([page], backend="first", archive=False))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")

    with pytest.raises(OutputError, match="cannot write"):
        engine.export(document, blocker / "page.txt", "txt")
    engine.export(document, tmp_path / "page.txt", "txt")
    assert (tmp_path / "page.txt").read_text(encoding="utf-8").startswith("page.png:1")


def test_without_an_archive_every_archive_answer_is_empty(engine: Engine) -> None:
    assert not engine.has_archive
    assert engine.resumable_jobs() == [] and engine.running_jobs() == []
    assert engine.search("Rechnung") == []
    assert engine.resume(1) is None
    assert engine.archived_document("0" * 64, Path("x.pdf")) is None


def test_the_archive_answers_through_the_engine(tmp_path: Path) -> None:
    store = Store(tmp_path / "archive.sqlite3")
    engine = Engine(load_config([]), probe=FakeProbe(), store=store)
    engine.add_model(
        "first", scripted_spec(ScriptedBackend(name="first")), EngineOptions(engine="first")
    )
    page = tmp_path / "letter.png"
    text_page().save(page)
    try:
        (document,) = engine.ocr(OcrRequest([page], backend="first"))
        hits = engine.search("letter")
        stored = engine.archived_document(document.sha256 or "", page)
    finally:
        engine.close()
        engine.close_archive()

    assert [hit.document for hit in hits] == [page]
    assert stored is not None and [p.text for p in stored.pages] == [document.pages[0].text]
    assert engine.search("") == []  # no words, no query


def test_a_server_added_is_known_and_saved(engine: Engine, tmp_path: Path) -> None:
    config_file = tmp_path / "config.yaml"
    entry = {"engine": "openai_server", "base_url": "http://127.0.0.1:9/v1", "model": "m"}

    engine.add_server("office", entry, first_in_auto=True, save_to=config_file)

    assert "office" in {s.name for s in engine.statuses()}
    saved = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    assert saved["models"]["office"]["base_url"] == "http://127.0.0.1:9/v1"
    assert saved["routing"]["simple"][0] == "office"
    with pytest.raises(UsageError):
        engine.add_server("office", entry)


def failing_spec(name: str) -> BackendSpec:
    """A scripted engine whose load fails."""

    def load(model: str, options: EngineOptions) -> ScriptedBackend:
        raise ModelLoadError(model, "its weights are damaged")

    return dataclasses.replace(scripted_spec(ScriptedBackend(name=name)), load=load)


def test_a_chosen_engine_that_cannot_load_fails_before_the_batch_and_leaves_no_batch(
    tmp_path: Path,
) -> None:
    """It loads while the first pages are opened, and its failure still comes before any
    document, with no batch left in the archive to resume."""
    store = Store(tmp_path / "archive.sqlite3")
    engine = Engine(load_config([]), probe=FakeProbe(), store=store)
    engine.add_model("broken", failing_spec("broken"), EngineOptions(engine="broken"))
    page = tmp_path / "letter.png"
    text_page().save(page)
    try:
        with pytest.raises(ModelLoadError, match="weights are damaged"):
            next(iter(engine.ocr(OcrRequest([page, page], backend="broken"))))
        resumable, running = engine.resumable_jobs(), engine.running_jobs()
    finally:
        engine.close()
        engine.close_archive()

    assert resumable == [] and running == []


def test_a_chosen_engine_loads_while_the_first_page_is_opened(tmp_path: Path) -> None:
    """The decoder opens the first document while the engine loads: the load here waits
    until the document has been opened (its sha256 looked up in the archive), which, were
    the load first, would never come."""
    store = Store(tmp_path / "archive.sqlite3")
    opened = threading.Event()
    pages = store.pages

    def looked_up(sha256: str, requested: str) -> dict:
        opened.set()
        return pages(sha256, requested=requested)

    store.pages = looked_up  # type: ignore[method-assign]
    overlapped: list[bool] = []
    engine = Engine(load_config([]), probe=FakeProbe(), store=store)
    slow = ScriptedBackend(name="slow")
    spec = dataclasses.replace(
        scripted_spec(slow),
        load=lambda name, options: (overlapped.append(opened.wait(timeout=20)), slow)[1],
    )
    engine.add_model("slow", spec, EngineOptions(engine="slow"))
    page = tmp_path / "letter.png"
    text_page().save(page)
    try:
        (document,) = engine.ocr(OcrRequest([page], backend="slow"))
    finally:
        engine.close()
        engine.close_archive()

    assert overlapped == [True]
    assert document.ok
