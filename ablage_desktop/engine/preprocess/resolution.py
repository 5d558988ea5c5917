"""The resolution step: how much larger the engines that need it read a page of small print,
and whether the resolution its file states fits the print on it.

A page's file can state a resolution its pixels do not have: an image resized or exported by
software that kept the old figure (a 100-dpi form saying 300). Told 300 dpi of characters 6
pixels high, Tesseract took them for half-millimetre specks and read a form's paragraphs in
pieces ("goat Fecention", "roduct sample"; upscaled for it and told 600, worse still). Where
the characters would be smaller than ``MIN_CHARACTER_MM`` at the stated resolution, the page
is read as one of unknown resolution, as a file stating none is.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ablage_desktop.engine.preprocess.measure import Measures
    from ablage_desktop.engine.preprocess.settings import Resolution as ResolutionSettings

log = logging.getLogger(__name__)

MIN_SCALE = 1.05
"""Smaller upscales are not worth an interpolation."""
MIN_CHARACTER_MM = 0.9
"""The median character is at least this high on paper (print of 5 points; the development
set's pages at their stated 300 dpi: 1.7-2.7 mm)."""


@dataclass(frozen=True)
class ResolutionChoice:
    scale: float = 1.0
    engines: frozenset[str] = frozenset()
    """Engines that get the upscaled page; empty: all."""
    note: str = ""
    """What the upscale was, for the page's record ("" where none)."""
    doubt: str = ""
    """Why the file's stated resolution is not believed ("" where it is, or states none)."""


def choose_resolution(
    measures: Measures, settings: ResolutionSettings, pixels: int, stated_dpi: float | None
) -> ResolutionChoice:
    """The upscale for a page of ``pixels`` whose characters are small, and the doubt on its
    ``stated_dpi``."""
    text = measures.text_height
    if text is not None and text < settings.min_text_height:
        text = measures.line_text_height()  # not specks or dots the size of small print
    log.debug("Resolution: characters %s px high", f"{text:.1f}" if text else "unknown")
    doubt = ""
    if text is not None and stated_dpi and text / stated_dpi * 25.4 < MIN_CHARACTER_MM:
        doubt = (
            f"its stated {stated_dpi:.0f} dpi not believed (characters "
            f"{text / stated_dpi * 25.4:.2f} mm high): read as of unknown resolution"
        )
    if text is None or text >= settings.min_text_height:
        return ResolutionChoice(doubt=doubt)
    scale = min(
        settings.max_scale,
        settings.target_text_height / text,
        math.sqrt(settings.max_pixels / pixels),
    )
    if scale < MIN_SCALE:
        return ResolutionChoice(doubt=doubt)
    scale = round(scale, 3)
    note = f"scaled {scale:.2f}x (characters {text:.1f} px high)"
    return ResolutionChoice(scale, frozenset(settings.engines), note, doubt)
