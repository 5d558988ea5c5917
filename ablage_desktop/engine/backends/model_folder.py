"""Checks of a model folder before anything in it is loaded: nothing read here can run code.

A folder from the internet is untrusted. What it could do, and what we refuse:

* pickle weights (``.bin``, ``.pt``...) run code when unpickled: only ``.safetensors`` load
  (``PickleWeightsRefused``);
* an ``auto_map`` in ``config.json`` (or the tokenizer's or processor's config) names Python
  files of the folder that transformers would import with ``trust_remote_code``
  (``RemoteCodeRefused``);
* a truncated or damaged ``.safetensors`` (an interrupted download, a full disk) fails deep in
  the loader with an opaque message, or worse, after minutes of reading: its header says how
  long the file must be, so the length is checked first (``CorruptModelFiles``).

Only JSON files and the safetensors headers (a few KB) are read; no weight, no code.
Every refusal is a typed ``ModelLoadError``, which the manager does not retry (it retries
out-of-memory only).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from ablage_desktop.engine.errors import (
    CorruptModelFiles,
    ModelLoadError,
    PickleWeightsRefused,
    RemoteCodeRefused,
)

PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl")
CODE_CONFIGS = (
    "config.json",
    "tokenizer_config.json",
    "preprocessor_config.json",
    "processor_config.json",
    "video_preprocessor_config.json",
)
"""The JSON files in which transformers looks for ``auto_map`` (remote code)."""
SHARD_INDEX = "model.safetensors.index.json"
MAX_HEADER_BYTES = 100 << 20
"""The safetensors library's own limit on the JSON header."""
DTYPE_BYTES = {
    "BOOL": 1,
    "U8": 1,
    "I8": 1,
    "F8_E4M3": 1,
    "F8_E5M2": 1,
    "U16": 2,
    "I16": 2,
    "F16": 2,
    "BF16": 2,
    "U32": 4,
    "I32": 4,
    "F32": 4,
    "U64": 8,
    "I64": 8,
    "F64": 8,
    "C64": 8,
}


def check_folder(
    name: str, folder: Path, model_type: str | tuple[str, ...]
) -> ModelLoadError | None:
    """Why the model ``name`` must not be loaded from ``folder``, as the error to raise; or None.

    ``model_type`` is the ``config.json`` model_type expected, or the several accepted.

    The order matters: code (remote code, pickles) is refused before the files are judged.
    """
    config_file = folder / "config.json"
    if not config_file.is_file():
        return ModelLoadError(name, f"{folder} has no config.json")
    configs: dict[str, Any] = {}
    for file_name in CODE_CONFIGS:
        path = folder / file_name
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return CorruptModelFiles(name, f"{path} is not readable JSON: {exc}")
        if not isinstance(data, dict):
            return CorruptModelFiles(name, f"{path} is not a JSON object")
        if data.get("auto_map"):
            return RemoteCodeRefused(
                name,
                f"{path} asks for remote code (auto_map); this app never runs code that comes "
                "with a model",
            )
        configs[file_name] = data
    found = configs["config.json"].get("model_type")
    accepted = (model_type,) if isinstance(model_type, str) else model_type
    if found not in accepted:
        wanted = "' or '".join(accepted)
        return ModelLoadError(name, f"{config_file} is a '{found}' model, not '{wanted}'")
    weights = sorted(folder.glob("*.safetensors"))
    if not weights:
        pickles = sorted(p.name for p in folder.iterdir() if p.suffix in PICKLE_SUFFIXES)
        if pickles:
            return PickleWeightsRefused(
                name,
                f"{folder} has only pickle weights ({', '.join(pickles)}); this app loads "
                "safetensors only, because pickle files can run code",
            )
        return ModelLoadError(name, f"{folder} has no .safetensors weights")
    problem = _missing_shard(folder) or next(
        (p for p in (safetensors_problem(path) for path in weights) if p), None
    )
    return CorruptModelFiles(name, problem) if problem else None


def _missing_shard(folder: Path) -> str | None:
    index = folder / SHARD_INDEX
    if not index.is_file():
        return None
    try:
        weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
        shards = sorted({str(shard) for shard in weight_map.values()})
    except (OSError, ValueError, AttributeError) as exc:
        return f"{index} is not a readable shard index: {exc}"
    missing = [shard for shard in shards if not (folder / shard).is_file()]
    if missing:
        return f"{folder} lacks the weight file(s) its {SHARD_INDEX} lists: {', '.join(missing)}"
    return None


def safetensors_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole safetensors file, from its header and length; or None."""
    try:
        size = path.stat().st_size
        header = read_header(path)
    except (OSError, ValueError) as exc:
        return f"{path} is damaged: {exc}"
    expected = 8 + header.length + header.data_bytes
    if size < expected:
        return (
            f"{path} is cut short: {size} of its {expected} bytes are there (an interrupted "
            "download or a full disk?); download the model again"
        )
    if size > expected:
        return f"{path} is damaged: {size - expected} bytes more than its header describes"
    return None


class Header:
    """What a safetensors header says: its own length, the tensors, the bytes they need."""

    def __init__(self, length: int, tensors: dict[str, dict[str, Any]]) -> None:
        self.length = length
        self.tensors = tensors
        self.data_bytes = max((t["data_offsets"][1] for t in tensors.values()), default=0)

    def parameters(self) -> int:
        total = 0
        for entry in self.tensors.values():
            count = 1
            for dim in entry["shape"]:
                count *= dim
            total += count
        return total


def read_header(path: Path) -> Header:
    """The checked header of a safetensors file; ``ValueError`` says what is wrong with it."""
    with path.open("rb") as handle:
        prefix = handle.read(8)
        if len(prefix) < 8:
            raise ValueError("shorter than a safetensors header")
        (length,) = struct.unpack("<Q", prefix)
        if length > MAX_HEADER_BYTES:
            raise ValueError(f"its header claims {length} bytes, more than any real one")
        raw = handle.read(length)
    if len(raw) < length:
        raise ValueError(f"cut short inside its header ({len(raw)} of {length} bytes)")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"its header is not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("its header is not a JSON object")
    tensors = {name: entry for name, entry in data.items() if name != "__metadata__"}
    for name, entry in tensors.items():
        _check_tensor(name, entry)
    return Header(length, tensors)


def _check_tensor(name: str, entry: Any) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"tensor {name!r} has no description")
    offsets, shape = entry.get("data_offsets"), entry.get("shape")
    if not (_ints(offsets) and len(offsets) == 2 and 0 <= offsets[0] <= offsets[1]):
        raise ValueError(f"tensor {name!r} has bad data offsets {offsets!r}")
    if not (_ints(shape) and all(dim >= 0 for dim in shape)):
        raise ValueError(f"tensor {name!r} has a bad shape {shape!r}")
    width = DTYPE_BYTES.get(str(entry.get("dtype")))
    if width is not None:
        count = 1
        for dim in shape:
            count *= dim
        if count * width != offsets[1] - offsets[0]:
            raise ValueError(f"tensor {name!r} does not fit its data offsets")


def _ints(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    )


def model_type_of(folder: Path) -> str | None:
    """``config.json``'s model_type, or None where the file is missing or unreadable."""
    try:
        data = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = data.get("model_type") if isinstance(data, dict) else None
    return str(found) if found else None


def safetensors_parameters(folder: Path) -> int | None:
    """Parameter count from the safetensors headers (a few KB read, no weights)."""
    total = 0
    for path in sorted(folder.glob("*.safetensors")):
        try:
            total += read_header(path).parameters()
        except (OSError, ValueError):
            return None
    return total or None
