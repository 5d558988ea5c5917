"""``models download surya``: its text detector from a model store (a real HTTP server on
loopback, laid out as Datalab's), its environment's pip failures, and the command itself."""

from __future__ import annotations

import functools
import http.server
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import run_cli

from ablage_desktop.engine.backends.surya import LICENCE, SuryaOptions
from ablage_desktop.engine.backends.surya_download import (
    DATALAB_STORE,
    build_environment,
    download_detector,
    fetch_extras,
)
from ablage_desktop.engine.errors import DownloadFailed

DETECTOR = "text_detection/2025_05_07"
FILES = {"config.json": b'{"model_type": "efficientvit"}', "model.safetensors": b"\0" * 4096}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def store_model(root: Path, path: str, files: dict[str, bytes], names: list[str]) -> None:
    """A model in the store's layout: ``<path>/manifest.json`` naming ``names``."""
    folder = root / path
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    (folder / "manifest.json").write_text(json.dumps({"files": names}), encoding="utf-8")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[str]:
    """A model store on 127.0.0.1 serving the detector, a manifest that names a file outside
    the model's folder, and one that is not JSON; its address."""
    root = tmp_path / "store"
    store_model(root, DETECTOR, FILES, list(FILES))
    store_model(root, "text_detection/evil", FILES, ["config.json", "../evil"])
    store_model(root, "text_detection/absolute", FILES, ["config.json", "/tmp/evil"])
    store_model(root, "text_detection/no_weights", {"config.json": b"{}"}, ["config.json"])
    (root / "text_detection" / "evil.txt").write_text("outside")
    (root / "text_detection/broken").mkdir()
    (root / "text_detection/broken/manifest.json").write_text("not json")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_detector_is_fetched_into_its_folder(store: str, tmp_path: Path) -> None:
    models = tmp_path / "models"
    steps: list[str] = []

    folder = download_detector(DETECTOR, models / "detector", base_url=store, report=steps.append)

    assert folder == models / "detector"
    assert {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()} == {
        **FILES,
        "manifest.json": json.dumps({"files": list(FILES)}).encode(),
    }
    assert [path.name for path in models.iterdir()] == ["detector"]  # no staging folder left
    assert len(steps) == 2 and steps[1].strip().startswith("model.safetensors: ")


def test_an_incomplete_folder_is_replaced(store: str, tmp_path: Path) -> None:
    folder = tmp_path / "detector"
    folder.mkdir()
    (folder / "config.json").write_text("{}")  # no weights: an earlier attempt, by hand

    download_detector(DETECTOR, folder, base_url=store)

    assert (folder / "model.safetensors").read_bytes() == FILES["model.safetensors"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["detector", "store"]


@pytest.mark.parametrize("path", ["text_detection/evil", "text_detection/absolute"])
def test_a_manifest_naming_a_file_outside_the_folder_is_refused(
    store: str, tmp_path: Path, path: str
) -> None:
    models = tmp_path / "models"

    with pytest.raises(DownloadFailed) as raised:
        download_detector(path, models / "detector", base_url=store)

    assert "outside the model's folder; refused" in raised.value.message
    assert list(models.iterdir()) == []  # neither the folder nor the staging one, nor "evil"
    assert not (tmp_path / "evil").exists()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("text_detection/missing", "answered HTTP 404"),
        ("text_detection/broken", "is not a manifest"),
        ("text_detection/no_weights", "holds no config.json and *.safetensors"),
    ],
)
def test_a_model_the_store_cannot_give_is_said_in_words(
    store: str, tmp_path: Path, path: str, words: str
) -> None:
    models = tmp_path / "models"

    with pytest.raises(DownloadFailed) as raised:
        download_detector(path, models / "detector", base_url=store)

    assert raised.value.message.startswith("could not download Surya's text detector")
    assert words in raised.value.message
    assert list(models.iterdir()) == []


def test_no_store_to_reach_is_said_in_words(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on once it is closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(DownloadFailed) as raised:
        download_detector(DETECTOR, tmp_path / "detector", base_url=f"http://127.0.0.1:{port}")

    assert "cannot be reached" in raised.value.message
    assert "no network?" in raised.value.message
    assert not (tmp_path / "detector").exists()


def test_a_configured_python_without_surya_is_not_built_over(tmp_path: Path) -> None:
    options = SuryaOptions(engine="surya", python=tmp_path / "env" / "bin" / "python")

    with pytest.raises(DownloadFailed) as raised:
        fetch_extras(options, lambda step: None)

    assert "has no surya-ocr" in raised.value.message
    assert not (tmp_path / "env").exists()


def test_pip_failing_in_the_environment_is_download_failed(tmp_path: Path) -> None:
    python = tmp_path / "env" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text("#!/bin/sh\nexit 3\n")
    python.chmod(0o755)

    with pytest.raises(DownloadFailed) as raised:
        build_environment(tmp_path / "env", "torch==2.13.0")

    assert "could not build Surya's environment in" in raised.value.message
    assert "`-m pip install --quiet torch==2.13.0` failed with exit status 3" in (
        raised.value.message
    )


@pytest.mark.slow
def test_a_torch_pip_cannot_find_is_download_failed(tmp_path: Path) -> None:
    """A real environment, a real pip: about 5 s (no network needed to fail)."""
    with pytest.raises(DownloadFailed) as raised:
        build_environment(tmp_path / "env", "torch==0.0.0-doesnotexist")

    assert "torch==0.0.0-doesnotexist` failed with exit status" in raised.value.message
    assert "pip's own message is above" in raised.value.message


def surya_config(tmp_path: Path, store: str = DATALAB_STORE) -> tuple[Path, Path]:
    """A configuration naming an environment with Surya in it (as laid out on disk, which is
    what the download reads) and a models folder of the test's own."""
    environment = tmp_path / "surya-env"
    (environment / "bin").mkdir(parents=True)
    (environment / "bin" / "python").write_text("")
    package = environment / "lib" / "python3.11" / "site-packages" / "surya"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    models = tmp_path / "models"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"models:\n  surya:\n    python: {environment / 'bin' / 'python'}\n"
        f"    models_path: {models}\n    model_store: {store}\n",
        encoding="utf-8",
    )
    return config, models


def test_models_download_surya_shows_the_licence_then_fetches_and_says_offline_in_words(
    store: str, tmp_path: Path
) -> None:
    config, models = surya_config(tmp_path, store)

    result = run_cli(  # HF_HUB_OFFLINE=1 comes from conftest
        "models", "download", "surya", "--config", config, cwd=tmp_path
    )

    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith(f"Licence: {LICENCE}\n")
    assert "Surya's environment is already in" in out
    assert out.index("Licence: ") < out.index("Downloading Surya's text detector")
    detector = models / "text_detection--2025_05_07"
    assert (detector / "model.safetensors").read_bytes() == FILES["model.safetensors"]
    assert "could not download datalab-to/surya-ocr-2" in result.stderr
    assert "HF_HUB_OFFLINE is set" in result.stderr
    assert "Traceback" not in result.stderr


def test_models_download_surya_skips_what_is_there(tmp_path: Path) -> None:
    config, models = surya_config(tmp_path)
    for name in ("text_detection--2025_05_07", "datalab-to--surya-ocr-2"):
        (models / name).mkdir(parents=True)
        for file, content in FILES.items():
            (models / name / file).write_bytes(content)

    result = run_cli("models", "download", "surya", "--config", config, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Licence: ")
    assert "Surya's text detector is already in" in result.stdout
    assert "datalab-to/surya-ocr-2 into" in result.stdout
    assert "already there." in result.stdout
    assert result.stdout.rstrip().endswith("surya is ready.")
