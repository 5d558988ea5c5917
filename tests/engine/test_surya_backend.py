"""Surya through the app with Surya's own code: its environment, its worker, a real server.

The tiny detector and the tiny Qwen3.5-VL recognition model (``tiny_surya``) stand in for
the real weights: the recognition model is served by a real ``transformers serve`` that the
backend starts on 127.0.0.1 through Surya's worker, and Surya's own predictors read the page.
The text is noise; the lines, boxes, states, memory, processes and events are real.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from cli_process import run_cli
from PIL import Image
from remote_server import TransformersServer
from samples import text_page
from tiny_surya import build_detector, build_recognizer, model_servers

from ablage_desktop.engine.backends.surya import (
    SPEC,
    SuryaOptions,
    environment_python,
    has_surya,
)
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

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PAGE = DATA / "funsd_0060024314.png"
NAME = "surya"
LIMITS = {"max_tokens": 48, "block_max_tokens": 24}
"""Low token limits: the random model never says it is done, and Surya retries."""
SURYA_PYTHON = environment_python(SuryaOptions(engine="surya"))

pytestmark = pytest.mark.skipif(
    not has_surya(SURYA_PYTHON),
    reason=f"Surya's environment is missing at {SURYA_PYTHON} (make test builds it)",
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("surya-models")
    return {
        "source": build_recognizer(root / "recognition"),
        "detector": build_detector(root / "detector", SURYA_PYTHON),
    }


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A form of the data set; where the data set is absent, a printed page made here (the
    engine's behaviour is the same, the data set only makes the page a real one)."""
    if PAGE.is_file():
        return PAGE
    made = tmp_path_factory.mktemp("page") / "printed.png"
    text_page(size=(1400, 900)).save(made)
    return made


@pytest.fixture
def page(page_file: Path) -> PageImage:
    with Image.open(page_file) as image:
        return PageImage(page_file, 0, image.convert("RGB"), 150)


def options(tiny: dict[str, Path], **changes: object) -> SuryaOptions:
    return SuryaOptions(
        engine="surya", source=str(tiny["source"]), detector=str(tiny["detector"]), **LIMITS
    ).model_copy(update=changes)


def config_file(
    tmp_path: Path, tiny: dict[str, Path], extra: dict[str, object] | None = None
) -> Path:
    """A configuration whose ``surya`` entry reads the tiny models (JSON is YAML too)."""
    entry = {"engine": "surya", **{k: str(v) for k, v in tiny.items()}, **LIMITS}
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps({"models": {"surya": entry}, **(extra or {})}), encoding="utf-8")
    return config


def own_processes() -> list[psutil.Process]:
    """This test process's descendants: Surya's worker and its server among them."""
    return psutil.Process().children(recursive=True)


def surya_processes(served: list[psutil.Process]) -> list[int]:
    """Surya's worker (the server's parent) and every process under it."""
    worker = served[0].parent()
    assert worker is not None and "surya_worker.py" in " ".join(worker.cmdline())
    return [worker.pid, *(child.pid for child in worker.children(recursive=True))]


def started_by_surya(process: psutil.Process) -> bool:
    try:
        command = " ".join(process.cmdline())
    except psutil.Error:
        return False
    return "surya_worker.py" in command or "serve" in command


def gone(pids: list[int], timeout_s: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if psutil.pid_exists(pid) and not _zombie(pid)]
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def test_the_manager_loads_surya_reads_a_page_measures_it_and_unloading_ends_its_processes(
    tiny: dict[str, Path], page: PageImage
) -> None:
    events: list[Event] = []
    manager = ModelManager(ManagerPolicy(), SystemProbe(), events.append)
    chosen = options(tiny)
    estimate = SPEC.estimate(chosen)
    manager.register(NAME, SPEC, chosen, estimate)

    with manager.acquire(NAME, (page.width, page.height)) as lease:
        assert manager.info(NAME).state is ModelState.BUSY
        result = lease.recognize(page)
        served = model_servers()
        pids = surya_processes(served)
    info = manager.info(NAME)

    assert info.state is ModelState.READY
    assert len(served) == 1, "one model server, started by the backend"
    # The footprint is what the worker and its server hold (the tiny run: about 1.2 GiB).
    assert info.measured_bytes is not None and info.measured_bytes > 300 << 20
    assert result.backend == NAME and result.lines
    for line in result.lines:
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
        assert line.role in LINE_ROLES
    assert result.text.strip()

    assert manager.unload(NAME)
    assert manager.info(NAME).state is ModelState.UNLOADED
    assert gone(pids), "the worker and the server end with the unload"
    assert [e for e in events if isinstance(e, ModelLeaked)] == []
    states = [e.state for e in events if isinstance(e, ModelStateChanged) and e.model == NAME]
    assert states[:3] == [ModelState.LOADING, ModelState.READY, ModelState.BUSY]
    assert states[-1] is ModelState.UNLOADED


def test_a_server_that_cannot_start_is_a_load_error_in_words_and_leaves_no_process(
    tiny: dict[str, Path], tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    for source in tiny["source"].iterdir():
        (broken / source.name).symlink_to(source)
    (broken / "config.json").unlink()
    (broken / "config.json").write_text('{"model_type": "no_such_model"}', encoding="utf-8")
    before = {process.pid for process in own_processes()}
    assert not model_servers()

    with pytest.raises(ModelLoadError) as raised:
        SPEC.load(NAME, options(tiny, source=str(broken), start_timeout_s=120))

    assert "Surya could not start" in raised.value.message
    assert "model server exited" in raised.value.message
    left = [p.pid for p in own_processes() if p.pid not in before and started_by_surya(p)]
    assert gone(left), f"processes left after a failed start: {left}"


def test_a_server_that_dies_during_a_page_hands_it_to_the_next_engine_and_unloads_surya(
    tiny: dict[str, Path], page: PageImage, tmp_path: Path
) -> None:
    config = config_file(
        tmp_path,
        tiny,
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


def test_the_cli_reads_a_page_of_the_data_set_with_surya_and_leaves_no_server(
    tiny: dict[str, Path], page_file: Path, tmp_path: Path
) -> None:
    config = config_file(tmp_path, tiny)
    out = tmp_path / "out"

    result = run_cli(
        "--config", config, "ocr", page_file, "--backend", "surya", "--format", "json",
        "--out", out, "--events", tmp_path / "events.jsonl", "--store",
        tmp_path / "archive.sqlite3", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    (page,) = json.loads((out / f"{page_file.stem}.json").read_text(encoding="utf-8"))["pages"]
    assert page["backend"] == NAME and page["lines"]
    events = [
        json.loads(line)
        for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    states = [e for e in events if e["event"] == "model_state" and e["model"] == NAME]
    ready = next(e for e in states if e["state"] == "ready")
    assert ready["bytes"] > 300 << 20, "the worker and its server, measured"
    assert states[-1]["state"] == "unloaded"
    assert model_servers() == [], "the CLI's server ended with it"


def test_bench_measures_surya_with_the_memory_of_its_worker_and_server(
    tiny: dict[str, Path], page_file: Path, tmp_path: Path
) -> None:
    config = config_file(tmp_path, tiny)
    record = tmp_path / "bench.json"

    result = run_cli(
        "bench", page_file, "--config", config, "--backend", "surya", "--runs", "1",
        "--warmup", "0", "--json", record, "--plot", tmp_path / "bench.png", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    (row,) = json.loads(record.read_text(encoding="utf-8"))["rows"]
    assert row["status"] == "ok", row["reason"]
    assert row["version"] == "0.22.1"  # surya-ocr in its own environment
    assert row["pages"] == 1
    assert row["memory"]["peak_rss_growth_bytes"] > 300 << 20, "its processes count"


def test_a_cancel_during_a_page_stops_surya_at_once_and_the_next_page_starts_it_again(
    tiny: dict[str, Path], page: PageImage
) -> None:
    backend = SPEC.load(NAME, options(tiny))
    try:
        (server,) = model_servers()
        first = surya_processes([server])
        os.killpg(os.getpgid(server.pid), signal.SIGSTOP)  # the page would wait for ever
        cancel = CancelToken()
        threading.Timer(1.0, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            backend.recognize(page, cancel)
        assert time.monotonic() - started < 15
        assert gone(first), "the worker and its server were stopped"

        result = backend.recognize(page)
        assert result.lines and len(model_servers()) == 1
    finally:
        backend.close()


def test_ctrl_c_during_a_surya_page_ends_the_cli_and_every_surya_process(
    tiny: dict[str, Path], page_file: Path, tmp_path: Path
) -> None:
    """Ctrl-C in a terminal reaches the CLI's whole process group, Surya's worker with it:
    the worker leaves it to the CLI, which cancels the page and stops worker and server."""
    config = config_file(tmp_path, tiny)
    events = tmp_path / "events.jsonl"
    cli = subprocess.Popen(
        [sys.executable, "-m", "ablage_desktop", "--config", str(config), "ocr", str(page_file),
         "--backend", "surya", "--out", str(tmp_path / "out"), "--events", str(events),
         "--store", str(tmp_path / "archive.sqlite3")],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own group, as a terminal gives it
        # Ctrl-C as a terminal delivers it, even where this test runs with SIGINT ignored
        # (a background job): Python keeps an ignored SIGINT ignored in the child.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        server = None
        while server is None and time.monotonic() < deadline and cli.poll() is None:
            found = [p for p in psutil.Process(cli.pid).children(recursive=True)
                     if started_by_surya(p) and "serve" in p.cmdline()]  # fmt: skip
            ready = events.is_file() and '"state": "ready"' in events.read_text(encoding="utf-8")
            server = found[0] if found and ready else None
            time.sleep(0.2)
        assert server is not None, cli.stderr.read() if cli.poll() is not None else "no server"
        worker = server.parent()
        assert worker is not None
        os.killpg(os.getpgid(server.pid), signal.SIGSTOP)  # the page cannot finish
        time.sleep(1.0)
        os.killpg(cli.pid, signal.SIGINT)
        code = cli.wait(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()

    assert code == 128 + signal.SIGINT, cli.stderr.read()[-2000:] if cli.stderr else code
    assert gone([worker.pid, server.pid])


def test_a_server_the_configuration_names_is_used_and_left_running(
    tiny: dict[str, Path], page: PageImage, tmp_path: Path
) -> None:
    """``server_url``: the user's own server (a llama-server, a vLLM; here a transformers
    serve started by the test). Surya attaches to it, counts only its worker, and leaves the
    server as it found it."""
    served = serving_folder(tiny["source"], tmp_path / "served")
    server = TransformersServer(served, tmp_path / "server.log", folder_code=True)
    try:
        server.wait_healthy()
        chosen = options(tiny, server_url=server.base_url, served_model=server.model)
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
