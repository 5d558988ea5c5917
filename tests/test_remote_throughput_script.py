"""``benchmarks/remote_throughput.py``: pages per second at each concurrency, against a server
on 127.0.0.1 (a scripted one: the point here is the script, not the server's speed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from benchmark_scripts import load_script
from remote_server import ScriptedServer, sse


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return load_script("remote_throughput.py", "remote_throughput_script")


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    running = ScriptedServer("m", lambda handler, body: sse(handler, ["Rechnung"], done=True))
    yield running
    running.stop()


def test_one_row_per_concurrency_with_every_page_read(
    script: ModuleType,
    server: ScriptedServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "figures.json"
    argv = ["--base-url", server.base_url, "--model", "m", "--pages", "3", "--concurrency", "1,2"]
    assert script.main([*argv, "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [row["concurrency"] for row in rows] == [1, 2]
    assert all(row["pages"] == 3 and row["failed"] == 0 and row["pages_per_s"] > 0 for row in rows)
    table = capsys.readouterr().out
    assert "| concurrency | pages |" in table and "| 2 | 3 | 0 |" in table
    # 3 measured pages and one warm-up page per concurrency, each one request
    chats = [path for path, _ in server.requests if path.endswith("/chat/completions")]
    assert len(chats) == 2 * (3 + 1)
