"""Writing a model entry into the user's configuration file (the GUI's "Add server").

The file is read back through ``load_config`` before this returns: an entry that would make
the file unusable is refused and the previous file is put back. YAML comments do not survive
the rewrite, so the previous version stays beside it as ``<name>.bak``.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.errors import ConfigError

log = logging.getLogger(__name__)


def save_model_entry(
    path: Path,
    name: str,
    entry: Mapping[str, Any],
    routing: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Set ``models.<name>`` (and the given ``routing`` chains) in ``path``, creating it."""
    previous = path.read_text(encoding="utf-8") if path.is_file() else None
    data: Any = yaml.safe_load(previous) if previous else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, "expected a mapping of sections (management, intake, models)")
    models = data.setdefault("models", {})
    if not isinstance(models, dict):
        raise ConfigError(path, "expected a mapping of models", key="models")
    models[name] = dict(entry)
    if routing:
        section = data.setdefault("routing", {})
        for chain, names in routing.items():
            section[chain] = list(names)
    backup = path.with_name(path.name + ".bak")
    path.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        shutil.copyfile(path, backup)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        load_config([path])
    except ConfigError:
        if previous is None:
            path.unlink()
        else:
            shutil.copyfile(backup, path)
        raise
    log.info("Saved model %s in %s", name, path)
