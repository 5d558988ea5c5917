"""The engine: the one object the GUI and the CLI drive.

It knows the configured models, loads a backend when a request first needs it, and runs
documents through the page pipeline. The model manager (memory budgets, eviction) will take
over ``_loaded``; until then a loaded backend simply stays loaded until ``close``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ablage_desktop.engine.backends import REGISTRY, Backend, BackendSpec, EngineOptions
from ablage_desktop.engine.cancel import CancelToken
from ablage_desktop.engine.config import AppConfig
from ablage_desktop.engine.errors import BackendUnavailable, UnknownBackend, UsageError
from ablage_desktop.engine.events import BackendLoaded, Listeners
from ablage_desktop.engine.pipeline import run_pipeline
from ablage_desktop.engine.results import OcrDocument

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BackendStatus:
    """One configured model as a user sees it in ``models list`` and the GUI."""

    name: str
    engine: str
    kind: str
    title: str
    description: str
    available: bool
    reason: str
    loaded: bool


@dataclass(frozen=True, slots=True)
class OcrRequest:
    """What to read and how; ``backend`` None means the configured default."""

    paths: Sequence[Path]
    backend: str | None = None
    languages: str | None = None


class Engine:
    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self.events = Listeners()
        self._lock = threading.Lock()
        self._loaded: dict[tuple[str, str | None], Backend] = {}

    # --- what is there --------------------------------------------------------------------

    def statuses(self) -> list[BackendStatus]:
        with self._lock:
            loaded = {name for name, _ in self._loaded}
        rows = []
        for name, options in self.config.models.items():
            spec = REGISTRY[options.engine]
            availability = spec.availability(options)
            rows.append(
                BackendStatus(
                    name=name,
                    engine=spec.engine,
                    kind=spec.kind,
                    title=spec.title,
                    description=options.description,
                    available=availability.ok,
                    reason=availability.reason,
                    loaded=name in loaded,
                )
            )
        return rows

    def resolve(
        self, name: str | None, languages: str | None = None
    ) -> tuple[str, BackendSpec, EngineOptions]:
        """The configured model called ``name`` (with ``languages`` where it takes them).

        Raises when the model is unknown or cannot run with these options.
        """
        name = name or self.config.management.default_backend
        options = self.config.model(name)
        if options is None:
            raise UnknownBackend(name, list(self.config.models))
        options = _with_languages(name, options, languages)
        spec = REGISTRY[options.engine]
        availability = spec.availability(options)
        if not availability.ok:
            raise BackendUnavailable(name, availability.reason)
        return name, spec, options

    # --- loading --------------------------------------------------------------------------

    def backend(self, name: str | None = None, languages: str | None = None) -> Backend:
        """The loaded backend for ``name``, loading it on first use."""
        name, spec, options = self.resolve(name, languages)
        key = (name, getattr(options, "languages", None))
        with self._lock:
            if key in self._loaded:
                return self._loaded[key]
            assert spec.load is not None  # resolve() refuses planned engines
            started = time.perf_counter()
            log.info("Loading %s", name)
            backend = spec.load(name, options)
            seconds = time.perf_counter() - started
            log.info("Loaded %s in %.2f s", name, seconds)
            self._loaded[key] = backend
        self.events.emit(BackendLoaded(name, seconds))
        return backend

    def close(self) -> None:
        with self._lock:
            loaded, self._loaded = list(self._loaded.values()), {}
        for backend in loaded:
            try:
                backend.close()
            except Exception:
                log.exception("Closing %s failed", backend.name)

    # --- work -----------------------------------------------------------------------------

    def ocr(self, request: OcrRequest, cancel: CancelToken | None = None) -> Iterator[OcrDocument]:
        """Recognise every document of ``request``; yields each as it completes, in order.

        Loading the backend happens before the first document and raises on failure; after
        that, every document succeeds or fails on its own.
        """
        backend = self.backend(request.backend, request.languages)
        return run_pipeline(
            list(request.paths),
            backend,
            self.config.intake.limits(),
            cancel=cancel,
            emit=self.events.emit,
        )


def _with_languages(name: str, options: EngineOptions, languages: str | None) -> EngineOptions:
    if not languages:
        return options
    if "languages" not in type(options).model_fields:
        log.info(
            "%s reads its languages without being told; --lang %s is not used", name, languages
        )
        return options
    try:
        return type(options).model_validate({**options.model_dump(), "languages": languages})
    except ValidationError as exc:
        raise UsageError(f"--lang {languages!r}: {exc.errors()[0]['msg']}") from exc
