"""Worn office copies: the data set as a copier, a scanner's lid or an archive leaves its
pages, read by `benchmarks/quality.py`.

Every page of the data set is rendered as the engines read it and worn in one way:

* ``borders``: a black band along the left edge (3.5 % of the width) and the bottom edge (2 %
  of the height), as a copy of a copy or a sheet scanned with the lid open has them;
* ``holes``: two punched holes, black, in the left margin;
* ``jpeg``: saved as a JPEG at quality 15 (a scanner's "small file" setting);
* ``speckle``: salt-and-pepper noise, 0.4 % of the pixels black, 0.3 % white;
* ``tinted``: printed on yellowish recycled paper;
* ``faded``: the print faded as a thermal receipt's does, to a third of its contrast at one
  side of the page and two thirds at the other;
* ``highlighted``: every third line of print marked with a highlighter (yellow, green, pink in
  turn), the ink's extent across;
* ``stamped``: a red rubber stamp ("BEZAHLT" and a date in a frame, turned 8 degrees) over the
  middle of the page, its ink multiplied into the print's;
* ``watermark``: a large light-grey "ENTWURF" across the page, turned 30 degrees, under the
  print;
* ``showthrough``: thin paper printed on both sides: the next document's first page shows
  through from the back, mirrored, softened and at a fifth of its contrast;
* ``duplex``: scanned on both sides, printed on one: each page followed by its blank back,
  the page's print showing through it mirrored at a fifth of its contrast (no text to read);
* ``streaked``: dust on a document feeder's glass, two thin lines (dark, grey) down the whole
  page;
* ``folded``: folded in three for an envelope, two creases across the page (a dark hairline,
  a light one, a soft shadow);
* ``signed``: a handwritten signature (loops in blue or black ballpoint) over the widest blank
  band in the page's lower half;
* ``coded``: a payment QR code (a GiroCode's 45 modules, 3.5 cm across) and a shipping
  barcode (Code 128, 1.2 cm tall) in blank places of the page, the lowest that hold them;
* ``marked``: a reader's ballpoint marks: one line's last figures circled, another line
  underlined with a wavy stroke, a tick left of a third;
* ``inverted``: every fourth line of print in reverse video, white on a dark band (dark grey,
  navy, dark red in turn), as table heads and letterhead bars are printed;
* ``blurred``: out of focus, a Gaussian blur of 1.5 pixels at 2,480 pixels across (scaled with
  the page's width);
* ``lowres``: scanned in grey at 150 dpi, an office scanner's default, saved as a JPEG at
  quality 75 (its resolution stated); the receipts and 100-dpi forms in grey as they are;
* ``dotmatrix``: printed by a dot-matrix printer: each character of dots on a grid
  about eleven dots high, each dot apart from the next;
* ``clean``: as rendered, the reference.

A multi-page document stays one (an image-only PDF). ``--config`` reads with a configuration
file (e.g. ``preprocessing: {borders: {enabled: false}}`` for the reading before the border
step).

    python benchmarks/copies.py ../shared/data --modes clean,borders --backends auto,tesseract
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "benchmarks", REPO / "tests"):
    if str(folder) not in sys.path:  # run from a checkout without installing the package
        sys.path.insert(0, str(folder))

import numpy as np  # noqa: E402
from photos import copy_truth, read_each  # noqa: E402
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont  # noqa: E402
from printed_codes import barcode_modules, drawn, qr_modules  # noqa: E402  (tests/)
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


def faded(page: Image.Image) -> Image.Image:
    grey = np.asarray(page.convert("L"), dtype=np.float32)
    contrast = np.linspace(1 / 3, 2 / 3, grey.shape[1], dtype=np.float32)[None, :]
    return Image.fromarray((255 - (255 - grey) * contrast).astype(np.uint8))


def ink_lines(grey: np.ndarray) -> list[tuple[int, int]]:
    """Runs of rows holding print (top, bottom), from the rows' dark pixels."""
    inked = (grey < 128).sum(axis=1) > max(3, grey.shape[1] // 400)
    lines, top = [], None
    for row, ink in enumerate(inked):
        if ink and top is None:
            top = row
        elif not ink and top is not None:
            lines.append((top, row))
            top = None
    return lines


HIGHLIGHTERS = ((255, 240, 80), (170, 240, 120), (250, 160, 200))


def highlighted(page: Image.Image) -> Image.Image:
    worn = page.convert("RGB")
    grey = np.asarray(page.convert("L"))
    columns = np.flatnonzero((grey < 128).any(axis=0))
    if not len(columns):
        return worn
    marks = Image.new("RGB", worn.size, (255, 255, 255))
    draw = ImageDraw.Draw(marks)
    for n, (top, bottom) in enumerate(ink_lines(grey)[::3]):
        pad = max(2, (bottom - top) // 5)
        draw.rectangle(
            [int(columns[0]), top - pad, int(columns[-1]), bottom + pad], fill=HIGHLIGHTERS[n % 3]
        )
    return ImageChops.multiply(worn, marks)


def overlay(
    page: Image.Image,
    words: list[str],
    colour: tuple[int, int, int],
    angle: float,
    height: float,
    frame: bool,
) -> Image.Image:
    """``words`` (one line each) in ``colour``, ``height`` of the page tall a line, turned by
    ``angle`` about the page's middle and multiplied into it."""
    worn = page.convert("RGB")
    font = ImageFont.load_default(size=max(12, int(worn.height * height)))
    stamp = Image.new("RGB", worn.size, (255, 255, 255))
    draw = ImageDraw.Draw(stamp)
    text = "\n".join(words)
    box = draw.multiline_textbbox((0, 0), text, font=font, align="center")
    left = (worn.width - (box[2] - box[0])) // 2
    top = (worn.height - (box[3] - box[1])) // 2
    draw.multiline_text((left, top), text, font=font, fill=colour, align="center")
    if frame:
        pad, line = font.size // 3, max(3, font.size // 8)
        draw.rectangle(
            [left + box[0] - pad, top + box[1] - pad, left + box[2] + pad, top + box[3] + pad],
            outline=colour,
            width=line,
        )
    stamp = stamp.rotate(angle, fillcolor=(255, 255, 255), resample=Image.Resampling.BILINEAR)
    return ImageChops.multiply(worn, stamp)


def stamped(page: Image.Image) -> Image.Image:
    return overlay(page, ["BEZAHLT", "12.03.2026"], (200, 40, 50), 8, 0.035, frame=True)


def watermark(page: Image.Image) -> Image.Image:
    return overlay(page, ["ENTWURF"], (205, 205, 205), 30, 0.12, frame=False)


PENS = ((25, 40, 120), (30, 30, 35))
"""Ballpoint inks: blue, black."""


def scribble(width: int, height: int, seed: int) -> list[tuple[float, float]]:
    """A signature's trace: loops running right as a cursive hand writes them, each letter a
    different height, and a flourish back under it, ``width`` by ``height`` pixels."""
    rng = np.random.default_rng(seed)
    letters = int(rng.integers(6, 10))
    t = np.linspace(0, letters * 2 * np.pi, letters * 40)
    heights = np.repeat(rng.uniform(0.35, 1.0, letters), 40)
    heights[:40] = 1.3  # the capital
    x = t / t[-1] * 0.85 * width + 0.03 * width * np.cos(t + rng.uniform(0, 1))
    y = 0.55 * height - 0.4 * height * heights * np.sin(t)
    tail = np.linspace(0, 1, 40)
    trace = list(zip(x.tolist(), y.tolist(), strict=True))
    trace += [
        (x[-1] - (x[-1] - 0.05 * width) * s, 0.75 * height + 0.15 * height * np.sin(s * np.pi))
        for s in tail
    ]
    return trace


def signed(page: Image.Image) -> Image.Image:
    """A handwritten signature in ballpoint over the widest blank band of the page's lower
    half (over the last lines where there is none), right of the middle; its hand and ink
    drawn by the page's print."""
    worn = page.convert("RGB")
    grey = np.asarray(page.convert("L"))
    number = int(grey[::97, ::89].sum())
    width, height = int(worn.width * 0.25), int(worn.width * 0.075)
    lines = [line for line in ink_lines(grey) if line[0] > grey.shape[0] // 2]
    gaps = [(b[0] - a[1], a[1]) for a, b in itertools.pairwise(lines)]
    gap, top = max(gaps, default=(0, int(grey.shape[0] * 0.8)))
    top = top + (gap - height) // 2 if gap > height // 2 else top - height // 2
    left = worn.width // 2 + int(worn.width * 0.05)
    ink = Image.new("RGB", worn.size, (255, 255, 255))
    trace = [(left + x, top + y) for x, y in scribble(width, height, number)]
    ImageDraw.Draw(ink).line(
        trace, fill=PENS[number % 2], width=max(2, worn.width // 550), joint="curve"
    )
    return ImageChops.multiply(worn, ink)


def marked(page: Image.Image) -> Image.Image:
    """A reader's pen marks on the print: a line's figures circled, another line underlined
    with a wavy stroke, a tick left of a third, in blue or black ballpoint (the lines drawn by
    the page's print)."""
    worn = page.convert("RGB")
    grey = np.asarray(page.convert("L"))
    found = ink_lines(grey)
    usual = float(np.median([bottom - top for top, bottom in found])) if found else 0.0
    lines = [(top, bottom) for top, bottom in found if usual / 2 <= bottom - top <= 2 * usual]
    if len(lines) < 3:
        return worn
    number = int(grey[::97, ::89].sum())
    rng = np.random.default_rng(number)
    pen, width = PENS[number % 2], max(2, worn.width // 550)
    ink = Image.new("RGB", worn.size, (255, 255, 255))
    draw = ImageDraw.Draw(ink)
    chosen = sorted(rng.choice(len(lines), 3, replace=False).tolist())
    for kind, index in zip(("circle", "underline", "tick"), chosen, strict=True):
        top, bottom = lines[index]
        tall = bottom - top
        columns = np.flatnonzero((grey[top:bottom] < 128).any(axis=0))
        words = [
            (int(run[0]), int(run[-1]))
            for run in np.split(columns, np.flatnonzero(np.diff(columns) > tall) + 1)
            if run[-1] - run[0] >= tall  # print, not a frame's rule crossing the line
        ]
        if not words:
            continue
        left, right = words[0][0], words[-1][1]
        if kind == "circle":  # the line's last stretch of print, a figure or a total
            start = max(words[-1][0], right - 8 * tall)
            draw.ellipse(
                [start - tall, top - tall // 2, right + tall, bottom + tall // 2],
                outline=pen, width=width,
            )  # fmt: skip
        elif kind == "underline":
            xs = np.linspace(left, right, 60)
            ys = bottom + tall // 3 + (tall / 6) * np.sin(xs / (1.5 * tall))
            draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=pen, width=width)
        else:
            x = max(width, left - 2 * tall)
            middle, low = (top + bottom) // 2, (top + bottom + tall) // 2
            tick = [(x, middle), (x + tall // 2, low), (x + 3 * tall // 2, top - tall // 2)]
            draw.line(tick, fill=pen, width=width, joint="curve")
    return ImageChops.multiply(worn, ink)


def show_through(page: Image.Image, back: Image.Image) -> Image.Image:
    """``back``'s print seen through the sheet: mirrored, softened, a fifth of its contrast."""
    ghost = back.convert("L").resize(page.size).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    ghost = ghost.filter(ImageFilter.GaussianBlur(max(1.0, page.width / 1600)))
    faint = ghost.point(lambda value: 255 - (255 - value) // 5)
    return ImageChops.multiply(page.convert("RGB"), faint.convert("RGB"))


def backs(pages: list[Image.Image]) -> list[Image.Image]:
    """Each page followed by its back as a duplex scanner sees it: blank but for the page's
    print showing through, on slightly grey paper."""
    worn = []
    for page in pages:
        paper = Image.new("RGB", page.size, (238, 238, 236))
        worn += [page, show_through(paper, page)]
    return worn


BANDS = ((60, 60, 60), (30, 50, 110), (130, 30, 30))


def inverted(page: Image.Image) -> Image.Image:
    worn = np.asarray(page.convert("RGB")).astype(np.float32)
    grey = np.asarray(page.convert("L"))
    columns = np.flatnonzero((grey < 128).any(axis=0))
    if not len(columns):
        return page.convert("RGB")
    for n, (top, bottom) in enumerate(ink_lines(grey)[1::4]):
        pad = max(2, (bottom - top) // 4)
        band = (slice(max(0, top - pad), bottom + pad), slice(columns[0], columns[-1] + 1))
        ink = (255.0 - worn[band]) / 255.0
        worn[band] = 255.0 * ink + np.array(BANDS[n % 3], np.float32) * (1.0 - ink)
    return Image.fromarray(worn.clip(0, 255).astype(np.uint8))


def blurred(page: Image.Image) -> Image.Image:
    return page.filter(ImageFilter.GaussianBlur(1.5 * page.width / 2480))


def streaked(page: Image.Image) -> Image.Image:
    """Dust on a document feeder's glass: thin lines down the whole page, one dark (2 pixels
    at 2,480 across) through the print at 37 % of the width, one grey (3 pixels) at 71 %."""
    worn = np.asarray(page.convert("RGB")).copy()
    scale = page.width / 2480
    for share, width, grey in ((0.37, 2, 50), (0.71, 3, 130)):
        left = int(page.width * share)
        band = worn[:, left : left + max(1, round(width * scale))]
        np.minimum(band, grey, out=band)
    return Image.fromarray(worn)


def folded(page: Image.Image) -> Image.Image:
    """A letter folded in three for a DL envelope and flattened on the glass: two creases
    across the whole page at the fold marks (105 and 210 mm of 297), each a dark hairline with
    a light one beside it and a soft shadow below."""
    worn = np.asarray(page.convert("RGB")).astype(np.float32)
    scale = page.height / 3508
    for share in (105 / 297, 210 / 297):
        row = int(page.height * share)
        shadow = max(3, round(14 * scale))
        fall = np.linspace(0.88, 1.0, shadow, dtype=np.float32)[:, None, None]
        worn[row : row + shadow] *= fall
        worn[row - 1 : row + 1] = np.minimum(worn[row - 1 : row + 1], 150)
        worn[row - 2] = np.maximum(worn[row - 2], 250)
    return Image.fromarray(worn.clip(0, 255).astype(np.uint8))


def blank_spot(grey: np.ndarray, width: int, height: int) -> tuple[int, int] | None:
    """The lowest, then rightmost, place (left, top) where a ``width`` x ``height`` box holds
    no print and keeps off the page's edges; None where there is none."""
    ink = (grey < 200).astype(np.int64)
    total = np.pad(ink.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    margin = grey.shape[1] // 25
    step = max(4, min(width, height) // 8)
    for top in range(grey.shape[0] - margin - height, margin, -step):
        for left in range(grey.shape[1] - margin - width, margin, -step):
            bottom, right = top + height, left + width
            if (
                not total[bottom, right]
                - total[top, right]
                - total[bottom, left]
                + total[top, left]
            ):
                return left, top
    return None


def coded(page: Image.Image) -> Image.Image:
    """A payment QR code (a GiroCode, 45 modules, 3.5 cm across at A4's width) and a shipping
    barcode (Code 128, 1.2 cm tall) each in a blank place of the page, lowest first."""
    worn = page.convert("RGB")
    grey = np.asarray(page.convert("L")).copy()
    number = int(grey[::97, ::89].sum())
    scale = page.width / 2480
    module = max(2, round(9 * scale))
    shapes = [
        drawn(qr_modules(45, number), module),
        drawn(barcode_modules(number), max(1, round(4 * scale)), round(140 * scale)),
    ]
    for shape in shapes:
        quiet = 4 * module
        spot = blank_spot(grey, shape.shape[1] + 2 * quiet, shape.shape[0] + 2 * quiet)
        if spot is None:
            continue
        left, top = spot[0] + quiet, spot[1] + quiet
        box = grey[top : top + shape.shape[0], left : left + shape.shape[1]]
        box[shape] = BLACK
        worn.paste(Image.fromarray(box), (left, top))
    return worn


PIN_ROWS = 11
"""Dots a dot-matrix printer's characters are high, ascenders to descenders (a 9-pin head
prints 9, its near-letter-quality mode about twice as many)."""
DOTTED_FROM = 15
"""Pages whose characters are this many pixels high or more are printed in dots."""


def dot_matrix(page: Image.Image) -> Image.Image:
    """The print as a dot-matrix printer makes it: the page reduced until its characters are
    ``PIN_ROWS`` pixels high, and each dark pixel printed as a round dot 0.8 of its cell across
    on the page at its size (at 300 dpi neighbouring dots touch: beaded strokes); the
    characters' height from the page's measures."""
    from ablage_desktop.engine.preprocess.measure import measure

    grey = page.convert("L")
    text = measure(grey).text_height
    if not text or text < DOTTED_FROM:
        return grey  # (a 100-dpi form or a receipt's photo: its dots would not stand apart)
    step = max(2.0, text / PIN_ROWS * 1.6)  # (the measured height is about a letter's x-height)
    small = grey.resize((round(grey.width / step), round(grey.height / step)), Image.BOX)
    pixels = np.asarray(small)
    paper, ink = float(np.percentile(pixels, 90)), float(np.percentile(pixels, 1))
    dark = np.argwhere(pixels < (paper + ink) / 2)
    printed = Image.new("L", grey.size, 255)
    draw = ImageDraw.Draw(printed)
    radius = 0.4 * step
    for row, column in dark.tolist():
        x, y = (column + 0.5) * step, (row + 0.5) * step
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=40)
    return printed


LOW_DPI = 150
"""An office scanner's default: half the data set's 300 dpi."""


def lowres(page: Image.Image) -> Image.Image:
    """A page of 300 dpi (2,000 pixels wide or more: the rendered PDFs and the printed pages)
    at ``LOW_DPI`` in grey; the photographed receipts and 100-dpi forms in grey as they are
    (saved as a JPEG at quality 75)."""
    grey = page.convert("L")
    if page.width < 2000:
        return grey
    size = (round(page.width * LOW_DPI / 300), round(page.height * LOW_DPI / 300))
    return grey.resize(size, Image.Resampling.LANCZOS)


MODES: dict[str, Callable[[Image.Image], Image.Image]] = {
    "clean": lambda page: page,
    "borders": borders,
    "holes": holes,
    "jpeg": lambda page: page.convert("RGB"),
    "speckle": speckle,
    "tinted": tinted,
    "faded": faded,
    "highlighted": highlighted,
    "stamped": stamped,
    "watermark": watermark,
    "inverted": inverted,
    "blurred": blurred,
    "signed": signed,
    "streaked": streaked,
    "folded": folded,
    "coded": coded,
    "lowres": lowres,
    "marked": marked,
    "dotmatrix": dot_matrix,
}
BACKED = {"showthrough": show_through}
"""Modes that wear a page with another one, the next document's first page."""


def wear_set(data: Path, out: Path, mode: str) -> int:
    """The data set's pages worn in ``mode`` into ``out`` with its ground truth and
    manifest; the number of pages."""
    limits = load_config().intake.limits()
    names: dict[str, str] = {}
    pages = 0
    documents = documents_of(data)
    for number, document in enumerate(documents):
        rendered = [page.image for page in render_all([document], limits)]
        if mode == "duplex":
            worn = backs(rendered)
        elif mode in BACKED:
            back = documents[(number + 1) % len(documents)]
            back_page = render_all([back], limits)[0].image
            worn = [BACKED[mode](page, back_page) for page in rendered]
        else:
            worn = [MODES[mode](page) for page in rendered]
        pages += len(worn)
        dpi = LOW_DPI if mode == "lowres" and worn[0].width < rendered[0].width else 300
        if len(worn) > 1:
            name = document.stem + ".pdf"
            rgb = [page.convert("RGB") for page in worn]
            rgb[0].save(out / name, save_all=True, append_images=rgb[1:], resolution=dpi)
        elif mode in ("jpeg", "lowres"):
            name = document.stem + ".jpg"
            worn[0].save(out / name, quality=15 if mode == "jpeg" else 75, dpi=(dpi, dpi))
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
    every = ", ".join([*MODES, *BACKED, "duplex"])
    parser.add_argument("--modes", default="clean,borders", help=f"of {every}")
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
