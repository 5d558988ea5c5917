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
upright pages. ``--strips`` asks about short pages instead (a note, a label, the last lines
of a letter): from every page, strips of one, two and three text lines (bands of ink rows,
``--per-size`` of each, drawn with a fixed seed), each turned four ways; the table then has a
row per number of lines and turn.

    python benchmarks/orientation.py ../shared/data
    python benchmarks/orientation.py ../shared/data --no-fallback
    python benchmarks/orientation.py ../shared/data --no-baselines
    python benchmarks/orientation.py ../shared/data --strips [--config before.yaml]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(REPO))

from tesseract_path import DEFAULT_DATA, documents_of, render_all  # noqa: E402

from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.preprocess.measure import measure  # noqa: E402
from ablage_desktop.engine.preprocess.orientation import OrientationDetector  # noqa: E402
from ablage_desktop.engine.preprocess.stage import TRANSPOSE  # noqa: E402


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


def ink_of(image: Any) -> Any:
    """Dark pixels (Otsu's threshold: photographed receipts are grey, not white)."""
    import cv2
    import numpy as np

    grey = np.asarray(image.convert("L"))
    return cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1].astype(bool)


def text_bands(image: Any) -> list[tuple[int, int]]:
    """The page's text lines as bands of rows holding ink (top, bottom), without specks and
    blocks far taller or lower than the median line."""
    inked = ink_of(image).sum(axis=1) > 2
    bands, start = [], None
    for row, ink in enumerate([*inked, False]):
        if ink and start is None:
            start = row
        elif not ink and start is not None:
            bands.append((start, row))
            start = None
    bands = [(top, bottom) for top, bottom in bands if bottom - top >= 6]  # specks, rules
    if not bands:
        return []
    median = statistics.median(bottom - top for top, bottom in bands)
    return [(top, bottom) for top, bottom in bands if 0.5 * median <= bottom - top <= 2 * median]


def strips_of(image: Any, per_size: int, rng: random.Random) -> list[tuple[int, Any]]:
    """(lines, strip) pieces of the page holding 1, 2 and 3 consecutive text lines, each cut
    to the ink of its lines with half a line's height of margin."""
    import numpy as np

    bands = text_bands(image)
    ink = ink_of(image)
    pieces = []
    for count in (1, 2, 3):
        # runs of lines next to each other: no taller block (a logo, a table) between them
        starts = [
            first
            for first in range(len(bands) - count + 1)
            if bands[first + count - 1][1] - bands[first][0]
            <= 3 * count * (bands[first][1] - bands[first][0])
        ]
        for first in rng.sample(starts, min(per_size, len(starts))):
            top, bottom = bands[first][0], bands[first + count - 1][1]
            columns = np.flatnonzero(ink[top:bottom].any(axis=0))
            margin = max(6, (bottom - top) // (2 * count))
            box = (
                max(0, int(columns[0]) - margin),
                max(0, top - margin),
                min(image.width, int(columns[-1]) + 1 + margin),
                min(image.height, bottom + margin),
            )
            pieces.append((count, image.crop(box)))
    return pieces


def samples(data: Path, strips: int) -> list[tuple[str, int, Any]]:
    """(name, lines, image) of every page (0 lines: the whole page), or with ``strips`` of
    its short strips."""
    pages = render_all(documents_of(data), load_config().intake.limits())
    named = [(f"{page.document.name} p{page.index + 1}", page.image) for page in pages]
    if not strips:
        return [(name, 0, image) for name, image in named]
    rng = random.Random(17)
    return [
        (f"{name} {count} line{'s' if count > 1 else ''} #{n}", count, strip)
        for name, image in named
        for n, (count, strip) in enumerate(strips_of(image, strips, rng))
    ]


def run(
    data: Path,
    fallback: bool,
    baselines: bool = True,
    strips: int = 0,
    config_files: Sequence[Path] = (),
) -> list[dict[str, Any]]:
    config = load_config(config_files)
    settings = config.preprocessing.orientation.model_copy(
        update={"fallback": fallback, "baselines": baselines}
    )
    detector = OrientationDetector(settings)
    rows = []
    try:
        for name, lines, sample in samples(data, strips):
            for quarter_turns in range(4):
                image = turned(sample, quarter_turns)
                needed = (4 - quarter_turns) % 4  # the turns that undo it
                started = time.perf_counter()
                found = detector.detect(image, measure(image))
                seconds = time.perf_counter() - started
                rows.append(
                    {
                        "page": name,
                        "lines": lines,
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
        "| lines | turned | pages | right | missed | wrong | median s per call |",
        "|---|---|---|---|---|---|---|",
    ]
    for count in sorted({r["lines"] for r in rows}):
        for degrees in (0, 90, 180, 270):
            some = [r for r in rows if r["turned"] == degrees and r["lines"] == count]
            counts = Counter(r["verdict"] for r in some)
            median = statistics.median(r["seconds"] for r in some)
            lines.append(
                f"| {count or 'page'} | {degrees} | {len(some)} | {counts['right']} | "
                f"{counts['missed']} | {counts['wrong']} | {median:.3f} |"
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
    parser.add_argument("--strips", action="store_true", help="ask about 1-3-line strips")
    parser.add_argument("--per-size", type=int, default=3, help="strips of each size a page")
    parser.add_argument("--config", type=Path, help="configuration merged over the shipped one")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    fallback, baselines = not args.no_fallback, not args.no_baselines
    strips = args.per_size if args.strips else 0
    rows = run(args.data, fallback, baselines, strips, [args.config] if args.config else [])
    print("\n".join(report(rows, fallback, baselines)))
    return rows


if __name__ == "__main__":
    main()
