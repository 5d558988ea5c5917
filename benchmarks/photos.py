"""Photographed pages: the data set as a phone would take it, read with and without the paper
step.

Every page of the data set is rendered as the engines read it, then "photographed"
(``tests/photographs.py``): the sheet in perspective (each corner moved by up to
``--tilt`` of the page's size, seeded), on a desk of one of four colours, the light falling off
to 0.6-0.8 across the photo, saved as JPEG (a multi-page document as a multi-page TIFF of its
photos; ``--margin``: the desk around the sheet, and a margin below the tilt takes close-ups
that cut a corner or an edge of the sheet off). ``benchmarks/quality.py`` then reads the set
twice, with ``preprocessing.paper`` on (the shipped configuration) and off, and this prints
each run's figures per group and overall. The photos are kept in ``--out`` (default: a
temporary folder, removed).

    python benchmarks/photos.py ../shared/data --backends auto,tesseract,rapidocr
    python benchmarks/photos.py ../shared/data --margin 0.03      # close-ups
    python benchmarks/photos.py ../shared/data --light-desks      # a white sheet on a light desk
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "tests"):
    if str(folder) not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, str(folder))

from photographs import photograph  # noqa: E402  (tests/photographs.py)
from tesseract_path import DEFAULT_DATA, documents_of, render_all  # noqa: E402

from ablage_desktop.engine.config import load_config  # noqa: E402

DESKS = ((90, 75, 60), (60, 60, 65), (120, 110, 100), (25, 25, 25))
"""Dark wood, grey, light grey-brown, black."""
LIGHT_DESKS = ((200, 195, 185), (215, 215, 210), (185, 180, 170))
"""Light wood, a white laminate, beige (``--light-desks``)."""
PAPER_OFF = "preprocessing:\n  paper:\n    enabled: false\n"


def photograph_set(
    data: Path,
    out: Path,
    tilt: float,
    seed: int,
    margin: float = 0.15,
    desks: tuple[tuple[int, int, int], ...] = DESKS,
) -> int:
    """The data set's pages photographed into ``out`` with its ground truth and manifest;
    the number of pages."""
    chance = random.Random(seed)
    limits = load_config().intake.limits()
    names: dict[str, str] = {}
    pages = 0
    for document in documents_of(data):
        photos = []
        for page in render_all([document], limits):
            square = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
            corners = tuple(
                (x + chance.uniform(-tilt, tilt), y + chance.uniform(-tilt, tilt))
                for x, y in square
            )
            dim = chance.uniform(0.6, 0.8)
            light = (dim, 1.0) if chance.random() < 0.5 else (1.0, dim)
            desk = chance.choice(desks)
            photo, _ = photograph(page.image, corners, desk, light, (margin, margin))
            photos.append(photo)
            pages += 1
        suffix = ".jpg" if len(photos) == 1 else ".tif"
        name = document.stem + suffix
        if len(photos) == 1:
            photos[0].save(out / name, quality=88)
        else:
            photos[0].save(out / name, save_all=True, append_images=photos[1:], compression="jpeg")
        names[document.name] = name
    copy_truth(data, out, names)
    return pages


def copy_truth(data: Path, out: Path, names: dict[str, str]) -> None:
    """Each document's ground truth and manifest row from ``data`` into ``out``, for the
    documents named in ``names`` (their file in ``data`` -> their file in ``out``)."""
    for document in names:
        stem = Path(document).stem
        shutil.copy(data / f"{stem}.gt.txt", out / f"{stem}.gt.txt")
    manifest = data / "MANIFEST.tsv"
    if manifest.exists():
        lines = manifest.read_text(encoding="utf-8").splitlines()
        kept = [lines[0]]
        for line in lines[1:]:
            file, _, rest = line.partition("\t")
            if file in names:
                kept.append(f"{names[file]}\t{rest}")
        (out / "MANIFEST.tsv").write_text("\n".join(kept) + "\n", encoding="utf-8")


def read_set(folder: Path, backends: str, config: Path | None, result: Path) -> dict[str, Any]:
    """``quality.py``'s figures for the set (its JSON in ``result``)."""
    command = [
        sys.executable,
        str(REPO / "benchmarks" / "quality.py"),
        str(folder),
        "--backends",
        backends,
        "--json",
        str(result),
    ]
    if config is not None:
        command += ["--config", str(config)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return json.loads(result.read_text(encoding="utf-8"))


def read_each(
    modes: list[str],
    build: Callable[[Path, str], int],
    what: str,
    kept: Path | None,
    backends: str,
    config: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Each mode's set, made by ``build(folder, mode)`` (its number of pages) into a folder of
    its own under ``kept`` (default: a temporary folder, removed), read by ``quality.py``;
    prints the table of the runs."""
    work = Path(tempfile.mkdtemp(prefix=f"ablage-{what}-"))
    out = kept or work
    runs = {}
    for mode in modes:
        folder = out / mode
        folder.mkdir(parents=True, exist_ok=True)
        pages = build(folder, mode)
        print(f"{pages} pages ({what}, {mode}) into {folder}", flush=True)
        runs[mode] = read_set(folder, backends, config, work / f"quality-{mode}.json")
    print("\n".join(table(runs, what)))
    if kept is None:
        shutil.rmtree(work, ignore_errors=True)
    return runs


def table(runs: dict[str, dict[str, Any]], what: str = "paper step") -> list[str]:
    """Each run's CER and BoW F1 by group ("overall" among them) and engine."""
    lines = [f"| {what} | group | engine | CER | BoW F1 |", "|---|---|---|---|---|"]
    for label, figures in runs.items():
        for group, found in figures["groups"].items():
            for engine, scores in found["engines"].items():
                lines.append(
                    f"| {label} | {group} | {engine} | {scores['cer']:.3f} | "
                    f"{scores['bow_f1']:.3f} |"
                )
    return lines


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--backends", default="auto,tesseract,rapidocr")
    parser.add_argument("--tilt", type=float, default=0.08)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--margin",
        type=float,
        default=0.15,
        help="desk on each side, share of the page; below --tilt, corners leave the photo",
    )
    parser.add_argument(
        "--light-desks", action="store_true", help="light desks, whose edge finds the sheet"
    )
    parser.add_argument("--out", type=Path, help="where the photos go (kept)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    work = Path(tempfile.mkdtemp(prefix="ablage-photos-"))
    out = args.out or work / "photos"
    out.mkdir(parents=True, exist_ok=True)
    desks = LIGHT_DESKS if args.light_desks else DESKS
    pages = photograph_set(args.data, out, args.tilt, args.seed, args.margin, desks)
    print(f"{pages} pages photographed into {out}", flush=True)
    off = work / "paper-off.yaml"
    off.write_text(PAPER_OFF, encoding="utf-8")
    runs = {
        "on": read_set(out, args.backends, None, work / "quality-on.json"),
        "off": read_set(out, args.backends, off, work / "quality-off.json"),
    }
    print("\n".join(table(runs)))
    if args.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return runs


if __name__ == "__main__":
    main()
