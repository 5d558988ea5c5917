"""Docling: a page's layout (headings, paragraphs, lists, tables, reading order) and the text
of born-digital PDF pages straight from the PDF, without OCR.

A PDF page is converted by Docling from the PDF file itself, one page at a time (docling-parse
gives its text cells; regions that are pictures of text are OCRed inside Docling with the
app's RapidOCR models or Tesseract). An image page, or a PDF page whose image the app turned
(its shape no longer the PDF page's), is given to Docling as a PNG of the page
image. The layout model (``docling-project/docling-layout-heron``, RT-DETRv2) is read from
the app's data folder, never downloaded here (``ablage-desktop models download docling``
fetches it); without it Docling still reads born-digital PDF pages (text and boxes), and an
image page is refused so that ``auto`` goes on to the next engine.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import logging
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
)
from ablage_desktop.engine.backends.docling_pages import (
    PageFrame,
    page_blocks,
    page_clusters,
    page_text,
)
from ablage_desktop.engine.errors import ModelLoadError, RecognitionError
from ablage_desktop.engine.intake.documents import SNIFF_BYTES, DocumentType, PageImage, sniff
from ablage_desktop.engine.memory.estimate import MIB, MemoryEstimate
from ablage_desktop.engine.results.document import OcrLine, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.cores import usable_cores
from ablage_desktop.engine.text.layout import in_reading_order

log = logging.getLogger(__name__)

HERON = "docling-project/docling-layout-heron"
HERON_SIZE = "172 MB"
SAME_SHAPE = 0.02
"""A page image whose aspect ratio is within 2 % of the PDF page's shows the page as the PDF
has it (scaled at most), so Docling's boxes on the PDF page map onto it."""


class DoclingOptions(EngineOptions):
    source: str = HERON
    """The layout weights' hub repository id."""
    revision: str | None = None
    artifacts_path: Path | None = None
    """Docling's artifacts folder; the layout model lives in
    ``<artifacts_path>/<source with / as -->/``. None: the app's data folder."""
    ocr: Literal["rapidocr", "tesseract"] = "rapidocr"
    """What reads scanned pages and pictures of text inside Docling."""
    threads: int = Field(2, ge=1, le=64)
    """Threads of Docling's models (torch, onnxruntime), at most the cores the app may use."""


def artifacts_folder(options: DoclingOptions) -> Path:
    """Docling's artifacts folder: the configured one or the app's data folder."""
    if options.artifacts_path is not None:
        return options.artifacts_path
    import platformdirs

    return platformdirs.user_data_path("ablage-desktop") / "models" / "docling"


def layout_folder(options: DoclingOptions) -> Path:
    """Where the layout weights live (Docling's own layout: the repo id, / as --)."""
    return artifacts_folder(options) / options.source.replace("/", "--")


def has_layout_weights(options: DoclingOptions) -> bool:
    folder = layout_folder(options)
    return all(
        (folder / name).is_file()
        for name in ("config.json", "preprocessor_config.json", "model.safetensors")
    )


def check(options: EngineOptions) -> Availability:
    assert isinstance(options, DoclingOptions)
    for module, package in (("docling", "docling-slim"), ("docling_parse", "docling-parse")):
        if importlib.util.find_spec(module) is None:
            return Availability.no(
                f"the {package} package is not installed (pip install "
                "'docling-slim[format-pdf,convert-core,feat-ocr-rapidocr,feat-ocr-tesserocr]')"
            )
    if options.ocr == "tesseract" and importlib.util.find_spec("tesserocr") is None:
        return Availability.no("the tesserocr package is not installed (pip install tesserocr)")
    return Availability.yes()


def auto_ready(options: EngineOptions) -> Availability:
    """``auto`` sends pages to Docling only with its layout model: without it Docling reads
    born-digital pages alone, which the text layer in front of the engines already reads."""
    assert isinstance(options, DoclingOptions)
    if has_layout_weights(options):
        return Availability.yes()
    return Availability.no(
        "no layout weights: only born-digital pages, which the text layer already reads "
        "(ablage-desktop models download docling)"
    )


def notes(options: EngineOptions) -> tuple[str, ...]:
    """What this model cannot do here, and how to change that (``models list``)."""
    assert isinstance(options, DoclingOptions)
    from ablage_desktop.engine.backends.docling_pipeline import torchvision_missing

    found: list[str] = []
    if not has_layout_weights(options):
        found.append(
            "reads born-digital PDF pages only (text and boxes, no headings, tables or "
            "scanned pages); `ablage-desktop models download docling` fetches the layout "
            f"model ({options.source}, {HERON_SIZE}) into {layout_folder(options)}"
        )
    if torchvision_missing():
        found.append("tables need torchvision: table regions are read as text in reading order")
    return tuple(found)


NATIVE_BYTES = 32 * MIB
NATIVE_PAGE_BYTES = 64 * MIB
"""Without the layout weights (docling-parse alone): measured about 0 MiB for the load once
Docling is imported and +18 MiB for an A4 page (``manager`` test, RSS)."""
WORKING_BYTES = 160 * MIB
"""With the layout model: Docling's pipeline, torch's layout engine and RapidOCR's sessions,
measured 157-176 MiB at the load with the tiny layout model (``test_docling_manager``); the
real weights come on top, counted from the folder's files (heron: 43M parameters, 172 MB
fp32 safetensors)."""
PAGE_BYTES = 320 * MIB
"""A page with the layout model: measured +303 MiB for the first page with the tiny model
(RapidOCR's page peak and Docling's page buffers)."""
HERON_PAGE_BYTES = 300 * MIB
"""What heron's activations add at a page (a 640 x 640 input through ResNet-50-vd and the
RT-DETRv2 encoder and decoder, fp32): an allowance, not measured here (no weights on this
machine); the manager measures the real footprint after the first load."""


def estimate(options: EngineOptions) -> MemoryEstimate:
    """The layout weights' files where present, plus Docling's measured working memory."""
    if not isinstance(options, DoclingOptions) or not has_layout_weights(options):
        return MemoryEstimate("cpu", weights=NATIVE_BYTES, activations=NATIVE_PAGE_BYTES)
    folder = layout_folder(options)
    weights = sum(path.stat().st_size for path in folder.glob("*.safetensors"))
    return MemoryEstimate(
        "cpu", weights=WORKING_BYTES + weights, activations=PAGE_BYTES + HERON_PAGE_BYTES
    )


def load(name: str, options: EngineOptions) -> Backend:
    assert isinstance(options, DoclingOptions)
    prepare()  # a no-op once imported; see there why it imports in a thread
    return DoclingBackend(name, options)


class DoclingBackend(Backend):
    """One Docling converter with its pipeline built; reads one page at a time."""

    def __init__(self, name: str, options: DoclingOptions) -> None:
        super().__init__(name)
        from ablage_desktop.engine.backends.docling_pipeline import LayoutWeights, new_converter

        self._layout = has_layout_weights(options)
        weights = (
            LayoutWeights(artifacts_folder(options), options.source, options.revision)
            if self._layout
            else None
        )
        threads = min(options.threads, usable_cores())  # no more than the app may use
        try:
            self._converter: Any = new_converter(weights, options.ocr, threads)[0]
        except Exception as exc:  # any failure of a third-party loader means "cannot start"
            raise ModelLoadError(name, f"{type(exc).__name__}: {exc}") from exc
        self._missing = notes(options)[0] if not self._layout else ""

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        if self._converter is None:
            raise RecognitionError("Docling was unloaded")
        if _is_pdf(page.document):
            result = self._convert(
                page,
                lambda: self._converter.convert(
                    page.document, page_range=(page.index + 1, page.index + 1)
                ),
            )
            if _same_shape(_page_size(result, page.index + 1, page), page):
                return self._result(page, started, result, page.index + 1)
            log.debug("page %d was turned or cropped: Docling reads its image", page.index + 1)
        if not self._layout:
            raise RecognitionError(
                f"Docling cannot read page {page.index + 1} as an image without its layout "
                f"model: it {self._missing}"
            )
        result = self._convert(page, lambda: self._converter.convert(_png_stream(page)))
        return self._result(page, started, result, 1)

    def _convert(self, page: PageImage, convert: Callable[[], Any]) -> Any:
        try:
            return convert()
        except Exception as exc:  # Docling's own errors and its libraries' alike
            raise RecognitionError(
                f"Docling failed on page {page.index + 1}: {type(exc).__name__}: {exc}"
            ) from exc

    def _result(self, page: PageImage, started: float, result: Any, page_no: int) -> OcrPage:
        document = result.document
        size = _page_size(result, page_no, page)
        frame = PageFrame(size.width, size.height, page.width, page.height)
        blocks = page_blocks(document, page_no, frame, page_clusters(result))
        if not self._layout:  # docling-parse's own order: put it in columns as the app reads
            if not blocks:
                raise RecognitionError(
                    f"page {page.index + 1} has no text Docling can read without its layout "
                    f"model (a scan?): it {self._missing}"
                )
            text, lines = in_reading_order([line for block in blocks for line in block.lines])
            return self._page_result(page, started, text, lines)
        lines_in_order: Sequence[OcrLine] = [line for block in blocks for line in block.lines]
        read = self._page_result(page, started, page_text(blocks), lines_in_order)
        markdown = document.export_to_markdown(page_no=page_no)
        return _with_markdown(read, markdown)

    def close(self) -> None:
        converter, self._converter = self._converter, None
        if converter is not None:
            converter.initialized_pipelines.clear()

    def tracked_objects(self) -> Sequence[object]:
        return (self,) if self._converter is None else (self, self._converter)


def _with_markdown(read: OcrPage, markdown: str) -> OcrPage:
    return dataclasses.replace(read, markdown=markdown)


def _png_stream(page: PageImage) -> Any:
    """The page image as a PNG Docling reads (its image pipeline takes a file-like)."""
    from docling.datamodel.base_models import DocumentStream

    buffer = io.BytesIO()
    page.image.save(buffer, "PNG")
    buffer.seek(0)
    return DocumentStream(name="page.png", stream=buffer)


def _page_size(result: Any, page_no: int, page: PageImage) -> Any:
    """The size of page ``page_no`` in Docling's document; a typed error where Docling gave
    no such page (a conversion it only partly finished)."""
    found = result.document.pages.get(page_no)
    if found is None or found.size.width <= 0 or found.size.height <= 0:
        raise RecognitionError(
            f"Docling gave no page {page_no} for page {page.index + 1} ({result.status})"
        )
    return found.size


def _same_shape(size: Any, page: PageImage) -> bool:
    """Whether the page image shows the PDF page as Docling read it (scaled at most)."""
    ratio = (page.width / page.height) / (size.width / size.height)
    return abs(ratio - 1.0) <= SAME_SHAPE


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(SNIFF_BYTES)) is DocumentType.PDF
    except OSError:
        return False


def prepare() -> None:
    """Docling's modules imported, at its load (about 3 s of imports that hold the GIL).

    In a thread of its own: Docling keeps an ImportError it caught at import (of an optional
    e-mail parser, ``docling.backend.email_backend``) for good, and with it the frames of
    whoever imported it, locals and all. Imported from a thread that ends, nothing of the
    app is among them (imported from a load, the manager's frames would keep the loaded
    model alive after its unload).
    """
    importer = threading.Thread(target=_import_docling, name="ablage-docling-import")
    importer.start()
    importer.join()


def _import_docling() -> None:
    import docling.document_converter
    import docling.models.factories.table_factory
    import docling.models.stages.table_structure.table_structure_model
    import docling.pipeline.native_pdf_pipeline
    import docling.pipeline.standard_pdf_pipeline  # noqa: F401


SPEC = BackendSpec(
    engine="docling",
    kind="cpu",
    title="Docling (layout analysis, born-digital PDF text)",
    options=DoclingOptions,
    estimate=estimate,
    check=check,
    load=load,
    # No ``prepare`` at the window's start: Docling's imports (torch with them, about 3.6 s
    # holding the GIL) would stall it for nothing on a day without complex pages; the load
    # imports them, as the transformers models' loads do.
    auto_ready=auto_ready,
    route_purpose="layout analysis",
    reads_pdf_text=True,
    notes=notes,
    download_folder=lambda options: layout_folder(options),  # type: ignore[arg-type]
)
