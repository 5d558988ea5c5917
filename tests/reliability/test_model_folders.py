"""Untrusted model folders: each is refused with its typed error, once, and nothing in it runs.

The folders are real: a tiny GOT-OCR2 checkpoint (tests/tiny_models.py) copied and then spoiled
the way a download from the internet can be. The pickle and the remote code would each write a
marker file if anything executed them; the tests assert the marker never appears.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import pickle
import shutil
import sys
import time
from pathlib import Path

import pytest
from fakes import FakeProbe

pytest.importorskip("torch")

from tiny_models import build_got_ocr2

from ablage_desktop.engine.backends import REGISTRY, transformers_vlm
from ablage_desktop.engine.backends.base import Backend, EngineOptions
from ablage_desktop.engine.backends.got_ocr2 import GotOcr2
from ablage_desktop.engine.backends.model_folder import check_folder
from ablage_desktop.engine.backends.transformers_vlm import (
    VisionLanguageBackend,
    VisionLanguageOptions,
)
from ablage_desktop.engine.errors import (
    CorruptModelFiles,
    ModelLoadError,
    PickleWeightsRefused,
    RemoteCodeRefused,
)
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.state import ModelState

MARKER = "EXECUTED"


class _WritesMarker:
    """Unpickling this runs ``exec``: what a malicious ``pytorch_model.bin`` does."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


@pytest.fixture(scope="session")
def tiny_got(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_got_ocr2(tmp_path_factory.mktemp("tiny_got") / "got_ocr2")


def spoil(tiny: Path, folder: Path, case: str) -> Path:
    """A copy of ``tiny`` spoiled as ``case``; a marker file appears there if code runs."""
    shutil.copytree(tiny, folder)
    marker = folder / MARKER
    if case == "pickle_only":
        (folder / "model.safetensors").unlink()
        (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_WritesMarker(marker)))
    elif case in ("remote_code", "remote_tokenizer"):
        evil = f"open({str(marker)!r}, 'w').write('ran')\nclass Evil:\n    pass\n"
        (folder / "modeling_evil.py").write_text(evil, encoding="utf-8")
        target = "config.json" if case == "remote_code" else "tokenizer_config.json"
        config = json.loads((folder / target).read_text(encoding="utf-8"))
        config["auto_map"] = {"AutoModel": "modeling_evil.Evil", "AutoTokenizer": "modeling_evil"}
        (folder / target).write_text(json.dumps(config), encoding="utf-8")
    elif case == "truncated":
        weights = folder / "model.safetensors"
        with weights.open("r+b") as handle:
            handle.truncate(weights.stat().st_size // 2)
    else:
        raise AssertionError(case)
    return folder


CASES = {
    "pickle_only": (PickleWeightsRefused, "only pickle weights (pytorch_model.bin)"),
    "remote_code": (RemoteCodeRefused, "config.json asks for remote code"),
    "remote_tokenizer": (RemoteCodeRefused, "tokenizer_config.json asks for remote code"),
    "truncated": (CorruptModelFiles, "model.safetensors is cut short"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_untrusted_folder_fails_once_with_its_typed_error_and_runs_nothing(
    tiny_got: Path, tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    folder = spoil(tiny_got, tmp_path / case, case)
    error_type, words = CASES[case]
    spec = REGISTRY["got_ocr2"]
    attempts: list[str] = []

    def counted_load(name: str, options: EngineOptions) -> Backend:
        attempts.append(name)
        return spec.load(name, options)

    options = VisionLanguageOptions(engine="got_ocr2", source=str(folder), quantization="fp32")
    manager = ModelManager(ManagerPolicy(), FakeProbe())
    manager.register(
        "got_ocr2", dataclasses.replace(spec, load=counted_load), options, spec.estimate(options)
    )

    started = time.perf_counter()
    with caplog.at_level(logging.WARNING), pytest.raises(error_type) as caught:
        manager.acquire("got_ocr2")
    seconds = time.perf_counter() - started

    print(f"{case}: refused as {caught.value.kind} in {seconds * 1000:.1f} ms, 1 attempt")
    assert words in caught.value.message
    assert isinstance(caught.value, ModelLoadError)
    assert attempts == ["got_ocr2"]  # no retry: the manager retries out-of-memory only
    assert "try 1 of 2" not in caplog.text
    assert manager.info("got_ocr2").state is ModelState.FAILED
    assert manager.info("got_ocr2").error is not None
    assert manager.info("got_ocr2").error.kind == caught.value.kind  # type: ignore[union-attr]
    assert not (folder / MARKER).exists()
    assert "modeling_evil" not in sys.modules
    availability = spec.availability(options)
    assert not availability.ok and words in availability.reason
    manager.close()


def test_weights_damaged_after_the_check_still_give_the_typed_error(
    tiny_got: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader's own error (safetensors') is the second line: typed, not 'internal'."""
    folder = spoil(tiny_got, tmp_path / "truncated", "truncated")
    monkeypatch.setattr(transformers_vlm, "check_folder", lambda *args: None)
    options = VisionLanguageOptions(engine="got_ocr2", source=str(folder), quantization="fp32")

    with pytest.raises(CorruptModelFiles, match="weights are damaged"):
        VisionLanguageBackend("got_ocr2", options, GotOcr2())


def _header(shape: list[int], offsets: list[int]) -> bytes:
    raw = json.dumps({"w": {"dtype": "F32", "shape": shape, "data_offsets": offsets}}).encode()
    return len(raw).to_bytes(8, "little") + raw


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x00\x01", "shorter than a safetensors header"),
        ((1 << 40).to_bytes(8, "little") + b"{}", "more than any real one"),
        ((500).to_bytes(8, "little") + b'{"a":', "cut short inside its header"),
        ((5).to_bytes(8, "little") + b"[1,2]", "not a JSON object"),
        ((4).to_bytes(8, "little") + b"\xff\xfe{}", "not JSON"),
        (_header([2], [0, 4]), "does not fit"),
        (_header([2], [8, 0]), "bad data offsets"),
        (_header([-1], [0, 4]), "bad shape"),
        (_header([1], [0, 4]), "cut short"),
        (_header([1], [0, 4]) + b"\0" * 9, "5 bytes more than its header describes"),
    ],
)
def test_a_damaged_safetensors_header_is_corrupt_model_files(
    tiny_got: Path, tmp_path: Path, content: bytes, words: str
) -> None:
    folder = tmp_path / "damaged"
    shutil.copytree(tiny_got, folder)
    (folder / "model.safetensors").write_bytes(content)

    refusal = check_folder("got_ocr2", folder, "got_ocr2")

    assert isinstance(refusal, CorruptModelFiles)
    assert words in refusal.message


def test_a_shard_missing_from_the_index_is_corrupt_model_files(
    tiny_got: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "sharded"
    shutil.copytree(tiny_got, folder)
    index = {"weight_map": {"a": "model.safetensors", "b": "model-00002-of-00002.safetensors"}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index), encoding="utf-8")

    refusal = check_folder("got_ocr2", folder, "got_ocr2")

    assert isinstance(refusal, CorruptModelFiles)
    assert "model-00002-of-00002.safetensors" in refusal.message


def test_the_unspoiled_folder_passes_every_check(tiny_got: Path) -> None:
    assert check_folder("got_ocr2", tiny_got, "got_ocr2") is None
