"""One area of every page (``ocr --area``): does an area read alone give what the whole page's
reading holds there, and what does reading a field instead of the page save?

Every document of the data set is read whole (``--backend``, default ``auto``). From each page,
``--per-page`` of its lines are drawn (a fixed seed); each line's box, grown by ``GROW`` pixels,
is read as the area of a request of its own (``OcrRequest.areas``), and its text is compared
with the words the whole reading holds in that box (``text_in_area``, what the window copies
of a frame). Then the whole set is read again whole, with one field of every page
(``--field``, in per cent), with three fields in one run, with a run for each of them, and
in one run the other way than the route chooses (each read alone, or cut from the page read
whole: ``area_route.MAX_CUTS``), and the wall times are printed: the engines are loaded and
warm by then, so the times are the reading's.

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
from ablage_desktop.engine.run import area_route  # noqa: E402
from ablage_desktop.engine.run.jobs import OcrRequest  # noqa: E402
from ablage_desktop.engine.text.area import text_in_area  # noqa: E402

GROW = 4
"""Pixels a drawn line's box is grown by on every side: a frame drawn around a line."""
SEED = 1
FIELDS = ("8,17,80,24%", "55,4,95,14%", "8,84,60,94%")
"""The timed fields: a form's number or subject, a letter's date corner, its foot."""


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
                (alone,) = engine.ocr(
                    OcrRequest([path], backend=backend, archive=False, areas=(area,))
                )
                read = alone.pages[page.index].text if alone.ok else f"(failed: {alone.error})"
                rows.append(Compared(path.name, page.index, text_in_area(page.lines, box), read))
    return rows


def timed(
    engine: EngineCore, documents: Sequence[Path], backend: str, areas: Sequence[PageArea]
) -> tuple[float, int]:
    """Seconds to read every document (whole, or ``areas`` of each page), and the pages."""
    started = time.perf_counter()
    request = OcrRequest(documents, backend=backend, archive=False, areas=tuple(areas))
    read = list(engine.ocr(request))
    return time.perf_counter() - started, sum(len(document.pages) for document in read)


def timings(
    engine: EngineCore, documents: Sequence[Path], backend: str, fields: Sequence[PageArea]
) -> dict[str, tuple[float, int]]:
    """The whole pages, the first field alone, and where several are given, all of them in
    one run against a run for each (the pages opened and turned once against each time)."""
    times = {
        "whole pages": timed(engine, documents, backend, ()),
        f"--area {fields[0]}": timed(engine, documents, backend, fields[:1]),
    }
    if len(fields) > 1:
        times[f"{len(fields)} fields in one run"] = timed(engine, documents, backend, fields)
        each = [timed(engine, documents, backend, (field,)) for field in fields]
        times[f"{len(fields)} fields, a run each"] = (
            sum(seconds for seconds, _ in each),
            sum(pages for _, pages in each),
        )
        cuts = area_route.MAX_CUTS
        area_route.MAX_CUTS = 0 if len(fields) <= cuts else len(fields)  # the other way
        try:
            other = timed(engine, documents, backend, fields)
        finally:
            area_route.MAX_CUTS = cuts
        way = "cut from the page read whole" if len(fields) <= cuts else "each read alone"
        times[f"{len(fields)} fields in one run, {way}"] = other
    return times


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
    parser.add_argument(
        "--field",
        action="append",
        help=f"a timed area, as --area (again for more; default: three, {', '.join(FIELDS)})",
    )
    args = parser.parse_args(argv)
    documents = documents_of(args.data)
    fields = [PageArea.parse(field) for field in args.field or FIELDS]
    engine = EngineCore(load_config())
    try:
        rows = compare(engine, documents, args.backend, args.per_page)
        times = timings(engine, documents, args.backend, fields)
    finally:
        engine.close()
    print(report(rows, times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
