"""The small angle a page was scanned at, from the sharpness of its text lines' profile.

The ink of the working copy is projected onto the vertical axis at each candidate angle: at
the page's true angle the text lines fall into few rows and the gaps between them into empty
ones, so the profile is sharpest (the sum of its squared differences is largest). A coarse
search over the whole range, on a quarter of the ink, is refined around its best angle in two
steps on all of it. The ink pixels are projected as points (a histogram per angle), never by
rotating the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_POINTS = 120_000
COARSE_STEP = 0.5
COARSE_SHARE = 4
"""The coarse search looks at every fourth ink point: it only has to land within a step."""
MIDDLE_STEP = 0.1
FINE_STEP = 0.05


@dataclass(frozen=True, slots=True)
class Skew:
    angle: float
    """Degrees the page content is turned counter-clockwise (rotate by -angle to fix)."""
    gain: float
    """Sharpness of the profile at ``angle`` over its sharpness at zero."""
    at_limit: bool
    """The best angle lies at the edge of the range searched: the estimate is not trusted."""


def profile_sharpness(ys: Any, xs: Any, degrees: Any) -> Any:
    """For each angle, the sum of squared differences of the ink's row profile.

    Computed in place, in buffers made once: a page's search projects some 50 angles, and
    fresh arrays for each step cost more than the arithmetic. The squares are summed as
    integers, which a float sum of these sizes gives exactly too."""
    import numpy as np

    rad = np.radians(np.atleast_1d(degrees).astype(np.float64))
    scores = np.empty(len(rad))
    rows = np.empty_like(ys)
    across = np.empty_like(xs)
    bins = np.empty(len(ys), dtype=np.int64)
    for n, angle in enumerate(rad):
        np.multiply(ys, np.cos(angle), out=rows)
        np.multiply(xs, np.sin(angle), out=across)
        rows += across
        rows -= rows.min()
        np.round(rows, out=rows)
        bins[...] = rows
        steps = np.diff(np.bincount(bins))
        scores[n] = float(steps @ steps)
    return scores


def ink_points(ink: Any) -> tuple[Any, Any]:
    """Coordinates of (at most ``MAX_POINTS``) ink pixels, as float arrays."""
    import numpy as np

    at = np.flatnonzero(ink)  # row by row, as np.nonzero: four times faster than it
    if len(at) > MAX_POINTS:
        at = at[:: len(at) // MAX_POINTS + 1]
    ys, xs = np.divmod(at, ink.shape[1])
    return ys.astype(np.float64), xs.astype(np.float64)


def estimate_skew(ink: Any, max_angle: float, coarse_share: int = COARSE_SHARE) -> Skew | None:
    """The page's skew, or None on a page with too little ink to tell. ``coarse_share``: the
    coarse search looks at every so many ink points (1 for a stamp's word, whose quarter is too
    few points: it found -27 degrees for a word at 12)."""
    import numpy as np

    ys, xs = ink_points(ink)
    if len(ys) < 500:
        return None
    # The centre as origin: turning about it moves no row far.
    ys -= ys.mean()
    xs -= xs.mean()
    coarse = np.arange(-max_angle, max_angle + COARSE_STEP / 2, COARSE_STEP)
    share = slice(None, None, coarse_share)
    coarse_scores = profile_sharpness(ys[share], xs[share], coarse)
    best = float(coarse[int(np.argmax(coarse_scores))])
    angle, sharpest = best, -1.0
    for step, reach in ((MIDDLE_STEP, COARSE_STEP), (FINE_STEP, MIDDLE_STEP)):
        around = np.arange(angle - reach, angle + reach + step / 2, step)
        around = around[np.abs(around) <= max_angle + 1e-9]
        scores = profile_sharpness(ys, xs, around)
        if float(scores.max()) > sharpest:
            angle, sharpest = float(around[int(np.argmax(scores))]), float(scores.max())
    zero = float(profile_sharpness(ys, xs, [0.0])[0])
    gain = sharpest / zero if zero > 0 else float("inf")
    at_limit = abs(angle) >= max_angle - COARSE_STEP
    return Skew(round(angle, 2), gain, at_limit)
