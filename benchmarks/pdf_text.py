"""Born-digital PDF pages read from their text layer against OCR of the same pages, in one run.

Target (issue 20): at least 20x faster than OCR, CER below 0.01 against the text the pages
carry. The data set's PDFs are image-only (rendered scans), so their born-digital twins are
made here from the ground truth: every page of ``de_*.pdf`` and ``pdfen_*.pdf`` typeset line
by line in Helvetica on an A4 page (``tests/born_digital.py``; characters Helvetica's
WinAnsi encoding lacks, such as ``≥`` and U+2010, are written as their ASCII stand-ins, in
the reference too). Then, each through ``EngineCore.ocr`` on the files, consumed to the end:

layer
    ``intake.pdf_text: auto``: each page's layer is judged in the decoder process and read;
    no engine is loaded.
OCR
    ``intake.pdf_text: always_ocr`` with ``--backend tesseract`` and with ``auto`` (RapidOCR
    with Tesseract's help where no GPU model is installed): what the app did before.

Engines are loaded and the decoder started before the clock starts; each figure is the median
of ``--rounds`` rounds, the readings taking turns. CER is the app's own
(``engine.textmetrics``: whitespace collapsed) per document against the typeset text.

    python benchmarks/pdf_text.py [--data ../shared/data] [--rounds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "tests"):
    if str(folder) not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, str(folder))

from born_digital import A4, Page, Run, pdf_bytes  # noqa: E402  (tests/born_digital.py)

from ablage_desktop.engine.config import AppConfig, load_config  # noqa: E402
from ablage_desktop.engine.core import EngineCore, OcrRequest  # noqa: E402
from ablage_desktop.engine.text.textmetrics import cer  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
SOURCES = ("de_*.pdf", "pdfen_*.pdf")
SPEED_TARGET = 20.0
CER_TARGET = 0.01
STAND_INS = {"\u2010": "-", "\u2011": "-", "\u2212": "-", "≥": ">=", "≤": "<=", "\u00a0": " "}
MARGIN = 50.0


def writable(text: str) -> str:
    """``text`` in characters Helvetica's WinAnsi encoding has."""
    out = []
    for char in text:
        char = STAND_INS.get(char, char)
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            char = "?"
        out.append(char)
    return "".join(out)


def typeset(lines: Sequence[str]) -> Page:
    """``lines`` on an A4 page, as large as fits (at most 10 pt)."""
    width, height = A4
    longest = max((len(line) for line in lines), default=1)
    size = min(10.0, (width - 2 * MARGIN) / (0.56 * max(1, longest)))
    size = min(size, (height - 2 * MARGIN) / (1.3 * max(1, len(lines))))
    leading = 1.3 * size
    top = height - MARGIN - size
    return Page([Run(MARGIN, top - n * leading, line, size) for n, line in enumerate(lines)])


def build(data: Path, folder: Path) -> list[tuple[Path, str]]:
    """The born-digital twins of the data set's PDFs, and the text each carries."""
    made = []
    for pattern in SOURCES:
        for source in sorted(data.glob(pattern)):
            truth = (data / f"{source.stem}.gt.txt").read_text(encoding="utf-8")
            pages = [writable(page).splitlines() for page in truth.rstrip("\n").split("\n\n")]
            target = folder / f"{source.stem}_born.pdf"
            target.write_bytes(pdf_bytes([typeset(lines) for lines in pages]))
            made.append((target, "\n\n".join("\n".join(lines) for lines in pages)))
    if not made:
        sys.exit(f"No {' or '.join(SOURCES)} documents in {data}.")
    return made


def with_mode(config: AppConfig, mode: str) -> AppConfig:
    return dataclasses.replace(config, intake=config.intake.model_copy(update={"pdf_text": mode}))


def read(engine: EngineCore, paths: Sequence[Path], backend: str) -> tuple[float, list[str], int]:
    """Seconds, each document's text, and the pages not read from the layer."""
    started = time.perf_counter()
    texts, ocred = [], 0
    for document in engine.ocr(OcrRequest(list(paths), backend=backend, archive=False)):
        if document.error is not None:
            raise RuntimeError(f"{document.document}: {document.error.message}")
        texts.append(document.text)
        ocred += sum(1 for page in document.pages if page.backend != "pdf-text")
    return time.perf_counter() - started, texts, ocred


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--ocr", default="tesseract,auto", help="OCR readings to compare, comma-separated"
    )
    args = parser.parse_args()
    config = load_config([])
    readings = {"layer": ("auto", "auto")}
    for backend in args.ocr.split(","):
        readings[f"OCR {backend}"] = ("always_ocr", backend)
    with tempfile.TemporaryDirectory() as tmp:
        made = build(args.data, Path(tmp))
        paths = [path for path, _ in made]
        truths = [truth for _, truth in made]
        pages = sum(truth.count("\n\n") + 1 for truth in truths)
        print(
            f"{len(paths)} born-digital documents, {pages} pages (typeset from the ground truth "
            f"of {', '.join(SOURCES)}); {os.cpu_count()} CPUs, load average "
            f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}"
        )
        engines = {
            name: EngineCore(with_mode(config, mode)) for name, (mode, _) in readings.items()
        }
        seconds: dict[str, list[float]] = {name: [] for name in readings}
        scores: dict[str, tuple[float, int]] = {}
        try:
            for name, (_, backend) in readings.items():
                read(engines[name], paths[:1], backend)  # load, start the decoder, warm up
            for _ in range(args.rounds):
                for name, (_, backend) in readings.items():
                    spent, texts, ocred = read(engines[name], paths, backend)
                    seconds[name].append(spent)
                    errors = [cer(text, truth) for text, truth in zip(texts, truths, strict=True)]
                    scores[name] = (statistics.mean(errors), ocred)
        finally:
            for engine in engines.values():
                engine.close()
    layer_s = statistics.median(seconds["layer"])
    print("| reading | s/page (median) | pages/s | CER (mean per document) | pages OCRed |")
    print("|---|---:|---:|---:|---:|")
    for name in readings:
        median = statistics.median(seconds[name])
        error, ocred = scores[name]
        print(f"| {name} | {median / pages:.4f} | {pages / median:.1f} | {error:.4f} | {ocred} |")
    layer_cer = scores["layer"][0]
    for name in readings:
        if name == "layer":
            continue
        speedup = statistics.median(seconds[name]) / layer_s
        verdict = "met" if speedup >= SPEED_TARGET else f"not met by {SPEED_TARGET - speedup:.1f}x"
        print(f"layer vs {name}: {speedup:.1f}x faster (target >= {SPEED_TARGET:g}x): {verdict}")
    verdict = "met" if layer_cer < CER_TARGET else f"not met by {layer_cer - CER_TARGET:.4f}"
    print(f"layer CER {layer_cer:.4f} (target < {CER_TARGET}): {verdict}")
    print(f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
