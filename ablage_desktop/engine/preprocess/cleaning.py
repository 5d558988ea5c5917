"""The cleaning steps, in the order the stage runs them before turning a page upright.

Each takes the page and its measures and returns the cleaned page with a note, or None where
it found nothing. Codes go first: a barcode's bars are measured as characters, and the steps
after it size what they look for by the characters' height.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ablage_desktop.engine.preprocess.borders import clear_borders
from ablage_desktop.engine.preprocess.codes import clear_codes
from ablage_desktop.engine.preprocess.inverted import invert_bands
from ablage_desktop.engine.preprocess.specks import clear_specks
from ablage_desktop.engine.preprocess.streaks import clear_streaks

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image

    from ablage_desktop.engine.preprocess.measure import Measures

    Step = Callable[[Image.Image, Measures], tuple[Image.Image, str] | None]

CLEANING: tuple[tuple[str, Step], ...] = (
    ("codes", clear_codes),
    ("borders", clear_borders),
    ("specks", clear_specks),
    ("streaks", clear_streaks),
    ("inverted", invert_bands),
)
"""(setting, step): each runs where ``preprocessing.<setting>.enabled``."""
