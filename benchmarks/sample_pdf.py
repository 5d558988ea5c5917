"""The benchmarks' test document: a long image-only PDF made of the data set's real pages."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SOURCE_PATTERNS = ("de_*.pdf", "pdfen_*.pdf")


def source_pdfs(data: Path) -> list[Path]:
    """The German and English image-only PDFs of the data set, in a fixed order."""
    if not data.is_dir():
        sys.exit(
            f"The data folder {data} does not exist; pass --data with the folder that holds "
            "the de_*.pdf and pdfen_*.pdf documents."
        )
    found = [path for pattern in SOURCE_PATTERNS for path in sorted(data.glob(pattern))]
    if not found:
        sys.exit(f"No {' or '.join(SOURCE_PATTERNS)} documents in {data}.")
    return found


def build_pdf(sources: Sequence[Path], pages: int, target: Path) -> Path:
    """Write a ``pages``-page PDF to ``target``, cycling through the pages of ``sources``."""
    import pypdfium2 as pdfium

    opened = [pdfium.PdfDocument(path) for path in sources]
    merged = pdfium.PdfDocument.new()
    try:
        every_page = [(pdf, index) for pdf in opened for index in range(len(pdf))]
        for pdf, index in itertools.islice(itertools.cycle(every_page), pages):
            merged.import_pages(pdf, pages=[index])
        merged.save(target)
    finally:
        merged.close()
        for pdf in opened:
            pdf.close()
    return target
