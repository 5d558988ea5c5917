"""Where a hub model is on this machine: the Hugging Face cache, read from its own layout.

Read without ``huggingface_hub``: importing its download code took 0.26-0.5 s of the window's
start, for every model in the table.
"""

from __future__ import annotations

import os
from pathlib import Path


def hub_cache() -> Path:
    """The Hugging Face hub cache, found as ``huggingface_hub`` finds it, from the environment
    at the time of the call."""
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(variable):
            return Path(os.environ[variable]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser()
    return cache / "huggingface" / "hub"


def cached_snapshot(repo_id: str, revision: str | None) -> Path | None:
    """The folder of ``repo_id`` at ``revision`` (a branch, tag or commit) in the hub cache,
    or None where it is not there.

    The cache's own layout (``models--org--name/refs/<ref>`` names the commit,
    ``snapshots/<commit>`` holds the files), read without ``huggingface_hub``: importing its
    download code took 0.26-0.5 s of the window's start, for every model in the table.
    """
    repo = hub_cache() / ("models--" + repo_id.replace("/", "--"))
    commit = revision or "main"
    ref = repo / "refs" / commit
    try:
        if ref.is_file():
            commit = ref.read_text(encoding="utf-8").strip()
        snapshot = repo / "snapshots" / commit
        return snapshot if commit and snapshot.is_dir() else None
    except (OSError, ValueError):
        return None
