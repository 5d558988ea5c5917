"""Worn office copies: the data set as a copier, a scanner's lid or an archive leaves its
pages, read by `benchmarks/quality.py`.

Every page of the data set is rendered as the engines read it and worn in one way:

* ``borders``: a black band along the left edge (3.5 % of the width) and the bottom edge (2 %
  of the height), as a copy of a copy or a sheet scanned with the lid open has them;
* ``holes``: two punched holes, black, in the left margin;
* ``jpeg``: saved as a JPEG at quality 15 (a scanner's "small file" setting);
* ``speckle``: salt-and-pepper noise, 0.4 % of the pixels black, 0.3 % white;
* ``tinted``: printed on yellowish recycled paper;
* ``clean``: as rendered, the reference.

A multi-page document stays one (an image-only PDF). ``--config`` reads with a configuration
file (e.g. ``preprocessing: {borders: {enabled: false}}`` for the reading before the border
step).

    python benchmarks/copies.py ../shared/data --modes clean,borders --backends auto,tesseract
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "benchmarks"):
    if str(folder) not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, str(folder))

import numpy as np  # noqa: E402
from photos import copy_truth, read_each  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from tesseract_path import DEFAULT_DATA, documents_of, render_all  # noqa: E402

from ablage_desktop.engine.config import load_config  # noqa: E402

BLACK = 20


def borders(page: Image.Image) -> Image.Image:
    worn = page.convert("RGB")
    draw = ImageDraw.Draw(worn)
    draw.rectangle([0, 0, int(worn.width * 0.035), worn.height], fill=(BLACK,) * 3)
    draw.rectangle(
        [0, worn.height - int(worn.height * 0.02), worn.width, worn.height], fill=(BLACK,) * 3
    )
    return worn


def holes(page: Image.Image) -> Image.Image:
    worn = page.convert("RGB")
    draw = ImageDraw.Draw(worn)
    radius, x = int(worn.width * 0.014), int(worn.width * 0.045)
    for y in (
        worn.height // 2 - int(worn.height * 0.136),
        worn.height // 2 + int(worn.height * 0.136),
    ):
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=(10, 10, 10))
    return worn


def speckle(page: Image.Image) -> Image.Image:
    grey = np.array(page.convert("L"))
    chance = np.random.default_rng(1).random(grey.shape)
    grey[chance < 0.004] = 0
    grey[chance > 0.997] = 255
    return Image.fromarray(grey)


def tinted(page: Image.Image) -> Image.Image:
    rgb = np.asarray(page.convert("RGB"), dtype=np.float32) / 255
    return Image.fromarray((rgb * np.array([250, 235, 170])).astype(np.uint8))


MODES: dict[str, Callable[[Image.Image], Image.Image]] = {
    "clean": lambda page: page,
    "borders": borders,
    "holes": holes,
    "jpeg": lambda page: page.convert("RGB"),
    "speckle": speckle,
    "tinted": tinted,
}


def wear_set(data: Path, out: Path, mode: str) -> int:
    """The data set's pages worn in ``mode`` into ``out`` with its ground truth and
    manifest; the number of pages."""
    wear = MODES[mode]
    limits = load_config().intake.limits()
    names: dict[str, str] = {}
    pages = 0
    for document in documents_of(data):
        worn = [wear(page.image) for page in render_all([document], limits)]
        pages += len(worn)
        if len(worn) > 1:
            name = document.stem + ".pdf"
            rgb = [page.convert("RGB") for page in worn]
            rgb[0].save(out / name, save_all=True, append_images=rgb[1:], resolution=300)
        elif mode == "jpeg":
            name = document.stem + ".jpg"
            worn[0].save(out / name, quality=15, dpi=(300, 300))
        else:
            name = document.stem + ".png"
            worn[0].save(out / name, dpi=(300, 300))
        names[document.name] = name
    copy_truth(data, out, names)
    return pages


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--backends", default="auto,tesseract")
    parser.add_argument("--modes", default="clean,borders", help="of " + ", ".join(MODES))
    parser.add_argument("--config", type=Path, help="a configuration file to read with")
    parser.add_argument("--out", type=Path, help="where the worn pages go (kept)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return read_each(
        args.modes.split(","),
        lambda folder, mode: wear_set(args.data, folder, mode),
        "copy",
        args.out,
        args.backends,
        args.config,
    )


if __name__ == "__main__":
    main()
