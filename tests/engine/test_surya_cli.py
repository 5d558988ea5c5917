"""Surya through the command line: ``ocr`` and ``bench`` start its worker and server and end
them with the run, and Ctrl-C in a terminal during a page ends every Surya process.

The tiny models of ``tiny_surya`` stand in for the real weights (a real ``transformers
serve``, Surya's own predictors); the text is noise, the processes and events are real.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from cli_process import run_cli
from tiny_surya import config_file, gone, model_servers, needs_surya, page_file, started_by_surya

NAME = "surya"
# Slow: every test starts Surya's worker and its model server, torch in each.
pytestmark = [needs_surya, pytest.mark.usefixtures("surya_on_one_thread"), pytest.mark.slow]


def test_bench_measures_surya_with_the_memory_of_its_worker_and_server(
    surya_models: dict[str, Path], tmp_path: Path
) -> None:
    document = page_file(tmp_path)
    config = config_file(tmp_path, surya_models)
    record = tmp_path / "bench.json"

    result = run_cli(
        "bench", document, "--config", config, "--backend", "surya", "--runs", "1",
        "--warmup", "0", "--json", record, "--plot", tmp_path / "bench.png", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    (row,) = json.loads(record.read_text(encoding="utf-8"))["rows"]
    assert row["status"] == "ok", row["reason"]
    assert row["version"] == "0.22.1"  # surya-ocr in its own environment
    assert row["pages"] == 1
    assert row["memory"]["peak_rss_growth_bytes"] > 300 << 20, "its processes count"
    assert model_servers() == [], "the CLI's server ended with it"


def test_the_cli_reads_with_surya_and_ctrl_c_during_a_page_ends_every_surya_process(
    surya_models: dict[str, Path], tmp_path: Path
) -> None:
    """The first document is read and written; Ctrl-C during a later page reaches the CLI's
    whole process group, Surya's worker with it: the worker leaves it to the CLI, which
    cancels the page and stops worker and server (one Surya start for both checks)."""
    page = page_file(tmp_path)
    # More documents than the run reaches: a tiny model's page takes about a second, and a
    # later page must still be under way when the server is paused.
    documents = [tmp_path / f"{n}-{page.name}" for n in range(6)]
    for document in documents:
        shutil.copyfile(page, document)
    config = config_file(tmp_path, surya_models)
    events, out = tmp_path / "events.jsonl", tmp_path / "out"
    first = out / f"{documents[0].stem}.json"
    cli = subprocess.Popen(
        [sys.executable, "-m", "ablage_desktop", "--config", str(config), "ocr",
         *map(str, documents), "--backend", "surya", "--format", "json", "--out", str(out),
         "--events", str(events), "--store", str(tmp_path / "archive.sqlite3")],
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
            server = found[0] if found and first.is_file() else None
            time.sleep(0.1)
        assert server is not None, cli.stderr.read() if cli.poll() is not None else "no server"
        worker = server.parent()
        assert worker is not None
        os.killpg(os.getpgid(server.pid), signal.SIGSTOP)  # a later page cannot finish
        time.sleep(1.0)
        os.killpg(cli.pid, signal.SIGINT)
        code = cli.wait(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()

    assert code == 128 + signal.SIGINT, cli.stderr.read()[-2000:] if cli.stderr else code
    assert gone([worker.pid, server.pid])
    (read,) = json.loads(first.read_text(encoding="utf-8"))["pages"]
    assert read["backend"] == NAME and read["lines"]
    states = [
        event
        for event in map(json.loads, events.read_text(encoding="utf-8").splitlines())
        if event["event"] == "model_state" and event["model"] == NAME
    ]
    ready = next(e for e in states if e["state"] == "ready")
    assert ready["bytes"] > 300 << 20, "the worker and its server, measured"
