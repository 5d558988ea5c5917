"""Docling's converter as this app builds it: every model from a local path, never a download.

Two set-ups. With the layout weights in the folder: Docling's ``StandardPdfPipeline`` with
its transformers object-detection layout engine reading ``<artifacts>/<repo id with -->``,
OCR by the RapidOCR model files bundled in the ``rapidocr`` wheel or by Tesseract with the
system language data, and TableFormer only where torchvision can be imported. Without them:
``NativePdfPipeline``, which runs no model at all (docling-parse's text cells).

Docling is imported inside the functions: only a load pays for it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from docling.document_converter import DocumentConverter

log = logging.getLogger(__name__)

OcrChoice = Literal["rapidocr", "tesseract"]
TESSERACT_LANGUAGES = ("deu", "eng")
"""The languages Docling's Tesseract reads with: the app's default for Tesseract."""

_PIPELINE_BUILD = threading.Lock()
"""Serialises the one step that swaps Docling's table-structure factory (see below)."""


def torchvision_missing() -> bool:
    """Whether TableFormer cannot run here: Docling's table models need torchvision."""
    return importlib.util.find_spec("torchvision") is None


def tables_ready(artifacts: Path) -> bool:
    """TableFormer needs torchvision, docling-ibm-models and its weights in ``artifacts``."""
    if torchvision_missing() or importlib.util.find_spec("docling_ibm_models") is None:
        return False
    from docling.models.stages.table_structure.table_structure_model import (
        TableStructureModel,
    )

    return (artifacts / TableStructureModel._model_repo_folder).is_dir()


def rapidocr_model_files() -> dict[str, Path] | None:
    """The detection, orientation and recognition models inside the installed rapidocr
    package (the same files the app's own RapidOCR engine runs), or None where one is
    missing."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    models = Path(next(iter(spec.submodule_search_locations))) / "models"
    found: dict[str, Path] = {}
    for part in ("det", "cls", "rec"):
        files = sorted(models.glob(f"*_{part}_*.onnx"))
        if not files:
            return None
        found[part] = files[-1]
    return found


def ocr_options(ocr: OcrChoice) -> Any:
    """Docling's OCR options for the engine the configuration names, with explicit model
    paths so that Docling never resolves (downloads) a model itself."""
    from docling.datamodel.pipeline_options import RapidOcrOptions, TesseractOcrOptions

    if ocr == "tesseract":
        from ablage_desktop.engine.backends.tesseract import TesseractOptions, find_tessdata

        folder, _ = find_tessdata(
            TesseractOptions(engine="tesseract", languages="+".join(TESSERACT_LANGUAGES))
        )
        return TesseractOcrOptions(
            lang=list(TESSERACT_LANGUAGES), path=None if folder is None else str(folder)
        )
    files = rapidocr_model_files()
    if files is None:
        raise FileNotFoundError("the models that come with rapidocr are missing")
    return RapidOcrOptions(
        det_model_path=str(files["det"]),
        cls_model_path=str(files["cls"]),
        rec_model_path=str(files["rec"]),
    )


@dataclass(frozen=True, slots=True)
class LayoutWeights:
    """Where Docling finds the layout model: ``<artifacts>/<repo_id with / as -->``."""

    artifacts: Path
    repo_id: str
    revision: str | None = None


def new_converter(
    layout: LayoutWeights | None, ocr: OcrChoice, threads: int
) -> tuple[DocumentConverter, bool]:
    """A converter with its pipelines built (the models loaded), and whether it reads
    tables with TableFormer. ``layout`` None: the layout weights are missing, PDF pages
    only, through the native pipeline."""
    from docling.datamodel.accelerator_options import AcceleratorOptions
    from docling.datamodel.base_models import InputFormat
    from docling.document_converter import DocumentConverter, ImageFormatOption, PdfFormatOption

    accelerator = AcceleratorOptions(num_threads=threads, device="cpu")
    if layout is None:
        from docling.datamodel.pipeline_options import NativePdfPipelineOptions
        from docling.pipeline.native_pdf_pipeline import NativePdfPipeline

        native = NativePdfPipelineOptions(accelerator_options=accelerator, parser_threads=1)
        pdf = PdfFormatOption(pipeline_cls=NativePdfPipeline, pipeline_options=native)
        converter = DocumentConverter(
            allowed_formats=[InputFormat.PDF], format_options={InputFormat.PDF: pdf}
        )
        converter.initialize_pipeline(InputFormat.PDF)
        return converter, False

    from docling.datamodel.pipeline_options import PdfPipelineOptions
    from docling.pipeline.standard_pdf_pipeline import StandardPdfPipeline

    tables = tables_ready(layout.artifacts)
    options = PdfPipelineOptions(
        accelerator_options=accelerator,
        artifacts_path=layout.artifacts,
        do_table_structure=tables,
        do_ocr=True,
        ocr_options=ocr_options(ocr),
        layout_options=layout_options(layout),
    )
    formats = {
        InputFormat.PDF: PdfFormatOption(
            pipeline_cls=StandardPdfPipeline, pipeline_options=options
        ),
        InputFormat.IMAGE: ImageFormatOption(
            pipeline_cls=StandardPdfPipeline, pipeline_options=options
        ),
    }
    converter = DocumentConverter(allowed_formats=list(formats), format_options=formats)
    with _tables_without_torchvision():
        converter.initialize_pipeline(InputFormat.PDF)  # PDF and image share this pipeline
    if ocr == "rapidocr":
        _quiet_rapidocr()
    return converter, tables


def _quiet_rapidocr() -> None:
    """RapidOCR, made by Docling, logs through a coloured handler of its own (its warning
    on every region without text goes to the terminal past ``-q``): bring its logger under
    the app's, as the app's own RapidOCR engine does (``backends/rapidocr.py``)."""
    from ablage_desktop.engine.backends.rapidocr import LIBRARY_LOGGER

    library = logging.getLogger(LIBRARY_LOGGER)
    for handler in list(library.handlers):
        library.removeHandler(handler)
    library.propagate = True
    library.setLevel(logging.DEBUG if log.isEnabledFor(logging.DEBUG) else logging.ERROR)


def layout_options(layout: LayoutWeights) -> Any:
    """Docling's layout stage: its transformers object-detection engine on the weights'
    repository id (Docling resolves the folder under ``artifacts_path`` from it)."""
    from docling.datamodel.object_detection_engine_options import (
        TransformersObjectDetectionEngineOptions,
    )
    from docling.datamodel.pipeline_options import LayoutObjectDetectionOptions

    options = LayoutObjectDetectionOptions(
        engine_options=TransformersObjectDetectionEngineOptions(compile_model=False)
    )
    spec = options.model_spec.model_copy(
        update={"repo_id": layout.repo_id, "revision": layout.revision or "main"}
    )
    return options.model_copy(update={"model_spec": spec})


@contextlib.contextmanager
def _tables_without_torchvision() -> Iterator[None]:
    """Let ``StandardPdfPipeline`` be built where torchvision is missing.

    Docling 2.143 builds its table-structure factory from every table model it ships, even
    with ``do_table_structure`` off, and one of them (TableFormer v2) imports torchvision at
    import: without torchvision the whole pipeline fails to build. While the pipeline is
    built, the factory is one that knows only TableFormer v1's class (which imports nothing
    heavy and, disabled, loads nothing); Docling's own one comes back right after.
    """
    if not torchvision_missing():
        yield
        return
    import docling.pipeline.standard_pdf_pipeline as standard
    from docling.models.factories.table_factory import TableStructureFactory
    from docling.models.stages.table_structure.table_structure_model import (
        TableStructureModel,
    )

    def factory(allow_external_plugins: bool = False) -> TableStructureFactory:
        tables = TableStructureFactory()
        tables.register(TableStructureModel, "docling", TableStructureModel.__module__)
        return tables

    with _PIPELINE_BUILD:
        original = standard.get_table_structure_factory
        standard.get_table_structure_factory = factory  # type: ignore[assignment]
        try:
            yield
        finally:
            standard.get_table_structure_factory = original
