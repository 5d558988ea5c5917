"""What every engine provides, and how the registry describes one."""

from __future__ import annotations

import abc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.results.document import Box, OcrLine, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken

DeviceKind = Literal["cpu", "gpu", "remote"]
Settled = Callable[[list[Box]], list[OcrLine | None]]
"""Given the boxes of the lines an engine found on a page, the line another engine has
already read for sure in each, or None where the engine reads it itself."""


class EngineOptions(BaseModel):
    """Options of one configured model entry; each engine extends it with its own keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    engine: str
    description: str = ""
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Availability:
    ok: bool
    reason: str = ""

    @classmethod
    def yes(cls) -> Availability:
        return cls(True, "")

    @classmethod
    def no(cls, reason: str) -> Availability:
        return cls(False, reason)


class Backend(abc.ABC):
    """A loaded engine.

    ``recognize`` may be called from ``concurrency`` threads at once; the backend keeps one
    native instance per thread where its library needs that.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def concurrency(self) -> int:
        return 1

    @abc.abstractmethod
    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        """Recognise one page; raises ``RecognitionError`` when the engine fails on it.

        Engines that work for long on one page (generation) stop early when ``cancel`` is set.
        """

    def recognize_where(
        self,
        page: PageImage,
        settled: Settled,
        cancel: CancelToken | None = None,
        known: Sequence[OcrLine] = (),
    ) -> OcrPage:
        """Recognise the lines of the page that ``settled`` does not already hold, and take
        the rest from it; ``known`` lines were read for sure before any detection, and an
        engine that can may leave their ink alone. An engine that cannot split its reading so
        reads the whole page (and never calls ``settled``)."""
        return self.recognize(page, cancel)

    @abc.abstractmethod
    def close(self) -> None:
        """Free the native resources; the backend is unusable afterwards."""

    def process_memory(self) -> int | None:
        """Resident bytes the engine holds in processes of its own (a worker, a model
        server), which this process's RSS does not show; None for an engine that runs in
        this process."""
        return None

    def device_memory(self) -> int | None:
        """GPU memory the engine holds in a process of its own (its CUDA context included
        where the driver tells); None for an engine on a CPU or in this process."""
        return None

    def tracked_objects(self) -> Sequence[object]:
        """Objects that must be gone once the backend is unloaded (checked for leaks)."""
        return (self,)

    def _page_result(
        self, page: PageImage, started: float, text: str, lines: Sequence[OcrLine]
    ) -> OcrPage:
        """The result for ``page``, timed from ``started`` (a ``time.perf_counter()``)."""
        return OcrPage(
            index=page.index,
            width=page.width,
            height=page.height,
            backend=self.name,
            seconds=time.perf_counter() - started,
            text=text,
            lines=tuple(lines),
        )


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """How to check and load one kind of engine; one entry in the registry."""

    engine: str
    kind: DeviceKind
    title: str
    options: type[EngineOptions]
    estimate: Callable[[EngineOptions], MemoryEstimate]
    """Bytes the engine needs with these options, before it is loaded."""
    check: Callable[[EngineOptions], Availability]
    load: Callable[[str, EngineOptions], Backend]
    concurrency: Callable[[EngineOptions], int] = lambda options: 1
    """Pages one loaded instance recognises at once."""
    prepare: Callable[[], None] | None = None
    """Import the engine's libraries ahead of its first load: an import holds the GIL for
    its whole length, which a window would feel as a stutter if it came with a click."""
    destination: Callable[[EngineOptions], str | None] = lambda options: None
    """Where pages go when this engine reads them on another machine (a server's address);
    None for engines that read on this one."""
    auto_ready: Callable[[EngineOptions], Availability] | None = None
    """Whether ``auto`` should route pages to this engine, beyond its availability: an
    engine can be usable when named and still add nothing in an automatic chain (Docling
    without its layout weights reads only born-digital pages, which the text layer already
    reads). None: the same as ``availability``."""
    route_purpose: str = ""
    """What the engine is chosen for in ``auto``, said in a page's route when it heads the
    chain ("layout analysis"); empty: nothing to say beyond the page's kind."""
    reads_pdf_text: bool = False
    """The engine reads a PDF page's own text itself (Docling, with docling-parse): when it is
    the engine the user named, ``TextLayerFirst`` hands it the page instead of reading the
    layer in front of it."""
    notes: Callable[[EngineOptions], tuple[str, ...]] = lambda options: ()
    """What a usable model cannot do here and how to change that, in words (``models
    list``, the GUI's tooltip): missing optional weights or libraries."""
    download_folder: Callable[[EngineOptions], Path | None] = lambda options: None
    """Where ``models download`` puts the model's files when its engine reads them from a
    folder of its own (Docling's layout weights); None: the Hugging Face cache."""
    downloaded: Callable[[EngineOptions], bool] = lambda options: False
    """The hub repository's files are already in ``download_folder``, so ``models download``
    skips them (Surya's recognition weights); False: the hub decides what is missing."""
    fetch_extra: Callable[[EngineOptions, Callable[[str], None]], None] | None = None
    """What ``models download`` fetches besides the hub repository, before it: files that
    are not on the hub (Surya's own environment and its text detector). The second argument
    says each step in words (the command line prints it). Raises ``DownloadFailed``. None:
    the hub repository is all."""
    version: Callable[[EngineOptions], str] | None = None
    """The version of the engine's library where this process cannot read it from its own
    packages (Surya, in an environment of its own); None: ``bench`` reads it here."""
    licence: str = ""
    """The licence of the model's weights in words, shown before ``models download`` fetches
    anything, where it restricts their use (Surya's Open RAIL-M); empty: nothing to show."""

    def availability(self, options: EngineOptions) -> Availability:
        if not options.enabled:
            return Availability.no("disabled in the configuration (enabled: false)")
        return self.check(options)
