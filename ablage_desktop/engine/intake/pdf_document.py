"""PDF documents: pages rendered one at a time by pdfium, and why pdfium refused a file.

Only the decoder process calls this (pdfium is not thread-safe; see ``documents``). pdfium is
imported when a PDF is opened, never at import time.
"""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    InputError,
)
from ablage_desktop.engine.intake import salvage
from ablage_desktop.engine.intake.documents import Document, DocumentType, IntakeLimits, PageImage
from ablage_desktop.engine.intake.pdf_forms import flattened_page, prepare_forms

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.text.text_layer import TextLayer

log = logging.getLogger(__name__)

PDF_REOPEN_PAGES = 50
"""pdfium keeps what it parsed of each page in caches that belong to the document, so a long
PDF's memory grows with every page rendered (about 150 KB a page on 300-dpi scans: 190 MB after
10 pages, 330 MB after 1000). Opening the document again every so many pages empties them."""


PDF_SNIFF_BYTES = 1 << 20
"""How much of each end of a PDF that pdfium refused is looked at to tell why."""
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_EMPTY_PAGE_TREE = re.compile(rb"/Count\s+0(?![0-9])")


def open_pdf(path: Path, passwords: tuple[str, ...]) -> tuple[Any, str | None]:
    """``path`` opened by pdfium, and the password that opened it (None: it asked none).
    Each password is tried in turn on a PDF that asks for one."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        return pdfium.PdfDocument(path), None
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code != pdfium_c.FPDF_ERR_PASSWORD or not passwords:
            raise _pdf_load_error(path, code, exc, tried=0) from exc
        failure = exc
    for password in passwords:
        try:
            return pdfium.PdfDocument(path, password=password), password
        except pdfium.PdfiumError as exc:
            failure = exc
            if getattr(exc, "err_code", None) != pdfium_c.FPDF_ERR_PASSWORD:
                break
    code = getattr(failure, "err_code", None)
    raise _pdf_load_error(path, code, failure, tried=len(passwords)) from failure


def _pdf_load_error(path: Path, code: int | None, exc: Exception, tried: int) -> InputError:
    """Why pdfium could not open ``path``, in words.

    pdfium's error code is the last one it *set*, in this process: a PDF whose page tree is
    empty fails without setting one, so it shows "success" in a fresh decoder, or the code of
    an earlier document ("incorrect password" after a locked PDF). The file's own bytes decide
    what the code cannot: only a PDF with an ``/Encrypt`` entry is called encrypted.
    """
    import pypdfium2.raw as pdfium_c

    head, tail = _pdf_ends(path)
    encrypted = b"/Encrypt" in head or b"/Encrypt" in tail
    if encrypted and code == pdfium_c.FPDF_ERR_PASSWORD:
        if tried:
            return EncryptedDocument(
                path,
                f"{path.name} is protected by a password, and none of the {tried} given "
                "opens it (ocr --password, intake.pdf_passwords).",
            )
        return EncryptedDocument(
            path,
            f"{path.name} is protected by a password; give it with ocr --password or in "
            "intake.pdf_passwords, or save an unprotected copy in a PDF viewer and add that.",
        )
    if encrypted and code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedDocument(path, f"{path.name} uses an encryption this app cannot read.")
    if _EMPTY_PAGE_TREE.search(head + tail) and not _PAGE_OBJECT.search(head + tail):
        return EmptyDocument(path, f"{path.name} is a PDF without any pages.")
    if code in (pdfium_c.FPDF_ERR_FORMAT, pdfium_c.FPDF_ERR_FILE):
        return CorruptDocument(
            path, f"{path.name} is not a readable PDF (damaged or incomplete): {exc}"
        )
    return CorruptDocument(path, f"{path.name} is not a readable PDF (damaged or incomplete).")


def _pdf_ends(path: Path) -> tuple[bytes, bytes]:
    """The first and the last ``PDF_SNIFF_BYTES`` of ``path`` (all of a small file)."""
    with path.open("rb") as handle:
        head = handle.read(PDF_SNIFF_BYTES)
        size = handle.seek(0, os.SEEK_END)
        if size <= PDF_SNIFF_BYTES:
            return head, b""
        handle.seek(max(PDF_SNIFF_BYTES, size - PDF_SNIFF_BYTES))
        return head, handle.read()


SALVAGE_MAX_BYTES = 256 << 20
"""The largest PDF that pdfium refused which is read whole to recover its pages (``salvage``)."""


def _salvaged(path: Path, refused: CorruptDocument) -> salvage.MendedPdf:
    """``path``'s bytes made openable (``salvage.cut_pdf``), or ``refused`` raised again."""
    if path.stat().st_size > SALVAGE_MAX_BYTES:
        raise refused
    mended = salvage.cut_pdf(path.read_bytes())
    if mended is None:
        raise refused
    log.info("%s: opening it from its objects, its cross-reference is missing", path.name)
    return mended


def _open_salvaged(mended: salvage.MendedPdf, refused: CorruptDocument) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(mended.data)
    except pdfium.PdfiumError:
        raise refused from None


class PdfDocument(Document):
    """PDF pages rendered one at a time by pdfium at the configured resolution."""

    def __init__(self, path: Path, doc_type: DocumentType, sha256: str, limits: IntakeLimits):
        super().__init__(path, doc_type, sha256, limits)

        self._rendered = 0
        self._source: Path | bytes = path
        """What pdfium reads: the file, or the part of it ``salvage`` made openable."""
        mended = None
        try:
            self._pdf, self._password = open_pdf(path, limits.pdf_passwords)
        except CorruptDocument as exc:
            mended = _salvaged(path, exc)
            self._pdf, self._password = _open_salvaged(mended, exc), None
            self._source = mended.data
        try:
            prepare_forms(self._pdf, path)
            self.page_count = len(self._pdf)
            if mended is not None:
                self._keep_whole_pages(path, mended.tree_rebuilt)
            self._check_page_count()
        except BaseException:
            self._pdf.close()
            raise

    def _keep_whole_pages(self, path: Path, tree_rebuilt: bool) -> None:
        """Of a PDF cut short, keep the pages before the first one whose objects lay beyond
        the cut (pdfium renders such a page blank, or cannot load it), and say so."""
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        whole = 0
        for index in range(self.page_count):
            try:
                page = self._pdf[index]
            except pdfium.PdfiumError:
                break
            try:
                objects = pdfium_c.FPDFPage_CountObjects(page.raw)
            finally:
                page.close()
            if objects <= 0:
                break
            whole += 1
        cut = salvage.lacks_its_end(DocumentType.PDF, path)
        what = "ends early (an interrupted download or copy?)" if cut else "is damaged"
        if whole == 0:
            raise CorruptDocument(
                path, f"{path.name} {what}, and none of its pages is whole in what is there."
            )
        if tree_rebuilt:
            kept = f"{salvage.pages_read(whole)} recovered and read (how many followed is not "
            kept += "known; fonts or pictures kept at its end may be missing)"
        elif whole < self.page_count:
            kept = f"of its {self.page_count} pages, {salvage.pages_read(whole)} recovered and "
            kept += "read; the rest are missing"
        else:
            kept = f"its {whole} pages were read from what is there; what the missing part "
            kept += "held of them (fonts, pictures) may be missing"
        self.damage = f"{path.name} {what}: {kept}."
        self.page_count = whole

    def page(self, index: int) -> PageImage:
        import pypdfium2 as pdfium

        try:
            if self._rendered >= PDF_REOPEN_PAGES:
                self._pdf.close()
                self._pdf = pdfium.PdfDocument(self._source, password=self._password)
                prepare_forms(self._pdf, self.path)
                self._rendered = 0
            self._rendered += 1
            page = flattened_page(self._pdf, index)
            try:
                image, dpi, layer = self._render(page, index)
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            raise CorruptDocument(
                self.path, f"Page {index + 1} of {self.path.name} cannot be rendered: {exc}"
            ) from exc
        return PageImage(self.path, index, image, dpi, layer)

    def _render(self, page: object, index: int) -> tuple[Image.Image, float, TextLayer | None]:
        from ablage_desktop.engine.intake import pdf_text

        width_pt, height_pt = page.get_size()  # type: ignore[attr-defined]
        started = time.perf_counter()
        objects = pdf_text.inventory(page)
        looked = time.perf_counter() - started
        scale = objects.render_scale(self.limits.pdf_dpi / 72)  # pixels per point
        pixels = (width_pt * scale) * (height_pt * scale)
        if pixels > self.limits.max_pixels_per_page:
            # A poster-sized page: render it as large as the limit allows instead of refusing.
            scale *= (self.limits.max_pixels_per_page / pixels) ** 0.5
            log.warning(
                "Page %d of %s is %.0f x %.0f pt; rendering it at %.0f dpi to stay within "
                "the pixel limit",
                index + 1,
                self.path.name,
                width_pt,
                height_pt,
                scale * 72,
            )
        if int(width_pt * scale) < 1 or int(height_pt * scale) < 1:
            raise CorruptDocument(self.path, f"Page {index + 1} of {self.path.name} has no area.")
        layer = None
        mode = self.limits.pdf_text
        if mode != "always_ocr":
            reading = pdf_text.read_text_layer(page, scale, objects, looked)
            layer = reading.layer
            if layer.usable or mode == "layer_only":
                # Read from its layer: no engine needs its pixels, the small render will do.
                small = reading.image
                if small is None:
                    small = pdf_text.render(page, min(1.0, scale), grey=objects.achromatic)
                return small, reading.scale * 72, layer
        image = pdf_text.render(page, scale, grey=objects.achromatic)
        return image, scale * 72, layer

    def needs_engine(self, index: int) -> bool:
        import pypdfium2 as pdfium

        mode = self.limits.pdf_text
        if mode != "auto":
            return mode == "always_ocr"
        try:
            return not self.holds_text(index)
        except pdfium.PdfiumError:  # a page pdfium cannot load: its render says so, in words
            log.debug("Page %d of %s: its characters not counted", index + 1, self.path.name)
            return True

    def holds_text(self, index: int) -> bool:
        """Whether page ``index`` holds characters of its own, seen or not (a scanner's
        invisible OCR among them): the searchable PDF keeps such a page only without them."""
        page = self._pdf[index]
        try:
            text = page.get_textpage()
            try:
                return bool(text.count_chars() > 0)
            finally:
                text.close()
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()
