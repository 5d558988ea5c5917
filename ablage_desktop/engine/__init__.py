"""The engine: plain Python, no Qt, no torch at import time.

Its public API is re-exported here for the GUI, the CLI and tests.
"""

from ablage_desktop.engine.config import AppConfig, load_config
from ablage_desktop.engine.core import Engine
from ablage_desktop.engine.errors import AblageError, ConfigError, InputError
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
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.results.document import ErrorInfo, OcrDocument, OcrLine, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.jobs import OcrRequest
from ablage_desktop.engine.run.states import DocumentState, JobState
from ablage_desktop.engine.statuses import BackendStatus

__all__ = [
    "AblageError",
    "AppConfig",
    "BackendStatus",
    "CancelToken",
    "CollectedInputs",
    "ConfigError",
    "DocumentFinished",
    "DocumentStarted",
    "DocumentState",
    "DocumentType",
    "Engine",
    "ErrorInfo",
    "Event",
    "EventHandlers",
    "FallbackTaken",
    "InputError",
    "IntakeLimits",
    "JobState",
    "MemorySample",
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
    "collect_documents",
    "load_config",
    "open_document",
]
