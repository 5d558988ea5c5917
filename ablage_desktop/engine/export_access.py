"""The export questions of the API: a document written in an export format, under the
configuration in force at each call (a searchable PDF's pages of images, ``exports``)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from ablage_desktop.engine.config import AppConfig
from ablage_desktop.engine.results.atomicfile import output_error, write_atomic
from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.results.exports import render_export
from ablage_desktop.engine.results.output_guard import Inputs


class ExportAccess:
    """Exports of the engine's documents; ``config`` gives the configuration now, and
    ``render_lock`` is held around pdfium, which is not thread-safe."""

    def __init__(self, config: Callable[[], AppConfig], render_lock: threading.Lock) -> None:
        self._config = config
        self._render_lock = render_lock

    def write(
        self, document: OcrDocument, path: Path, fmt: str, inputs: Iterable[Path] = ()
    ) -> None:
        """Write ``document`` to ``path`` as ``fmt`` (atomically), unless ``path`` is one of
        ``inputs`` (and the document's own file) or lies in a folder among them:
        ``OutputOverlapsInput``; a failed write as ``OutputError`` in words."""
        Inputs.of([document.document, *inputs]).check(path, "the export")
        try:
            write_atomic(path, self.render(document, fmt))  # all of it, or nothing
        except OSError as exc:
            raise output_error(path, exc) from exc

    def render(self, document: OcrDocument, fmt: str) -> bytes:
        """``document`` as ``fmt``, for a caller that writes it elsewhere (stdout)."""
        config = self._config()
        return render_export(
            document,
            fmt,
            config.intake.limits(),
            render_lock=self._render_lock,
            compact=config.exports.pdf_images == "compact",
        )
