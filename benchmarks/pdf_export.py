"""The searchable PDF of each PDF, JPEG, PNG and TIFF of a folder: its pages drawn from the
images that were read and compressed again (the export before the thirty-second session,
``pdf.build_pdf``: JPEG of quality 85 but for bilevel pages) against the file's own pages or
image data kept under the text layer, and the pages of lossless files kept lossless
(``exports/pdf_original.py``, ``file_images.py``):
size, time, and whether pikepdf's PDF/A-2b validator passes the file. Each document is read by
Tesseract first (not timed); the drawn export's time includes decoding or rendering its pages
again, as the export did. ``--as-tiff`` measures a copy of each JPEG and PNG saved as an LZW
TIFF too, as office scanners write grey and colour scans.

    python benchmarks/pdf_export.py ../shared/data --as-tiff
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import IntakeLimits, open_document
from ablage_desktop.engine.results.exports import render_pdf_from_file
from ablage_desktop.engine.results.exports.pdf import build_pdf

SUFFIXES = (".pdf", ".jpg", ".png", ".tif", ".tiff")
HEADER = (
    "| document | pages | file KiB | drawn KiB | drawn s | kept KiB | kept s | kept PDF/A-2b |\n"
    "|---|---|---|---|---|---|---|---|"
)


@dataclass(frozen=True)
class Row:
    name: str
    pages: int
    file_bytes: int
    drawn_bytes: int
    drawn_s: float
    kept_bytes: int
    kept_s: float
    pdf_a: bool

    def markdown(self) -> str:
        return (
            f"| {self.name} | {self.pages} | {self.file_bytes >> 10} | {self.drawn_bytes >> 10} "
            f"| {self.drawn_s:.2f} | {self.kept_bytes >> 10} | {self.kept_s:.2f} "
            f"| {'yes' if self.pdf_a else 'no'} |"
        )


def measure(engine: EngineCore, path: Path, limits: IntakeLimits) -> Row:
    from pikepdf import pdfa

    [document] = list(engine.ocr(OcrRequest([path], "tesseract", archive=False)))
    assert document.ok, document.error
    started = time.perf_counter()
    with open_document(path, limits) as source:
        images = [source.page(page.index) for page in document.pages]
        drawn = build_pdf(document, document.pages, images)
    drawn_s = time.perf_counter() - started
    started = time.perf_counter()
    kept = render_pdf_from_file(document, limits)
    kept_s = time.perf_counter() - started
    passed = pdfa.validate_written(io.BytesIO(kept), "2b").passed
    size = path.stat().st_size
    return Row(path.name, len(document.pages), size, len(drawn), drawn_s, len(kept), kept_s, passed)


def as_tiff(path: Path, folder: Path) -> Path:
    """A copy of the image ``path`` as an LZW TIFF of its mode (grey or RGB) and resolution."""
    from PIL import Image

    copy = folder / f"{path.name}.tif"
    with Image.open(path) as image:
        dpi = image.info.get("dpi")
        image.convert("L" if image.mode == "L" else "RGB").save(
            copy, compression="tiff_lzw", **({"dpi": dpi} if dpi else {})
        )
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--as-tiff", action="store_true", help="each JPEG and PNG as LZW TIFF too")
    args = parser.parse_args()
    footprints = Path(tempfile.mkdtemp()) / "footprints.json"
    engine = EngineCore(load_config([]), footprints=footprints)
    limits = engine.config.intake.limits()
    print(HEADER)
    try:
        paths = sorted(p for p in args.folder.iterdir() if p.suffix in SUFFIXES)
        copies = Path(tempfile.mkdtemp())
        if args.as_tiff:
            paths += [as_tiff(p, copies) for p in paths if p.suffix in (".jpg", ".png")]
        for path in paths:
            print(measure(engine, path, limits).markdown(), flush=True)
    finally:
        engine.close()


if __name__ == "__main__":
    main()
