"""``models download surya``: Surya's own environment and its text detector.

Surya needs two things the Hugging Face hub does not hold, fetched before its recognition
model (which ``models.download`` fetches from the hub like any other): its own Python
environment (``surya_environment``: pip, about 1.4 GB) and its text detector, which lives in
Datalab's model store. The store serves a model as Surya's own code fetches it
(``surya/common/s3.py``): ``<store>/<path>/manifest.json`` lists the files, each at
``<store>/<path>/<file>``. The app fetches them with the standard library into the folder
the worker reads (``DETECTOR_MODEL_CHECKPOINT``), atomically, so that a failed download never
leaves a folder that looks complete. Each step is skipped when its result is already there.
"""

from __future__ import annotations

import http.client
import json
import logging
import shlex
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from importlib import metadata
from pathlib import Path, PurePosixPath

from ablage_desktop.engine.backends import surya_environment
from ablage_desktop.engine.backends.base import EngineOptions
from ablage_desktop.engine.errors import DownloadFailed

log = logging.getLogger(__name__)

Report = Callable[[str], None]

DATALAB_STORE = "https://models.datalab.to"
TIMEOUT_S = 60.0
"""Seconds without an answer (connecting, or between two reads) before a fetch gives up."""
CHUNK = 1 << 20
OFFLINE_HINT = "no network? run the download on a machine with internet"


def fetch_extras(options: EngineOptions, report: Report) -> None:
    """Surya's ``fetch_extra``: its environment, then its text detector, each where the app
    looks for it (``surya.environment_python``, ``surya.detector_folder``).

    Raises ``DownloadFailed`` in words."""
    # Imported here: surya.py names this function in its SPEC, so it imports this module.
    from ablage_desktop.engine.backends import surya

    assert isinstance(options, surya.SuryaOptions)
    python = surya.environment_python(options)
    folder = python.parent.parent
    if python.exists() and surya.has_surya(python):
        report(f"Surya's environment is already in {folder}.")
    elif options.python is not None:
        raise DownloadFailed(
            f"the configured Python of Surya's environment ({python}) has no surya-ocr: "
            "install it there, or remove `python:` from the surya entry so that "
            "`ablage-desktop models download surya` builds an environment of its own"
        )
    else:
        report(f"Building Surya's environment in {folder} (pip; this takes minutes) ...")
        build_environment(folder)
    detector = surya.detector_folder(options)
    if surya._has_weights(detector):
        report(f"Surya's text detector is already in {detector}.")
    elif detector == Path(options.detector).expanduser():
        raise DownloadFailed(
            f"Surya's text detector is read from the folder {detector}, which has no "
            "config.json and *.safetensors: copy the detector there, or set `detector:` to "
            f"its path in Datalab's model store ({surya.DETECTION})"
        )
    else:
        report(f"Downloading Surya's text detector {options.detector} into {detector} ...")
        download_detector(options.detector, detector, base_url=options.model_store, report=report)


def _torch_pin() -> str:
    """The app's own torch (one build on the machine), or the newest where the app has none
    (a packaged build without torch)."""
    try:
        return surya_environment.app_torch_pin()
    except metadata.PackageNotFoundError:
        return "torch"


def build_environment(folder: Path, torch_pin: str | None = None) -> Path:
    """``surya_environment.build_environment`` with its failures in words; its Python.

    pip prints its own error above ours; the environment is left as far as it got (a second
    run completes it)."""
    try:
        return surya_environment.build_environment(folder, torch_pin or _torch_pin())
    except subprocess.CalledProcessError as exc:
        cmd = exc.cmd
        command = cmd if isinstance(cmd, str) else shlex.join(str(part) for part in cmd[1:])
        raise DownloadFailed(
            f"could not build Surya's environment in {folder}: `{command}` failed with exit "
            f"status {exc.returncode} (no network, or no package for this Python or machine; "
            "pip's own message is above)"
        ) from exc
    except OSError as exc:
        raise DownloadFailed(f"could not build Surya's environment in {folder}: {exc}") from exc


def download_detector(
    path: str,
    folder: Path,
    base_url: str = DATALAB_STORE,
    report: Report | None = None,
    timeout_s: float = TIMEOUT_S,
) -> Path:
    """Fetch the model at ``path`` of the store at ``base_url`` into ``folder``.

    Into a temporary folder beside ``folder``, renamed once every file is there: an
    interrupted download leaves nothing the engine would take for the model. Raises
    ``DownloadFailed`` in words: no network, an HTTP error, a manifest that is not one or
    names a file outside the folder, a model without weights, a full disk."""
    url = f"{base_url.rstrip('/')}/{path.strip('/')}"
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise DownloadFailed(
            f"could not download Surya's text detector: {url} is not a web address"
        )
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    except OSError as exc:
        raise DownloadFailed(
            f"could not download Surya's text detector into {folder}: {exc}"
        ) from exc
    try:
        manifest = _read(f"{url}/manifest.json", timeout_s)
        names = _file_names(manifest, url)
        for name in names:
            target = staging / name
            size = _fetch(f"{url}/{urllib.parse.quote(name)}", target, timeout_s)
            log.info("Surya's text detector: %s, %d bytes", name, size)
            if report is not None:
                report(f"  {name}: {size / (1 << 20):.1f} MiB")
        (staging / "manifest.json").write_bytes(manifest)  # as Surya's own download keeps it
        if not (staging / "config.json").is_file() or not any(staging.glob("*.safetensors")):
            raise DownloadFailed(
                f"could not download Surya's text detector: {url} holds no config.json and "
                "*.safetensors (not a model folder)"
            )
        _replace(staging, folder)
    except OSError as exc:
        raise DownloadFailed(
            f"could not download Surya's text detector into {folder}: {exc}"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _open(url: str, timeout_s: float) -> http.client.HTTPResponse:
    """The answer to a GET of ``url``; ``DownloadFailed`` in words for every failure."""
    try:
        response: http.client.HTTPResponse = urllib.request.urlopen(url, timeout=timeout_s)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DownloadFailed(
            f"could not download Surya's text detector: {url} answered HTTP {exc.code} {exc.reason}"
        ) from exc
    except urllib.error.URLError as exc:
        raise DownloadFailed(
            f"could not download Surya's text detector: {url} cannot be reached "
            f"({exc.reason}); {OFFLINE_HINT}"
        ) from exc
    except (TimeoutError, http.client.HTTPException) as exc:
        raise DownloadFailed(
            f"could not download Surya's text detector: {url} did not answer ({exc}); "
            f"{OFFLINE_HINT}"
        ) from exc
    return response


def _read(url: str, timeout_s: float) -> bytes:
    with _open(url, timeout_s) as response:
        try:
            return bytes(response.read())
        except (TimeoutError, http.client.HTTPException, OSError) as exc:
            raise DownloadFailed(
                f"could not download Surya's text detector: reading {url} failed ({exc})"
            ) from exc


def _fetch(url: str, target: Path, timeout_s: float) -> int:
    """Stream ``url`` into ``target``; the bytes written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with _open(url, timeout_s) as response, target.open("wb") as out:
        while True:
            try:
                chunk = response.read(CHUNK)
            except (TimeoutError, http.client.HTTPException) as exc:
                raise DownloadFailed(
                    f"could not download Surya's text detector: reading {url} failed ({exc})"
                ) from exc
            if not chunk:
                return size
            out.write(chunk)
            size += len(chunk)


def _file_names(manifest: bytes, url: str) -> list[str]:
    """The manifest's files; refused when it is not one, or names a file outside the model's
    folder (``..``, an absolute path): the store is trusted with the files, not with where
    they go."""
    try:
        files = json.loads(manifest)["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DownloadFailed(
            f"could not download Surya's text detector: {url}/manifest.json is not a manifest "
            f"(JSON with a list of files): {exc}"
        ) from exc
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        raise DownloadFailed(
            f"could not download Surya's text detector: {url}/manifest.json is not a manifest "
            "(its files are not a list of names)"
        )
    for name in files:
        parts = PurePosixPath(name).parts
        if not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in name:
            raise DownloadFailed(
                f"could not download Surya's text detector: {url}/manifest.json names the "
                f"file {name!r}, which would land outside the model's folder; refused"
            )
    return list(dict.fromkeys(files))


def _replace(staging: Path, folder: Path) -> None:
    """Put ``staging`` where ``folder`` is, moving an incomplete old folder out of the way."""
    if not folder.exists():
        staging.rename(folder)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}-old-", dir=folder.parent))
    old.rmdir()
    folder.rename(old)
    try:
        staging.rename(folder)
    except OSError:
        old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
