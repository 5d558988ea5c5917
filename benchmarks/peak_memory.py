"""Peak memory of one long document through the engine: does it grow with the pages?

Generates a multi-page TIFF or PDF (one A4 page of printed text, repeated), reads it with the
real engine (decoder process, page pipeline, archive) and prints, as one JSON line, the peak
RSS (``VmHWM``) of this process and of its decoder process. Run it once with few and once
with many pages and compare: memory bounded by design means the two peaks are about equal.

    python benchmarks/peak_memory.py --kind tiff --pages 300 [--dpi 150] [--backend tesseract]

``--backend ink`` is a cheap real recognizer (the bounding box of the ink, found by Pillow):
it measures intake, pipeline and archive without an OCR engine's own memory in the way, so
tests can run 300 pages in seconds; the default is Tesseract.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import psutil
from PIL import Image, ImageDraw, ImageFont, ImageOps

from ablage_desktop.engine import load_config
from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
)
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.results.document import OcrLine, OcrPage

LINES = (
    "Rechnung 4711 vom 30.10.2018",
    "Gesamtbetrag 123,45 EUR, zahlbar bis 15.11.2018",
    "Invoice 4711, total amount 123.45 EUR",
)


def a4_page(dpi: int) -> Image.Image:
    """An A4 page at ``dpi`` with a few lines of print (grey, as scans come)."""
    page = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=max(10, dpi // 7))
    for n, line in enumerate(LINES):
        draw.text((dpi, dpi + n * dpi // 3), line, font=font, fill=0)
    return page


def make_document(kind: str, pages: int, dpi: int, folder: Path) -> Path:
    """The same page ``pages`` times; one image object, so making it costs no memory."""
    page = a4_page(dpi)
    if kind == "tiff":
        path = folder / f"long-{pages}.tif"
        bilevel = page.convert("1")
        bilevel.save(
            path,
            save_all=True,
            append_images=[bilevel] * (pages - 1),
            compression="group4",
            dpi=(dpi, dpi),
        )
    else:
        path = folder / f"long-{pages}.pdf"
        page.save(path, "PDF", resolution=dpi, save_all=True, append_images=[page] * (pages - 1))
    return path


class InkBackend(Backend):
    """One line per page: the box around its ink. Real work, of a few milliseconds."""

    def recognize(self, page: PageImage, cancel: object = None) -> OcrPage:
        started = time.perf_counter()
        box = ImageOps.invert(page.image.convert("L")).getbbox() or (0, 0, 0, 0)
        return self._page_result(page, started, f"ink {box}", [OcrLine("ink", 1.0, box)])

    def close(self) -> None:
        pass


INK = BackendSpec(
    "ink",
    "cpu",
    "Ink box (memory measurements)",
    EngineOptions,
    lambda options: MemoryEstimate("cpu", 1 << 20, 0),
    check=lambda options: Availability.yes(),
    load=lambda name, options: InkBackend(name),
)


def measure(path: Path, backend: str, dpi: int, folder: Path) -> dict[str, object]:
    settings = folder / "settings.yaml"
    # The ink box needs no upright, straight page: leave the preprocessing out of its runs.
    extra = "preprocessing:\n  enabled: false\n" if backend == "ink" else ""
    settings.write_text(f"intake:\n  pdf_dpi: {dpi}\n{extra}", encoding="utf-8")
    engine = EngineCore(load_config([settings]), store=Store(folder / "archive.sqlite"))
    if backend == "ink":
        engine.add_model("ink", INK, EngineOptions(engine="ink"))
    started = time.perf_counter()
    pages = 0
    errors = []
    try:
        for document in engine.ocr(OcrRequest([path], backend=backend)):
            pages += len(document.pages)
            if document.error is not None:
                errors.append(document.error.message)
        decoders = [peak_rss(child.pid) for child in decoder_processes()]
    finally:
        engine.close()
    return {
        "document": path.name,
        "pages": pages,
        "errors": errors,
        "seconds": round(time.perf_counter() - started, 2),
        "app_peak": peak_rss("self"),
        "decoder_peak": max(decoders, default=0),
        "page_bytes": a4_page(dpi).size[0] * a4_page(dpi).size[1],
    }


def peak_rss(pid: int | str) -> int:
    """The peak resident memory of a process (the kernel's ``VmHWM``), in bytes.

    Not ``ru_maxrss``: Linux carries that over an exec from the process that forked, so a
    child started by a big test runner would report the runner's size.
    """
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM for process {pid}")


def decoder_processes() -> list[psutil.Process]:
    """This process's decoder processes (multiprocessing ``spawn`` children)."""
    return [
        child for child in psutil.Process().children() if "spawn_main" in " ".join(child.cmdline())
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kind", choices=("tiff", "pdf"), default="tiff")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--backend", default="tesseract")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_document(args.kind, args.pages, args.dpi, folder)
        figures = measure(path, args.backend, args.dpi, folder)
    json.dump(figures, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
