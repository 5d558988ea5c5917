"""What travels between the app and its decoder process: requests, replies and page pixels.

Exceptions are not pickled (our errors take a path and a message, which pickle cannot rebuild):
an error travels as its class name and message and is raised again on the app's side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine import errors
from ablage_desktop.engine.intake.documents import IntakeLimits
from ablage_desktop.engine.text.text_layer import TextLayer


@dataclass(frozen=True, slots=True)
class OpenRequest:
    handle: int
    path: Path
    limits: IntakeLimits


@dataclass(frozen=True, slots=True)
class PageRequest:
    handle: int
    index: int
    ahead: bool = False
    """Render the next page after answering, for the request that will follow."""


@dataclass(frozen=True, slots=True)
class EngineQuestion:
    """Whether page ``index`` can only be read by an engine (``Document.needs_engine``):
    answered with a bool, before the page is rendered."""

    handle: int
    index: int


@dataclass(frozen=True, slots=True)
class CloseRequest:
    handle: int


@dataclass(frozen=True, slots=True)
class Opened:
    sha256: str
    doc_type: str
    page_count: int
    damage: str | None = None


@dataclass(frozen=True, slots=True)
class PageHeader:
    """A rendered page: its pixels are in the shared buffer (``shared``), or else follow on
    the pipe as one raw message (a page larger than the buffer, or of an unusual mode)."""

    index: int
    mode: str
    width: int
    height: int
    dpi: float | None
    shared: bool
    text_layer: TextLayer | None = None


CHANNELS = {"L": 1, "RGB": 3}
"""Bytes per pixel of the modes pages come in (``documents.normalize_mode``)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """An error raised while decoding: ``name`` is an ``InputError`` class, else unexpected."""

    name: str
    message: str


def input_error_class(name: str) -> type[errors.InputError] | None:
    """The ``InputError`` subclass called ``name`` in ``engine.errors``, if there is one."""
    found = getattr(errors, name, None)
    if isinstance(found, type) and issubclass(found, errors.InputError):
        return found
    return None


def raise_failure(failure: Failure, path: Path) -> None:
    """Raise ``failure`` again as the typed error it was in the decoder process."""
    cls = input_error_class(failure.name)
    if cls is not None:
        raise cls(path, failure.message)
    raise errors.DecoderFailed(
        path, f"Reading {path.name} failed unexpectedly in the decoder: {failure.message}"
    )
