"""An exception as the three things the window shows of it: kind, message and details."""

from __future__ import annotations

import logging
import traceback

from ablage_desktop.engine.errors import AblageError, as_ablage_error

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> tuple[str, str, str]:
    """Any exception as ``(kind, message, details)``: a typed error's own words, an
    unexpected one (logged) as ``internal`` with its type and text."""
    if not isinstance(exc, AblageError):
        log.error("Unexpected error in the engine", exc_info=exc)
    error = as_ablage_error(exc)
    return error.kind, error.message, "".join(traceback.format_exception(error))
