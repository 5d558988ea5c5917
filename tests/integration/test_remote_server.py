"""The OpenAI-compatible server backend against a real server: ``transformers serve`` with a
tiny randomly initialised Janus model built offline (tests/tiny_models.py), on 127.0.0.1.

The model's text is noise; what is tested is the traffic: pages in, text out, requests in
flight at once, and what happens when the server dies, stalls or cannot be reached. Local
fallback is Tesseract (fast, and installed wherever the rest of the suite runs).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="transformers[serving] is not installed")
pytest.importorskip("uvicorn", reason="transformers[serving] is not installed")

from PIL import Image, ImageDraw
from remote_server import TransformersServer, free_port
from tiny_models import build_janus

from ablage_desktop.cli import build_parser, run_models_list
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import BackendStatus, EngineCore, OcrRequest
from ablage_desktop.engine.events import Event, PageDone
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.run.cancel import CancelToken

pytestmark = pytest.mark.slow

KEY_VARIABLE = "ABLAGE_TEST_REMOTE_KEY"
SECRET = "sk-test-4711-do-not-log"


@pytest.fixture(scope="module")
def janus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_janus(tmp_path_factory.mktemp("remote") / "janus")


@pytest.fixture(scope="module")
def servers() -> Iterator[list[TransformersServer]]:
    """Every server the module started, all stopped at its end."""
    started: list[TransformersServer] = []
    try:
        yield started
    finally:
        for running in started:
            running.stop()


@pytest.fixture
def server(
    servers: list[TransformersServer],
    janus_folder: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> TransformersServer:
    """The shared server: started once for the module, and again only after a test killed it
    (the one that does runs last: a start costs torch's and the model's load, 5-8 s)."""
    if not servers or servers[-1].process.poll() is not None:
        running = TransformersServer(janus_folder, tmp_path_factory.mktemp("serve") / "serve.log")
        servers.append(running)
        running.wait_healthy()
    return servers[-1]


def pages(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        image = Image.new("RGB", (480, 160), "white")
        ImageDraw.Draw(image).text((20, 60), f"Rechnung {index} vom 27.11.2026", fill="black")
        path = folder / f"page{index}.png"
        image.save(path)
        paths.append(path)
    return paths


def engine_for(
    tmp_path: Path, base_url: str, model: str, *, chain: bool = True, **office: object
) -> EngineCore:
    """An engine with the server as ``office``; with ``chain``, auto reads office, then
    tesseract."""
    settings = {"max_tokens": 16, "max_concurrency": 2, "retries": 1, "backoff_s": 0.05}
    settings.update(office)
    lines = [
        "preprocessing: {enabled: false}",
        "management: {keep_alive_s: -1}",
    ]
    if chain:
        lines += [
            "routing:",
            *(f"  {kind}: [office, tesseract]" for kind in ("complex", "simple", "unknown")),
        ]
    lines += [
        "models:",
        "  office:",
        "    engine: openai_server",
        f"    base_url: {base_url}",
        f"    model: {model}",
        *(f"    {key}: {value}" for key, value in settings.items()),
    ]
    path = tmp_path / "remote.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return EngineCore(load_config([path]))


def status(engine: EngineCore, name: str = "office") -> BackendStatus:
    return next(row for row in engine.statuses() if row.name == name)


def run(
    engine: EngineCore, paths: list[Path], backend: str | None = None, **kw: object
) -> list[OcrDocument]:
    return list(engine.ocr(OcrRequest(paths, backend=backend, archive=False), **kw))  # type: ignore[arg-type]


def needs_tesseract(engine: EngineCore) -> None:
    if not status(engine, "tesseract").available:
        pytest.skip("the local fallback (tesseract) is not available here")


# --- the happy path --------------------------------------------------------------------------


def test_a_batch_is_read_through_the_server(server: TransformersServer, tmp_path: Path) -> None:
    engine = engine_for(tmp_path, server.base_url, server.model)
    try:
        assert engine.connect_remote() == {"office": None}
        ready = status(engine)
        assert ready.state == "ready" and ready.available
        assert ready.load_seconds is not None and ready.load_seconds < 5
        assert ready.destination is None  # 127.0.0.1: the pages stay on this machine
        assert ready.estimated_bytes == 0

        documents = run(engine, pages(tmp_path / "in", 4), backend="office")

        assert [doc.error for doc in documents] == [None] * 4
        for doc in documents:
            (page,) = doc.pages
            assert page.backend == "office"
            assert page.text.strip()  # the tiny model's noise, but text
            assert page.fallbacks == ()
        after = status(engine)
        assert after.page_seconds is not None and after.in_flight == 0 and after.queued == 0
    finally:
        engine.close()


def test_pages_are_in_flight_together_up_to_max_concurrency(
    server: TransformersServer, tmp_path: Path
) -> None:
    # 128 tokens: 1.3 s a request here, long beside the watcher's look. At 32 (0.3 s) the
    # whole suite's load once let the decoder hand out pages too slowly for three requests to
    # meet (2 at most), though the engine allowed three; at 64 (0.6 s) so did a benchmark
    # running beside the suite.
    engine = engine_for(tmp_path, server.base_url, server.model, max_concurrency=3, max_tokens=128)
    try:
        backend = engine.backend("office")
        seen: list[int] = []
        stop = threading.Event()

        def watch() -> None:
            while not stop.is_set():
                seen.append(backend.in_flight)  # type: ignore[attr-defined]
                time.sleep(0.002)

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            documents = run(engine, pages(tmp_path / "in", 9), backend="office")
        finally:
            stop.set()
            watcher.join()
        assert all(doc.error is None for doc in documents)
        assert max(seen) == 3, f"requests in flight at once: {sorted(set(seen))}"
        assert status(engine).page_seconds is not None
    finally:
        engine.close()


# --- when the server goes away ---------------------------------------------------------------


def test_a_server_that_stops_answering_times_out_and_the_pages_fall_back(
    server: TransformersServer, tmp_path: Path
) -> None:
    engine = engine_for(tmp_path, server.base_url, server.model, timeout_s=1.0, retries=0)
    needs_tesseract(engine)
    try:
        assert engine.connect_remote() == {"office": None}
        server.pause()
        try:
            started = time.monotonic()
            documents = run(engine, pages(tmp_path / "in", 3))
            elapsed = time.monotonic() - started
        finally:
            server.resume()
        assert [doc.error for doc in documents] == [None] * 3
        assert [doc.pages[0].backend for doc in documents] == ["tesseract"] * 3
        kinds = [f.error.kind for doc in documents for f in doc.pages[0].fallbacks]
        assert "remote_timeout" in kinds, kinds
        assert elapsed < 10  # one timeout, not one per page and retry
    finally:
        engine.close()


def test_cancel_aborts_the_requests_in_flight(server: TransformersServer, tmp_path: Path) -> None:
    engine = engine_for(tmp_path, server.base_url, server.model, timeout_s=60, chain=False)
    try:
        backend = engine.backend("office")
        cancel = CancelToken()
        server.pause()
        try:
            documents: list[OcrDocument] = []
            reader = threading.Thread(
                target=lambda: documents.extend(
                    run(engine, pages(tmp_path / "in", 4), backend="office", cancel=cancel)
                )
            )
            reader.start()
            deadline = time.monotonic() + 10
            while backend.in_flight < 2 and time.monotonic() < deadline:  # type: ignore[attr-defined]
                time.sleep(0.01)
            assert backend.in_flight == 2  # type: ignore[attr-defined]
            cancelled = time.monotonic()
            cancel.cancel()
            reader.join(timeout=10)
            took = time.monotonic() - cancelled
        finally:
            server.resume()
        assert not reader.is_alive()
        assert took < 2, f"cancel took {took:.1f} s"
        assert all(doc.error is not None and doc.error.kind == "cancelled" for doc in documents)
        assert backend.in_flight == 0  # type: ignore[attr-defined]
    finally:
        engine.close()


def test_an_unreachable_server_is_unavailable_with_the_reason(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    engine = engine_for(tmp_path, url, "some/model")
    try:
        assert "connection refused" in (engine.connect_remote()["office"] or "")
        row = status(engine)
        assert not row.available and row.state == "failed"
        assert "connection refused" in row.reason and url in row.reason
        (path,) = pages(tmp_path / "in", 1)
        route = engine.router.route(PageImage(path, 0, Image.open(path).convert("RGB"), None))
        assert route.chain == ("tesseract",) and "office" in route.reason
    finally:
        engine.close()
    config = tmp_path / "remote.yaml"
    out = tmp_path / "list.txt"
    with out.open("w") as handle:
        args = build_parser().parse_args(["models", "list"])
        run_models_list(args, load_config([config]), out=handle)
    line = next(line for line in out.read_text().splitlines() if line.startswith("office"))
    assert " no " in line and "connection refused" in line


def test_the_api_key_comes_from_the_environment_and_stays_out_of_the_logs(
    server: TransformersServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    engine = engine_for(tmp_path, server.base_url, server.model, api_key_env=KEY_VARIABLE)
    try:
        row = status(engine)
        assert not row.available and KEY_VARIABLE in row.reason
    finally:
        engine.close()
    monkeypatch.setenv(KEY_VARIABLE, SECRET)
    caplog.set_level(logging.DEBUG)
    engine = engine_for(tmp_path, server.base_url, server.model, api_key_env=KEY_VARIABLE)
    try:
        documents = run(engine, pages(tmp_path / "in", 2), backend="office")
        assert all(doc.error is None for doc in documents)
        shown = repr(engine.statuses()) + repr(engine.backend("office").__dict__)
    finally:
        engine.close()
    assert SECRET not in caplog.text
    assert SECRET not in shown
    assert SECRET not in (tmp_path / "remote.yaml").read_text()


# --- last: it kills the shared server --------------------------------------------------------


def test_a_server_killed_mid_batch_hands_the_remaining_pages_to_a_local_engine(
    server: TransformersServer, tmp_path: Path
) -> None:
    engine = engine_for(tmp_path, server.base_url, server.model, max_tokens=32)
    needs_tesseract(engine)
    read_remotely = []

    def kill_after_two(event: Event) -> None:
        if isinstance(event, PageDone) and event.page.backend == "office":
            read_remotely.append(event.page.index)
            if len(read_remotely) == 2:
                server.kill()

    engine.events.subscribe(kill_after_two)
    try:
        engine.connect_remote()
        started = time.monotonic()
        documents = run(engine, pages(tmp_path / "in", 10))
        elapsed = time.monotonic() - started

        assert [doc.error for doc in documents] == [None] * 10  # nothing lost
        backends = [doc.pages[0].backend for doc in documents]
        assert backends.count("office") >= 2
        assert backends.count("tesseract") >= 5, backends
        causes = {
            fallback.error.kind
            for doc in documents
            for fallback in doc.pages[0].fallbacks
            if fallback.from_backend == "office"
        }
        # (useless_result: the tiny model's noise can be judged useless, then tesseract reads)
        assert causes & {"remote_unreachable", "model_load"}, causes
        assert causes <= {"remote_unreachable", "model_load", "useless_result"}, causes
        gone = status(engine)
        assert gone.state in ("failed", "unloaded")
        assert "refused" in gone.error or "closed" in gone.error, gone.error
        assert elapsed < 30
    finally:
        engine.close()
