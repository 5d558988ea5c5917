"""Dark borders along a scan's edges, painted as paper before the page is read.

A copy of a copy, a sheet narrower than the scanner's glass scanned with the lid open, a page
that slipped in the feeder: black bands along one or more edges, where the sheet ended.
Tesseract takes such a band for a picture or a column and loses the lines beside it (on the data
set with a band along the left and the bottom edge, its CER went from 0.116 to 0.217, the
receipts' from 0.307 to 0.818; with this step 0.117 and 0.314, ``benchmarks/copies.py``). A band
is told from what a page prints by its shape, on the working copy's ink: along a stretch of at
least ``MIN_ALONG`` of an edge, row after row is dark from the edge inwards for at least
``MIN_RUN`` pixels and at most ``MAX_WIDTH`` of the page, and clear paper follows it. A
character at the edge is too short a stretch; a dark picture or a banner with white letters
reaching the edge is not followed by clear paper (or is wider than a band), so it stays as
printed. Only the band's own dark pixels are painted, in the grey of the paper that follows it
(the page's brightest paper beside a photo's dim side made Tesseract's threshold take that side
for ink).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures

DARK = 0.45
"""A band is darker than this share of the paper's grey: black or nearly (a copier's band is
at most a quarter of the paper's), where the paper's dim side in a photo, 0.6 of its lit
side or more, is not, nor the text on it behind a run of such paper."""
MIN_RUN = 3
"""Working copy pixels a row must be dark from the edge (thinner: a scanner's edge line)."""
MAX_WIDTH = 0.2
"""A band is at most this share of the page across it (wider: a picture, a dark page)."""
MIN_ALONG = 0.25
"""The rows of a band run along at least this share of its edge, gaps of ``GAP`` aside."""
GAP = 3
"""Rows within a band that do not look like one (a character touching its inner edge)."""
CLEAR = 0.95
"""A row of a band is followed by clear paper: this share of ``CLEAR_SPAN`` character
heights after it (at least ``MIN_CLEAR_PX`` working copy pixels) is paper..."""
CLEAR_SPAN = 1.0
MIN_CLEAR_PX = 8
CLEAR_ROWS = 0.5
"""...in at least this share of the band's rows (the others run into text near the edge)."""
NOTCH_WINDOW = 4.0
"""Character heights either side of a row whose median width it is compared with..."""
NOTCH = 0.15
"""...a row this share narrower (at least ``MIN_RUN`` pixels) is a notch: a light mark
inside the dark, where a sheet's end has none..."""
MAX_NOTCHES = 0.1
"""...and a band has at most this share of them (a speck in the black of a copy)."""
TOLERANCE = 1.5
"""A row inside a band is painted to at most this times the band's median width."""
EDGES = ("left", "top", "right", "bottom")
"""In the order of the quarter turns (``numpy.rot90``) that bring each to the left."""


@dataclass(frozen=True)
class Borders:
    """Where the page's dark borders are."""

    mask: Any
    """Boolean array of the working copy's size: True on the borders' pixels."""
    fill: Any
    """uint8 array of the working copy's size: the grey each border pixel is painted."""
    edges: tuple[str, ...]
    """The edges they run along."""


def find_borders(measures: Measures) -> Borders | None:
    """The page's dark borders, or None where it has none."""
    import numpy as np

    ink = measures.ink & (measures.grey < DARK * measures.paper)
    if not ink.any():
        return None
    text = measures.text_height
    character = (text or 0) * measures.scale
    span = max(MIN_CLEAR_PX, round(CLEAR_SPAN * character))
    window = max(MIN_CLEAR_PX, round(NOTCH_WINDOW * character))
    mask = np.zeros_like(ink)
    fill = np.zeros(ink.shape, np.uint8)
    edges = []
    for turns, edge in enumerate(EDGES):
        found = _band_from_left(np.rot90(ink, turns), np.rot90(measures.grey, turns), span, window)
        if found is not None:
            band = np.rot90(found[0], -turns)
            mask |= band
            fill[band] = found[1]
            ink = ink & ~mask  # where two bands meet, the corner is the next one's
            edges.append(edge)
    return Borders(mask, fill, tuple(edges)) if edges else None


def clear_borders(image: Image.Image, measures: Measures) -> tuple[Image.Image, str] | None:
    """``image`` with its dark borders painted and a note saying so, or None without any."""
    borders = find_borders(measures)
    if borders is None:
        return None
    note = f"dark border along the {', '.join(borders.edges)} edge painted"
    return paint_borders(image, borders), note


def paint_borders(image: Image.Image, borders: Borders) -> Image.Image:
    """``image`` (grey or RGB, as the intake gives every page) with its borders' pixels
    painted (a copy)."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    pixels = np.array(image)
    size = (pixels.shape[1], pixels.shape[0])
    mask = cv2.resize(borders.mask.view(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    fill = cv2.resize(borders.fill, size, interpolation=cv2.INTER_NEAREST)
    painted = mask.astype(bool)
    pixels[painted] = fill[painted][:, None] if pixels.ndim == 3 else fill[painted]
    return PILImage.fromarray(pixels)


def _band_from_left(
    ink: np.ndarray, grey: np.ndarray, span: int, window: int
) -> tuple[np.ndarray, int] | None:
    """The pixels of a dark band along the left edge of ``ink`` (a boolean mask) and the
    grey of the paper that follows it in ``grey``, or None; ``span``: that paper's width,
    ``window``: rows around each its width is set by."""
    import numpy as np

    height, width = ink.shape
    widest = int(MAX_WIDTH * width)
    if widest < MIN_RUN or height < 1:
        return None
    near = ink[:, : widest + span + 1]  # no band reaches further in, nor its clear paper
    runs = np.where(near.all(axis=1), near.shape[1], np.argmin(near, axis=1))
    dark = (runs >= MIN_RUN) & (runs <= widest)
    rows = np.flatnonzero(dark)
    inked = np.cumsum(near[rows], axis=1, dtype=np.int32)
    ends = np.minimum(runs[rows] + span, near.shape[1]) - 1
    after = inked[np.arange(len(rows)), ends] - inked[np.arange(len(rows)), runs[rows] - 1]
    clear = np.zeros(height, bool)
    clear[rows] = (ends + 1 - runs[rows] >= span) & (after <= (1 - CLEAR) * span)
    band = np.zeros_like(ink)
    papers = []
    for start, stop in _stretches(dark):
        if stop - start < MIN_ALONG * height:
            continue
        inside = dark[start:stop]
        if clear[start:stop].sum() < CLEAR_ROWS * inside.sum():
            continue  # a picture or a banner reaching the edge, not the sheet's end
        if _notches(runs[start:stop], window) > MAX_NOTCHES:
            continue  # light marks inside it: a banner's letters, a picture
        limit = TOLERANCE * float(np.median(runs[start:stop][inside])) + 1
        for row in range(start, stop):
            reach = int(min(runs[row], limit, widest)) + 1  # and the edge's grey fringe
            band[row, :reach] = True
        for row in np.flatnonzero(clear[start:stop])[:: max(1, (stop - start) // 64)] + start:
            papers.append(grey[row, runs[row] : runs[row] + span])
    if not papers:
        return None
    return band, int(np.median(np.concatenate(papers)))


def _notches(runs: np.ndarray, window: int) -> float:
    """The share of ``runs`` narrower than the median of the ``window`` rows either side."""
    import numpy as np

    padded = np.pad(runs.astype(np.float64), window, mode="edge")
    local = np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * window + 1), axis=1)
    narrower = runs < local - np.maximum(MIN_RUN, NOTCH * local)
    return float(narrower.mean())


def _stretches(rows: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in ``rows`` as (start, stop), gaps of at most ``GAP`` bridged."""
    import numpy as np

    marked = np.flatnonzero(rows)
    if len(marked) == 0:
        return []
    breaks = np.flatnonzero(np.diff(marked) > GAP + 1)
    starts = np.concatenate([[marked[0]], marked[breaks + 1]])
    stops = np.concatenate([marked[breaks], [marked[-1]]]) + 1
    return list(zip(starts.tolist(), stops.tolist(), strict=True))
