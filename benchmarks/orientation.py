"""Which way up: the orientation step's answers on the data set's pages, each turned four ways.

Every page of the data set (rendered as the engines read it) is turned by 0, 90, 180 and 270
degrees, and the app's orientation detector (``engine/preprocess/orientation.py``, with the
shipped settings) is asked which way up it is, as the preprocessing stage asks it. Counted per
turn: pages it turned right, pages it left as they were (missed, for a turned page), and pages
it turned wrongly (an upright page turned, or a turned one turned the wrong way): the last is
the one that must stay at 0, since a page turned wrongly reads as garbage. Also the median
time of a call. ``--no-fallback`` asks with ``orientation.fallback`` off (where Tesseract's
OSD is unsure, the page is left as it is instead of asking the RapidOCR method alone);
``--no-baselines`` asks the method about every page, also those whose characters stand on
their baselines (which the stage takes as upright without asking): the test of its answers on
upright pages.

    python benchmarks/orientation.py ../shared/data
    python benchmarks/orientation.py ../shared/data --no-fallback
    python benchmarks/orientation.py ../shared/data --no-baselines
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(REPO))

from tesseract_path import DEFAULT_DATA, documents_of, render_all  # noqa: E402

from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.preprocess.measure import measure  # noqa: E402
from ablage_desktop.engine.preprocess.orientation import OrientationDetector  # noqa: E402

TRANSPOSE = {1: "ROTATE_90", 2: "ROTATE_180", 3: "ROTATE_270"}
"""Counter-clockwise quarter turns as PIL names them (the stage's own table)."""


def turned(image: Any, quarter_turns: int) -> Any:
    from PIL import Image

    if not quarter_turns:
        return image
    return image.transpose(getattr(Image.Transpose, TRANSPOSE[quarter_turns]))


def verdict(found: int | None, needed: int) -> str:
    """right, missed (left as it was though turned) or wrong."""
    if (found or 0) == needed:
        return "right"
    return "missed" if not found else "wrong"


def run(data: Path, fallback: bool, baselines: bool = True) -> list[dict[str, Any]]:
    config = load_config()
    settings = config.preprocessing.orientation.model_copy(
        update={"fallback": fallback, "baselines": baselines}
    )
    detector = OrientationDetector(settings)
    rows = []
    try:
        pages = render_all(documents_of(data), config.intake.limits())
        for page in pages:
            for quarter_turns in range(4):
                image = turned(page.image, quarter_turns)
                needed = (4 - quarter_turns) % 4  # the turns that undo it
                started = time.perf_counter()
                found = detector.detect(image, measure(image))
                seconds = time.perf_counter() - started
                rows.append(
                    {
                        "page": f"{page.document.name} p{page.index + 1}",
                        "turned": 90 * quarter_turns,
                        "found": None if found is None else found.degrees,
                        "method": None if found is None else found.method,
                        "verdict": verdict(None if found is None else found.turns, needed),
                        "seconds": seconds,
                    }
                )
    finally:
        detector.close()
    return rows


def report(rows: list[dict[str, Any]], fallback: bool, baselines: bool = True) -> list[str]:
    lines = [
        f"orientation.fallback: {str(fallback).lower()}, baselines: {str(baselines).lower()}",
        "| turned | pages | right | missed | wrong | median s per call |",
        "|---|---|---|---|---|---|",
    ]
    for degrees in (0, 90, 180, 270):
        some = [r for r in rows if r["turned"] == degrees]
        counts = Counter(r["verdict"] for r in some)
        median = statistics.median(r["seconds"] for r in some)
        lines.append(
            f"| {degrees} | {len(some)} | {counts['right']} | {counts['missed']} | "
            f"{counts['wrong']} | {median:.3f} |"
        )
    counts = Counter(r["verdict"] for r in rows if r["turned"])
    upright_wrong = sum(1 for r in rows if not r["turned"] and r["verdict"] == "wrong")
    lines.append(
        f"turned pages: {counts['right']} turned back, {counts['missed']} missed, "
        f"{counts['wrong']} turned wrongly; upright pages turned: {upright_wrong}"
    )
    for r in rows:
        if r["verdict"] != "right":
            lines.append(
                f"  {r['verdict']}: {r['page']} turned {r['turned']}: "
                f"found {r['found']} ({r['method']})"
            )
    return lines


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--no-fallback", action="store_true")
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    fallback, baselines = not args.no_fallback, not args.no_baselines
    rows = run(args.data, fallback, baselines)
    print("\n".join(report(rows, fallback, baselines)))
    return rows


if __name__ == "__main__":
    main()
