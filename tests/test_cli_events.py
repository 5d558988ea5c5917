"""``ocr --events FILE``: the engine's decisions and memory readings as JSON lines, end to end.

Each run is a child process with its own XDG folders, so the footprints one run measures are
what the next process reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from samples import text_page

TIMEOUT_S = 180


@dataclass(frozen=True)
class Run:
    result: subprocess.CompletedProcess[str]
    events: list[dict[str, Any]]
    page: Path
    env: dict[str, str]

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["event"] == kind]


def user_env(root: Path) -> dict[str, str]:
    """Fresh config and data folders: no user config, no footprints from earlier runs."""
    return {"XDG_CONFIG_HOME": str(root / "config"), "XDG_DATA_HOME": str(root / "data")}


def run_cli(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ablage_desktop", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env={**os.environ, **env},
        check=False,
    )


def ocr_with_events(root: Path, *options: str) -> Run:
    root.mkdir(parents=True, exist_ok=True)
    page = root / "invoice.png"
    text_page().save(page, dpi=(300, 300))
    events_file = root / "events.jsonl"
    env = user_env(root)
    result = run_cli("ocr", page, "--events", events_file, *options, cwd=root, env=env)
    assert result.returncode == 0, result.stderr
    lines = events_file.read_text(encoding="utf-8").splitlines()
    return Run(result, [json.loads(line) for line in lines], page, env)


@pytest.fixture(scope="module")
def auto_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One run with the default backend (auto), shared by the tests that read it."""
    return ocr_with_events(tmp_path_factory.mktemp("auto"))


def test_every_line_is_an_event_with_a_time(auto_run: Run) -> None:
    assert auto_run.events
    assert all({"event", "t"} <= event.keys() for event in auto_run.events)
    assert all(isinstance(event["t"], float) and event["t"] > 0 for event in auto_run.events)


def test_auto_routes_a_clean_page_to_rapidocr_and_says_why(auto_run: Run) -> None:
    (route,) = auto_run.of("route")

    assert route["document"] == str(auto_run.page)
    assert route["page"] == 0
    assert route["backend"] == "rapidocr"
    assert route["reason"].startswith("simple page: clean print"), route["reason"]
    assert auto_run.of("fallback") == []


@pytest.mark.parametrize("model", ["rapidocr", "tesseract"])
def test_the_model_walks_its_states_with_its_bytes(auto_run: Run, model: str) -> None:
    """In auto Tesseract reads the page first and RapidOCR the lines it is not sure of;
    RapidOCR is loaded meanwhile (``_load_ahead``), a load that does not use it: its one busy
    spell is its page's."""
    states = [e for e in auto_run.of("model_state") if e["model"] == model]

    assert [e["state"] for e in states] == [
        "loading",
        "ready",
        "busy",
        "ready",
        "unloading",
        "unloaded",
    ]
    assert all(e["bytes"] > 0 for e in states[:-1])
    assert states[-1]["bytes"] == 0
    assert all(e["device"] == "cpu" for e in states)


def test_the_page_done_names_its_backend_after_the_route(auto_run: Run) -> None:
    (done,) = auto_run.of("page_done")
    (route,) = auto_run.of("route")

    assert done == {
        **done,
        "document": str(auto_run.page),
        "page": 0,
        "backend": "rapidocr+tesseract",
    }
    assert done["seconds"] > 0
    assert auto_run.events.index(route) < auto_run.events.index(done)


def test_memory_readings_are_logged(auto_run: Run) -> None:
    memory = auto_run.of("memory")

    assert memory
    for reading in memory:
        assert {
            "rss",
            "ram_used",
            "ram_total",
            "vram_allocated",
            "vram_reserved",
            "vram_total",
        } <= (reading.keys())
        assert reading["rss"] > 0
        assert 0 < reading["ram_used"] < reading["ram_total"]
        assert reading["pressure"] == "normal"


def test_a_later_models_list_reports_the_measured_footprint(auto_run: Run, tmp_path: Path) -> None:
    result = run_cli("models", "list", "--json", cwd=tmp_path, env=auto_run.env)

    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    stored = json.loads(
        (Path(auto_run.env["XDG_DATA_HOME"]) / "ablage-desktop" / "footprints.json").read_text()
    )
    assert rows["rapidocr"]["measured_bytes"] == stored["rapidocr"] > 0
    assert rows["tesseract"]["measured_bytes"] == stored["tesseract"] > 0
    assert rows["surya"]["measured_bytes"] is None  # not run


def test_a_chosen_backend_is_routed_as_chosen_by_the_user(tmp_path: Path) -> None:
    run = ocr_with_events(tmp_path, "--backend", "tesseract")

    (route,) = run.of("route")
    assert (route["backend"], route["reason"]) == ("tesseract", "chosen by the user")
    (done,) = run.of("page_done")
    assert done["backend"] == "tesseract"
