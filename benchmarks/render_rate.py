"""Pages per second of intake: decoding in the app's process vs in the decoder process.

Decoding moved into a worker process (``engine.decoding``) so that a parser that crashes or
hangs costs one document. Every page then crosses a pipe as raw pixels. This script measures
what that costs: the same multi-page PDF (real pages of the data set, rendered at 300 dpi) and
TIFF (those pages as a multi-page G4 TIFF), decoded page by page with ``open_document`` in this
process and with ``IsolatedDecoder``; the best of ``--repeat`` runs, and the decoder's start.

    python benchmarks/render_rate.py [--pages 20] [--dpi 300] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sample_pdf import DEFAULT_DATA, build_pdf, source_pdfs

from ablage_desktop.engine.intake.decoding import IsolatedDecoder
from ablage_desktop.engine.intake.documents import Document, IntakeLimits, open_document


def build_tiff(pdf: Path, limits: IntakeLimits, target: Path) -> Path:
    """The PDF's pages, rendered and saved as one bilevel G4 TIFF (as scanners write them)."""
    with open_document(pdf, limits) as document:
        frames = [page.image.convert("1") for page in document.pages()]
    frames[0].save(target, save_all=True, append_images=frames[1:], compression="group4")
    return target


def pages_per_second(
    open_: Callable[[Path, IntakeLimits], Document], path: Path, limits: IntakeLimits, repeat: int
) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        with open_(path, limits) as document:
            count = 0
            for page in document.pages():
                count += 1
                del page
        best = min(best, time.perf_counter() - started)
    return count / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    limits = IntakeLimits(pdf_dpi=args.dpi)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = build_pdf(source_pdfs(args.data), args.pages, Path(tmp) / "sample.pdf")
        tiff = build_tiff(pdf, limits, Path(tmp) / "sample.tif")
        with IsolatedDecoder() as decoder:
            started = time.perf_counter()
            decoder.open(pdf, limits).close()  # starts the process
            start_s = time.perf_counter() - started
            print(f"{args.pages} pages at {args.dpi} dpi; decoder process start {start_s:.2f} s")
            print("| document | in-process pages/s | decoder process pages/s | cost |")
            print("|---|---:|---:|---:|")
            for name, path in (("PDF", pdf), ("TIFF (G4)", tiff)):
                local = pages_per_second(open_document, path, limits, args.repeat)
                isolated = pages_per_second(decoder.open, path, limits, args.repeat)
                cost = 1 - isolated / local
                print(f"| {name} | {local:.1f} | {isolated:.1f} | {cost:+.0%} |")


if __name__ == "__main__":
    main()
