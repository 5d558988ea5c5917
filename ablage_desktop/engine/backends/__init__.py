"""The registry of engines: an explicit mapping, so frozen builds see every entry.

A new engine is one new module with a ``SPEC`` plus one line here.
"""

from __future__ import annotations

from types import MappingProxyType

from ablage_desktop.engine.backends import planned, rapidocr, tesseract
from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
)

REGISTRY: MappingProxyType[str, BackendSpec] = MappingProxyType(
    {
        rapidocr.SPEC.engine: rapidocr.SPEC,
        tesseract.SPEC.engine: tesseract.SPEC,
        **{spec.engine: spec for spec in planned.SPECS},
    }
)

__all__ = ["REGISTRY", "Availability", "Backend", "BackendSpec", "EngineOptions"]
