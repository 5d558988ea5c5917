"""``ControlWorker``: the quick requests that must work while a batch runs, in the control thread.

Expanding dropped folders into a batch, loading and unloading models, quantization, servers,
exports and page previews. Every slot catches everything and emits ``failed`` with words a
person understands, so an engine error never kills the app.
"""

from __future__ import annotations

import itertools
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from ablage_desktop.engine import Engine, OcrDocument, OcrRequest, collect_documents
from ablage_desktop.engine.errors import ModelBusy
from ablage_desktop.engine.user_config import save_model_entry
from ablage_desktop.gui.failures import describe as _describe
from ablage_desktop.gui.failures import report as _report
from ablage_desktop.gui.images import preview_qimage
from ablage_desktop.gui.quantization import quantization_choices

AUTO = "auto"
"""The engine choice that lets the engine pick one per page."""
UNLOAD_WAIT_S = 600.0


class ControlWorker(QObject):
    """Quick requests that must work while a batch runs."""

    documentsQueued = Signal(int, object, int)  # batch id, document paths, skipped count
    batchEngine = Signal(int, str)  # batch id, engine asked for (before documentsQueued)
    previewReady = Signal(object, int, object)  # path, page index, QImage
    modelsChanged = Signal(object)  # list[BackendStatus]
    message = Signal(str)  # a line for the status bar
    exported = Signal(str, str)  # path written, format
    failed = Signal(str, str, str)

    runRequest = Signal(int, object)  # batch id, OcrRequest: forwarded to the EngineWorker

    def __init__(self, engine: Engine, config_file: Path | None = None) -> None:
        super().__init__()
        self._engine = engine
        self._config_file = config_file
        self._batches = itertools.count(1)

    @Slot(str, object, bool)
    def add_server(self, name: str, entry: dict[str, object], first_in_auto: bool) -> None:
        """Register a server, save it in the user's configuration, and check its health."""
        try:
            self._engine.add_server(name, entry, first_in_auto)
            if self._config_file is not None:
                routing = self._engine.config.routing.chains() if first_in_auto else None
                save_model_entry(self._config_file, name, entry, routing)
            self.message.emit(self.tr("Asking {0} whether it answers ...").format(name))
            self.refresh()
            self._engine.manager.acquire(name).release()
            self.message.emit(self.tr("{0} is ready.").format(name))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot(object, str, object, bool)
    def enqueue(self, paths: list[str], backend: str, languages: str | None, force: bool) -> None:
        """Queue ``paths`` for ``backend``; ``languages`` for engines that take them (None: as
        configured), ``force``: read again what the archive holds for this engine."""
        try:
            collected = collect_documents([Path(p) for p in paths])
            if not collected.documents:
                self.message.emit(self.tr("No documents found in what was dropped."))
                return
            batch = next(self._batches)
            documents = [str(path) for path in collected.documents]
            request = OcrRequest(
                list(collected.documents),
                backend=None if backend == AUTO else backend,
                languages=languages or None,
                force=force,
            )
            self.batchEngine.emit(batch, backend)
            self.documentsQueued.emit(batch, documents, len(collected.skipped))
            self.runRequest.emit(batch, request)
        except Exception as exc:
            _report(self.failed, exc)

    @Slot(int)
    def resume(self, job_id: int) -> None:
        """Queue the unfinished documents of archived batch ``job_id`` as a new batch."""
        try:
            store = self._engine.store
            job = store.job(job_id) if store is not None else None
            if job is None or not job.remaining:
                self.message.emit(self.tr("That batch has nothing left to read."))
                return
            request = self._engine.resume_request(job)
            batch = next(self._batches)
            self.documentsQueued.emit(batch, [str(path) for path in request.paths], 0)
            self.runRequest.emit(batch, request)
        except Exception as exc:
            _report(self.failed, exc)

    @Slot(object, str, str, object)
    def export(self, document: OcrDocument, path: str, fmt: str, inputs: list[Path]) -> None:
        """Write ``document`` to ``path`` in export format ``fmt`` (pdf re-renders its pages);
        never over one of ``inputs``."""
        try:
            self._engine.export(document, Path(path), fmt, inputs)
            self.exported.emit(path, fmt)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            message = self.tr("Cannot write {0}: {1}").format(path, reason)
            self.failed.emit("output", message, "".join(traceback.format_exception(exc)))
        except Exception as exc:
            kind, message, details = _describe(exc)
            self.failed.emit(kind, self.tr("Export failed: {0}").format(message), details)

    @Slot(object, int)
    def preview(self, path: str, index: int) -> None:
        try:
            image = self._engine.preview(Path(path), index)
            # Issue 17.5: screen-sized and pixmap-ready here, not on the GUI thread
            self.previewReady.emit(path, index, preview_qimage(image))
        except Exception as exc:
            _report(self.failed, exc)

    @Slot()
    def prepare(self) -> None:
        try:
            self._engine.prepare()
        except Exception as exc:
            _report(self.failed, exc)

    @Slot()
    def refresh(self) -> None:
        try:
            self.modelsChanged.emit(self._engine.statuses())
        except Exception as exc:
            _report(self.failed, exc)

    @Slot(str)
    def load(self, name: str) -> None:
        try:
            resolved, _ = self._engine.resolve(name)
            self.message.emit(self.tr("Loading {0} ...").format(resolved))
            self._engine.manager.acquire(resolved).release()
            self.message.emit(self.tr("{0} is loaded.").format(resolved))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot(str)
    def unload(self, name: str) -> None:
        try:
            try:
                self._engine.manager.unload(name)
            except ModelBusy:
                self.message.emit(
                    self.tr("{0} is reading a page; it unloads as soon as it is done.").format(name)
                )
                self._engine.manager.unload(name, wait_s=UNLOAD_WAIT_S)
            self.message.emit(self.tr("{0} is unloaded.").format(name))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot(str, str)
    def set_quantization(self, name: str, quantization: str) -> None:
        try:
            if quantization not in quantization_choices(self._engine.options(name)):
                self.message.emit(self.tr("{0} cannot load as {1}.").format(name, quantization))
                return
            self._engine.configure(name, quantization=quantization)
            self.message.emit(self.tr("{0} will load as {1}.").format(name, quantization))
        except Exception as exc:
            _report(self.failed, exc)
        self.refresh()

    @Slot()
    def unload_all(self) -> None:
        for status in self._engine.statuses():
            if status.state.resident:
                self.unload(status.name)
        self.refresh()
