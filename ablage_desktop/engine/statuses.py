"""The configured models as a user sees them: ``models list`` and the window's models table.

A model is available when its engine can run here (library, language data, downloaded
weights); a server also needs to have answered its last health check, or that failure to be
old enough to try again.
"""

from __future__ import annotations

import time
import typing
from dataclasses import dataclass
from typing import Any

from ablage_desktop.engine.backends import Availability, BackendSpec, EngineOptions
from ablage_desktop.engine.backends.transformers_vlm import NOT_DOWNLOADED
from ablage_desktop.engine.backends.vlm_device import effective_quantization
from ablage_desktop.engine.models.manager import ModelInfo
from ablage_desktop.engine.models.state import ModelState

REMOTE_RECHECK_S = 30.0
"""A server whose health check failed is skipped by ``auto`` for this long, then tried again."""


@dataclass(frozen=True, slots=True)
class BackendStatus:
    """One configured model as a user sees it in ``models list`` and the GUI."""

    name: str
    engine: str
    kind: str
    device: str
    title: str
    description: str
    available: bool
    reason: str
    state: ModelState
    estimated_bytes: int
    measured_bytes: int | None
    destination: str | None = None
    """Where this model sends pages when that is another machine (a server's address)."""
    in_flight: int = 0
    queued: int = 0
    page_seconds: float | None = None
    """Moving average of the seconds per page."""
    load_seconds: float | None = None
    """The last load's duration; for a server, the health check's round trip."""
    error: str = ""
    """Why the last load failed, or why a server was given up on."""
    memory_plan: dict[str, Any] | None = None
    """A vision-language model's per-page memory plan at the reference page (A4, 300 dpi)."""
    memory_plan_text: str = ""
    """The same in words (the GUI's tooltip)."""
    quantization: str = "-"
    """The quantization the model loads with on its device ("-": the engine has none)."""
    quantizations: tuple[str, ...] = ()
    """The quantizations it can be configured to load with (none: not configurable)."""
    takes_languages: bool = False
    """Whether it reads the languages it is told (Tesseract), rather than finding them."""
    notes: tuple[str, ...] = ()
    """What the model cannot do here and how to change that (Docling without its layout
    weights or torchvision), in words; empty where nothing is missing."""

    @property
    def remote(self) -> bool:
        return self.kind == "remote"

    @property
    def loaded(self) -> bool:
        return self.state in (ModelState.READY, ModelState.BUSY)


def status_of(
    info: ModelInfo, spec: BackendSpec, options: EngineOptions, unavailable: str | None
) -> BackendStatus:
    """The row of one model; ``unavailable`` is ``why_unavailable``'s answer for it."""
    plan = info.plan
    return BackendStatus(
        name=info.name,
        engine=spec.engine,
        kind=spec.kind,
        device=info.device,
        title=spec.title,
        description=options.description,
        available=unavailable is None,
        reason=unavailable or "",
        state=info.state,
        estimated_bytes=info.estimated_bytes,
        measured_bytes=info.measured_bytes,
        destination=spec.destination(options),
        in_flight=info.in_flight,
        queued=info.queued,
        page_seconds=info.page_seconds,
        load_seconds=info.load_seconds,
        error=info.error.message if info.error else "",
        memory_plan=plan.to_json() if plan else None,
        memory_plan_text=plan.describe() if plan else "",
        quantization=shown_quantization(options, info.device)[0],
        quantizations=quantization_choices(options),
        takes_languages="languages" in type(options).model_fields,
        notes=spec.notes(options),
    )


def quantization_choices(options: EngineOptions) -> tuple[str, ...]:
    """The values the model's ``quantization`` option accepts; none for engines without one
    (RapidOCR, Tesseract, servers)."""
    field = type(options).model_fields.get("quantization")
    if field is None:
        return ()
    return tuple(str(value) for value in typing.get_args(field.annotation))


def shown_quantization(options: EngineOptions, device: str) -> tuple[str, str]:
    """The quantization the model loads with on ``device`` (a GPU model on a CPU-only machine
    loads fp16 as fp32), and why it differs from the configured one (empty when it does not)."""
    configured = getattr(options, "quantization", None)
    if configured is None:
        return "-", ""
    return effective_quantization(str(configured), device)


def why_unavailable(
    name: str, spec: BackendSpec, options: EngineOptions, info: ModelInfo
) -> str | None:
    """Why model ``name`` cannot be used now, in words, or None."""
    reason = unavailable_reason(name, spec.availability(options))
    if reason is None and spec.kind == "remote":
        return server_failed(info)
    return reason


def unavailable_reason(name: str, availability: Availability) -> str | None:
    """``availability`` in words, with the command that fixes a missing download."""
    if availability.ok:
        return None
    if availability.reason.startswith(NOT_DOWNLOADED):
        return f"{availability.reason}; run 'ablage-desktop models download {name}'"
    return availability.reason


def server_failed(info: ModelInfo) -> str | None:
    """Why a server cannot be used right now: its health check failed, or it went away
    during a batch, a moment ago."""
    if info.state not in (ModelState.FAILED, ModelState.UNLOADED) or info.error is None:
        return None
    if time.monotonic() - info.since >= REMOTE_RECHECK_S:
        return None  # worth another health check
    return info.error.message
