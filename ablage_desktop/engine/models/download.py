"""``models download``: where a model's files come from and where they go, and the fetch.

The vision-language models go into the Hugging Face cache, where their backends find them by
the cache's layout. An engine that reads its files from a folder of its own names it
(``BackendSpec.download_folder``: Docling's layout weights go where Docling reads its
``artifacts_path``, not into the cache). An engine may need files the hub does not hold
(``BackendSpec.fetch_extra``: Surya's own environment and text detector), fetched before the
hub's, and may restrict its weights' use (``BackendSpec.licence``, shown first). The one
network use of the app; ``huggingface_hub`` is imported only here, when asked.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.backends import REGISTRY, EngineOptions
from ablage_desktop.engine.errors import DownloadFailed

log = logging.getLogger(__name__)

DOWNLOAD_PATTERNS = ("*.json", "*.safetensors", "*.txt", "*.model", "*.jinja", "*.tiktoken")
"""Configuration, tokenizer and safetensors weights; never pickle weights or code."""

OFFLINE_HINT = (
    "the Hugging Face hub cannot be reached from here (no network, or HF_HUB_OFFLINE is set); "
    "run the download on a machine with internet"
)


@dataclass(frozen=True, slots=True)
class DownloadTarget:
    """A hub repository at a revision, and the folder its files go to."""

    source: str
    revision: str | None
    folder: Path | None
    """A folder of its own (Docling's layout weights); None: the Hugging Face cache."""
    present: bool = False
    """The files are already in ``folder`` (the engine says so): nothing to fetch."""

    def describe(self) -> str:
        at = f" at {self.revision}" if self.revision else ""
        where = f" into {self.folder}" if self.folder is not None else ""
        return f"{self.source}{at}{where}"


def download_target(options: EngineOptions) -> DownloadTarget | None:
    """What ``models download`` fetches for a model with ``options``; None when its engine
    has nothing to fetch (it ships with its package, or is read from a local folder)."""
    source = getattr(options, "source", None)
    if not source or Path(str(source)).expanduser().is_dir():
        return None
    revision = getattr(options, "revision", None)
    spec = REGISTRY.get(options.engine)
    folder = spec.download_folder(options) if spec is not None else None
    present = spec is not None and folder is not None and spec.downloaded(options)
    return DownloadTarget(str(source), revision, folder, present)


def download_licence(options: EngineOptions) -> str:
    """The licence of the model's weights in words, to show before a download; empty when
    its engine has nothing to say."""
    spec = REGISTRY.get(options.engine)
    return spec.licence if spec is not None else ""


def extra_download(options: EngineOptions) -> Callable[[Callable[[str], None]], None] | None:
    """What the model's engine fetches besides the hub repository, ready to run with a
    function that is told each step in words; None when there is nothing such.

    Running it raises ``DownloadFailed`` in words."""
    spec = REGISTRY.get(options.engine)
    if spec is None or spec.fetch_extra is None:
        return None
    return functools.partial(spec.fetch_extra, options)


def download_model(target: DownloadTarget) -> Path:
    """Fetch ``target`` (with the hub's progress bars on stderr); the folder that holds it.

    Raises ``DownloadFailed`` in words: no network, the hub refused, a full disk."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError, OfflineModeIsEnabled

    log.info("Downloading %s", target.describe())
    try:
        folder = snapshot_download(
            target.source,
            revision=target.revision,
            local_dir=target.folder,
            allow_patterns=list(DOWNLOAD_PATTERNS),
        )
    except (LocalEntryNotFoundError, OfflineModeIsEnabled) as exc:
        raise DownloadFailed(f"could not download {target.source}: {OFFLINE_HINT} ({exc})") from exc
    except Exception as exc:  # authentication, a missing revision, a full disk: in words
        raise DownloadFailed(f"could not download {target.source}: {exc}") from exc
    return Path(str(folder))
