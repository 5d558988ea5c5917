"""The first stop of every page: a PDF page whose text layer covers its visible text is read
from the layer, and no OCR engine is asked (or loaded) for it.

``TextLayerFirst`` stands in front of the engines' dispatcher (``models.dispatcher``) in the page
pipeline. The decoder process has already read and judged each PDF page's layer
(``engine.text_layer``); here ``intake.pdf_text`` decides what that means:

``auto``
    the layer is read where it covers the visible text; other pages are OCRed, and their
    ``route`` says why the layer was not used;
``layer_only``
    every PDF page is read from its layer, whatever it holds (a page without one comes back
    empty: nothing is OCRed); images are OCRed as always;
``always_ocr``
    the decoder does not read layers at all: every page is OCRed.

An engine that reads a PDF's own text itself, with more than the layer gives (Docling: its
structure and reading order; ``BackendSpec.reads_pdf_text``), gets every page under ``auto``
when the user named it: the layer is then judged but not read here. ``auto`` routing keeps
the layer path, which is many times faster; ``layer_only`` keeps its meaning (nothing is
recognised by an engine).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ablage_desktop.engine.events import Event, Routed
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.text.text_layer import BACKEND, page_from_layer

if TYPE_CHECKING:
    from ablage_desktop.engine.run.pipeline import PageRecognizer

log = logging.getLogger(__name__)


class TextLayerFirst:
    """A page recognizer: the text layer where it may, else ``engines``."""

    def __init__(
        self,
        engines: PageRecognizer,
        mode: str,
        emit: Callable[[Event], None],
        engine_reads_pdf_text: bool = False,
    ) -> None:
        """``engine_reads_pdf_text``: ``engines`` is one named engine that reads the PDF's
        own text itself, so pages with a usable layer go to it under ``auto``."""
        self.engines = engines
        self.mode = mode
        self._emit = emit
        self._engine_reads_pdf_text = engine_reads_pdf_text
        self.name = engines.name
        self.batch_size = max(1, int(getattr(engines, "batch_size", 1)))

    @property
    def concurrency(self) -> int:
        return self.engines.concurrency

    def from_layer(self, page: PageImage) -> tuple[bool, str]:
        """Whether ``page`` is read from its layer, and the words for its route."""
        layer = page.text_layer
        if layer is None:
            return False, ""
        if self.mode == "layer_only":
            return True, f"read from the text layer (intake.pdf_text: layer_only): {layer.reason}"
        if self.mode == "auto" and self._engine_reads_pdf_text:
            return False, f"{self.name} reads the PDF's own text (text layer: {layer.reason})"
        if self.mode == "auto" and layer.usable:
            return True, f"read from the text layer, not OCRed: {layer.reason}"
        return False, f"text layer not used: {layer.reason}"

    def _layer_page(self, page: PageImage, reason: str, started: float) -> OcrPage:
        assert page.text_layer is not None
        self._emit(Routed(page.document, page.index, BACKEND, reason))
        log.debug("Page %d of %s: %s", page.index + 1, page.document.name, reason)
        return page_from_layer(page, page.text_layer, reason, started)

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        use, reason = self.from_layer(page)
        if use:
            return self._layer_page(page, reason, started)
        result = self.engines.recognize(page, cancel)
        return _noted(result, reason)

    def recognize_batch(
        self, pages: Sequence[PageImage], cancel: CancelToken | None = None
    ) -> list[OcrPage]:
        started = time.perf_counter()
        decisions = [self.from_layer(page) for page in pages]
        others = [page for page, (use, _) in zip(pages, decisions, strict=True) if not use]
        read: list[OcrPage] = []
        if len(others) > 1:
            read = list(self.engines.recognize_batch(others, cancel))  # type: ignore[attr-defined]
        elif others:
            read = [self.engines.recognize(others[0], cancel)]
        results = iter(read)
        out = []
        for page, (use, reason) in zip(pages, decisions, strict=True):
            if use:
                out.append(self._layer_page(page, reason, started))
            else:
                out.append(_noted(next(results), reason))
        return out


def _noted(result: OcrPage, reason: str) -> OcrPage:
    if not reason:
        return result
    route = f"{result.route}; {reason}" if result.route else reason
    return dataclasses.replace(result, route=route)
