"""``benchmarks/ui_latency.py``: its verdict covers every part of the target, with the misses."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def ui_latency(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))  # it imports its neighbour sample_pdf
    import ui_latency

    yield ui_latency
    sys.modules.pop("ui_latency", None)


def test_every_part_met_is_no_miss(ui_latency) -> None:
    assert ui_latency.target_misses({"largest_ms": 49.0, "p99_ms": 19.9}, 1.49) == []


def test_each_missed_part_is_named_with_its_margin(ui_latency) -> None:
    misses = ui_latency.target_misses({"largest_ms": 66.2, "p99_ms": 21.3}, 1.88)

    assert misses == ["largest gap 16.2 ms over", "p99 1.3 ms over", "window shown 0.38 s late"]


def test_a_p99_over_target_alone_is_a_miss(ui_latency) -> None:
    assert ui_latency.target_misses({"largest_ms": 26.4, "p99_ms": 21.0}, 1.2) == [
        "p99 1.0 ms over"
    ]


def test_the_pages_are_spread_over_the_documents_asked_for(
    ui_latency, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made: list[tuple[int, str]] = []

    def build(_sources: object, pages: int, target: Path) -> Path:
        made.append((pages, target.name))
        return target

    monkeypatch.setattr(ui_latency, "build_pdf", build)

    assert len(ui_latency.documents_of([], 10, 1, tmp_path)) == 1
    made.clear()
    documents = ui_latency.documents_of([], 10, 4, tmp_path)

    assert [pages for pages, _ in made] == [3, 3, 2, 2]
    assert len({path.name for path in documents}) == 4
    with pytest.raises(SystemExit):
        ui_latency.parse_args(["--pages", "3", "--documents", "4"])
