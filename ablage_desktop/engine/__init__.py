"""The engine: plain Python, no Qt, no torch at import time.

This package's root is the engine's public surface: ``Engine`` (``api.py``) and the values,
functions and errors the window and the command line use. They import from here and from
``engine.errors`` only (an import-linter contract in ``pyproject.toml``); tests and tools that
need the inside (the model manager, the router) use ``core.EngineCore`` and the submodules.

The names load with their module on first use (PEP 562): a process that needs one part of the
engine, a decoder or a model worker, does not import the rest (about 0.6 s a process start).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ablage_desktop.engine.api import Engine, MemoryBudgets, output_conflict
    from ablage_desktop.engine.archive.store import (
        HIT_END,
        HIT_START,
        MAX_SEARCH_HITS,
        Job,
        SearchHit,
        Store,
        fts_query,
    )
    from ablage_desktop.engine.archive_access import SEARCH_LIMIT
    from ablage_desktop.engine.backends.openai_server import ENV_NAME
    from ablage_desktop.engine.bench import BenchPlan, BenchProgress, BenchReport
    from ablage_desktop.engine.bench.chart import render_png, write_png
    from ablage_desktop.engine.bench.report import markdown, write_json
    from ablage_desktop.engine.config import AppConfig, load_config
    from ablage_desktop.engine.errors import AblageError, ConfigError, InputError, StoreError
    from ablage_desktop.engine.eventlog import EventLog
    from ablage_desktop.engine.events import (
        DocumentFinished,
        DocumentStarted,
        Event,
        EventHandlers,
        FallbackTaken,
        MemorySample,
        ModelLeaked,
        ModelStateChanged,
        ModelWarmedUp,
        PageDone,
        Routed,
    )
    from ablage_desktop.engine.intake.arrivals import Arrivals
    from ablage_desktop.engine.intake.documents import (
        SUPPORTED_SUFFIXES,
        DocumentType,
        IntakeLimits,
        PageImage,
        open_document,
    )
    from ablage_desktop.engine.intake.folders import CollectedInputs, collect_documents
    from ablage_desktop.engine.memory.heap import limit_heap_arenas
    from ablage_desktop.engine.memory.probe import MemorySnapshot
    from ablage_desktop.engine.models.area_reading import PageArea, labelled_fields, named_areas
    from ablage_desktop.engine.models.download import (
        DownloadTarget,
        download_licence,
        download_model,
        download_target,
        extra_download,
    )
    from ablage_desktop.engine.models.router import AUTO
    from ablage_desktop.engine.models.state import ModelState
    from ablage_desktop.engine.pathtext import (
        display,
        display_line,
        path_from_storage,
        path_to_storage,
    )
    from ablage_desktop.engine.remote.client import Endpoint
    from ablage_desktop.engine.results.atomicfile import (
        MAX_NAME_BYTES,
        check_writable,
        fit_name,
        folder_error,
        output_error,
        write_atomic,
    )
    from ablage_desktop.engine.results.document import (
        ErrorInfo,
        OcrDocument,
        OcrLine,
        OcrPage,
        enclosing,
    )
    from ablage_desktop.engine.results.exports import (
        EXPORT_FORMATS,
        SUFFIXES,
        markdown_plain_text,
        render_csv,
    )
    from ablage_desktop.engine.results.output_guard import Inputs
    from ablage_desktop.engine.run.cancel import CancelToken
    from ablage_desktop.engine.run.jobs import OcrRequest
    from ablage_desktop.engine.run.page_selection import PageSelection
    from ablage_desktop.engine.run.states import DocumentState, JobState
    from ablage_desktop.engine.statuses import BackendStatus
    from ablage_desktop.engine.text.area import parts_in_area, text_in_area, with_area_read
    from ablage_desktop.engine.text.folding import find_words
    from ablage_desktop.engine.text.running_text import running_text

_HOMES: dict[str, str] = {
    "Engine": "ablage_desktop.engine.api",
    "MemoryBudgets": "ablage_desktop.engine.api",
    "output_conflict": "ablage_desktop.engine.api",
    "HIT_END": "ablage_desktop.engine.archive.store",
    "HIT_START": "ablage_desktop.engine.archive.store",
    "Job": "ablage_desktop.engine.archive.store",
    "MAX_SEARCH_HITS": "ablage_desktop.engine.archive.store",
    "SearchHit": "ablage_desktop.engine.archive.store",
    "Store": "ablage_desktop.engine.archive.store",
    "fts_query": "ablage_desktop.engine.archive.store",
    "SEARCH_LIMIT": "ablage_desktop.engine.archive_access",
    "ENV_NAME": "ablage_desktop.engine.backends.openai_server",
    "BenchPlan": "ablage_desktop.engine.bench",
    "BenchProgress": "ablage_desktop.engine.bench",
    "BenchReport": "ablage_desktop.engine.bench",
    "render_png": "ablage_desktop.engine.bench.chart",
    "write_png": "ablage_desktop.engine.bench.chart",
    "markdown": "ablage_desktop.engine.bench.report",
    "write_json": "ablage_desktop.engine.bench.report",
    "AppConfig": "ablage_desktop.engine.config",
    "load_config": "ablage_desktop.engine.config",
    "AblageError": "ablage_desktop.engine.errors",
    "ConfigError": "ablage_desktop.engine.errors",
    "InputError": "ablage_desktop.engine.errors",
    "StoreError": "ablage_desktop.engine.errors",
    "EventLog": "ablage_desktop.engine.eventlog",
    "DocumentFinished": "ablage_desktop.engine.events",
    "DocumentStarted": "ablage_desktop.engine.events",
    "Event": "ablage_desktop.engine.events",
    "EventHandlers": "ablage_desktop.engine.events",
    "FallbackTaken": "ablage_desktop.engine.events",
    "MemorySample": "ablage_desktop.engine.events",
    "ModelLeaked": "ablage_desktop.engine.events",
    "ModelStateChanged": "ablage_desktop.engine.events",
    "ModelWarmedUp": "ablage_desktop.engine.events",
    "PageDone": "ablage_desktop.engine.events",
    "Routed": "ablage_desktop.engine.events",
    "Arrivals": "ablage_desktop.engine.intake.arrivals",
    "SUPPORTED_SUFFIXES": "ablage_desktop.engine.intake.documents",
    "DocumentType": "ablage_desktop.engine.intake.documents",
    "IntakeLimits": "ablage_desktop.engine.intake.documents",
    "PageImage": "ablage_desktop.engine.intake.documents",
    "open_document": "ablage_desktop.engine.intake.documents",
    "CollectedInputs": "ablage_desktop.engine.intake.folders",
    "collect_documents": "ablage_desktop.engine.intake.folders",
    "limit_heap_arenas": "ablage_desktop.engine.memory.heap",
    "MemorySnapshot": "ablage_desktop.engine.memory.probe",
    "DownloadTarget": "ablage_desktop.engine.models.download",
    "download_licence": "ablage_desktop.engine.models.download",
    "download_model": "ablage_desktop.engine.models.download",
    "download_target": "ablage_desktop.engine.models.download",
    "extra_download": "ablage_desktop.engine.models.download",
    "AUTO": "ablage_desktop.engine.models.router",
    "ModelState": "ablage_desktop.engine.models.state",
    "display": "ablage_desktop.engine.pathtext",
    "display_line": "ablage_desktop.engine.pathtext",
    "path_from_storage": "ablage_desktop.engine.pathtext",
    "path_to_storage": "ablage_desktop.engine.pathtext",
    "Endpoint": "ablage_desktop.engine.remote.client",
    "MAX_NAME_BYTES": "ablage_desktop.engine.results.atomicfile",
    "check_writable": "ablage_desktop.engine.results.atomicfile",
    "fit_name": "ablage_desktop.engine.results.atomicfile",
    "folder_error": "ablage_desktop.engine.results.atomicfile",
    "output_error": "ablage_desktop.engine.results.atomicfile",
    "write_atomic": "ablage_desktop.engine.results.atomicfile",
    "ErrorInfo": "ablage_desktop.engine.results.document",
    "OcrDocument": "ablage_desktop.engine.results.document",
    "OcrLine": "ablage_desktop.engine.results.document",
    "OcrPage": "ablage_desktop.engine.results.document",
    "enclosing": "ablage_desktop.engine.results.document",
    "EXPORT_FORMATS": "ablage_desktop.engine.results.exports",
    "SUFFIXES": "ablage_desktop.engine.results.exports",
    "markdown_plain_text": "ablage_desktop.engine.results.exports",
    "render_csv": "ablage_desktop.engine.results.exports",
    "running_text": "ablage_desktop.engine.text.running_text",
    "Inputs": "ablage_desktop.engine.results.output_guard",
    "CancelToken": "ablage_desktop.engine.run.cancel",
    "OcrRequest": "ablage_desktop.engine.run.jobs",
    "PageSelection": "ablage_desktop.engine.run.page_selection",
    "PageArea": "ablage_desktop.engine.models.area_reading",
    "labelled_fields": "ablage_desktop.engine.models.area_reading",
    "named_areas": "ablage_desktop.engine.models.area_reading",
    "DocumentState": "ablage_desktop.engine.run.states",
    "JobState": "ablage_desktop.engine.run.states",
    "BackendStatus": "ablage_desktop.engine.statuses",
    "find_words": "ablage_desktop.engine.text.folding",
    "parts_in_area": "ablage_desktop.engine.text.area",
    "text_in_area": "ablage_desktop.engine.text.area",
    "with_area_read": "ablage_desktop.engine.text.area",
}
"""Each public name and the module it lives in."""

__all__ = [
    "AUTO",
    "ENV_NAME",
    "EXPORT_FORMATS",
    "HIT_END",
    "HIT_START",
    "MAX_NAME_BYTES",
    "MAX_SEARCH_HITS",
    "SEARCH_LIMIT",
    "SUFFIXES",
    "SUPPORTED_SUFFIXES",
    "AblageError",
    "AppConfig",
    "Arrivals",
    "BackendStatus",
    "BenchPlan",
    "BenchProgress",
    "BenchReport",
    "CancelToken",
    "CollectedInputs",
    "ConfigError",
    "DocumentFinished",
    "DocumentStarted",
    "DocumentState",
    "DocumentType",
    "DownloadTarget",
    "Endpoint",
    "Engine",
    "ErrorInfo",
    "Event",
    "EventHandlers",
    "EventLog",
    "FallbackTaken",
    "InputError",
    "Inputs",
    "IntakeLimits",
    "Job",
    "JobState",
    "MemoryBudgets",
    "MemorySample",
    "MemorySnapshot",
    "ModelLeaked",
    "ModelState",
    "ModelStateChanged",
    "ModelWarmedUp",
    "OcrDocument",
    "OcrLine",
    "OcrPage",
    "OcrRequest",
    "PageArea",
    "PageDone",
    "PageImage",
    "PageSelection",
    "Routed",
    "SearchHit",
    "Store",
    "StoreError",
    "check_writable",
    "collect_documents",
    "display",
    "display_line",
    "download_licence",
    "download_model",
    "download_target",
    "enclosing",
    "extra_download",
    "find_words",
    "fit_name",
    "folder_error",
    "fts_query",
    "labelled_fields",
    "limit_heap_arenas",
    "load_config",
    "markdown",
    "markdown_plain_text",
    "named_areas",
    "open_document",
    "output_conflict",
    "output_error",
    "parts_in_area",
    "path_from_storage",
    "path_to_storage",
    "render_csv",
    "render_png",
    "running_text",
    "text_in_area",
    "with_area_read",
    "write_atomic",
    "write_json",
    "write_png",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module when first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


def __dir__() -> list[str]:
    return sorted(__all__)
