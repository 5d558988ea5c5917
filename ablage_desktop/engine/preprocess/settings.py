"""The ``preprocessing:`` section of the configuration: one switch per step, and its limits.

The shipped defaults were chosen by measurement on the development set (see
``ablage_desktop/config/models.yaml``): a step is on only where it made no group worse.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Orientation(_Section):
    """Turn pages lying on their side or upside down (0/90/180/270 degrees)."""

    enabled: bool = True
    method: Literal["auto", "tesseract", "rapidocr"] = "auto"
    """auto: Tesseract's orientation detection where osd.traineddata is installed, else the
    RapidOCR line classifier."""
    min_confidence: float = Field(1.5, ge=0)
    """Tesseract OSD's orientation confidence below which a page is left as it is."""
    sure_confidence: float = Field(5.0, ge=0)
    """Below this, a turn Tesseract OSD proposes is made only if the rapidocr method agrees."""
    fallback: bool = True
    """Where Tesseract OSD is unsure (below ``min_confidence``) or finds too few characters,
    the RapidOCR method decides alone (careful in its own right: a ``min_agreement`` share of
    the lines agreeing, every line on a page of a few). Off: such a page is left as it is."""
    min_agreement: float = Field(0.8, gt=0.5, le=1)
    """RapidOCR method: share of the classified lines that must agree on 180 degrees."""
    min_lines: int = Field(4, ge=1)
    """RapidOCR method: lines from which a ``min_agreement`` share decides."""
    few_lines: bool = True
    """RapidOCR method, a page of fewer than ``min_lines`` lines (a short note, a label, the
    last lines of a letter): turned only where every line reads better the same way by a
    wider margin (``FEW_LINES_MARGIN``). Off: such a page is left as it is."""
    baselines: bool = True
    """Leave a page whose characters clearly stand on their baselines as it is without
    running the method (``preprocess/baselines.py``: a few ms against about 110 ms of OSD)."""
    baseline_score: float = Field(0.15, gt=0, le=1)
    """Share of characters on their baseline minus those on their top line from which a page
    is upright: upright prose of the development set 0.21-0.37, its pages turned by 90 or 270
    degrees at most 0.09, upside down negative."""
    baseline_characters: int = Field(150, ge=30)
    """Fewer characters counted and the method decides."""
    read_first: dict[str, float] = {"tesseract": 0.55, "rapidocr": 0.85}
    """Engines that read a page the baselines cannot vouch for as it is, and the mean
    character confidence from which that reading counts as upright; below it the method
    decides and a page it turns is read again. The method costs 95-185 ms a page; on the
    development set an upright page reads at 0.59-0.95 through Tesseract and 0.95-1.00
    through RapidOCR, the same page turned by 90 or 180 degrees at 0.22-0.45 and 0.60-0.74.
    Engines not named (the VLMs report no confidence) have the method decide first."""


class Paper(_Section):
    """Find the sheet in a photo of one (a phone picture of a letter on a desk) and flatten its
    perspective, before every other step (``preprocess/paper.py``)."""

    enabled: bool = True
    min_share: float = Field(0.2, gt=0, lt=1)
    """The sheet covers at least this part of the photo..."""
    max_share: float = Field(0.9, gt=0, le=1)
    """...and at most this: a scan, where the paper is the whole picture, is left alone."""
    min_contrast: float = Field(40.0, ge=0)
    """Grey levels the sheet's median must lie above its surround's."""
    max_text_outside: float = Field(0.05, ge=0, le=1)
    """Character-like marks around the sheet, darker or brighter than the surround, as a share
    of the characters on it (ten are always allowed: specks on the desk); more, and the
    bright region is a field or box on a printed page, not a sheet."""

    @model_validator(mode="after")
    def _ordered(self) -> Paper:
        if self.min_share > self.max_share:
            raise ValueError("expected min_share at most max_share")
        return self


class Codes(_Section):
    """Paint out barcodes and 2D codes (QR, DataMatrix), first of the cleaning steps
    (``preprocess/codes.py``)."""

    enabled: bool = True


class Borders(_Section):
    """Paint dark bands along a scan's edges (a copy of a copy, a sheet scanned with the lid
    open) as paper, after the paper step (``preprocess/borders.py``)."""

    enabled: bool = True


class Specks(_Section):
    """Remove dark specks scattered over a scan (dust, noise, a copy of a copy), after the
    border step (``preprocess/specks.py``)."""

    enabled: bool = True


class Streaks(_Section):
    """Paint out lines of dust down a scanned page (a document feeder's glass), after the
    speck step (``preprocess/streaks.py``)."""

    enabled: bool = True


class Inverted(_Section):
    """Turn print in reverse video (light on a dark band: table heads, letterhead bars) dark
    on light, after the speck step (``preprocess/inverted.py``); a whole page of it (a dark
    theme's screenshot) before the page is routed (``preprocess/dark_page.py``)."""

    enabled: bool = True


class Stamps(_Section):
    """Lift coloured stamps off the print and read them on their own, after the orientation
    step (``preprocess/stamps.py``)."""

    enabled: bool = True


class Deskew(_Section):
    """Straighten pages scanned at a small angle."""

    enabled: bool = True
    max_angle: float = Field(10.0, gt=0, le=30)
    """Angles searched, in degrees either way."""
    min_angle: float = Field(1.5, ge=0)
    """Smaller estimates are left alone. Both engines read pages up to about 1° as well as
    straightened ones, and the interpolation cost the 100 dpi forms of the development set
    words (0.35° and 0.95° turned back: Tesseract F1 0.612 -> 0.581, RapidOCR CER 0.048 ->
    0.076); from 3° on, straightening wins clearly (Tesseract CER 1.00 -> 0.02 at 6°)."""
    min_gain: float = Field(1.5, ge=1)
    """How much sharper the text lines' profile must be at the angle found than at zero."""
    max_other_ink: float = Field(0.6, ge=0, le=1)
    """Where more of the page's ink than this lies outside its character-like components (a
    desk around a photographed sheet the paper step left, a dark scan border), the angle is
    taken from the characters' ink alone: otherwise the border's edge is what lines up (9.45°
    on a photo whose text lay within 1°). The development set's pages have at most 0.48 there
    (forms' rules), photographed pages 0.85-0.99."""


class Resolution(_Section):
    """Upscale pages whose text is small (low-resolution scans and faxes)."""

    enabled: bool = True
    target_text_height: float = Field(18.0, gt=4)
    """Median character height in pixels a small-text page is scaled towards."""
    min_text_height: float = Field(12.0, gt=0)
    """Pages whose median character height is below this are upscaled."""
    max_scale: float = Field(2.0, ge=1, le=8)
    max_pixels: int = Field(40_000_000, ge=1_000_000)
    """An upscaled page never has more pixels than this."""
    engines: list[str] = ["tesseract"]
    """Engines (the models' ``engine``) that get the upscaled page; empty: every engine. On
    the development set's 100 dpi forms 2x lifted Tesseract (CER 0.201 -> 0.143, F1 0.612 ->
    0.732) and left RapidOCR where it was (0.048/0.765 -> 0.048/0.766), at twice its time."""

    @model_validator(mode="after")
    def _ordered(self) -> Resolution:
        if self.min_text_height > self.target_text_height:
            raise ValueError("expected min_text_height at most target_text_height")
        return self


class Background(_Section):
    """Even out the illumination of photographed pages (divide by the blurred background)."""

    enabled: bool = True
    """On since photographs were measured (``benchmarks/photos.py``): on the data set
    photographed, Tesseract CER 0.226 -> 0.129 (receipts 0.524 -> 0.192), `auto` level
    (0.037); close-ups Tesseract 0.321 -> 0.273. No page of the development set as scanned is
    photo-like, so those read as before (off until then: a synthetic page shaded down to a
    fifth of its brightness read as well shaded as flattened)."""
    min_unevenness: float = Field(40.0, ge=0)
    """Grey levels between the lightest and darkest parts of the paper below which a page is
    left as it is."""
    photos_only: bool = True
    """Only pages the page analysis finds photo-like (many mid-tones) are flattened."""


class PreprocessingSettings(_Section):
    enabled: bool = True
    """The switch for the whole stage."""
    paper: Paper = Paper()
    codes: Codes = Codes()
    borders: Borders = Borders()
    specks: Specks = Specks()
    streaks: Streaks = Streaks()
    inverted: Inverted = Inverted()
    orientation: Orientation = Orientation()
    stamps: Stamps = Stamps()
    deskew: Deskew = Deskew()
    resolution: Resolution = Resolution()
    background: Background = Background()
