"""The searchable PDF of a file read: a PDF's own pages kept, as OCRmyPDF keeps them, with the
text laid over them; the pages of other files drawn from their images (``pdf.build_pdf``).

A scanned PDF's page holds its scan already, at its resolution and in its compression. Drawn
again from the render that was read, it came back at the reading's resolution and compressed
as JPEG a second time: a 200-dpi scan of 460 KB became 920 KB, each page a little more blurred.
So every page of a PDF is copied from the file as it is (pikepdf, qpdf underneath), and a page
that was OCRed gets its invisible text layer laid over its content as a form of its own
(``pdf.Sheet.on_page``: from the page as it reads through the render's crop box and /Rotate
onto the page's own space). A page read from its own text layer is copied untouched. A page
that was OCRed although it holds text (a scanner's OCR judged unusable, or ``--pdf-text
always_ocr``) has that text taken off where it is invisible (``invisible_text``); where it is
seen (a born-digital page read with ``always_ocr``), the page is drawn from its render instead,
so that its old text is not found beside the new; so is a page of a file qpdf cannot open (one
pdfium could still read) or one with a /UserUnit.

Such a file is saved as PDF/A-2b where pikepdf's validator passes it (``pikepdf.pdfa.save``
adds the output intent and the metadata and checks the bytes it wrote); an original's page may
hold what PDF/A forbids (transparency without a group, fonts not embedded), and then the file
is saved claiming nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import itertools
import logging
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import (
    Document,
    DocumentType,
    IntakeLimits,
    PageImage,
    open_document,
)
from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.results.exports import pdfa as pdfa_parts
from ablage_desktop.engine.results.exports.file_images import file_image, lossless_pages
from ablage_desktop.engine.results.exports.invisible_text import take_off_invisible_text
from ablage_desktop.engine.results.exports.pdf import (
    CREATOR,
    PRODUCER,
    Sheet,
    build_pdf,
    build_text_layers,
)
from ablage_desktop.engine.results.exports.placement import clean_name, exportable_pages
from ablage_desktop.engine.text.text_layer import BACKEND as TEXT_LAYER

if TYPE_CHECKING:
    import pikepdf

log = logging.getLogger(__name__)

KEPT_INFO = ("/Title", "/Author", "/Subject", "/Keywords")
"""What the original's document information says of it, carried into the export."""


def render_pdf_from_file(
    document: OcrDocument,
    limits: IntakeLimits,
    render_lock: AbstractContextManager[object] | None = None,
    *,
    compact: bool = False,
) -> bytes:
    """``document`` as a searchable PDF: a PDF's pages kept, the others' drawn from their
    images read again from the file (a JPEG's or PNG's own data kept, ``file_images``);
    ``compact``: a page its file holds without loss goes in as a JPEG where that is smaller
    (a photograph; a form's or a palette's few greys or colours stay as they are).

    ``limits`` must be those the recognition used (``pdf_dpi`` above all), since the boxes are
    in pixels of those images. Pages are decoded one at a time, under ``render_lock`` when
    given (the engine's: pdfium is not thread-safe). Raises ``UsageError`` when the file has
    changed since it was read, and the intake's ``InputError`` when it cannot be opened.
    """
    ocr_pages = exportable_pages(document, "PDF")
    lock = render_lock if render_lock is not None else nullcontext()
    # The export needs the pixels only: the text layers were judged when the file was read.
    limits = dataclasses.replace(limits, pdf_text="always_ocr")
    with lock:
        source = open_document(document.document, limits)
    original = None
    try:
        name = clean_name(document.document.name)
        if document.sha256 is not None and source.sha256 != document.sha256:
            raise UsageError(
                f"{name} has changed since it was read; read it again before exporting it."
            )
        if ocr_pages[-1].index >= source.page_count:
            raise UsageError(
                f"{name} has {source.page_count} pages now, fewer than when it was read."
            )
        if source.type is DocumentType.PDF:
            original = _open_original(document.document, limits.pdf_passwords)
        drawn = _drawn_pages(ocr_pages, original, source, lock)

        def images() -> Iterable[PageImage]:
            for page in drawn:
                with lock:
                    image = source.page(page.index)
                yield image

        encoded = {page.index: data for page in drawn if (data := file_image(source, page))}
        lossless = lossless_pages(source, drawn)
        built = build_pdf(document, drawn, images(), encoded, lossless, compact) if drawn else None
        if original is None:
            assert built is not None
            return built
        try:
            return _on_original(original, document, ocr_pages, {p.index for p in drawn}, built)
        except Exception as exc:  # qpdf on a damaged file: any of its errors, the same remedy
            log.warning("The pages of %s are drawn from their images: %s", name, exc)
            drawn = ocr_pages
            return build_pdf(document, drawn, images())
    finally:
        if original is not None:
            original.close()
        with lock:
            source.close()


def _open_original(path: Path, passwords: tuple[str, ...]) -> pikepdf.Pdf | None:
    """The PDF opened by pikepdf (with the password of ``passwords`` that opens it), or None
    where it cannot be: its pages are then drawn."""
    try:
        import pikepdf
    except ImportError as exc:  # a build without it: its pages are drawn, as PDF/A still
        log.warning("The pages of %s are drawn from their images: %s", path.name, exc)
        return None
    for password in ("", *passwords):
        try:
            return pikepdf.open(path, password=password)
        except pikepdf.PasswordError:
            continue
        except (pikepdf.PdfError, OSError, ValueError) as exc:
            log.info("The pages of %s are drawn from their images: %s", path.name, exc)
            return None
    return None


def _drawn_pages(
    pages: list[OcrPage],
    original: pikepdf.Pdf | None,
    source: Document,
    lock: AbstractContextManager[object],
) -> list[OcrPage]:
    """The pages drawn from their images: all where the original is not kept; else those
    OCRed that show text of their own that is seen, or whose /UserUnit scales their space. An
    earlier OCR's invisible text is taken off the original's page (``invisible_text``)."""
    from ablage_desktop.engine.intake.pdf_document import PdfDocument  # a PDF's, when there is one

    if original is None or not isinstance(source, PdfDocument):
        return list(pages)
    if len(original.pages) <= max((page.index for page in pages), default=-1):
        return list(pages)  # qpdf sees fewer pages than pdfium did: draw them all
    drawn = []
    for page in (page for page in pages if page.backend != TEXT_LAYER):
        kept = original.pages[page.index]
        with lock:  # pdfium's, the file opened for the export
            holds_text = source.holds_text(page.index)
        if "/UserUnit" in kept.obj or (holds_text and not take_off_invisible_text(original, kept)):
            drawn.append(page)
    return drawn


def _on_original(
    original: pikepdf.Pdf,
    document: OcrDocument,
    pages: list[OcrPage],
    drawn: set[int],
    built: bytes | None,
) -> bytes:
    """The export: each page the original's, an OCRed one under its text layer, or the one
    drawn for it in ``built``."""
    import pikepdf

    grafted = [page for page in pages if page.index not in drawn and page.backend != TEXT_LAYER]
    sheets = {page.index: _sheet(original.pages[page.index], page) for page in grafted}
    with contextlib.ExitStack() as stack:
        layers = _opened(
            stack, build_text_layers(grafted, list(sheets.values())) if grafted else None
        )
        made = _opened(stack, built)
        result = stack.enter_context(pikepdf.new())
        layer_pages, made_pages = (
            iter(layers.pages if layers else ()),
            iter(made.pages if made else ()),
        )
        for page in pages:
            if page.index in drawn:
                result.pages.append(next(made_pages))
                continue
            result.pages.append(original.pages[page.index])
            if page.backend != TEXT_LAYER:
                _lay_over(result, result.pages[-1], next(layer_pages), sheets[page.index])
        _describe(result, original, document)
        return _saved(result, document.document.name)


def _opened(stack: contextlib.ExitStack, data: bytes | None) -> pikepdf.Pdf | None:
    import pikepdf

    return None if data is None else stack.enter_context(pikepdf.open(io.BytesIO(data)))


def _sheet(pdf_page: pikepdf.Page, page: OcrPage) -> Sheet:
    """Where the text of ``page`` goes on the original's page."""
    mediabox = _box(pdf_page.mediabox)
    crop = _box(pdf_page.cropbox)
    cropbox = (  # the part of the crop box on the media box, as pdfium renders it
        max(crop[0], mediabox[0]),
        max(crop[1], mediabox[1]),
        min(crop[2], mediabox[2]),
        min(crop[3], mediabox[3]),
    )
    rotate = int(pdf_page.obj.get("/Rotate", 0))
    return Sheet.on_page(mediabox, cropbox, rotate if rotate % 90 == 0 else 0, page.turns)


def _box(array: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in array)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _lay_over(result: pikepdf.Pdf, target: pikepdf.Page, layer: pikepdf.Page, sheet: Sheet) -> None:
    """``layer``'s text as a form drawn over ``target``'s content, whose graphics state is
    put back first (a content stream may leave it changed)."""
    import pikepdf

    form = result.copy_foreign(layer.as_form_xobject(handle_transformations=False))
    taken = target.obj.get("/Resources", {}).get("/XObject", {})
    name = next(f"/AblageText{n}" for n in itertools.count() if f"/AblageText{n}" not in taken)
    target.add_resource(form, pikepdf.Name.XObject, name)
    target.contents_add(pikepdf.Stream(result, b"q\n"), prepend=True)
    target.contents_add(pikepdf.Stream(result, b"\nQ q %s Do Q\n" % name.encode()))
    if sheet.rotate:
        target.obj.Rotate = sheet.rotate
    elif "/Rotate" in target.obj:
        del target.obj.Rotate


def _describe(result: pikepdf.Pdf, original: pikepdf.Pdf, document: OcrDocument) -> None:
    """The export's document information: the original's title and author where it has
    them (else the file's name), the app as producer and creator."""
    import pikepdf

    for key in KEPT_INFO:
        value = original.docinfo.get(key)
        if isinstance(value, pikepdf.String) and str(value).strip():
            result.docinfo[key] = value
    if "/Title" not in result.docinfo:
        result.docinfo["/Title"] = clean_name(document.document.name)
    result.docinfo["/Producer"] = PRODUCER
    result.docinfo["/Creator"] = CREATOR


def _saved(result: pikepdf.Pdf, name: str) -> bytes:
    """The file's bytes, as PDF/A-2b where they pass pikepdf's validator, else claiming
    nothing."""
    try:
        from pikepdf import pdfa
    except ImportError as exc:  # its validator's packages missing: no claim it cannot check
        log.warning("The PDF of %s is written without a PDF/A claim: %s", name, exc)
        return _saved_as_it_is(result)
    buffer = io.BytesIO()
    try:
        pdfa.save(
            result,
            buffer,
            "2b",
            output_intent=pdfa_parts.SRGB_ICC,
            output_condition_identifier=pdfa_parts.OUTPUT_CONDITION,
        )
        return buffer.getvalue()
    except pdfa.PdfaError as exc:
        first = next(iter(exc.report.findings), None)
        log.info("The PDF of %s is not PDF/A: its original's pages hold %s", name, first)
    with result.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as metadata:
        for key in ("pdfaid:part", "pdfaid:conformance"):  # declared by pdfa.save's prepare
            if key in metadata:
                del metadata[key]
    return _saved_as_it_is(result)


def _saved_as_it_is(result: pikepdf.Pdf) -> bytes:
    buffer = io.BytesIO()
    result.save(buffer)
    return buffer.getvalue()
