"""How the engine's parts are made from the configuration: the manager's rules, the memory the
orientation step holds, and a model's options for the languages a request asks for."""

from __future__ import annotations

import logging

from pydantic import ValidationError

from ablage_desktop.engine.backends import EngineOptions, rapidocr_memory
from ablage_desktop.engine.config import AppConfig
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.models.policy import ManagerPolicy
from ablage_desktop.engine.preprocess.orientation import DET_SIDE as ORIENTATION_DETECTION_SIDE

log = logging.getLogger(__name__)


def orientation_bytes(config: AppConfig) -> int:
    """What the orientation step's own RapidOCR session may hold (its methods ``rapidocr``
    and ``auto``, which asks RapidOCR to confirm unsure turns); counted in the CPU budget."""
    orientation = config.preprocessing.orientation
    if not orientation.enabled or orientation.method == "tesseract":
        return 0
    return rapidocr_memory.session_bytes(ORIENTATION_DETECTION_SIDE)


def policy_of(config: AppConfig) -> ManagerPolicy:
    """The ``management`` section as the model manager's rules."""
    management = config.management
    return ManagerPolicy(
        lazy_loading=management.lazy_loading,
        keep_alive_s=management.keep_alive_s,
        max_resident_models=management.max_resident_models,
        single_gpu_model=management.single_gpu_model,
        max_vram_usage=management.max_vram_usage,
        max_ram_usage=management.max_ram_usage,
        vram_budget=int(management.vram_budget) if management.vram_budget else None,
        ram_budget=int(management.ram_budget) if management.ram_budget else None,
        recovery_timeout_s=management.recovery_timeout_s,
    )


def with_languages(name: str, options: EngineOptions, languages: str | None) -> EngineOptions:
    """``options`` told to read ``languages`` (as they are for an engine that takes none)."""
    if not languages:
        return options
    if "languages" not in type(options).model_fields:
        log.info(
            "%s reads its languages without being told; --lang %s is not used", name, languages
        )
        return options
    if getattr(options, "languages", None) == languages:
        return options
    try:
        return type(options).model_validate({**options.model_dump(), "languages": languages})
    except ValidationError as exc:
        raise UsageError(f"--lang {languages!r}: {exc.errors()[0]['msg']}") from exc
