"""``benchmarks/remote_throughput.py``: pages per second at each concurrency, against a server
on 127.0.0.1 (a scripted one: the point here is the script, not the server's speed)."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from remote_server import ScriptedServer, sse

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "remote_throughput.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("remote_throughput_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
