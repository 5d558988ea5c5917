"""One area of every page (``ocr --area``): does an area read alone give what the whole page's
reading holds there, and what does reading a field instead of the page save?

Every document of the data set is read whole (``--backend``, default ``auto``). From each page,
``--per-page`` of its lines are drawn (a fixed seed); each line's box, grown by ``GROW`` pixels,
is read as the area of a request of its own (``OcrRequest.area``), and its text is compared
with the words the whole reading holds in that box (``text_in_area``, what the window copies
of a frame). Then the whole set is read again whole and with one field of every page
(``--field``, in per cent), and the wall times are printed: the engines are loaded and warm
by then, so the times are the reading's.

    python benchmarks/area_reading.py ../shared/data
    python benchmarks/area_reading.py ../shared/data --backend tesseract --per-page 5
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(REPO))

from tesseract_path import DEFAULT_DATA, documents_of  # noqa: E402

from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.core import EngineCore  # noqa: E402
from ablage_desktop.engine.models.area_reading import PageArea  # noqa: E402
from ablage_desktop.engine.run.jobs import OcrRequest  # noqa: E402
from ablage_desktop.engine.text.area import text_in_area  # noqa: E402

GROW = 4
"""Pixels a drawn line's box is grown by on every side: a frame drawn around a line."""
SEED = 1


@dataclass(frozen=True)
class Compared:
    document: str
    page: int
    whole: str
    """What the page's whole reading holds in the area."""
    alone: str
    """What the area read alone gave."""

    @property
    def same(self) -> bool:
        return self.whole == self.alone


def compare(
    engine: EngineCore, documents: Sequence[Path], backend: str, per_page: int
) -> list[Compared]:
    """Lines of every page read again as areas of their own, against the whole reading."""
    draw = random.Random(SEED)
    rows = []
    for path in documents:
        (whole,) = engine.ocr(OcrRequest([path], backend=backend, archive=False))
        for page in whole.pages:
            lines = [line for line in page.lines if line.in_text and line.text.strip()]
            for line in draw.sample(lines, min(per_page, len(lines))):
                x0, y0, x1, y1 = line.box
                box = (max(0, x0 - GROW), max(0, y0 - GROW), x1 + GROW, y1 + GROW)
                area = PageArea(*map(float, box))
                (alone,) = engine.ocr(OcrRequest([path], backend=backend, archive=False, area=area))
                read = alone.pages[page.index].text if alone.ok else f"(failed: {alone.error})"
                rows.append(Compared(path.name, page.index, text_in_area(page.lines, box), read))
    return rows


def timed(
    engine: EngineCore, documents: Sequence[Path], backend: str, area: PageArea | None
) -> tuple[float, int]:
    """Seconds to read every document (whole, or ``area`` of each page), and the pages."""
    started = time.perf_counter()
    read = list(engine.ocr(OcrRequest(documents, backend=backend, archive=False, area=area)))
    return time.perf_counter() - started, sum(len(document.pages) for document in read)


def report(rows: Sequence[Compared], times: dict[str, tuple[float, int]]) -> str:
    same = sum(row.same for row in rows)
    out = [
        f"Areas read alone: {same} of {len(rows)} give the whole reading's words there.",
        "",
        "| document | page | whole page's reading there | the area read alone |",
        "|---|---|---|---|",
    ]
    out += [
        f"| {row.document} | {row.page + 1} | {row.whole!r} | {row.alone!r} |"
        for row in rows
        if not row.same
    ]
    out += ["", "| read | seconds | pages |", "|---|---|---|"]
    out += [f"| {label} | {seconds:.1f} | {pages} |" for label, (seconds, pages) in times.items()]
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--per-page", type=int, default=3)
    parser.add_argument("--field", default="8,17,80,24%", help="the timed area, as --area")
    args = parser.parse_args(argv)
    documents = documents_of(args.data)
    engine = EngineCore(load_config())
    try:
        rows = compare(engine, documents, args.backend, args.per_page)
        field = PageArea.parse(args.field)
        times = {
            "whole pages": timed(engine, documents, args.backend, None),
            f"--area {field}": timed(engine, documents, args.backend, field),
        }
    finally:
        engine.close()
    print(report(rows, times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
