"""The registry of engines: an explicit mapping, so frozen builds see every entry.

A new engine is one new module with a ``SPEC`` plus one line here.
"""

from __future__ import annotations

from types import MappingProxyType

from ablage_desktop.engine.backends import (
    docling,
    got_ocr2,
    janus,
    openai_server,
    qwen2_vl,
    rapidocr,
    surya,
    tesseract,
)
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
        got_ocr2.SPEC.engine: got_ocr2.SPEC,
        docling.SPEC.engine: docling.SPEC,
        qwen2_vl.SPEC.engine: qwen2_vl.SPEC,
        janus.SPEC.engine: janus.SPEC,
        openai_server.SPEC.engine: openai_server.SPEC,
        surya.SPEC.engine: surya.SPEC,
    }
)

__all__ = ["REGISTRY", "Availability", "Backend", "BackendSpec", "EngineOptions"]
