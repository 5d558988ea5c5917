"""The C heap's arena cap that ``app.main`` sets first thing (``engine/memory/heap.py``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CAP = "from ablage_desktop.engine import limit_heap_arenas; print(limit_heap_arenas())"


def capped(env: dict[str, str]) -> str:
    """What ``limit_heap_arenas`` says in a fresh process (a cap set here would stay)."""
    result = subprocess.run(
        [sys.executable, "-c", CAP], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt: Linux only")
def test_the_arenas_are_capped_unless_the_user_set_their_own() -> None:
    without = {key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"}

    assert capped(without) == "True"
    assert capped({**without, "MALLOC_ARENA_MAX": "8"}) == "False"
