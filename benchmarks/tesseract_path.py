"""The app's Tesseract path against bare tesserocr with two threads, on the same pages, in one run.

Target (issue 20): ``--backend tesseract`` including intake (the decoder process), the
preprocessing and the result building reads at least 0.9x the pages per second of bare
tesserocr with two threads on the same pages, pre-rendered.

bare
    Every page of the documents decoded beforehand in this process (not timed) and handed
    grey to two threads, each with its own ``tesserocr.PyTessBaseAPI`` (the configured
    languages and page segmentation): ``SetImage``, ``SetSourceResolution``, ``Recognize``,
    ``GetUTF8Text``. The strictest baseline: no decoding, no colour conversion, no layout.
app
    ``EngineCore.ocr`` with ``--backend tesseract`` on the files themselves, consumed to the end:
    the decoder process renders and hands over the pages, the preprocessing stage measures
    (and where it decides, turns, straightens or upscales) each page, Tesseract reads it, the
    reading order and the result are built. The model is loaded and the decoder started
    before the clock starts.

The modes take turns, ``--rounds`` times; the figure is each mode's median. Then each stage's
cost is measured alone on one thread (seconds per page): decoding in the decoder process,
the preprocessing's decisions, Tesseract on the page the preprocessing hands over against the
original page (what an upscale costs), and the bare library.

    python benchmarks/tesseract_path.py [--data ../shared/data] [--rounds 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import queue
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(REPO))

from ablage_desktop.engine.backends.tesseract import TesseractOptions, find_tessdata  # noqa: E402
from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.core import EngineCore, OcrRequest  # noqa: E402
from ablage_desktop.engine.intake.decoding import IsolatedDecoder  # noqa: E402
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document  # noqa: E402
from ablage_desktop.engine.intake.folders import collect_documents  # noqa: E402
from ablage_desktop.engine.preprocess import Preprocessor  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
TARGET = 0.9


def documents_of(data: Path) -> list[Path]:
    found = collect_documents([data]).documents
    documents = [path for path in found if not path.name.endswith(".txt")]
    if not documents:
        sys.exit(f"No documents in {data}.")
    return documents


def render_all(paths: Sequence[Path], limits: IntakeLimits) -> list[PageImage]:
    """Every page in full, as the engines read it (no text layers)."""
    limits = dataclasses.replace(limits, pdf_text="always_ocr")
    pages = []
    for path in paths:
        with open_document(path, limits) as document:
            pages.extend(document.pages())
    return pages


class BareTesseract:
    """Two (or ``threads``) tesserocr APIs, one per thread, on pre-rendered grey pages."""

    def __init__(self, options: TesseractOptions, threads: int) -> None:
        import tesserocr

        folder, _ = find_tessdata(options)
        self.apis = [
            tesserocr.PyTessBaseAPI(
                path=f"{folder}{os.sep}", lang=options.languages, psm=options.page_segmentation
            )
            for _ in range(threads)
        ]

    def read(self, pages: Sequence[tuple[Any, float | None]]) -> list[str]:
        todo: queue.SimpleQueue[tuple[int, Any, float | None] | None] = queue.SimpleQueue()
        for number, (image, dpi) in enumerate(pages):
            todo.put((number, image, dpi))
        texts: list[str] = [""] * len(pages)

        def work(api: Any) -> None:
            while True:
                item = todo.get()
                if item is None:
                    return
                number, image, dpi = item
                api.SetImage(image)
                if dpi:
                    api.SetSourceResolution(round(dpi))
                api.Recognize()
                texts[number] = api.GetUTF8Text()
                api.Clear()

        threads = [threading.Thread(target=work, args=(api,)) for api in self.apis]
        for _ in threads:
            todo.put(None)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return texts

    def close(self) -> None:
        for api in self.apis:
            api.End()


def app_read(engine: EngineCore, paths: Sequence[Path]) -> int:
    pages = 0
    for document in engine.ocr(OcrRequest(list(paths), backend="tesseract", archive=False)):
        if document.error is not None:
            raise RuntimeError(f"{document.document}: {document.error.message}")
        pages += len(document.pages)
    return pages


def per_page(seconds: float, pages: int) -> float:
    return seconds / max(1, pages)


def stage_costs(
    engine: EngineCore, paths: Sequence[Path], pages: Sequence[PageImage], options: TesseractOptions
) -> dict[str, float]:
    """Seconds per page of each stage alone, on one thread."""
    limits = engine.config.intake.limits()
    costs: dict[str, float] = {}
    with IsolatedDecoder() as decoder:
        decoder.open(paths[0], limits).close()  # the process's start is not a page's cost
        started = time.perf_counter()
        count = 0
        for path in paths:
            with decoder.open(path, limits) as document:
                for page in document.pages():
                    count += 1
                    del page
        costs["intake (decoder process, render + hand-over)"] = per_page(
            time.perf_counter() - started, count
        )
    started = time.perf_counter()
    render_all(paths, limits)
    costs["of which rendering alone (in process)"] = per_page(
        time.perf_counter() - started, len(pages)
    )
    preprocessor = Preprocessor(engine.config.preprocessing)
    started = time.perf_counter()
    variants = [preprocessor.prepare(page).variant("tesseract") for page in pages]
    costs["preprocessing (measure, decide, build)"] = per_page(
        time.perf_counter() - started, len(pages)
    )
    preprocessor.close()
    backend = engine.backend("tesseract")
    started = time.perf_counter()
    for variant in variants:
        variant.restore(backend.recognize(variant.page))
    costs["app recognition (prepared pages, reading order, result)"] = per_page(
        time.perf_counter() - started, len(pages)
    )
    started = time.perf_counter()
    for page in pages:
        backend.recognize(page)
    costs["app recognition (original pages)"] = per_page(time.perf_counter() - started, len(pages))
    grey = [(grey_of(page), page.dpi) for page in pages]
    single = BareTesseract(options, 1)
    try:
        started = time.perf_counter()
        single.read(grey)
        costs["bare tesserocr (one thread)"] = per_page(time.perf_counter() - started, len(pages))
    finally:
        single.close()
    return costs


def grey_of(page: PageImage) -> Any:
    return page.image if page.image.mode == "L" else page.image.convert("L")


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures there as JSON")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage costs")
    args = parser.parse_args()

    config = load_config([])
    config_tesseract = config.models["tesseract"]
    assert isinstance(config_tesseract, TesseractOptions)
    paths = documents_of(args.data)
    limits = config.intake.limits()
    pages = render_all(paths, limits)
    grey = [(grey_of(page), page.dpi) for page in pages]
    print(
        f"{len(paths)} documents, {len(pages)} pages of {args.data}; "
        f"{os.cpu_count()} CPUs, load average before: {load_average()}"
    )
    bare = BareTesseract(config_tesseract, config_tesseract.instances)
    engine = EngineCore(config)
    samples: dict[str, list[float]] = {"bare": [], "app": []}
    load_seen = []
    try:
        engine.backend("tesseract")
        app_read(engine, paths[:1])  # the decoder's start and first-call warm-up
        bare.read(grey[:2])
        for _ in range(args.rounds):
            started = time.perf_counter()
            bare.read(grey)
            samples["bare"].append(len(pages) / (time.perf_counter() - started))
            started = time.perf_counter()
            count = app_read(engine, paths)
            samples["app"].append(count / (time.perf_counter() - started))
            load_seen.append(load_average())
        costs = {} if args.no_stages else stage_costs(engine, paths, pages, config_tesseract)
    finally:
        bare.close()
        engine.close()

    bare_rate = statistics.median(samples["bare"])
    app_rate = statistics.median(samples["app"])
    ratio = app_rate / bare_rate
    verdict = "met" if ratio >= TARGET else f"not met by {TARGET - ratio:.2f}"
    print(f"threads: {config_tesseract.instances} (bare and app alike); rounds: {args.rounds}")
    print("| reading | pages/s (median) | every round |")
    print("|---|---:|---|")
    for mode, label in (
        ("bare", "bare tesserocr, pre-rendered"),
        ("app", "app --backend tesseract"),
    ):
        rounds = ", ".join(f"{rate:.2f}" for rate in samples[mode])
        print(f"| {label} | {statistics.median(samples[mode]):.2f} | {rounds} |")
    print(f"ratio app / bare: {ratio:.2f} (target >= {TARGET}): {verdict}")
    print(f"load average after each round: {'; '.join(load_seen)}")
    if costs:
        print("\nEach stage alone, one thread, seconds per page:")
        print("| stage | s/page |")
        print("|---|---:|")
        for stage, seconds in costs.items():
            print(f"| {stage} | {seconds:.3f} |")
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "pages": len(pages),
                    "samples": samples,
                    "ratio": ratio,
                    "verdict": verdict,
                    "stages": costs,
                    "load": load_seen,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
