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


class IncompleteDocument(CorruptDocument):
    """A file cut short or damaged whose pages (or part of a page) that were there were read
    all the same (``intake/salvage.py``): the document's error, after its pages."""

    kind = "incomplete"


class EncryptedDocument(InputError):
    kind = "encrypted"


class PagesNotInDocument(InputError):
    """None of the pages asked for (``ocr --pages``) is in the document."""

    kind = "pages_not_in_document"


class DocumentTooLarge(InputError):
    kind = "too_large"


class DecoderCrashed(InputError):
    """The decoder process died (segfault, abort, killed) while reading this document."""

    kind = "decoder_crashed"


class DecoderTimeout(InputError):
    """Decoding this document took longer than the limit; the decoder process was stopped."""

    kind = "decoder_timeout"


class DecoderFailed(InputError):
    """The decoder raised an error nobody expected (a bug in a parser, or in this app)."""

    kind = "decoder_failed"


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


class UnsafeModel(ModelLoadError):
    """A model folder that could run code if it were loaded; refused before anything is read.

    Not retried: the same folder gives the same answer until a person changes it.
    """

    kind = "unsafe_model"


class PickleWeightsRefused(UnsafeModel):
    """Only pickle weights (``.bin``, ``.pt``...): unpickling can run any code."""

    kind = "pickle_weights"


class RemoteCodeRefused(UnsafeModel):
    """A ``config.json`` whose ``auto_map`` asks for Python code shipped with the model."""

    kind = "remote_code"


class CorruptModelFiles(ModelLoadError):
    """A model folder whose files are damaged: a truncated ``.safetensors``, a missing shard,
    an unreadable ``config.json``. Not retried: a second read finds the same bytes."""

    kind = "corrupt_model"


class IllegalTransition(RuntimeError):
    """A model state change the transition table forbids: a bug in the manager, so it is not
    an ``AblageError`` that callers would handle as a user's problem."""

    def __init__(self, model: str, current: str, new: str) -> None:
        super().__init__(f"Model '{model}' cannot go from {current} to {new}.")
        self.model = model


class InsufficientMemory(AblageError):
    """A model does not fit even after every idle model was evicted."""

    kind = "insufficient_memory"

    def __init__(self, model: str, device: str, need: int, have: int, detail: str = "") -> None:
        message = (
            f"Model '{model}' needs about {_gib(need)} of {device.upper()} memory, but only "
            f"{_gib(have)} can be made free"
        )
        super().__init__(message + (f" ({detail})." if detail else "."))
        self.model = model
        self.device = device
        self.need = need
        self.have = have


class OutOfMemory(AblageError):
    """The device ran out of memory while loading or running a model (after one retry)."""

    kind = "out_of_memory"

    def __init__(self, model: str, during: str, cause: str = "") -> None:
        detail = f": {cause.rstrip('.')}" if cause else ""
        super().__init__(f"Model '{model}' ran out of memory during {during}{detail}.")
        self.model = model
        self.during = during
        self.cause = cause


class ModelBusy(AblageError):
    """An unload was asked for a model that is in use."""

    kind = "model_busy"

    def __init__(self, model: str, users: int) -> None:
        super().__init__(
            f"Model '{model}' is in use by {users} page(s) right now; it unloads when they finish "
            "(or ask again with wait)."
        )
        self.model = model


def _gib(size: int) -> str:
    return f"{size / (1 << 30):.2f} GiB" if size >= 1 << 28 else f"{size / (1 << 20):.0f} MiB"


class OutputError(AblageError):
    """A result that cannot be written: a read-only or full output folder, for example.

    The write never leaves a partial file behind: the old file (if any) stays as it was.
    """

    kind = "output"

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class OutputOverlapsInput(UsageError):
    """An output, event log, export or archive path that is an input file or lies inside an
    input folder being read: writing there would replace a document or feed results back in."""

    kind = "output_overlaps_input"

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class StoreError(AblageError):
    """The archive cannot be opened or written (disk full, damaged file, newer schema)."""

    kind = "store"


class RecognitionError(AblageError):
    """The engine failed on one page."""

    kind = "recognition"


class EngineStopped(RecognitionError):
    """The process an engine runs in (or its model server) ended or hung during a page: the
    page goes on to the next engine, and the model is unloaded so that the next page that
    needs it starts it afresh."""

    def __init__(self, model: str, detail: str) -> None:
        super().__init__(f"The engine '{model}' stopped: {detail}")
        self.model = model


class Cancelled(AblageError):
    kind = "cancelled"

    def __init__(self, message: str = "Cancelled by the user.") -> None:
        super().__init__(message)


# --- remote inference servers ----------------------------------------------------------------


class RemoteServerError(RecognitionError):
    """An OpenAI-compatible server failed on a page.

    ``transient`` errors (the server unreachable, a timeout, 408/429/5xx) are retried with
    backoff; ``server_down`` is set once the retries are spent (or the server is known to be
    down): the manager then stops using the model until a health check passes again.
    """

    kind = "remote"
    transient = False

    def __init__(self, model: str, url: str, problem: str) -> None:
        super().__init__(f"The server of '{model}' ({url}): {problem}")
        self.model = model
        self.url = url
        self.problem = problem
        self.server_down = False


class RemoteUnreachable(RemoteServerError):
    """Connection refused or reset, no route, DNS failure, or the answer cut off."""

    kind = "remote_unreachable"
    transient = True


class RemoteTimeout(RemoteServerError):
    kind = "remote_timeout"
    transient = True


class RemoteHttpError(RemoteServerError):
    """An HTTP error status; 408, 429 and 5xx are worth another try, other 4xx are not."""

    kind = "remote_http"

    def __init__(self, model: str, url: str, status: int, detail: str) -> None:
        super().__init__(model, url, f"HTTP {status}: {detail}")
        self.status = status
        self.transient = status in (408, 429) or status >= 500


class RemoteReplyError(RemoteServerError):
    """The server answered, but not with a chat completion this app can read."""

    kind = "remote_reply"


class RemoteTlsError(RemoteServerError):
    """The server's TLS certificate did not verify (never retried, never ignored)."""

    kind = "remote_tls"


class DownloadFailed(AblageError):
    """A model's files could not be fetched (no network, the hub refused, a full disk)."""

    kind = "download"


# --- what nobody raised on purpose -----------------------------------------------------------


class InternalError(AblageError):
    """An exception nobody raised on purpose (a bug, raw words of a library), wrapped so that
    a caller handles one type; the original is its ``__cause__``."""

    kind = "internal"


def as_ablage_error(exc: BaseException) -> AblageError:
    """``exc`` itself when it is typed, else an ``InternalError`` that carries it."""
    if isinstance(exc, AblageError):
        return exc
    wrapped = InternalError(f"{type(exc).__name__}: {exc}")
    wrapped.__cause__ = exc
    wrapped.__traceback__ = exc.__traceback__
    return wrapped
