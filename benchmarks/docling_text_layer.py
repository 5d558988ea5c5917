"""Docling's text-layer path against the app's OCR of the same born-digital pages, in one run.

Target (issue 19): Docling reads born-digital PDF pages more than 20x faster (pages per
second) than the app's OCR of them, with a CER below 0.01 against the PDF's own text.

Documents: the PDFs of ``--data`` whose every page carries a text layer (pdfium finds at least
``MIN_LAYER_CHARS`` characters on it) are used as they are. Where there are none (the shared
data set's PDFs are rendered scans), their born-digital twins are typeset from the ground
truth, as ``benchmarks/pdf_text.py`` does (``de_*.pdf``, ``pdfen_*.pdf``). The reference text of
each document is pdfium's text of its pages: what the PDF itself carries.

Readings, each through ``EngineCore.ocr`` on the files, consumed to the end:

docling
    ``--backend docling`` with its layout weights absent (an empty artifacts folder): Docling's
    ``NativePdfPipeline``, the text and boxes docling-parse reads, no model, no OCR;
docling + layout
    only with ``--layout ARTIFACTS`` (the folder holding
    ``docling-project--docling-layout-heron/``): the layout model runs on every page;
OCR
    ``--ocr`` (default ``rapidocr``) with ``intake.pdf_text: always_ocr``: every page OCRed.

Each engine is loaded and warmed up on the first document before the clock starts; the figures
are the median of ``--rounds`` rounds. CER is the app's (``engine.textmetrics``: NFC, white
space collapsed), micro-averaged over the documents. The verdict compares the first Docling
reading with the OCR. Needs the docling backend (issue 19); without it, it says why and ends.

    python benchmarks/docling_text_layer.py [--data ../shared/data] [--layout DIR] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "tests", REPO / "benchmarks"):
    if str(folder) not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, str(folder))

from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.core import EngineCore, OcrRequest  # noqa: E402
from ablage_desktop.engine.errors import AblageError  # noqa: E402
from ablage_desktop.engine.text.textmetrics import score  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
DOCLING = "docling"
SPEED_TARGET = 20.0
CER_TARGET = 0.01
MIN_LAYER_CHARS = 20
"""Characters pdfium must find on every page for a PDF to count as born-digital."""


@dataclass
class Reading:
    """One way of reading the documents: its settings and what the rounds measured."""

    name: str
    backend: str
    pdf_text: str
    artifacts: Path | None = None
    seconds: list[float] = field(default_factory=list)
    char_edits: int = 0
    chars: int = 0
    engines: Counter[str] = field(default_factory=Counter)
    """Pages per engine that produced them (``OcrPage.backend``), of the last round."""

    @property
    def cer(self) -> float:
        return self.char_edits / max(1, self.chars)

    def pages_per_second(self, pages: int) -> float:
        return pages / max(1e-9, statistics.median(self.seconds))


def pdf_text(path: Path) -> list[str]:
    """Each page's text as pdfium reads it from the PDF's own text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def born_digital(data: Path, folder: Path) -> list[Path]:
    """The PDFs of ``data`` with a text layer on every page; else twins typeset in ``folder``."""
    found = [
        path
        for path in sorted(data.glob("*.pdf"))
        if all(len("".join(text.split())) >= MIN_LAYER_CHARS for text in pdf_text(path))
    ]
    if found:
        return found
    from pdf_text import build  # benchmarks/pdf_text.py: twins from the ground truth

    return [path for path, _ in build(data, folder)]


def read(core: EngineCore, paths: Sequence[Path], reading: Reading) -> tuple[float, list[str]]:
    """Seconds and each document's text for one reading of ``paths``."""
    request = OcrRequest(
        list(paths), backend=reading.backend, archive=False, pdf_text=reading.pdf_text
    )
    started = time.perf_counter()
    texts = []
    reading.engines.clear()
    for document in core.ocr(request):
        if document.error is not None:
            raise RuntimeError(f"{document.document}: {document.error.message}")
        texts.append(document.text)
        reading.engines.update(page.backend for page in document.pages)
    return time.perf_counter() - started, texts


def engine_for(reading: Reading) -> EngineCore:
    """An engine core for ``reading``; raises ``AblageError`` when its engine cannot run."""
    core = EngineCore(load_config([]))
    try:
        core.resolve(reading.backend)  # the engine can run here, or why not
        if reading.artifacts is not None:
            core.configure(reading.backend, artifacts_path=reading.artifacts)
    except AblageError:
        core.close()
        raise
    return core


def verdict(speedup: float, cer: float) -> str:
    """The target in words: met, or not met and by how much."""
    speed_ok, cer_ok = speedup > SPEED_TARGET, cer < CER_TARGET
    speed = f"speed-up {speedup:.1f}x (target > {SPEED_TARGET:g}x" + (
        ")" if speed_ok else f", short by {SPEED_TARGET - speedup:.1f}x)"
    )
    error = f"CER {cer:.4f} (target < {CER_TARGET:g}" + (
        ")" if cer_ok else f", over by {cer - CER_TARGET:.4f})"
    )
    return f"{'target met' if speed_ok and cer_ok else 'target not met'}: {speed}; {error}"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of documents")
    parser.add_argument(
        "--layout",
        type=Path,
        metavar="ARTIFACTS",
        help="Docling's artifacts folder with the layout weights: also read with them",
    )
    parser.add_argument("--ocr", default="rapidocr", help="the OCR engine to compare with")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds (median)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def readings_of(args: argparse.Namespace, empty: Path) -> list[Reading]:
    readings = [Reading(DOCLING, DOCLING, "auto", artifacts=empty)]
    if args.layout is not None:
        readings.append(Reading("docling + layout", DOCLING, "auto", artifacts=args.layout))
    readings.append(Reading(f"OCR {args.ocr}", args.ocr, "always_ocr"))
    return readings


def measure(readings: list[Reading], paths: list[Path], rounds: int) -> None:
    """Load and warm each reading's engine, then time ``rounds`` rounds, readings in turn."""
    references = ["\n\n".join(pdf_text(path)) for path in paths]
    cores = []
    try:
        for reading in readings:
            cores.append(engine_for(reading))
            read(cores[-1], paths[:1], reading)  # load, start the decoder, warm up
        for _ in range(rounds):
            for core, reading in zip(cores, readings, strict=True):
                spent, texts = read(core, paths, reading)
                reading.seconds.append(spent)
                scores = [score(text, ref) for text, ref in zip(texts, references, strict=True)]
                reading.char_edits = sum(s.char_edits for s in scores)
                reading.chars = sum(s.chars for s in scores)
    finally:
        for core in cores:
            core.close()


def report(readings: list[Reading], pages: int) -> list[str]:
    lines = [
        "| reading | pages | s/page (median) | pages/s | CER vs the PDF's text | pages by |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for reading in readings:
        rate = reading.pages_per_second(pages)
        engines = ", ".join(f"{name} {count}" for name, count in sorted(reading.engines.items()))
        lines.append(
            f"| {reading.name} | {pages} | {1 / rate:.4f} | {rate:.2f} | {reading.cer:.4f} "
            f"| {engines} |"
        )
    docling, ocr = readings[0], readings[-1]
    speedup = docling.pages_per_second(pages) / ocr.pages_per_second(pages)
    lines.append(f"docling vs {ocr.name}: {verdict(speedup, docling.cer)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "no-layout-weights"
        empty.mkdir()
        paths = born_digital(args.data, Path(tmp))
        pages = sum(len(pdf_text(path)) for path in paths)
        print(
            f"{len(paths)} born-digital documents, {pages} pages; {os.cpu_count()} CPUs, "
            f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
        )
        readings = readings_of(args, empty)
        try:
            measure(readings, paths, args.rounds)
        except AblageError as exc:
            print(f"cannot measure: {exc.message}", file=sys.stderr)
            return 2
    print("\n".join(report(readings, pages)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
