"""Exceptions of the worker threads as ``failed(kind, message, details)`` signals."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import SignalInstance

from ablage_desktop.engine import AblageError

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> tuple[str, str, str]:
    """Any exception as ``(kind, message, details)`` for a ``failed`` signal."""
    if isinstance(exc, AblageError):
        kind, message = exc.kind, exc.message
    else:
        log.error("Unexpected error in the engine", exc_info=exc)
        kind, message = "internal", f"{type(exc).__name__}: {exc}"
    return kind, message, "".join(traceback.format_exception(exc))


def report(failed: SignalInstance, exc: BaseException) -> None:
    """Turn any exception into the ``failed(kind, message, details)`` signal."""
    failed.emit(*describe(exc))
