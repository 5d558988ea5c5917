"""A remote inference server that speaks the OpenAI chat-completions API with images.

vLLM, SGLang, Ollama, LM Studio and ``transformers serve`` all do. Each page goes as a base64
data URL in an ``image_url`` part beside the OCR prompt; the streamed answer is the page text.
The model costs this machine no memory: "loading" it is a health check, and "unloading" it
just stops using it.

* Sending pages off the machine is an explicit choice per model (``send_documents: true``);
  a server on this machine's own loopback address needs none.
* The API key is read from the environment variable that ``api_key_env`` names, at load time;
  it never sits in the configuration, and no message or log line contains it.
* Transient failures (unreachable, HTTP 408/429/5xx, an answer cut off) are retried
  ``retries`` times with doubling backoff; a timeout, which has used the page's whole
  ``timeout_s``, is not. Once they are spent the server counts as down: the
  page falls back to the next engine of its chain, and so do the following pages, without
  waiting, until a health check passes again.
* Up to ``max_concurrency`` pages are in flight at once; cancel aborts them.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ablage_desktop.engine.backends.base import Availability, Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.backends.line_boxes import LineDetector, detector_missing, place_lines
from ablage_desktop.engine.errors import (
    Cancelled,
    ModelLoadError,
    RemoteServerError,
    RemoteTimeout,
    RemoteUnreachable,
)
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.remote.client import Endpoint, ServerClient
from ablage_desktop.engine.remote.images import data_url
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.cancel import CancelToken

log = logging.getLogger(__name__)

OCR_PROMPT = "Read all the text in this image. Keep the line breaks. Answer with the text only."
MAX_BACKOFF_S = 8.0
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ImageFormat(BaseModel):
    """How pages are encoded for the server: PNG keeps strokes exact, JPEG is smaller."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["png", "jpeg"] = "png"
    max_side: int = Field(1600, ge=64, le=16384)
    """Pages are scaled down (never up) so that their longer side fits."""
    jpeg_quality: int = Field(90, ge=30, le=100)

    @model_validator(mode="before")
    @classmethod
    def _bare_type(cls, value: Any) -> Any:
        return {"type": value} if isinstance(value, str) else value


class OpenAIServerOptions(EngineOptions):
    """An OpenAI-compatible inference server (vLLM, SGLang, Ollama, LM Studio, transformers)."""

    base_url: str
    """Up to and including the API version: ``http://gpu-server:8000/v1``."""
    model: str
    """The model name the server knows (``Qwen/Qwen2-VL-2B-Instruct``, ``qwen2.5vl:3b``)."""
    api_key_env: str | None = None
    """The NAME of the environment variable holding the API key; never the key itself."""
    send_documents: bool = False
    """Pages leave this machine: must be true for any server not on the loopback address."""
    prompt: str = OCR_PROMPT
    max_tokens: int = Field(2048, ge=1)
    temperature: float = Field(0.0, ge=0, le=2)
    timeout_s: float = Field(120.0, gt=0, le=86_400)
    """The longest one page may take, from connecting to the last token."""
    health_timeout_s: float = Field(5.0, gt=0, le=3_600)
    max_concurrency: int = Field(2, ge=1, le=64)
    """Pages of a batch in flight at once."""
    retries: int = Field(2, ge=0, le=10)
    """Further tries of a page after a transient failure."""
    backoff_s: float = Field(0.5, ge=0, le=MAX_BACKOFF_S)
    """Wait before the first retry; doubled for each further one (at most 8 s)."""
    image_format: ImageFormat = ImageFormat()
    ca_bundle: str | None = None
    """A CA certificate file for a server with the office's own certificate (still verified)."""
    extra: dict[str, Any] = Field(default_factory=dict)
    """More fields for the request body, as the server documents them."""
    line_boxes: Literal["none", "detect"] = "none"
    """``detect``: find the lines' boxes with a local CPU text detector (engine/line_boxes)."""

    @field_validator("base_url")
    @classmethod
    def _url(cls, value: str) -> str:
        Endpoint.parse(value)  # raises ValueError naming the problem
        return value.strip()


def _options(options: EngineOptions) -> OpenAIServerOptions:
    assert isinstance(options, OpenAIServerOptions)
    return options


def _destination(options: EngineOptions) -> str | None:
    endpoint = Endpoint.parse(_options(options).base_url)
    return None if endpoint.loopback else endpoint.url


def _estimate(options: EngineOptions) -> MemoryEstimate:
    return MemoryEstimate("remote", weights=0, activations=0)


def _check(options: EngineOptions) -> Availability:
    """What can be told without asking the server (that is the health check, at load)."""
    opts = _options(options)
    endpoint = Endpoint.parse(opts.base_url)
    if not endpoint.loopback and not opts.send_documents:
        return Availability.no(
            f"it would send your pages to {endpoint.host}; set send_documents: true for this "
            "model to allow that"
        )
    if opts.api_key_env is not None:
        if not ENV_NAME.fullmatch(opts.api_key_env):
            return Availability.no(
                "api_key_env must be the name of an environment variable (letters, digits, _), "
                "not the key itself"
            )
        if not os.environ.get(opts.api_key_env):
            return Availability.no(f"the environment variable {opts.api_key_env} is not set")
    if opts.ca_bundle is not None and not Path(opts.ca_bundle).expanduser().is_file():
        return Availability.no(f"the CA file {opts.ca_bundle} does not exist")
    if opts.line_boxes == "detect":
        missing = detector_missing()
        if missing:
            return Availability.no(missing)
    return Availability.yes()


def api_key(options: OpenAIServerOptions) -> str | None:
    if options.api_key_env is None:
        return None
    return os.environ.get(options.api_key_env) or None


class OpenAIServerBackend(Backend):
    """Pages to one server; ``concurrency`` of them at once."""

    def __init__(
        self, name: str, options: OpenAIServerOptions, clock: Any = time.monotonic
    ) -> None:
        super().__init__(name)
        self.options = options
        self._clock = clock
        endpoint = Endpoint.parse(options.base_url)
        key = api_key(options)
        if key and endpoint.scheme == "http" and not endpoint.loopback:
            log.warning("%s: the API key travels unencrypted to %s (http)", name, endpoint.url)
        ca = str(Path(options.ca_bundle).expanduser()) if options.ca_bundle else None
        self.client = ServerClient(name, endpoint, key, options.timeout_s, ca, clock)
        self._lock = threading.Lock()
        self._down: RemoteServerError | None = None
        """The failure that made the server count as down; pages fail fast while it is set."""
        try:
            health = self.client.health(options.health_timeout_s)
        except RemoteServerError as exc:
            raise ModelLoadError(name, exc.problem + f" ({endpoint.url})") from exc
        if health.models is not None and health.models and options.model not in health.models:
            raise ModelLoadError(
                name,
                f"the server at {endpoint.url} does not serve '{options.model}' "
                f"(it serves: {', '.join(health.models[:10])})",
            )
        self.health_seconds = health.seconds
        self._detector = LineDetector() if options.line_boxes == "detect" else None
        self.client.watchdog.start()
        log.info(
            "%s: %s at %s is ready (health check %.0f ms, up to %d pages at once)",
            name,
            options.model,
            endpoint.url,
            health.seconds * 1000,
            options.max_concurrency,
        )

    @property
    def concurrency(self) -> int:
        return self.options.max_concurrency

    @property
    def in_flight(self) -> int:
        return self.client.watchdog.in_flight

    def payload(self, page: PageImage) -> dict[str, Any]:
        fmt = self.options.image_format
        url = data_url(page.image, fmt.type, fmt.max_side, fmt.jpeg_quality)
        return {
            **self.options.extra,
            "model": self.options.model,
            "stream": True,
            "max_tokens": self.options.max_tokens,
            "temperature": self.options.temperature,
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": url}},
                        {"type": "text", "text": self.options.prompt},
                    ],
                }
            ],
        }

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        token = cancel or CancelToken()
        with self._lock:
            down = self._down
        if down is not None:
            raise self._still_down(down)
        payload = self.payload(page)
        text = _clean(self._with_retries(payload, token, page))
        lines = place_lines(text, self._detector.boxes(page.image)) if self._detector else ()
        return self._page_result(page, started, text, lines)

    def _with_retries(self, payload: dict[str, Any], cancel: CancelToken, page: PageImage) -> str:
        delay = self.options.backoff_s
        for attempt in range(self.options.retries + 1):
            if cancel.cancelled:
                raise Cancelled()
            try:
                return self.client.complete(payload, cancel)
            except RemoteServerError as exc:
                if not exc.transient:
                    raise
                # A page that used its whole time budget is not tried again: a hung server
                # would otherwise hold every page in flight for (retries + 1) x timeout_s.
                if attempt == self.options.retries or isinstance(exc, RemoteTimeout):
                    self._mark_down(exc)
                    raise
                log.warning(
                    "%s: page %d: %s; trying again in %.1f s (%d of %d)",
                    self.name,
                    page.index + 1,
                    exc.problem,
                    delay,
                    attempt + 1,
                    self.options.retries,
                )
            if cancel.wait(delay):
                raise Cancelled()
            delay = min(MAX_BACKOFF_S, max(delay * 2, 0.1))
        raise AssertionError("unreachable: the last try returns or raises")

    def _mark_down(self, exc: RemoteServerError) -> None:
        exc.server_down = True
        with self._lock:
            if self._down is None:
                log.warning("%s: the server counts as down: %s", self.name, exc.problem)
                self._down = exc

    def _still_down(self, cause: RemoteServerError) -> RemoteServerError:
        error = RemoteUnreachable(
            self.name, cause.url, f"the server is down since an earlier page ({cause.problem})"
        )
        error.server_down = True
        return error

    def tracked_objects(self) -> Sequence[object]:
        # Nothing of a server's lives in this process's memory: no leak worth watching (and
        # a page's traceback may still hold the backend when a dead server is let go).
        return ()

    def close(self) -> None:
        self.client.watchdog.stop()
        if self._detector is not None:
            self._detector.close()


def _clean(text: str) -> str:
    """The answer as page text: without a Markdown code fence some models wrap it in."""
    stripped = text.strip()
    if stripped.startswith("```") and stripped.endswith("```") and stripped.count("\n") >= 1:
        stripped = stripped.split("\n", 1)[1].rsplit("```", 1)[0].strip()
    return stripped


def _load(name: str, options: EngineOptions) -> Backend:
    return OpenAIServerBackend(name, _options(options))


SPEC = BackendSpec(
    engine="openai_server",
    kind="remote",
    title="OpenAI-compatible server",
    options=OpenAIServerOptions,
    estimate=_estimate,
    check=_check,
    load=_load,
    concurrency=lambda options: _options(options).max_concurrency,
    destination=_destination,
)
