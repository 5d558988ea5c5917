"""Surya: multilingual OCR with layout and reading order, run in an environment of its own.

surya-ocr 0.22 pins packages the app cannot share (pillow < 11, opencv 4.11, huggingface-hub
< 2), so it runs in ``.venv-surya`` (the Makefile builds it; ``models download surya`` builds
one in the app's data folder elsewhere), in a worker process this backend starts, asks and
stops (``surya_process``, ``surya_worker``). Surya's text detector runs in that worker; its
recognition model (a ~650M-parameter Qwen3.5-VL) is served by an OpenAI-compatible server:
``transformers serve``, which this backend starts on loopback through the worker and stops at
the unload, or a server the configuration names (``server_url``: a ``llama-server`` or vLLM
the user runs). What the worker and the server hold counts as this model's memory.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field

from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
)
from ablage_desktop.engine.backends.surya_download import fetch_extras
from ablage_desktop.engine.backends.surya_pages import SuryaBlock, page_lines
from ablage_desktop.engine.backends.surya_process import (
    SuryaProcess,
    WorkerCancelled,
    WorkerFailed,
    WorkerGone,
)
from ablage_desktop.engine.backends.surya_serving import (
    serving_folder,
    transformers_serve_command,
)
from ablage_desktop.engine.errors import (
    Cancelled,
    EngineStopped,
    ModelLoadError,
    RecognitionError,
)
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MIB, MemoryEstimate
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.cores import cores_if_restricted

log = logging.getLogger(__name__)

RECOGNITION = "datalab-to/surya-ocr-2"
DETECTION = "text_detection/2025_05_07"
LICENCE = (
    "Surya's model weights are licensed under a modified AI Pubs Open RAIL-M licence: free "
    "for research, personal use and organisations under $5M funding/revenue; broader "
    "commercial use needs a licence from Datalab (https://www.datalab.to/pricing). The Surya "
    "code is Apache-2.0."
)
ENVIRONMENT_FOLDER = ".venv-surya"


class SuryaOptions(EngineOptions):
    python: Path | None = None
    """The Python of Surya's environment; None: ``.venv-surya`` beside the app's source (the
    Makefile's), else ``surya-env`` in the app's data folder (``models download surya``)."""
    models_path: Path | None = None
    """Where the model files live; None: the app's data folder, ``models/surya``."""
    source: str = RECOGNITION
    """The recognition model: a hub repository id (downloaded into ``models_path``) or a
    folder."""
    revision: str | None = None
    detector: str = DETECTION
    """The text detector: a path in Datalab's model store or a folder."""
    model_store: str = "https://models.datalab.to"
    """Datalab's model store, where ``models download`` fetches the detector (or a mirror
    with the same layout, on a network without internet access)."""
    server_url: str | None = None
    """An OpenAI-compatible server already serving the recognition model (``llama-server``,
    vLLM), e.g. http://127.0.0.1:8080/v1; None: the app starts ``transformers serve``."""
    served_model: str | None = None
    """The model id that server reports (``/v1/models``); None: ``source``."""
    device: Literal["cpu", "cuda"] = "cpu"
    """Where the app's own server runs the recognition model."""
    max_tokens: int = Field(12288, ge=16)
    """Tokens Surya may generate for a page (its full-page answer)."""
    block_max_tokens: int = Field(8192, ge=16)
    """Tokens for one block or line when Surya reads a page block by block."""
    start_timeout_s: float = Field(300.0, gt=0)
    page_timeout_s: float = Field(1800.0, gt=0)


def _app_root() -> Path:
    return Path(__file__).resolve().parents[3]


def _data_folder() -> Path:
    import platformdirs

    return platformdirs.user_data_path("ablage-desktop")


def environment_python(options: SuryaOptions) -> Path:
    """The Python that runs Surya's worker (the configured one, or the first that exists)."""
    if options.python is not None:
        return options.python.expanduser()
    candidates = (
        _app_root() / ENVIRONMENT_FOLDER / "bin" / "python",
        _data_folder() / "surya-env" / "bin" / "python",
    )
    return next((path for path in candidates if path.exists()), candidates[-1])


def has_surya(python: Path) -> bool:
    """Whether the environment of ``python`` has surya-ocr installed (read from disk)."""
    root = python.parent.parent
    return any(root.glob("lib/python3*/site-packages/surya/__init__.py"))


def installed_version(options: EngineOptions) -> str:
    """surya-ocr's version in Surya's environment (read from disk); empty where it is absent."""
    assert isinstance(options, SuryaOptions)
    root = environment_python(options).parent.parent
    found = sorted(root.glob("lib/python3*/site-packages/surya_ocr-*.dist-info"))
    return found[-1].name.removesuffix(".dist-info").split("-")[-1] if found else ""


def models_folder(options: SuryaOptions) -> Path:
    if options.models_path is not None:
        return options.models_path.expanduser()
    return _data_folder() / "models" / "surya"


def _folder_of(options: SuryaOptions, source: str) -> Path:
    given = Path(source).expanduser()
    if given.is_absolute() or given.is_dir():
        return given
    return models_folder(options) / source.replace("/", "--")


def recognition_folder(options: SuryaOptions) -> Path:
    return _folder_of(options, options.source)


def detector_folder(options: SuryaOptions) -> Path:
    return _folder_of(options, options.detector)


def _has_weights(folder: Path) -> bool:
    return (folder / "config.json").is_file() and any(folder.glob("*.safetensors"))


def check(options: EngineOptions) -> Availability:
    """What is missing, in words: the environment, the weights, the serving packages."""
    assert isinstance(options, SuryaOptions)
    python = environment_python(options)
    if not python.exists() or not has_surya(python):
        return Availability.no(
            f"Surya's own environment is missing ({python.parent.parent}): `make run` builds "
            "it from a source checkout, `ablage-desktop models download surya` elsewhere"
        )
    missing = []
    if not _has_weights(detector_folder(options)):
        missing.append(f"the text detector ({options.detector}) in {detector_folder(options)}")
    if options.server_url is None and not _has_weights(recognition_folder(options)):
        missing.append(f"the recognition model ({options.source}) in {recognition_folder(options)}")
    if missing:
        return Availability.no(
            f"no weights: {' and '.join(missing)} (ablage-desktop models download surya; "
            "the weights' licence is Open RAIL-M, modified: free for research, personal use "
            "and organisations under $5M funding or revenue)"
        )
    if options.server_url is None:
        for module in ("fastapi", "uvicorn"):
            if importlib.util.find_spec(module) is None:
                return Availability.no(
                    "transformers serve cannot run: pip install 'transformers[serving]' "
                    "(or name a running server with server_url)"
                )
    return Availability.yes()


def notes(options: EngineOptions) -> tuple[str, ...]:
    assert isinstance(options, SuryaOptions)
    if options.device == "cuda" and options.server_url is None:
        return ("its server's GPU memory is budgeted by the estimate, not measured",)
    return ()


WORKER_BYTES = 512 * MIB
"""Surya's worker: torch, Surya and the detector; measured 423-535 MiB with the tiny
detector (docs/notes/SURYA.md), the real detector's weights come on top."""
SERVER_BYTES = 1024 * MIB
"""``transformers serve`` and its engine process without the weights: about 1000 MB."""
PAGE_BYTES = 768 * MIB
"""A page: the detector's input and heat maps in the worker, the server's image
embedding and key-value cache; an allowance, measured by the footprint once loaded."""


def _weight_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.glob("*.safetensors"))


def estimate(options: EngineOptions) -> MemoryEstimate:
    assert isinstance(options, SuryaOptions)
    worker = WORKER_BYTES + _weight_bytes(detector_folder(options))
    if options.server_url is not None:
        return MemoryEstimate("cpu", weights=worker, activations=PAGE_BYTES)
    served = SERVER_BYTES + _weight_bytes(recognition_folder(options))
    if options.device == "cuda":
        return MemoryEstimate("gpu", weights=served, activations=PAGE_BYTES)
    return MemoryEstimate("cpu", weights=worker + served, activations=PAGE_BYTES)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_environment(options: SuryaOptions, inference_url: str, served_id: str) -> dict[str, str]:
    """The worker's environment: Surya's settings, offline, quiet, the app's token limits."""
    keep = (
        "PATH",
        "LANG",
        "LC_ALL",
        "HOME",
        "TMPDIR",
        "XDG_CACHE_HOME",
        "OMP_NUM_THREADS",
        "LD_LIBRARY_PATH",
        "CUDA_VISIBLE_DEVICES",
    )
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        {
            "SURYA_INFERENCE_URL": inference_url,
            "SURYA_MODEL_CHECKPOINT": served_id,
            "SURYA_INFERENCE_BACKEND": "llamacpp",  # an OpenAI-compatible server, attached
            "SURYA_INFERENCE_AUTOSTART": "false",
            "SURYA_INFERENCE_TIMEOUT_SECONDS": str(options.page_timeout_s),
            "SURYA_MAX_TOKENS_FULL_PAGE": str(options.max_tokens),
            "SURYA_MAX_TOKENS_LAYOUT": str(options.max_tokens),
            "SURYA_MAX_TOKENS_BLOCK_CEILING": str(options.block_max_tokens),
            "SURYA_GUIDED_LAYOUT": "false",
            "DETECTOR_MODEL_CHECKPOINT": str(detector_folder(options)),
            "TORCH_DEVICE": "cpu",
            "DISABLE_TQDM": "true",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if "OMP_NUM_THREADS" not in env and (cores := cores_if_restricted()):
        env["OMP_NUM_THREADS"] = str(cores)  # torch's own count is the machine's
    return env


def load(name: str, options: EngineOptions) -> Backend:
    assert isinstance(options, SuryaOptions)
    return SuryaBackend(name, options)


class SuryaBackend(Backend):
    """Surya's worker (and the model server it started) for one loaded model."""

    def __init__(self, name: str, options: SuryaOptions) -> None:
        super().__init__(name)
        self._options = options
        self._lock = threading.Lock()
        self._folder = Path(tempfile.mkdtemp(prefix="ablage-surya-"))
        self._process: SuryaProcess | None = None
        self._closed = False
        self._count = 0
        try:
            self._start()
        except BaseException:
            self.close()
            raise

    def _start(self) -> None:
        options = self._options
        server: dict[str, object] | None = None
        if options.server_url is None:
            port = _free_port()
            folder = serving_folder(recognition_folder(options), self._folder / "served")
            inference_url, served_id = f"http://127.0.0.1:{port}/v1", str(folder)
            server = {
                "argv": transformers_serve_command(folder, port, options.device),
                "env": {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
                "health_url": f"http://127.0.0.1:{port}/health",
                "timeout_s": options.start_timeout_s,
                "log": str(self._folder / "server.log"),
            }
        else:
            inference_url, served_id = options.server_url, options.served_model or options.source
        env = worker_environment(options, inference_url, served_id)
        process = SuryaProcess(environment_python(options), env, self._folder)
        self._process = process
        try:
            answer = process.ask(
                {"op": "start", "server": server, "detector": str(detector_folder(options))},
                options.start_timeout_s + 120,
            )
        except (WorkerFailed, WorkerGone) as exc:
            process.stop()
            self._process = None
            raise ModelLoadError(self.name, f"Surya could not start: {exc}") from exc
        pid = answer.get("server_pid")
        process.server_pid = int(pid) if isinstance(pid, int) else None
        log.info("%s: Surya's worker %d ready (server %s)", self.name, process.pid, pid)

    def process_memory(self) -> int | None:
        """The worker's and its server's resident memory; None where it is not RAM (a GPU
        server: its memory is on the device, budgeted by the estimate)."""
        if self._process is None or (
            self._options.device == "cuda" and self._options.server_url is None
        ):
            return None
        return self._process.memory()

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        with self._lock:
            if self._closed:
                raise RecognitionError("Surya was unloaded")
            if self._process is None:  # stopped by a cancel during the last page
                log.info("%s: starting Surya's worker again after a cancel", self.name)
                self._start()
            process = self._process
            assert process is not None
            self._count += 1
            image = self._folder / f"page-{self._count}.png"
            # Compressed lightly: the file lives for one request, on the same machine.
            page.image.convert("RGB").save(image, "PNG", compress_level=1)
            try:
                answer = process.ask(
                    {"op": "read", "image": str(image)},
                    self._options.page_timeout_s,
                    cancelled=lambda: cancel is not None and cancel.cancelled,
                )
            except WorkerCancelled:
                # Surya's server cannot be told to drop a page: the worker and its server
                # were stopped, and start again with the next page.
                process.stop()
                self._process = None
                raise Cancelled() from None
            except WorkerGone as exc:
                raise EngineStopped(self.name, str(exc)) from exc
            except WorkerFailed as exc:
                if exc.server_exit is not None:
                    raise EngineStopped(self.name, str(exc)) from exc
                raise RecognitionError(f"Surya failed on page {page.index + 1}: {exc}") from exc
            finally:
                with contextlib.suppress(OSError):
                    image.unlink()
        blocks = [SuryaBlock.from_json(block) for block in answer.get("blocks", ())]
        detected = [tuple(box) for box in answer.get("detected", ())]
        text, lines = page_lines(blocks, detected, page.width, page.height)
        log.debug(
            "%s: page %d, %d blocks (%s), %d requests, %.2f s in the worker",
            self.name,
            page.index + 1,
            len(blocks),
            answer.get("how"),
            answer.get("requests", 0),
            answer.get("seconds", 0.0),
        )
        return self._page_result(page, started, text, lines)

    def close(self) -> None:
        self._closed = True
        process, self._process = self._process, None
        if process is not None:
            process.stop()
        shutil.rmtree(self._folder, ignore_errors=True)

    def tracked_objects(self) -> Sequence[object]:
        """Nothing: Surya's memory is in its worker and server, which ``close`` ends and
        waits for; the few objects here may outlive the unload in an error's traceback."""
        return ()


SPEC = BackendSpec(
    engine="surya",
    kind="cpu",
    title="Surya OCR (layout and reading order; its own environment and model server)",
    options=SuryaOptions,
    estimate=estimate,
    check=check,
    load=load,
    route_purpose="multilingual fallback",
    notes=notes,
    download_folder=lambda options: recognition_folder(options),  # type: ignore[arg-type]
    downloaded=lambda options: _has_weights(recognition_folder(options)),  # type: ignore[arg-type]
    fetch_extra=fetch_extras,
    licence=LICENCE,
    version=installed_version,
)
