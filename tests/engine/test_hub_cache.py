"""Models found in the Hugging Face cache without importing ``huggingface_hub``'s download code,
and found exactly where ``snapshot_download(local_files_only=True)`` finds them."""

from __future__ import annotations

from pathlib import Path

import pytest
from huggingface_hub import snapshot_download
from huggingface_hub.errors import LocalEntryNotFoundError

from ablage_desktop.engine.backends.hub_cache import cached_snapshot, hub_cache

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def cache_with_model(root: Path, repo_id: str, ref: str = "main") -> Path:
    repo = root / ("models--" + repo_id.replace("/", "--"))
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / ref).write_text(COMMIT, encoding="utf-8")
    snapshot = repo / "snapshots" / COMMIT
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}", encoding="utf-8")
    return snapshot


def hub_answer(repo_id: str, revision: str | None, cache: Path) -> Path | None:
    try:
        found = snapshot_download(
            repo_id, revision=revision, cache_dir=cache, local_files_only=True
        )
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    return Path(found)


@pytest.mark.parametrize(
    ("repo_id", "revision"),
    [
        ("org/model", None),
        ("org/model", "main"),
        ("org/model", COMMIT),
        ("org/other", None),
        ("org/model", "v2"),
    ],
)
def test_a_cached_model_is_found_where_the_hub_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_id: str, revision: str | None
) -> None:
    cache = tmp_path / "hub"
    cache_with_model(cache, "org/model")
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))

    assert cached_snapshot(repo_id, revision) == hub_answer(repo_id, revision, cache)


def test_the_cache_is_found_from_the_environment_of_the_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert hub_cache() == tmp_path / ".cache" / "huggingface" / "hub"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hub_cache() == tmp_path / "xdg" / "huggingface" / "hub"
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert hub_cache() == tmp_path / "hf" / "hub"
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "elsewhere"))
    assert hub_cache() == tmp_path / "elsewhere"
