"""The engine: plain Python, no Qt, no torch at import time.

This package's root is the engine's public surface: ``Engine`` (``api.py``) and the values,
functions and errors the window and the command line use. They import from here and from
``engine.errors`` only (an import-linter contract in ``pyproject.toml``); tests and tools that
need the inside (the model manager, the router) use ``core.EngineCore`` and the submodules.
"""

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
from ablage_desktop.engine.intake.documents import (
    DocumentType,
    IntakeLimits,
    PageImage,
    open_document,
)
from ablage_desktop.engine.intake.folders import CollectedInputs, collect_documents
from ablage_desktop.engine.memory.heap import limit_heap_arenas
from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.engine.models.download import (
    DownloadTarget,
    download_licence,
    download_model,
    download_target,
    extra_download,
)
from ablage_desktop.engine.models.router import AUTO
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.pathtext import display, display_line, path_from_storage, path_to_storage
from ablage_desktop.engine.remote.client import Endpoint
from ablage_desktop.engine.results.atomicfile import (
    MAX_NAME_BYTES,
    check_writable,
    fit_name,
    folder_error,
    output_error,
    write_atomic,
)
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrLine, OcrPage
from ablage_desktop.engine.results.exports import EXPORT_FORMATS, SUFFIXES, markdown_plain_text
from ablage_desktop.engine.results.output_guard import Inputs
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.jobs import OcrRequest
from ablage_desktop.engine.run.states import DocumentState, JobState
from ablage_desktop.engine.statuses import BackendStatus

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
    "AblageError",
    "AppConfig",
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
    "PageDone",
    "PageImage",
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
    "extra_download",
    "fit_name",
    "folder_error",
    "fts_query",
    "limit_heap_arenas",
    "load_config",
    "markdown",
    "markdown_plain_text",
    "open_document",
    "output_conflict",
    "output_error",
    "path_from_storage",
    "path_to_storage",
    "render_png",
    "write_atomic",
    "write_json",
    "write_png",
]
