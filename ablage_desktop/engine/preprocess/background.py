"""Even illumination for photographed pages: divide the page by its own blurred background.

The paper's brightness is estimated on the working copy by a grey closing (a maximum filter
wider than the strokes, which removes the dark text, then a minimum filter) and a blur; the
page divided by it has white paper everywhere, and the text keeps its contrast to the paper
around it, in the shadow as in the light.
"""

from __future__ import annotations

from typing import Any

from ablage_desktop.engine.preprocess.measure import Measures

KERNEL_CHARS = 2.5
"""The closing's width in character heights: wider than any stroke."""
BLUR_SIDE = 256
"""The background is smoothed on a copy this small."""


def estimate_background(measures: Measures) -> tuple[Any, float]:
    """The paper's brightness over the working copy, and its spread (grey levels between the
    2nd and 98th percentile)."""
    import cv2
    import numpy as np

    grey = measures.grey
    height = (measures.text_height or 20.0) * measures.scale
    size = max(5, int(KERNEL_CHARS * height) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    closed = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, kernel)
    factor = min(1.0, BLUR_SIDE / max(grey.shape))
    small = cv2.resize(closed, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    small = cv2.medianBlur(small, 5)
    small = cv2.GaussianBlur(small, (0, 0), 3)
    low, high = np.percentile(small, [2, 98])
    return small, float(high - low)


def flatten(grey: Any, background: Any) -> Any:
    """``grey`` (a full-size uint8 array) divided by ``background`` (any size), as uint8."""
    import cv2
    import numpy as np

    height, width = grey.shape
    full = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    full = np.maximum(full, 1)
    return cv2.divide(grey, full, scale=255)
