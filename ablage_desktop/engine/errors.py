"""Typed errors of the engine.

Every error carries a ``kind`` (a stable machine name used in JSON results, exit codes and the
GUI) and a ``message`` written for the person in front of the screen, not for a developer.
"""

from __future__ import annotations

from pathlib import Path


class AblageError(Exception):
    """Base of every error the engine raises on purpose."""

    kind = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- input documents -------------------------------------------------------------------------


class InputError(AblageError):
    """A document that cannot be read; it fails on its own, the batch goes on."""

    kind = "input"

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class DocumentNotFound(InputError):
    kind = "not_found"


class DocumentPermissionDenied(InputError):
    kind = "permission_denied"


class EmptyDocument(InputError):
    kind = "empty"


class UnsupportedFormat(InputError):
    kind = "unsupported_format"


class CorruptDocument(InputError):
    kind = "corrupt"


class EncryptedDocument(InputError):
    kind = "encrypted"


class DocumentTooLarge(InputError):
    kind = "too_large"


# --- configuration ---------------------------------------------------------------------------


class ConfigError(AblageError):
    """A configuration file that cannot be used; names the file, the key and what was expected."""

    kind = "config"

    def __init__(
        self,
        file: Path | str | None,
        problem: str,
        *,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        where = str(file) if file is not None else "configuration"
        if line is not None:
            where += f", line {line}"
        if key:
            where += f", key '{key}'"
        super().__init__(f"{where}: {problem}")
        self.file = Path(file) if file is not None else None
        self.key = key
        self.line = line
        self.problem = problem


# --- engines ---------------------------------------------------------------------------------


class UsageError(AblageError):
    """A request that cannot be carried out as asked (a bad option value, for example)."""

    kind = "usage"


class UnknownBackend(AblageError):
    kind = "unknown_backend"

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"There is no engine called '{name}'. Known engines: {', '.join(known)}.")
        self.name = name


class BackendUnavailable(AblageError):
    """The engine is configured but cannot run here (missing library, language data, ...)."""

    kind = "backend_unavailable"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"The engine '{name}' cannot run here: {reason}")
        self.name = name
        self.reason = reason


class ModelLoadError(AblageError):
    kind = "model_load"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"The engine '{name}' could not be started: {reason}")
        self.name = name
        self.reason = reason


class RecognitionError(AblageError):
    """The engine failed on one page."""

    kind = "recognition"


class Cancelled(AblageError):
    kind = "cancelled"

    def __init__(self, message: str = "Cancelled by the user.") -> None:
        super().__init__(message)
