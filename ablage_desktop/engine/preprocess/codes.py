"""Barcodes and 2D codes (QR, DataMatrix) painted out before the page is read.

German invoices carry a payment QR code (a GiroCode), delivery notes and parcels a barcode,
letters a franking code. No engine reads them as text, and they hurt what is read beside
them: on the data set with a QR code and a barcode in blank places of each page
(``benchmarks/copies.py --modes coded``) Tesseract's CER went from 0.103 to 0.153. A barcode's
bars are taken for characters, and where they outnumber the print's tall letters the
characters' height is measured from the bars: a 100-dpi form was no longer upscaled for
Tesseract. Tesseract's global threshold falls between the codes' black and the paper, so a
faint thermal receipt beside a code read as nothing at all. Painted out: 0.103, as clean.

On the working copy's ink: a **barcode** is a row of at least ``MIN_BARS`` solid bars of one
height, standing side by side with gaps under ``BAR_GAP`` of their height, most of them thin
(a word of tall letters is not ten solid upright strokes in a row), ink over ``BAR_INK`` of
their box (a table's column rules stand far apart), upright or lying across (printed up the
page's edge, or the page on its side); a **2D code** is one
square-ish component of modules (the data modules of a code join into one at its density),
half ink, holding many small holes of one module's size, ink in its corners and through its
rows and columns, little grey in between (a halftone photo's dots, reduced, are grey), and
what a code is found by: a QR code's finder squares in two corners or a DataMatrix code's
solid L with its clock track (a dithered picture has neither). A QR code too small for its
modules to join on the working copy (a receipt's, reduced by half) is found by its finder
squares alone: three framed squares of one size at its corners, half ink between them. Each
is painted in its paper's colour on the page; a barcode's digits under it stay. An Aztec code
(a bullseye in its middle) is not looked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ablage_desktop.engine.preprocess.geometry import mostly_within

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures

MIN_BARS = 10
"""Bars side by side in a barcode (an EAN-13 has 30, a Code 128 of ten characters 36)."""
BAR_THIN = 0.25
"""A bar is at most this share of its height wide..."""
BAR_SOLID = 0.7
"""...and fills this share of its box; bars merged by a low resolution are wider, as solid,
and count as members where most are thin (``THIN_SHARE``)."""
THIN_SHARE = 0.5
BAR_ALIGN = 0.1
"""Tops and bottoms of a barcode's bars lie within this share of their height."""
BAR_GAP = 0.35
"""Bars of one code stand at most this share of their height apart (a wide space is four
modules, a code is 30 and more modules high)."""
BAR_INK = 0.25
"""Ink's share of the row's box at least: a barcode's bars and spaces are about as wide as
each other; a table's column rules, as solid and as even, stand far apart."""
MIN_BAR_HEIGHT = 10
"""Working-copy pixels: shorter upright strokes are print."""
CODE_MIN_SIDE = 20
"""Working-copy pixels a 2D code's side at least (21 modules of a pixel each)..."""
CODE_MAX_SHARE = 0.6
"""...and at most this share of the page's width and height: a receipt's QR code spans half
of it, a desk around a photographed sheet more."""
CODE_ASPECT = 1.6
"""Longer side over the shorter one (a QR code is square, a DataMatrix code mostly)."""
CODE_FILL = (0.3, 0.75)
"""Ink's share of the code's box: modules are dark or light about half each."""
MIN_HOLES = 12
"""Light module groups enclosed by the code's ink, each at most ``HOLE_SIDE`` of its side
across (a bold letter holds two, a logo a few, a code of 21 modules dozens)."""
HOLE_SIDE = 0.2
CORNER_INK = 0.2
"""Ink's share at least in each corner of a code's box, a sixth of its side square."""
EVEN = (0.1, 0.9)
EVEN_LINES = 0.85
"""This share of a code's rows and of its columns hold ink for a share within ``EVEN``."""
FINDER_MIN = 5
FINDER_MAX = 0.3
"""A QR code's finder square is 7 of its 21 to 177 modules across; at least this many
working-copy pixels."""
SMALL_FINDER_FILL = 0.45
"""A finder square whose ring and middle a reduced copy runs together fills this share of
its box at least (its ring alone: 0.49)."""
FRAMED = 0.7
"""Share of a small finder square's edge pixels that are ink."""
MIN_STEPS = 8
STEP_SPREAD = 0.35
"""A clock track alternates at least this often, its runs' spread within this share of their
mean length."""
MAX_GREY = 0.35
"""Share of the box's pixels neither ink nor paper (a quarter of the way from either) above
which it is a picture: a halftone's dots reduced to grey."""


@dataclass(frozen=True, slots=True)
class Code:
    kind: str
    """"barcode" or "2D code"."""
    box: tuple[int, int, int, int]
    """(left, top, right, bottom) on the page, its quiet edge included."""


def clear_codes(image: Image.Image, measures: Measures) -> tuple[Image.Image, str] | None:
    """``image`` with its barcodes and 2D codes painted as paper and a note saying so, or
    None where it has none."""
    from PIL import Image as PILImage

    from ablage_desktop.engine.preprocess.measure import writable_pixels

    codes = find_codes(measures)
    if not codes:
        return None
    pixels = writable_pixels(image)
    for code in codes:
        paint_paper(pixels, code.box)
    kinds = [code.kind for code in codes]
    said = ", ".join(
        f"{kinds.count(kind)} {kind}{'s' if kinds.count(kind) > 1 else ''}"
        for kind in dict.fromkeys(kinds)
    )
    return PILImage.fromarray(pixels), f"{said} left out of the reading"


def find_codes(measures: Measures) -> list[Code]:
    """The page's barcodes and 2D codes, found on the working copy's ink."""
    import cv2
    import numpy as np

    ink = measures.ink
    if not ink.any():
        return []
    _count, labels, stats, _centres = cv2.connectedComponentsWithStatsWithAlgorithm(
        ink.view(np.uint8), 8, cv2.CV_32S, cv2.CCL_BBDT
    )
    boxes = [("barcode", box) for box in _barcodes(stats[1:])]
    # (a barcode printed up the page's edge, or on a page lying on its side: its bars across)
    across = _barcodes(stats[1:][:, [1, 0, 3, 2, 4]])
    boxes += [("barcode", (top, left, bottom, right)) for left, top, right, bottom in across]
    matrix = _matrix_codes(measures, labels, stats)
    for box in _small_qr_codes(measures, stats):
        if not any(mostly_within(box, other) for other in matrix):
            matrix.append(box)
    boxes += [("2D code", box) for box in matrix]
    scale = measures.scale
    height, width = (round(side / scale) for side in ink.shape)
    return [
        Code(
            kind,
            (
                max(0, int((x0 - 2) / scale)),
                max(0, int((y0 - 2) / scale)),
                min(width, int(np.ceil((x1 + 2) / scale))),
                min(height, int(np.ceil((y1 + 2) / scale))),
            ),
        )
        for kind, (x0, y0, x1, y1) in boxes
    ]


def _barcodes(stats: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (working copy, right and bottom exclusive) of rows of bars."""
    import numpy as np

    x, y, w, h, area = (stats[:, i] for i in range(5))
    members = np.flatnonzero((h >= MIN_BAR_HEIGHT) & (w <= h) & (area >= BAR_SOLID * w * h))
    members = members[np.argsort(x[members], kind="stable")]
    rows: list[list[int]] = []
    open_rows: list[list[int]] = []  # (rows a bar further right could still join)
    for member in members.tolist():
        top, bottom, tall = y[member], y[member] + h[member], h[member]
        open_rows = [
            row
            for row in open_rows
            if x[member] - (x[row[-1]] + w[row[-1]]) <= BAR_GAP * h[row[-1]]
        ]
        for row in open_rows:
            last = row[-1]
            level = abs(top - y[last]) <= BAR_ALIGN * tall
            if level and abs(bottom - (y[last] + h[last])) <= BAR_ALIGN * tall:
                row.append(member)
                break
        else:
            rows.append([member])
            open_rows.append(rows[-1])
    found = []
    for row in rows:
        bars = np.array(row)
        thin = np.count_nonzero(w[bars] <= BAR_THIN * h[bars])
        box = (
            int(x[bars].min()),
            int(y[bars].min()),
            int((x[bars] + w[bars]).max()),
            int((y[bars] + h[bars]).max()),
        )
        dense = area[bars].sum() >= BAR_INK * (box[2] - box[0]) * (box[3] - box[1])
        if len(bars) >= MIN_BARS and thin >= THIN_SHARE * len(bars) and dense:
            found.append(box)
    return found


def _matrix_codes(
    measures: Measures, labels: np.ndarray, stats: np.ndarray
) -> list[tuple[int, int, int, int]]:
    """Boxes (working copy, right and bottom exclusive) of components that are 2D codes."""
    import numpy as np

    rows, columns = labels.shape
    x, y, w, h, area = (stats[:, i] for i in range(5))
    short, long = np.minimum(w, h), np.maximum(w, h)
    candidates = np.flatnonzero(
        (short >= CODE_MIN_SIDE)
        & (w <= CODE_MAX_SHARE * columns)
        & (h <= CODE_MAX_SHARE * rows)
        & (long <= CODE_ASPECT * short)
        & (area >= CODE_FILL[0] * w * h)
        & (area <= CODE_FILL[1] * w * h)
    )
    found = []
    for label in candidates[candidates > 0].tolist():
        box = (slice(y[label], y[label] + h[label]), slice(x[label], x[label] + w[label]))
        ink = measures.ink[box]
        if (
            _module_holes(labels[box] == label) >= MIN_HOLES
            and _even_square(ink)
            and not _grey(measures.grey[box], ink, measures.paper)
            and (_finder_squares(ink) >= 2 or _l_border(ink))
        ):
            found.append(
                (int(x[label]), int(y[label]), int(x[label] + w[label]), int(y[label] + h[label]))
            )
    return found


def _small_qr_codes(measures: Measures, stats: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Boxes (working copy) of QR codes too small for their modules to join on the working
    copy (a receipt's, the page reduced by half: a pixel and a half a module), found by their
    three finder squares: three squares of one size, each solid enough, standing as a QR code's
    corners do (the second beside the first, the third below it, as far apart as each other),
    between them ink for half the box and through its rows and columns."""
    import numpy as np

    x, y, w, h, area = (stats[1:, i] for i in range(5))
    side = np.maximum(w, h)
    squares = np.flatnonzero(
        (np.minimum(w, h) >= FINDER_MIN)
        & (side <= 1.2 * np.minimum(w, h))
        & (area >= SMALL_FINDER_FILL * w * h)
    )
    squares = np.array(
        [
            index
            for index in squares.tolist()
            if _framed(measures.ink[y[index] : y[index] + h[index], x[index] : x[index] + w[index]])
        ],
        dtype=int,
    )
    found = []
    for first in squares.tolist():
        size = float(side[first])
        same = squares[np.abs(side[squares] - size) <= 0.2 * size]
        right = same[(np.abs(y[same] - y[first]) <= 0.2 * size) & (x[same] > x[first] + size)]
        below = same[(np.abs(x[same] - x[first]) <= 0.2 * size) & (y[same] > y[first] + size)]
        for beside in right.tolist():
            apart = x[beside] - x[first]
            under = below[np.abs((y[below] - y[first]) - apart) <= 0.1 * apart]
            if not len(under) or apart < 2 * size:
                continue
            box = (
                int(x[first]),
                int(y[first]),
                int(x[beside] + w[beside]),
                int(y[under[0]] + h[under[0]]),
            )
            ink = measures.ink[box[1] : box[3], box[0] : box[2]]
            if CODE_FILL[0] <= float(ink.mean()) <= CODE_FILL[1] and _even_square(ink):
                found.append(box)
    return found


def _framed(ink: np.ndarray) -> bool:
    """Whether a square's edges are ink all round and its middle is ink: a finder square's
    ring and core (a letter touches its box's edges in a few places)."""
    import numpy as np

    edges = np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]])
    rows, columns = ink.shape
    middle = ink[rows * 3 // 7 : rows * 4 // 7 + 1, columns * 3 // 7 : columns * 4 // 7 + 1]
    return float(edges.mean()) >= FRAMED and float(middle.mean()) >= 0.5


def _module_holes(mask: np.ndarray) -> int:
    """Light regions ``mask``'s ink encloses that are at most ``HOLE_SIDE`` of its side."""
    import cv2
    import numpy as np

    count, holes, stats, _centres = cv2.connectedComponentsWithStats(
        (~mask).view(np.uint8), connectivity=4
    )
    if count <= 1:
        return 0
    edge = np.unique(np.concatenate([holes[0], holes[-1], holes[:, 0], holes[:, -1]]))
    inside = np.setdiff1d(np.arange(1, count), edge)
    side = HOLE_SIDE * min(mask.shape)
    small = (stats[inside, 2] <= side) & (stats[inside, 3] <= side)
    return int(np.count_nonzero(small))


def _even_square(ink: np.ndarray) -> bool:
    """Whether ink fills a box's four corners (a code's finder squares, its L border or its
    modules; a round emblem leaves them clear) and runs through nearly all its rows and
    columns at neither paper nor solid ink."""
    import numpy as np

    side = max(2, min(ink.shape) // 6)
    corners = (ink[:side, :side], ink[:side, -side:], ink[-side:, :side], ink[-side:, -side:])
    if min(float(corner.mean()) for corner in corners) < CORNER_INK:
        return False
    rows, columns = ink.mean(axis=1), ink.mean(axis=0)
    return all(
        np.mean((share >= EVEN[0]) & (share <= EVEN[1])) >= EVEN_LINES for share in (rows, columns)
    )


def _finder_squares(ink: np.ndarray) -> int:
    """Corners of a box holding a QR code's finder square: a square ring a few modules across
    standing in the corner, white around it, with a solid square at its middle."""
    import cv2
    import numpy as np

    _count, _labels, stats, centres = cv2.connectedComponentsWithStats(
        ink.view(np.uint8), connectivity=8
    )
    rows, columns = ink.shape
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    side = np.maximum(w, h)
    rings = np.flatnonzero(
        (np.minimum(w, h) >= FINDER_MIN)
        & (side <= FINDER_MAX * min(rows, columns))
        & (side <= 1.25 * np.minimum(w, h))
        & (area >= 0.35 * w * h)
        & (area <= 0.65 * w * h)
        & ((x <= 2) | (x + w >= columns - 2))
        & ((y <= 2) | (y + h >= rows - 2))
    )
    found = 0
    for ring in rings.tolist():
        middle = x[ring] + w[ring] / 2, y[ring] + h[ring] / 2
        near = np.hypot(centres[1:, 0] - middle[0], centres[1:, 1] - middle[1]) <= side[ring] / 8
        cores = near & (side >= 0.3 * side[ring]) & (side <= 0.55 * side[ring])
        found += bool(cores.any())
    return found


def _l_border(ink: np.ndarray) -> bool:
    """Whether two adjacent edges of a box are solid ink and the two others alternate in even
    steps: a DataMatrix code's finder and its clock track."""
    edges = {"top": ink[0], "bottom": ink[-1], "left": ink[:, 0], "right": ink[:, -1]}
    solid = {name for name, edge in edges.items() if edge.mean() >= 0.9}
    for pair in (("left", "bottom"), ("bottom", "right"), ("right", "top"), ("top", "left")):
        if set(pair) <= solid:
            others = [edges[name] for name in edges if name not in pair]
            return all(_even_steps(edge) for edge in others)
    return False


def _even_steps(edge: np.ndarray) -> bool:
    """Whether a line of pixels alternates between ink and paper at least ``MIN_STEPS`` times
    in runs of one length (a clock track), not at random (a dithered picture's edge)."""
    import numpy as np

    changes = np.flatnonzero(np.diff(edge.view(np.int8))) + 1
    runs = np.diff(changes)
    if len(runs) < MIN_STEPS:
        return False
    return float(runs.std()) <= STEP_SPREAD * float(runs.mean())


def _grey(grey: np.ndarray, ink: np.ndarray, paper: int) -> bool:
    """Whether a box holds too many pixels between its ink and the paper: a picture."""
    import numpy as np

    dark = float(np.median(grey[ink])) if ink.any() else 0.0
    reach = (paper - dark) / 4
    between = (grey > dark + reach) & (grey < paper - reach)
    return float(between.mean()) > MAX_GREY


def paint_paper(pixels: np.ndarray, box: tuple[int, int, int, int]) -> None:
    """``box`` of ``pixels`` (grey or RGB) painted in the colour of its lightest half (the
    paper between a code's modules and in its quiet edge)."""
    import numpy as np

    left, top, right, bottom = box
    region = pixels[top:bottom, left:right]
    grey = region.mean(axis=2) if region.ndim == 3 else region
    light = region[grey >= np.median(grey)]
    region[...] = np.median(light, axis=0).astype(pixels.dtype)
