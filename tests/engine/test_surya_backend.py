"""Surya through the app with Surya's own code: its environment, its worker, a real server.

The tiny detector and the tiny Qwen3.5-VL recognition model (``tiny_surya``) stand in for
the real weights: the recognition model is served by a real ``transformers serve`` that the
backend starts on 127.0.0.1 through Surya's worker, and Surya's own predictors read the page.
The text is noise; the lines, boxes, states, memory, processes and events are real.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import psutil
import pytest
from PIL import Image
from remote_server import TransformersServer
from tiny_surya import (
    config_file,
    gone,
    model_servers,
    needs_surya,
    options,
    page_file,
    started_by_surya,
    surya_processes,
)

from ablage_desktop.engine.backends.surya import SPEC
from ablage_desktop.engine.backends.surya_serving import serving_folder
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.errors import Cancelled, ModelLoadError
from ablage_desktop.engine.events import Event, FallbackTaken, ModelLeaked, ModelStateChanged
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.probe import SystemProbe
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.results.document import LINE_ROLES
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.jobs import OcrRequest

NAME = "surya"
# Slow: every test starts Surya's worker and its model server, torch in each.
pytestmark = [needs_surya, pytest.mark.usefixtures("surya_on_one_thread"), pytest.mark.slow]


@pytest.fixture
def page(tmp_path: Path) -> PageImage:
    path = page_file(tmp_path)
    with Image.open(path) as image:
        return PageImage(path, 0, image.convert("RGB"), 150)


def own_processes() -> list[psutil.Process]:
    """This test process's descendants: Surya's worker and its server among them."""
    return psutil.Process().children(recursive=True)


def test_the_manager_loads_surya_a_cancel_stops_it_at_once_the_next_page_restarts_it(
    surya_models: dict[str, Path], page: PageImage
) -> None:
    """One load for the whole life of the engine: a page, a cancelled page (a CPU page takes
    minutes: the worker and the server are stopped, not waited for), a page that starts them
    again, and the unload that ends them."""
    events: list[Event] = []
    manager = ModelManager(ManagerPolicy(), SystemProbe(), events.append)
    chosen = options(surya_models)
    estimate = SPEC.estimate(chosen)
    manager.register(NAME, SPEC, chosen, estimate)

    with manager.acquire(NAME, (page.width, page.height)) as lease:
        assert manager.info(NAME).state is ModelState.BUSY
        result = lease.recognize(page)
        served = model_servers()
        first = surya_processes(served)

        os.killpg(os.getpgid(served[0].pid), signal.SIGSTOP)  # the page would wait for ever
        cancel = CancelToken()
        threading.Timer(1.0, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            lease.recognize(page, cancel)
        cancelled_after = time.monotonic() - started
        stopped = gone(first)

        again = lease.recognize(page)
        restarted = model_servers()
        pids = surya_processes(restarted)
    info = manager.info(NAME)

    assert len(served) == 1, "one model server, started by the backend"
    # The footprint is what the worker and its server hold (the tiny run: about 1.2 GiB).
    assert info.measured_bytes is not None and info.measured_bytes > 300 << 20
    assert result.backend == NAME and result.lines
    for line in result.lines:
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
        assert line.role in LINE_ROLES
    assert result.text.strip()
    assert cancelled_after < 15
    assert stopped, "the cancel stopped the worker and its server"
    assert again.lines and len(restarted) == 1, "the next page started them again"

    assert info.state is ModelState.READY
    assert manager.unload(NAME)
    assert manager.info(NAME).state is ModelState.UNLOADED
    assert gone(pids), "the worker and the server end with the unload"
    assert [e for e in events if isinstance(e, ModelLeaked)] == []
    states = [e.state for e in events if isinstance(e, ModelStateChanged) and e.model == NAME]
    assert states[:3] == [ModelState.LOADING, ModelState.READY, ModelState.BUSY]
    assert states[-1] is ModelState.UNLOADED


def test_a_server_that_cannot_start_is_a_load_error_in_words_and_leaves_no_process(
    surya_models: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for source in surya_models["source"].iterdir():
        (broken / source.name).symlink_to(source)
    (broken / "config.json").unlink()
    (broken / "config.json").write_text('{"model_type": "no_such_model"}', encoding="utf-8")
    before = {process.pid for process in own_processes()}
    assert not model_servers()

    with pytest.raises(ModelLoadError) as raised:
        SPEC.load(NAME, options(surya_models, source=str(broken), start_timeout_s=120))

    assert "Surya could not start" in raised.value.message
    assert "model server exited" in raised.value.message
    left = [p.pid for p in own_processes() if p.pid not in before and started_by_surya(p)]
    assert gone(left), f"processes left after a failed start: {left}"


def test_a_server_that_dies_during_a_page_hands_it_to_the_next_engine_and_unloads_surya(
    surya_models: dict[str, Path], page: PageImage, tmp_path: Path
) -> None:
    config = config_file(
        tmp_path,
        surya_models,
        {
            "routing": {
                "complex": ["surya", "tesseract"],
                "simple": ["surya", "tesseract"],
                "unknown": ["surya", "tesseract"],
                "combine": False,
            },
            "preprocessing": {"enabled": False},
        },
    )
    core = EngineCore(load_config([config]))
    events: list[Event] = []
    core.events.subscribe(events.append)
    try:
        with core.manager.acquire(NAME):
            pass  # loaded, so that its server can be found and stopped
        row = next(row for row in core.statuses() if row.name == NAME)
        assert row.available and row.state == "ready"  # as `models list` and the table show it
        assert row.measured_bytes is not None and row.measured_bytes > 300 << 20
        (server,) = model_servers()
        worker = server.parent()
        assert worker is not None
        group = os.getpgid(server.pid)
        os.killpg(group, signal.SIGSTOP)  # the page waits on the server...
        killer = threading.Timer(3.0, os.killpg, (group, signal.SIGKILL))  # ...which then dies
        killer.start()
        try:
            request = OcrRequest([page.document], backend="auto", archive=False)
            (document,) = core.ocr(request)
        finally:
            killer.cancel()
        (read,) = document.pages
        fallbacks = [event for event in events if isinstance(event, FallbackTaken)]
        info = core.manager.info(NAME)
    finally:
        core.close()

    assert read.backend == "tesseract" and read.text.strip()
    assert [(f.from_backend, f.to_backend) for f in fallbacks] == [(NAME, "tesseract")]
    assert "stopped" in fallbacks[0].error.message
    assert info.state is ModelState.UNLOADED, "a stopped engine is unloaded, to start afresh"
    assert gone([worker.pid])


def test_a_server_the_configuration_names_is_used_and_left_running(
    surya_models: dict[str, Path], page: PageImage, tmp_path: Path
) -> None:
    """``server_url``: the user's own server (a llama-server, a vLLM; here a transformers
    serve started by the test). Surya attaches to it, counts only its worker, and leaves the
    server as it found it."""
    served = serving_folder(surya_models["source"], tmp_path / "served")
    server = TransformersServer(served, tmp_path / "server.log", folder_code=True)
    try:
        server.wait_healthy()
        chosen = options(surya_models, server_url=server.base_url, served_model=server.model)
        assert SPEC.availability(chosen.model_copy(update={"source": "not/downloaded"})).ok
        backend = SPEC.load(NAME, chosen)
        try:
            assert model_servers() == [server_process(server)], "no server of its own"
            result = backend.recognize(page)
            worker_only = backend.process_memory()
        finally:
            backend.close()
        assert result.lines
        assert worker_only is not None and 100 << 20 < worker_only < 900 << 20
        assert server.process.poll() is None, "the named server is not Surya's to stop"
    finally:
        server.stop()


def server_process(server: TransformersServer) -> psutil.Process:
    return psutil.Process(server.process.pid)
