"""``Engine``: the engine as the window and the command line drive it, and nothing more.

The window and the CLI import only this module (through ``ablage_desktop.engine``) and
``engine.errors``; an import-linter contract in ``pyproject.toml`` keeps it so. Every method
may block (a model load, a folder walk, a write): the window calls them off its GUI thread.
The model manager, the router and the decoders stay inside (``core.EngineCore``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ablage_desktop.engine.archive.store import Job, SearchHit, Store
from ablage_desktop.engine.archive_access import SEARCH_LIMIT, ArchiveAccess
from ablage_desktop.engine.backends import BackendSpec, EngineOptions
from ablage_desktop.engine.config import AppConfig
from ablage_desktop.engine.core import PREVIEW_DPI, EngineCore
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.events import Event
from ablage_desktop.engine.export_access import ExportAccess
from ablage_desktop.engine.intake.folders import CollectedInputs, collect_documents
from ablage_desktop.engine.memory.probe import MemoryProbe, MemorySnapshot
from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.results.output_guard import Inputs
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.jobs import OcrRequest, resume_request
from ablage_desktop.engine.statuses import BackendStatus, quantization_choices
from ablage_desktop.engine.user_config import save_model_entry

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.bench import BenchPlan, BenchProgress, BenchReport

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MemoryBudgets:
    """Bytes the models may use: in RAM, and on the GPU (None: no GPU)."""

    cpu: int
    gpu: int | None


def output_conflict(path: Path, inputs: Iterable[Path]) -> str | None:
    """Why ``path`` must not be written while ``inputs`` are the documents (and folders) at
    hand, or None: the rule every write obeys, for a caller that asks first."""
    return Inputs.of(inputs).conflict(path, "the export")


class Engine:
    """Models, documents, exports and the archive, for the window and the command line."""

    def __init__(
        self,
        config: AppConfig,
        probe: MemoryProbe | None = None,
        footprints: Path | None = None,
        store: Store | None = None,
    ) -> None:
        self._core = EngineCore(config, probe=probe, footprints=footprints, store=store)
        self._archive = ArchiveAccess(store)
        self._exports = ExportAccess(lambda: self._core.config, self._core.render_lock)

    @property
    def config(self) -> AppConfig:
        """The configuration in force (servers added while running included)."""
        return self._core.config

    def subscribe(self, listener: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``listener`` with every engine event, on the engine's threads; the function
        that stops it."""
        return self._core.events.subscribe(listener)

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Memory sampling, keep-alive and preloading, for a long-running session."""
        self._core.start()

    def prepare(self, backend: str | None = None) -> list[str]:
        """Import the libraries of the engines ``backend`` would use (None: ``auto``'s and
        the configured default's); the engines prepared."""
        return self._core.prepare(backend)

    def connect_remote(self) -> dict[str, str | None]:
        """Health-check every usable server now: name -> None when it answers, else why not."""
        return self._core.connect_remote()

    def close(self, *, ending: bool = False) -> None:
        """Stop the engine's threads and processes (the archive stays open); ``ending``: the
        process ends next (a command's end), so the models' memory is not given back."""
        self._core.close(ending=ending)

    def close_archive(self) -> None:
        self._archive.close()

    def release_shared_memory(self) -> None:
        """At an exit that cannot wait for ``close``: no shared memory is left behind."""
        self._core.release_shared_memory()

    # --- models -----------------------------------------------------------------------------

    def statuses(self) -> list[BackendStatus]:
        """Every configured model as ``models list`` and the models table show it."""
        return self._core.statuses()

    def load(self, name: str) -> str:
        """Load model ``name`` now (a server: check that it answers); its registered name.

        Raises ``UnknownBackend``, ``BackendUnavailable`` or the load's own error.
        """
        resolved, _ = self._core.resolve(name)
        self._core.manager.load(resolved)
        return resolved

    def unload(self, name: str, wait_s: float = 0.0) -> bool:
        """Unload ``name``; True when it was resident. A model reading a page is waited for
        up to ``wait_s`` seconds, then refused with ``ModelBusy``."""
        return self._core.manager.unload(name, wait_s=wait_s)

    def resident(self) -> list[str]:
        """The models loaded or loading now."""
        return [status.name for status in self.statuses() if status.state.resident]

    def unload_all(self, wait_s: float = 0.0) -> list[str]:
        """Unload every resident model (each as ``unload`` does); the names unloaded."""
        return [name for name in self.resident() if self.unload(name, wait_s)]

    def set_quantization(self, name: str, quantization: str) -> None:
        """Load ``name`` with ``quantization`` from its next load on (``UsageError`` when the
        model cannot take it)."""
        if quantization not in quantization_choices(self._core.options(name)):
            raise UsageError(f"{name} cannot load as {quantization}")
        self._core.configure(name, quantization=quantization)

    def add_server(
        self,
        name: str,
        entry: Mapping[str, object],
        first_in_auto: bool = False,
        save_to: Path | None = None,
    ) -> None:
        """Make an OpenAI-compatible server known as model ``name`` (the keys of a ``models``
        entry of engine ``openai_server``); with ``first_in_auto`` ``auto`` tries it first.
        ``save_to``: the user's configuration file, where it is kept for the next start."""
        self._core.add_server(name, entry, first_in_auto)
        if save_to is not None:
            routing = self.config.routing.chains() if first_in_auto else None
            save_model_entry(save_to, name, dict(entry), routing)

    def add_model(self, name: str, spec: BackendSpec, options: EngineOptions) -> None:
        """Make a model of an engine outside the built-in registry known (a plugin's)."""
        self._core.add_model(name, spec, options)

    def memory_budgets(self, snapshot: MemorySnapshot) -> MemoryBudgets:
        """What the models may use of the memory ``snapshot`` describes."""
        manager = self._core.manager
        gpu = manager.budget("gpu", snapshot) if snapshot.has_gpu else None
        return MemoryBudgets(manager.budget("cpu", snapshot), gpu)

    # --- documents --------------------------------------------------------------------------

    @staticmethod
    def collect(paths: Iterable[Path]) -> CollectedInputs:
        """The documents in ``paths`` (folders walked, hidden entries skipped)."""
        return collect_documents(list(paths))

    def ocr(self, request: OcrRequest, cancel: CancelToken | None = None) -> Iterator[OcrDocument]:
        """Recognise every document of ``request``; each is yielded in order as it completes."""
        return self._core.ocr(request, cancel)

    def preview(self, path: Path, index: int, dpi: int = PREVIEW_DPI) -> Image.Image:
        """Page ``index`` of ``path`` for display, decoded beside any running batch."""
        return self._core.preview(path, index, dpi)

    def read_area(
        self,
        path: Path,
        index: int,
        area: tuple[int, int, int, int],
        backend: str | None = None,
        languages: str | None = None,
    ) -> OcrPage:
        """Page ``index`` of ``path`` read again inside ``area`` (x0, y0, x1, y1 in the
        page's pixels, as its boxes) by ``backend`` (None: the default); its lines placed on
        the page. ``with_area_read`` puts them into the page's reading. Raises
        ``UsageError`` for a frame too small to read, and what a page's reading raises."""
        return self._core.read_area(path, index, area, backend, languages)

    def read_turned(
        self,
        path: Path,
        index: int,
        turns: int,
        backend: str | None = None,
        languages: str | None = None,
    ) -> OcrPage:
        """Page ``index`` of ``path`` read again turned ``turns`` quarter turns
        counter-clockwise (the user's answer where the orientation step left a page lying
        on its side or upside down) by ``backend``; its lines placed on the page as it is
        shown, to take the page's place as a correction does."""
        return self._core.read_turned(path, index, turns, backend, languages)

    def export(
        self, document: OcrDocument, path: Path, fmt: str, inputs: Iterable[Path] = ()
    ) -> None:
        """Write ``document`` to ``path`` as ``fmt``, all or nothing, never over one of
        ``inputs`` (``OutputOverlapsInput``); a failed write raises ``OutputError``."""
        self._exports.write(document, path, fmt, inputs)

    def add_pdf_password(self, password: str) -> None:
        """Try ``password`` too on PDFs that ask for one, from the next batch on, for this
        session (``intake.pdf_passwords`` keeps them for good)."""
        self._core.add_pdf_password(password)

    def set_pdf_images(self, pdf_images: Literal["original", "compact"]) -> None:
        """Searchable PDFs' pages of image files kept so from the next export on, for this
        session (``exports.pdf_images`` of the configuration keeps it for good)."""
        # One assignment: an export starting meanwhile sees the configuration before or after.
        self._core.config = self._core.config.with_pdf_images(pdf_images)

    def export_bytes(self, document: OcrDocument, fmt: str) -> bytes:
        """``document`` as ``fmt``, for a caller that writes it elsewhere (stdout); raises
        ``UsageError`` for a document that cannot be exported so."""
        return self._exports.render(document, fmt)

    def bench(
        self,
        plan: BenchPlan,
        progress: Callable[[BenchProgress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> BenchReport:
        """The ``ablage-desktop bench`` run of ``plan``."""
        from ablage_desktop.engine.bench import run_bench  # only for this: the rest starts faster

        return run_bench(self._core, plan, progress, cancel)

    # --- the archive ------------------------------------------------------------------------

    @property
    def has_archive(self) -> bool:
        return self._archive.present

    @staticmethod
    def resume_request(job: Job) -> OcrRequest:
        """The request that finishes archived batch ``job`` where it stopped."""
        return resume_request(job)

    def resume(self, job: int) -> OcrRequest | None:
        """The request that finishes batch ``job``; None when it has nothing left to read."""
        return self._archive.resume(job)

    def resumable_jobs(self) -> list[Job]:
        """Batches that stopped before their end and can be read on."""
        return self._archive.resumable_jobs()

    def running_jobs(self) -> list[Job]:
        """Batches another live process is working on right now."""
        return self._archive.running_jobs()

    def discard(self, job: int) -> None:
        """Mark batch ``job`` as cancelled: it is not offered for resuming again."""
        self._archive.discard(job)

    def search(self, words: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Archived pages holding every word of ``words``, best first."""
        return self._archive.search(words, limit)

    def index_archive(self) -> int:
        """One step of indexing an older archive's pages for words inside words (each step
        short, so that other calls come between); the pages indexed, 0 once none is left."""
        return self._archive.index_older_pages()

    def keep_correction(self, sha256: str, page: OcrPage, was: Collection[str]) -> int:
        """Keep ``page``, corrected by the user, in the archive in place of the readings of
        that page of document ``sha256`` whose text is one of ``was`` (what the window showed
        of it): reading the document again there, or opening it from a search, gives the
        corrected text, and the search finds its words. How many readings took it (0
        without an archive)."""
        return self._archive.keep_correction(sha256, page, was)

    def revert_correction(self, sha256: str, index: int, was: Collection[str]) -> OcrPage | None:
        """Put the engine's first reading of page ``index`` of document ``sha256`` back in
        the archive in place of its correction (the reading whose text is one of ``was``);
        that first reading, or None where the archive keeps no correction of it."""
        return self._archive.revert_correction(sha256, index, was)

    def archived_document(self, sha256: str, path: Path) -> OcrDocument | None:
        """The stored pages of a document; None when the archive holds none."""
        return self._archive.document(sha256, path)
