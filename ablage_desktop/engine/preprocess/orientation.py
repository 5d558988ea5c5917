"""Which way up a page is: 0, 90, 180 or 270 degrees.

Pages whose characters clearly stand on their baselines are upright without asking either
method (``baselines.py``). Two methods for the rest, both careful: turning an upright page is
far worse than leaving a turned one, so each abstains unless it is sure.

* ``tesseract``: Tesseract's orientation and script detection (osd.traineddata) on a window of
  the page where its characters are densest (small characters upscaled first); an answer below
  ``min_confidence`` is ignored, and a turn below ``sure_confidence`` is only made when the
  ``rapidocr`` method agrees. On the development set (20 pages, each turned 4 ways) OSD's
  wrong answers reached a confidence of 0.86; with the defaults (1.5 and 5.0) it turned 48
  of the 60 turned pages back, missed 12 (receipts, small forms, a near-empty page) and turned
  no page wrongly. Where OSD is unsure or finds too few characters, the ``rapidocr`` method
  decides alone (``fallback``): 57 of 60 turned back, still none wrongly, no upright page
  turned (``benchmarks/orientation.py``); 60 of 60 with ``few_lines``. OSD takes about
  90-170 ms a page, the RapidOCR method 0.5-1 s more, only on pages OSD did not settle.
* ``rapidocr``: for installations without osd.traineddata. Text lines are long: smearing the
  ink along rows and along columns tells lying (0/180) from standing (90/270) text. Pieces of
  the longest lines then go to RapidOCR's 0/180 line classifier, and a clear majority decides.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends.tesseract_osd import OsdApi
from ablage_desktop.engine.preprocess.baselines import baseline_evidence
from ablage_desktop.engine.preprocess.measure import Measures, grey_array
from ablage_desktop.engine.preprocess.settings import Orientation as OrientationSettings

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

OSD_WINDOW_CHARS = 50
"""Side of the window handed to Tesseract's OSD, in character heights (about 20 lines).
OSD reads at most a few hundred characters whatever it is given; on the development set
a 70-height window was no surer and 30 was less sure."""
OSD_WINDOW_MIN = 900
"""Least side of the window as OSD reads it (after the upscale of small characters)."""
OSD_CHARACTERS = 20
"""Tesseract's ``min_characters_to_try`` (it classifies up to five times as many): 50, its
default, costs about 200 ms a page, 20 about 90 ms; the confidences shrink with it, the
answers stayed right on the development set."""
OSD_SMALL_TEXT = 20.0
"""Windows with smaller characters are upscaled towards this height before OSD reads them."""
DET_SIDE = 960
"""Longest side of the copy RapidOCR's text detector looks at..."""
DET_MIN_SIDE = 736
"""...scaled up, as RapidOCR's detector does by default, until its short side is this long
(the lines of a receipt turned on its side are found only so)..."""
DET_TEXT_HEIGHT = 16
"""...and not beyond what makes its characters this high: on the data set's pages the
detector finds the lines of characters 6 to 9 pixels high in the copy unscaled; the one page
that needs the enlarging, a faint receipt on its side, has them 16.7 high after it. A short
page of large print was enlarged 3.3 times for nothing, about 1 s a call."""
DET_MAX_SIDE = 3200
"""...and never longer than this (no page up to 4.3 times as long as wide reaches it): a
strip of one line 60 pixels high would otherwise be 12,000 pixels long, 11 s a call."""
LINE_RATIO = 2.5
"""A detected text box this many times longer than high is a line lying along that axis."""
REC_LINES = 5
"""The longest lines, read as they are and turned by 180 degrees."""
REC_LENGTH = 10
"""Lines are cut to this many times their height before they are read."""
REC_MARGIN = 0.1
"""Mean recognition scores must differ by this much for the better way to count."""
MIN_FALLBACK_CHARACTERS = 4
"""Fewer character-like components and the fallback is not asked: a page of a few specks
(its RapidOCR detection would cost 0.5 s to find nothing). It was 30, which kept most
single lines from the method: of the data set's one-line strips turned (168), 62 turned back
at 30, 118 at 4, 121 at 0 (before ``DET_TEXT_HEIGHT``), none wrongly at any limit, nor any
upright strip turned; pages of specks, blurred noise, shapes and a stamp, turned four ways,
were never turned at 0."""
DIRECTION_MARGIN = 2.0
"""Lines along one axis must outnumber those along the other this many times."""
FEW_LINES_MARGIN = 0.15
"""With fewer than ``min_lines`` lines (``few_lines``), every line must read better the same
way and the mean scores differ by this much. In a probe of the method alone on 1-3-line
strips of the development set's pages turned four ways (297 cases with fewer than four
lines), the mean difference pointed the right way every time (least 0.02). Through the
detector (``benchmarks/orientation.py --strips``, when it was added): 295 of 471 turned strips
turned back (176 without ``few_lines``), none wrongly, no upright strip turned; the latest
figures are in benchmarks/RESULTS.md."""
FEW_LINES_RATIO = 4.0
"""...and the longest line be this many times longer than high: a block of stacked figures
on a receipt, turned, is detected as one box 2.7 times as long as high and read the wrong
way."""


_Line = tuple[float, tuple[int, int, int, int]]
"""A detected text line: its length along the text, and its box (x0, y0, x1, y1)."""


@dataclass(frozen=True, slots=True)
class Orientation:
    turns: int
    """Counter-clockwise quarter turns that make the page upright (0 to 3)."""
    confidence: float
    method: str
    detail: str = ""

    @property
    def degrees(self) -> int:
        return 90 * self.turns


class OrientationDetector:
    """Thread-safe; the native resources are made on first use and kept for the next page."""

    def __init__(self, settings: OrientationSettings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._method: str | None = None
        self._tessdata: Path | None = None
        self._apis: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._session: Any = None
        """RapidOCR, for the method without osd.traineddata."""

    @property
    def method(self) -> str:
        with self._lock:
            if self._method is None:
                self._method = self._choose()
            return self._method

    def _choose(self) -> str:
        wanted = self._settings.method
        self._tessdata = osd_tessdata()
        if wanted == "tesseract" or (wanted == "auto" and self._tessdata is not None):
            if self._tessdata is None:
                log.warning(
                    "Orientation: osd.traineddata not found (install tesseract-ocr-osd); "
                    "using the RapidOCR line classifier"
                )
                return "rapidocr"
            return "tesseract"
        return "rapidocr"

    def upright_by_baselines(self, measures: Measures) -> Orientation | None:
        """Upright where the characters clearly stand on their baselines, else None."""
        settings = self._settings
        if not settings.baselines:
            return None
        evidence = baseline_evidence(measures.char_boxes)
        if (
            evidence.characters < settings.baseline_characters
            or evidence.score < settings.baseline_score
        ):
            return None
        detail = f"{evidence.characters} characters, score {evidence.score:.2f}"
        log.debug("Orientation: upright by its baselines (%s)", detail)
        return Orientation(0, evidence.score, "baselines", detail)

    def detect(self, image: Image.Image, measures: Measures) -> Orientation | None:
        """The page's orientation, or None where the method cannot tell or is unsure."""
        upright = self.upright_by_baselines(measures)
        if upright is not None:
            return upright
        if self.method == "tesseract":
            return self._tesseract(image, measures)
        return self._rapidocr(image, measures)

    # --- Tesseract OSD --------------------------------------------------------------------

    def _tesseract(self, image: Image.Image, measures: Measures) -> Orientation | None:
        import cv2
        from PIL import Image as PILImage

        window = densest_window(measures, image.size)
        grey = grey_array(image)[window[1] : window[3], window[0] : window[2]]
        factor = osd_upscale(measures.text_height)
        if factor > 1:
            grey = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        api = self._take_api()
        try:
            if isinstance(api, OsdApi):
                result = api.detect(grey)  # the GIL is free meanwhile: the window paints
            else:
                api.SetImage(PILImage.fromarray(grey))
                result = api.DetectOrientationScript()
                api.Clear()
        except RuntimeError as exc:
            log.debug("Orientation: Tesseract OSD failed: %s", exc)
            result = None
        finally:
            self._apis.put(api)
        if not result:
            return self._unsure(image, measures, "OSD found too few characters")
        degrees, confidence = int(result["orient_deg"]), float(result["orient_conf"])
        detail = f"{result.get('script_name', '?')} script, window {window}"
        log.debug("Orientation: OSD says %d° (confidence %.1f; %s)", degrees, confidence, detail)
        turns = (degrees // 90) % 4
        if confidence < self._settings.min_confidence:
            return self._unsure(image, measures, f"OSD unsure, confidence {confidence:.1f}")
        if turns and confidence < self._settings.sure_confidence:
            # A second opinion before turning: RapidOCR must read the page best the same way.
            check = self._rapidocr(image, measures)
            if check is None or check.turns != turns:
                log.debug(
                    "Orientation: RapidOCR does not confirm %d° (%s)",
                    degrees,
                    "unsure" if check is None else f"it says {check.degrees}°",
                )
                return None
            return Orientation(turns, confidence, "tesseract osd, confirmed by rapidocr", detail)
        return Orientation(turns, confidence, "tesseract osd", detail)

    def _unsure(self, image: Image.Image, measures: Measures, why: str) -> Orientation | None:
        """Where OSD cannot tell: the RapidOCR method alone (``fallback``), or nothing. OSD
        is least sure on receipts and forms (few, short or spaced-out lines), where reading
        lines both ways still tells."""
        if not self._settings.fallback or len(measures.char_boxes) < MIN_FALLBACK_CHARACTERS:
            return None  # off, or a blank page: no lines to read either way
        found = self._rapidocr(image, measures)
        if found is None:
            return None
        return Orientation(found.turns, found.confidence, f"rapidocr ({why})", found.detail)

    def _take_api(self) -> Any:
        try:
            return self._apis.get_nowait()
        except queue.Empty:
            import tesserocr

            from ablage_desktop.engine.backends import leptonica, tesseract_osd

            leptonica.silence()  # OSD runs before (or without) the Tesseract engine's load
            assert self._tessdata is not None
            if tesseract_osd.available():
                return OsdApi.open(self._tessdata, OSD_CHARACTERS)
            api = tesserocr.PyTessBaseAPI(
                path=f"{self._tessdata}/", lang="osd", psm=tesserocr.PSM.OSD_ONLY
            )
            api.SetVariable("min_characters_to_try", str(OSD_CHARACTERS))
            return api

    # --- RapidOCR: line detection and recognition scores ------------------------------------

    def _rapidocr(self, image: Image.Image, measures: Measures) -> Orientation | None:
        import cv2
        import numpy as np

        engine = self._rapid_engine()
        grey = grey_array(image)
        lying, standing = self._line_boxes(
            engine, grey, measures.character_height(MIN_FALLBACK_CHARACTERS)
        )
        settings = self._settings
        least = 1 if settings.few_lines else settings.min_lines
        if len(lying) >= least and len(lying) >= DIRECTION_MARGIN * len(standing):
            lines, turns = lying, 0
        elif len(standing) >= least and len(standing) >= DIRECTION_MARGIN * len(lying):
            lines, turns = standing, 1
        else:
            log.debug(
                "Orientation: text direction unclear or too few lines (%d lying, %d standing)",
                len(lying),
                len(standing),
            )
            return None
        few = len(lines) < settings.min_lines
        if few and _longest_ratio(lines, turns) < FEW_LINES_RATIO:
            log.debug("Orientation: %d short lines, no line of text to read", len(lines))
            return None
        crops = _line_starts(grey, lines, turns)
        if len(crops) < min(len(lines), REC_LINES):
            return None
        flipped = [cv2.rotate(crop, cv2.ROTATE_180) for crop in crops]
        with self._lock:
            scores = engine.recognize_txt(crops + flipped).scores
        as_is = np.asarray(scores[: len(crops)], dtype=np.float64)
        turned = np.asarray(scores[len(crops) :], dtype=np.float64)
        better_turned = float(np.mean(turned > as_is))
        detail = (
            f"{len(lines)} line{'s' if len(lines) > 1 else ''}; mean recognition score "
            f"{as_is.mean():.2f} as is, {turned.mean():.2f} turned 180°; "
            f"{better_turned:.0%} read better turned"
        )
        log.debug("Orientation: %s", detail)
        gap = float(turned.mean() - as_is.mean())
        # A page of a few lines turns only where every line agrees, by a wider margin.
        agreement, margin = (1.0, FEW_LINES_MARGIN) if few else (settings.min_agreement, REC_MARGIN)
        method = "rapidocr, few lines" if few else "rapidocr"
        if better_turned >= agreement and gap >= margin:
            return Orientation((turns + 2) % 4, better_turned, method, detail)
        if 1 - better_turned >= agreement and -gap >= margin:
            return Orientation(turns, 1 - better_turned, method, detail)
        return None

    def _line_boxes(
        self, engine: Any, grey: Any, text_height: float | None
    ) -> tuple[list[_Line], list[_Line]]:
        """RapidOCR's text lines on a small copy of the page, on the page's scale: the lying
        ones and the standing ones (neither: a blob, left out), each with its length."""
        import cv2
        import numpy as np

        small = detector_input(grey, text_height)
        scale = np.array([small.shape[1] / grey.shape[1], small.shape[0] / grey.shape[0]])
        with self._lock:  # RapidOCR's objects are not made for concurrent calls
            detected = engine._load_det_model()(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
        lying: list[_Line] = []
        standing: list[_Line] = []
        for quad in detected.boxes if detected.boxes is not None else ():
            quad = np.asarray(quad, dtype=np.float64) / scale
            along = float(np.hypot(*(quad[1] - quad[0])))
            across = float(np.hypot(*(quad[2] - quad[1])))
            x0, y0 = np.floor(quad.min(axis=0)).astype(int)
            x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
            box = (max(0, x0), max(0, y0), x1, y1)
            if along >= LINE_RATIO * across:
                lying.append((along, box))
            elif across >= LINE_RATIO * along:
                standing.append((across, box))
        return lying, standing

    def _rapid_engine(self) -> Any:
        with self._lock:
            if self._session is None:
                from ablage_desktop.engine.backends.rapidocr import new_session

                # The detector takes ``detector_input``'s copy as it is.
                self._session = new_session(
                    {
                        "Global.log_level": "warning",
                        "Det.limit_type": "max",
                        "Det.limit_side_len": DET_MAX_SIDE,
                    }
                )
            return self._session

    def close(self) -> None:
        while True:
            try:
                self._apis.get_nowait().End()
            except queue.Empty:
                break
        self._session = None


def osd_tessdata() -> Path | None:
    """The folder holding osd.traineddata, if Tesseract's orientation data is installed."""
    import importlib.util

    if importlib.util.find_spec("tesserocr") is None:
        return None
    from ablage_desktop.engine.backends.tesseract import TesseractOptions, tessdata_candidates

    for folder in tessdata_candidates(TesseractOptions(engine="tesseract")):
        if (folder / "osd.traineddata").is_file():
            return folder
    return None


def osd_upscale(text_height: float | None) -> float:
    """How much a window is enlarged before OSD reads it: Tesseract's OSD cannot tell the way
    up of 7-pixel characters; at 20 it can."""
    if text_height is None or text_height >= OSD_SMALL_TEXT:
        return 1.0
    return min(3.0, OSD_SMALL_TEXT / text_height)


def densest_window(measures: Measures, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The square of the page (in page pixels) holding the most characters."""
    import numpy as np

    width, height = size
    text = measures.text_height or 25.0
    # The least side is OSD's, after the upscale: a 100 dpi form's window stays 50 characters
    # high instead of 100 (on the development set turned 4 ways: 20 % less time, one more
    # turned page found, none wrongly).
    side = max(round(OSD_WINDOW_MIN / osd_upscale(text)), round(OSD_WINDOW_CHARS * text))
    if side >= width and side >= height:
        return 0, 0, width, height
    boxes = measures.char_boxes
    if not len(boxes):
        return 0, 0, min(width, side), min(height, side)
    scale = measures.scale
    centres_x = (boxes[:, 0] + boxes[:, 2] / 2) / scale
    centres_y = (boxes[:, 1] + boxes[:, 3] / 2) / scale
    cell = max(8, side // 8)
    grid_w, grid_h = math.ceil(width / cell), math.ceil(height / cell)
    counts = np.zeros((grid_h + 1, grid_w + 1))
    np.add.at(
        counts,
        (
            np.minimum(centres_y // cell, grid_h - 1).astype(int) + 1,
            np.minimum(centres_x // cell, grid_w - 1).astype(int) + 1,
        ),
        1,
    )
    integral = counts.cumsum(0).cumsum(1)
    span_w, span_h = min(grid_w, side // cell), min(grid_h, side // cell)
    sums = (
        integral[span_h:, span_w:]
        - integral[:-span_h, span_w:]
        - integral[span_h:, :-span_w]
        + integral[:-span_h, :-span_w]
    )
    row, col = np.unravel_index(int(np.argmax(sums)), sums.shape)
    x0, y0 = int(col) * cell, int(row) * cell
    return x0, y0, min(width, x0 + side), min(height, y0 + side)


def detector_input(grey: Any, text_height: float | None = None) -> Any:
    """The copy of ``grey`` RapidOCR's text detector sees: its longest side ``DET_SIDE``, then
    scaled up until the short side is ``DET_MIN_SIDE`` or the long one ``DET_MAX_SIDE``, each
    side a multiple of 32 (what the detector's own resizing would make of the first copy, but
    for the cap), and, where the characters' ``text_height`` is known, no further than
    needed to make them ``DET_TEXT_HEIGHT`` high."""
    import cv2

    scale = min(1.0, DET_SIDE / max(grey.shape))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    up = min(max(1.0, DET_MIN_SIDE / min(height, width)), DET_MAX_SIDE / max(height, width))
    if text_height:
        up = min(up, max(1.0, DET_TEXT_HEIGHT / (text_height * scale)))
    size = tuple(max(32, round(int(side * up) / 32) * 32) for side in (width, height))
    return small if size == (width, height) else cv2.resize(small, size)


def _longest_ratio(lines: list[_Line], turns: int) -> float:
    """Length over height of the longest line (height across the text's direction)."""
    length, (x0, y0, x1, y1) = max(lines, key=lambda item: item[0])
    across = (y1 - y0) if turns == 0 else (x1 - x0)
    return length / max(1, across)


def _line_starts(grey: Any, lines: list[_Line], turns: int) -> list[Any]:
    """The starts of the longest lines, turned to lie, as BGR crops for the recogniser."""
    import cv2
    import numpy as np

    crops = []
    for _length, (x0, y0, x1, y1) in sorted(lines, key=lambda item: -item[0])[:REC_LINES]:
        if turns == 0:  # the start of a long line is enough to read
            x1 = min(x1, x0 + REC_LENGTH * (y1 - y0))
        else:
            y1 = min(y1, y0 + REC_LENGTH * (x1 - x0))
        crop = grey[y0:y1, x0:x1]
        if turns == 1:
            crop = cv2.rotate(crop, cv2.ROTATE_90_COUNTERCLOCKWISE)
        if crop.size:
            crops.append(cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_GRAY2BGR))
    return crops
