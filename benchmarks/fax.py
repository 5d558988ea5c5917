"""Faxed pages: the data set as a fax machine sends it, read by `benchmarks/quality.py`.

Every page of the data set is rendered as the engines read it and "faxed": scaled to a fax
line of 1,728 pixels (204 dpi across an A4 page), made black and white, saved as a CCITT G3
TIFF (a multi-page document as a multi-page TIFF) in three ways:

* ``fine``: 204 x 196 dpi, nearly square pixels (a fax machine's fine mode);
* ``normal``: 204 x 98 dpi, every other line (normal mode, the default of many machines and of
  fax servers), the file saying so: the intake makes its pixels square
  (``intake/resolution.py``);
* ``squashed``: the normal-mode pixels with the resolution stated as 204 x 204 dpi, which the
  intake leaves as they are: what every page of a normal-mode fax was read as before.

    python benchmarks/fax.py ../shared/data --backends auto,tesseract
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "benchmarks"):
    if str(folder) not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, str(folder))

from photos import copy_truth, read_each  # noqa: E402
from PIL import Image  # noqa: E402
from tesseract_path import DEFAULT_DATA, documents_of, render_all  # noqa: E402

from ablage_desktop.engine.config import load_config  # noqa: E402

FAX_LINE = 1728
"""Pixels across a fax line: 8.47 inches at 204 dpi."""
INK_BELOW = 160
"""Grey levels below this are black on the fax."""
MODES = {
    "normal": ((204, 98), (204, 98)),
    "squashed": ((204, 98), (204, 204)),
    "fine": ((204, 196), (204, 196)),
}
"""Each way: the resolution of its pixels, and the resolution its file states."""


def fax_page(page: Image.Image, pixels: tuple[int, int]) -> Image.Image:
    """``page`` as a fax of ``pixels`` (dpi across, dpi down) sends it, black and white."""
    across, down = pixels
    height = round(page.height * FAX_LINE / page.width * down / across)
    grey = page.convert("L").resize((FAX_LINE, height), Image.Resampling.LANCZOS)
    return grey.point(lambda value: 255 if value >= INK_BELOW else 0).convert("1")


def fax_set(data: Path, out: Path, mode: str) -> int:
    """The data set's pages faxed in ``mode`` into ``out`` with its ground truth and
    manifest; the number of pages."""
    pixels, stated = MODES[mode]
    limits = load_config().intake.limits()
    names: dict[str, str] = {}
    pages = 0
    for document in documents_of(data):
        faxes = [fax_page(page.image, pixels) for page in render_all([document], limits)]
        pages += len(faxes)
        name = document.stem + ".tif"
        faxes[0].save(
            out / name, save_all=True, append_images=faxes[1:], compression="group3", dpi=stated
        )
        names[document.name] = name
    copy_truth(data, out, names)
    return pages


def main(argv: list[str] | None = None) -> dict[str, dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--backends", default="auto,tesseract")
    parser.add_argument("--modes", default="normal,squashed,fine", help="of " + ", ".join(MODES))
    parser.add_argument("--out", type=Path, help="where the faxes go (kept)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    return read_each(
        args.modes.split(","),
        lambda folder, mode: fax_set(args.data, folder, mode),
        "fax",
        args.out,
        args.backends,
    )


if __name__ == "__main__":
    main()
