"""How much the page pipeline gains over a naive loop, and what the app costs over the engine.

The app renders PDF pages on a producer thread while the engine recognises the previous ones
(``engine.pipeline.run_pipeline``); for Tesseract it also recognises two pages at once. This
script builds one multi-page, image-only PDF from the real documents in ``shared/data`` and
times, per engine:

naive
    One thread: render a page, recognise it, render the next, ... (``open_document`` and
    ``Backend.recognize`` strictly one after another, one page at a time even for Tesseract).
pipeline
    ``EngineCore.ocr`` on the PDF with the engine chosen, consumed to the end: what the app really
    does (model manager lease, dispatcher, render-ahead pipeline).
direct
    The engine library called on pages rendered beforehand (rendering not timed), the way the
    backend calls it, with the configured model's settings and the same concurrency, but
    without any of the app's code: ``RapidOCR(params)(image)`` one page at a time, or one
    ``tesserocr.PyTessBaseAPI`` per thread (as many threads as the backend has instances)
    reading the text lines as the backend does.
render
    Rendering every page once, on one thread, with nothing else running.

``overhead = pipeline / direct - 1`` is what the app adds over the bare engine. The direct
figure leaves rendering out, so an overhead well below ``render / direct`` shows that the
pipeline hides the rendering behind recognition. Loading a model is not timed, and every
engine recognises one page before the clock starts so that first-call warm-up is not counted
either. Each figure is the median of ``--runs`` rounds; the modes take turns within a round.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import os
import queue
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PIL import Image
from sample_pdf import DEFAULT_DATA, build_pdf, source_pdfs

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions, rapidocr_params
from ablage_desktop.engine.backends.tesseract import TesseractOptions, find_tessdata
from ablage_desktop.engine.config import AppConfig, load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document

MODES = ("naive", "pipeline", "direct", "render")

DirectRunner = Callable[[Sequence[Image.Image]], None]
"""Recognises every image with the bare engine library."""


@dataclasses.dataclass(frozen=True, slots=True)
class EngineFigures:
    """The median seconds of each mode for one engine, and the samples behind them."""

    backend: str
    engine: str
    concurrency: int
    load_s: float
    samples: dict[str, list[float]]
    pipeline_matches_naive: int

    def median(self, mode: str) -> float:
        return statistics.median(self.samples[mode])

    @property
    def speedup(self) -> float:
        return self.median("naive") / self.median("pipeline")

    @property
    def overhead(self) -> float:
        return self.median("pipeline") / self.median("direct") - 1

    def to_json(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "engine": self.engine,
            "concurrency": self.concurrency,
            "load_s": self.load_s,
            **{f"{mode}_s": self.median(mode) for mode in MODES},
            "speedup_naive_over_pipeline": self.speedup,
            "overhead_pipeline_over_direct": self.overhead,
            "pipeline_pages_matching_naive": self.pipeline_matches_naive,
            "samples": self.samples,
        }


# --- the test document -----------------------------------------------------------------------


def render_pages(pdf: Path, limits: IntakeLimits) -> list[PageImage]:
    with open_document(pdf, limits) as document:
        return list(document.pages())


# --- the timed modes -------------------------------------------------------------------------


def time_render(pdf: Path, limits: IntakeLimits) -> float:
    started = time.perf_counter()
    with open_document(pdf, limits) as document:
        for _page in document.pages():
            pass
    return time.perf_counter() - started


def time_naive(pdf: Path, backend: Backend, limits: IntakeLimits) -> tuple[float, list[str]]:
    started = time.perf_counter()
    texts = []
    with open_document(pdf, limits) as document:
        for page in document.pages():
            texts.append(backend.recognize(page).text)
    return time.perf_counter() - started, texts


def time_pipeline(pdf: Path, engine: EngineCore, name: str) -> tuple[float, list[str]]:
    """The app's whole path: model manager lease, dispatcher, render-ahead pipeline."""
    started = time.perf_counter()
    documents = list(engine.ocr(OcrRequest([pdf], backend=name)))
    seconds = time.perf_counter() - started
    (document,) = documents
    if document.error is not None:
        raise RuntimeError(f"The pipeline failed: {document.error.message}")
    return seconds, [page.text for page in document.pages]


def time_direct(run: DirectRunner, images: Sequence[Image.Image]) -> float:
    started = time.perf_counter()
    run(images)
    return time.perf_counter() - started


# --- the engines without the app -------------------------------------------------------------


@contextlib.contextmanager
def direct_rapidocr(options: RapidOcrOptions) -> Iterator[DirectRunner]:
    """RapidOCR given the same settings as the configured model, called one page at a time."""
    from rapidocr import RapidOCR

    ocr = RapidOCR(params=rapidocr_params(options))

    def run(images: Sequence[Image.Image]) -> None:
        for image in images:
            ocr(image)

    yield run


@contextlib.contextmanager
def direct_tesseract(options: TesseractOptions, threads: int, dpi: int) -> Iterator[DirectRunner]:
    """One API per thread; each thread takes the next page from a shared queue."""
    import tesserocr

    folder, missing = find_tessdata(options)
    if folder is None or missing:
        sys.exit(f"Tesseract language data {'+'.join(missing)} not found.")
    apis = []
    try:
        for _ in range(threads):
            apis.append(
                tesserocr.PyTessBaseAPI(
                    path=f"{folder}{os.sep}",
                    lang=options.languages,
                    psm=options.page_segmentation,
                )
            )
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="direct") as pool:

            def run(images: Sequence[Image.Image]) -> None:
                todo: queue.SimpleQueue[Image.Image] = queue.SimpleQueue()
                for image in images:
                    todo.put(image)
                futures = [pool.submit(_tesseract_worker, api, todo, dpi) for api in apis]
                for future in futures:
                    future.result()

            yield run
    finally:
        for api in apis:
            api.End()


def _tesseract_worker(api: Any, todo: queue.SimpleQueue[Image.Image], dpi: int) -> None:
    while True:
        try:
            image = todo.get_nowait()
        except queue.Empty:
            return
        try:
            api.SetImage(image if image.mode == "L" else image.convert("L"))  # as the backend
            api.SetSourceResolution(dpi)
            if not api.Recognize():
                raise RuntimeError("Tesseract failed on a page")
            _tesseract_lines(api)
        finally:
            api.Clear()


def _tesseract_lines(api: Any) -> list[tuple[str, float, tuple[int, ...]]]:
    """The text lines with confidence and box, read as the backend reads them."""
    import tesserocr

    ril = tesserocr.RIL
    iterator = api.GetIterator()
    if iterator is None:
        return []
    lines = []
    for item in tesserocr.iterate_level(iterator, ril.TEXTLINE):
        item.IsAtBeginningOf(ril.BLOCK)
        text = (item.GetUTF8Text(ril.TEXTLINE) or "").strip()
        box = item.BoundingBox(ril.TEXTLINE)
        if text and box is not None:
            lines.append((text, item.Confidence(ril.TEXTLINE) / 100.0, tuple(box)))
    return lines


def direct_runner(
    config: AppConfig, name: str, threads: int, dpi: int
) -> contextlib.AbstractContextManager[DirectRunner]:
    options = config.model(name)
    assert options is not None  # EngineCore.backend(name) has resolved it
    if options.engine == "rapidocr":
        assert isinstance(options, RapidOcrOptions)
        return direct_rapidocr(options)
    if options.engine == "tesseract":
        assert isinstance(options, TesseractOptions)
        return direct_tesseract(options, threads, dpi)
    sys.exit(f"No direct baseline for the {options.engine} engine; use rapidocr or tesseract.")


# --- one engine ------------------------------------------------------------------------------


def load_backend(engine: EngineCore, name: str) -> tuple[Backend, float]:
    started = time.perf_counter()
    try:
        backend = engine.backend(name)
    except AblageError as exc:
        sys.exit(f"Cannot load {name}: {exc}")
    return backend, time.perf_counter() - started


def measure_engine(
    engine: EngineCore, name: str, pdf: Path, limits: IntakeLimits, runs: int
) -> EngineFigures:
    backend, load_s = load_backend(engine, name)
    rendered = render_pages(pdf, limits)
    images = [page.image for page in rendered]
    samples: dict[str, list[float]] = {mode: [] for mode in MODES}
    matches = 0
    with direct_runner(engine.config, name, backend.concurrency, limits.pdf_dpi) as direct:
        # Warm-up, not timed: the first call of an engine pays for lazy initialisation.
        backend.recognize(rendered[0])
        direct(images[:1])
        for round_ in range(runs):
            print(f"  {name}: round {round_ + 1} of {runs}", flush=True)
            naive_s, naive_texts = time_naive(pdf, backend, limits)
            pipeline_s, pipeline_texts = time_pipeline(pdf, engine, name)
            samples["naive"].append(naive_s)
            samples["pipeline"].append(pipeline_s)
            samples["direct"].append(time_direct(direct, images))
            samples["render"].append(time_render(pdf, limits))
            matches = sum(a == b for a, b in zip(naive_texts, pipeline_texts, strict=True))
    return EngineFigures(
        backend=name,
        engine=type(backend).__name__,
        concurrency=backend.concurrency,
        load_s=load_s,
        samples=samples,
        pipeline_matches_naive=matches,
    )


# --- reporting -------------------------------------------------------------------------------


def print_table(figures: Sequence[EngineFigures], pages: int) -> None:
    header = (
        f"{'engine':<11}{'threads':>8}{'pages':>6}{'naive s':>9}{'pipeline s':>12}"
        f"{'speedup':>9}{'direct s':>10}{'render s':>10}{'overhead':>10}"
    )
    print(header)
    print("-" * len(header))
    for fig in figures:
        print(
            f"{fig.backend:<11}{fig.concurrency:>8}{pages:>6}{fig.median('naive'):>9.2f}"
            f"{fig.median('pipeline'):>12.2f}{fig.speedup:>8.2f}x{fig.median('direct'):>10.2f}"
            f"{fig.median('render'):>10.2f}{fig.overhead:>+9.1%}"
        )
    print()
    print("speedup = naive / pipeline; direct = bare engine on pre-rendered pages (same threads)")
    print("render = all pages rendered on one thread; overhead = pipeline / direct - 1")
    for fig in figures:
        print(
            f"{fig.backend}: load {fig.load_s:.2f} s (not timed); pipeline text equals naive "
            f"text on {fig.pipeline_matches_naive} of {pages} pages"
        )


def write_json(path: Path, args: argparse.Namespace, figures: Sequence[EngineFigures]) -> None:
    report = {
        "pages": args.pages,
        "dpi": args.dpi,
        "runs": args.runs,
        "cpu_count": os.cpu_count(),
        "engines": [fig.to_json() for fig in figures],
    }
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


# --- command line ----------------------------------------------------------------------------


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time the page pipeline against a naive loop and the bare engines."
    )
    parser.add_argument("--pages", type=positive_int, default=20, help="pages of the test PDF")
    parser.add_argument(
        "--backend",
        default="rapidocr,tesseract",
        help="configured models to measure, comma-separated (default: rapidocr,tesseract)",
    )
    parser.add_argument("--dpi", type=positive_int, default=300, help="PDF render resolution")
    parser.add_argument("--runs", type=positive_int, default=1, help="rounds; medians reported")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the data set folder")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    names = [name.strip() for name in args.backend.split(",") if name.strip()]
    if not names:
        sys.exit("--backend names no model.")
    sources = source_pdfs(args.data)
    config = load_config()
    limits = dataclasses.replace(config.intake.limits(), pdf_dpi=args.dpi)
    engine = EngineCore(config)
    figures = []
    try:
        with tempfile.TemporaryDirectory(prefix="intake-overlap-") as folder:
            pdf = build_pdf(sources, args.pages, Path(folder) / "intake_overlap.pdf")
            print(
                f"{args.pages} pages at {args.dpi} dpi from {len(sources)} PDFs in {args.data}; "
                f"{os.cpu_count()} CPUs; {args.runs} run(s), medians"
            )
            for name in names:
                figures.append(measure_engine(engine, name, pdf, limits, args.runs))
    finally:
        engine.close()
    print()
    print_table(figures, args.pages)
    if args.json:
        write_json(args.json, args, figures)
        print(f"Figures written to {args.json}")


if __name__ == "__main__":
    main()
