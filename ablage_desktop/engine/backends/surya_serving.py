"""The recognition model's server: the folder it serves and the command that serves it.

``transformers serve`` reads a model folder with ``AutoProcessor``; Surya's model is a
Qwen3.5-VL whose processor needs a video processor, hence torchvision, which the app's
environment does not have. The app therefore serves a folder of its own: links to the
model's files, plus ``surya_processor.py`` as the folder's processor code. The folder's path
is what the server reports as the model's id, and what Surya checks it against.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PROCESSOR_MODULE = "processing_ablage_surya"
PROCESSOR_CLASS = "ImageOnlyQwen3VLProcessor"
PROCESSOR_CONFIG = "processor_config.json"


def serving_folder(model: Path, into: Path) -> Path:
    """``into`` made a folder ``transformers serve`` can read ``model`` from; returns it."""
    into.mkdir(parents=True, exist_ok=True)
    for entry in into.iterdir():
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
    for source in sorted(model.iterdir()):
        if source.name in (PROCESSOR_CONFIG, f"{PROCESSOR_MODULE}.py") or not source.is_file():
            continue
        (into / source.name).symlink_to(source.resolve())
    shutil.copyfile(Path(__file__).with_name("surya_processor.py"), into / f"{PROCESSOR_MODULE}.py")
    processor = _json(model / PROCESSOR_CONFIG)
    processor["processor_class"] = PROCESSOR_CLASS
    processor["auto_map"] = {"AutoProcessor": f"{PROCESSOR_MODULE}.{PROCESSOR_CLASS}"}
    (into / PROCESSOR_CONFIG).write_text(json.dumps(processor, indent=2), encoding="utf-8")
    return into


def _json(path: Path) -> dict[str, object]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def transformers_serve_command(
    folder: Path, port: int, device: str, dtype: str = "auto", folder_code: bool = True
) -> list[str]:
    """``transformers serve`` for ``folder`` on ``127.0.0.1:port`` with the app's Python;
    ``folder_code``: run the processor code the folder carries (the app's own, above)."""
    command = [
        sys.executable,
        "-m",
        "transformers.cli.transformers",
        "serve",
        str(folder),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--device",
        device,
        "--dtype",
        dtype,
    ]
    return [*command, "--trust-remote-code"] if folder_code else command
