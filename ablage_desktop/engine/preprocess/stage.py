"""The stage: look at a page once, decide each step, and hand each engine its version of it.

``Preprocessor.prepare`` measures the page (a photographed sheet, orientation, skew, character
height, background) and returns a ``PreparedPage``. ``PreparedPage.variant(engine)`` builds the
image an engine reads: the sheet in a photo flattened to a rectangle, cleaned (dark borders,
specks, reverse video), turned upright, stamps lifted, its background evened out,
straightened, and upscaled only for the engines the resolution step names (Tesseract reads
100 dpi forms far better upscaled; RapidOCR scales pages itself and gained nothing).
``Variant.restore`` maps the engine's boxes back onto the original page and records what was
done. A failure inside the stage never fails a page: it is logged and the page goes on as is."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import geometry
from ablage_desktop.engine.preprocess.background import estimate_background, flatten
from ablage_desktop.engine.preprocess.cleaning import CLEANING
from ablage_desktop.engine.preprocess.deskew import estimate_skew
from ablage_desktop.engine.preprocess.measure import Measures, grey_array, measure
from ablage_desktop.engine.preprocess.orientation import OrientationDetector
from ablage_desktop.engine.preprocess.paper import find_sheet, flatten_sheet
from ablage_desktop.engine.preprocess.resolution import choose_resolution
from ablage_desktop.engine.preprocess.settings import PreprocessingSettings
from ablage_desktop.engine.preprocess.stamps import Stamp, lift_stamps
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.page_analysis import PHOTO_MIDTONES

if TYPE_CHECKING:
    from collections.abc import Callable

    from PIL import Image

    from ablage_desktop.engine.run.page_analysis import PageAnalysis

log = logging.getLogger(__name__)

UNKNOWN_DPI = 96.0
"""The resolution Tesseract takes for a page whose file names none (tesserocr hands a page
over as a BMP file, which says 96). An upscaled variant of such a page says this times its
scale: told nothing, Tesseract read the upscaled page as a 96-dpi one with characters twice
as large (on the three 100-dpi forms of the development set, told 192 it read them 5-20 %
faster and 8 words better, the other pages unchanged)."""

TRANSPOSE = {1: "ROTATE_90", 2: "ROTATE_180", 3: "ROTATE_270"}
"""Pillow's transpose for each counter-clockwise quarter turn."""
LONG_LINE = 8
"""Characters from which a line's box shows which way the text runs."""


@dataclass(frozen=True)
class Variant:
    """The page one engine reads, and the way back to the original page."""

    page: PageImage
    original: PageImage
    mapper: geometry.BoxMapper | None
    notes: tuple[str, ...]
    turns: int = 0
    """Counter-clockwise quarter turns from the original page to this one."""

    def restore(self, result: OcrPage) -> OcrPage:
        """``result`` with its boxes on the original page and the steps recorded (the
        steps of a reading that prepared the page again inside this one after these)."""
        if self.mapper is None and not self.notes:
            return result
        lines = result.lines
        if self.mapper is not None:
            box = self.mapper.box
            lines = tuple(
                dataclasses.replace(
                    line,
                    box=box(line.box),
                    words=tuple(dataclasses.replace(w, box=box(w.box)) for w in line.words),
                )
                for line in lines
            )
        return dataclasses.replace(
            result,
            width=self.original.width,
            height=self.original.height,
            lines=lines,
            preprocessing=self.notes + result.preprocessing,
            turns=(self.turns + result.turns) % 4,
        )


@dataclass
class PreparedPage:
    original: PageImage
    image: Any = None
    """The original as the steps leave it (a photographed sheet flattened, turned upright,
    its background evened out; a Pillow image), or None: unchanged."""
    unwarp: geometry.Projective | None = None
    """A photographed sheet flattened (``paper.py``): its coordinates -> the photo's."""
    turn: geometry.Matrix = geometry.IDENTITY
    turns: int = 0
    """Counter-clockwise quarter turns of ``turn``, for the reading (``OcrPage.turns``)."""
    skew: float = 0.0
    """Degrees to turn counter-clockwise to straighten the page."""
    scale: float = 1.0
    scale_engines: frozenset[str] = frozenset()
    """Engines that get the upscaled page; empty: all."""
    paper: int = 255
    notes: list[str] = field(default_factory=list)
    scale_note: str = ""
    dpi_doubted: bool = False
    """The file's stated resolution does not fit the print (``resolution.py``): not told."""
    orientation_deferred: str | None = None
    """The engine that reads this page as it is, neither turned nor vouched for, before the
    orientation method decides, and only if that reading is doubtful (``Preprocessor.doubts``)."""
    stamps: tuple[Stamp, ...] = ()
    """Coloured stamps lifted off the print (``stamps.py``), on the page as turned upright."""
    _variants: dict[float, Variant] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def unchanged(cls, page: PageImage) -> PreparedPage:
        return cls(page)

    @property
    def turned(self) -> bool:
        return self.turn != geometry.IDENTITY

    def scale_for(self, engine: str) -> float:
        """How much larger than the page ``engine`` reads it."""
        scaled = self.scale != 1.0 and (not self.scale_engines or engine in self.scale_engines)
        return self.scale if scaled else 1.0

    def variant(self, engine: str) -> Variant:
        scale = self.scale_for(engine)
        with self._lock:
            found = self._variants.get(scale)
            if found is None:
                try:
                    found = self._build(scale)
                except Exception:  # never lose a page to the stage: read it as it is
                    log.warning(
                        "Preparing page %d of %s failed; reading it as it is",
                        self.original.index + 1,
                        self.original.document.name,
                        exc_info=True,
                    )
                    found = Variant(self.original, self.original, None, ())
                self._variants[scale] = found
            return found

    def stamp_variants(self) -> list[Variant]:
        """Each stamp's ink alone as a page to read, with the way back to the original page."""
        back = geometry.invert(self.turn)
        return [
            Variant(
                PageImage(
                    self.original.document,
                    self.original.index,
                    stamp.image,
                    self.original.dpi,
                    one_block=True,
                ),
                self.original,
                geometry.BoxMapper(
                    geometry.compose(back, stamp.back),
                    self.original.width,
                    self.original.height,
                    self.unwarp,
                ),
                (),
            )
            for stamp in self.stamps
        ]

    def _build(self, scale: float) -> Variant:
        notes = [*self.notes, self.scale_note] if scale != 1.0 else list(self.notes)
        base = self.image if self.image is not None else self.original.image
        if self.image is None and not self.skew and scale == 1.0 and not self.dpi_doubted:
            return Variant(self.original, self.original, None, ())
        matrix = self.turn
        image = base
        if self.skew or scale != 1.0:
            warp, width, height = geometry.rotate_and_scale(
                self.skew, scale, base.width, base.height
            )
            image = geometry.warp_image(base, warp, width, height, self.paper, upscale=scale > 1)
            matrix = geometry.compose(warp, matrix)
        dpi = None if self.dpi_doubted else self.original.dpi
        if scale != 1.0:
            dpi = (dpi or UNKNOWN_DPI) * scale
        page = PageImage(self.original.document, self.original.index, image, dpi)
        mapper = geometry.BoxMapper(
            geometry.invert(matrix), self.original.width, self.original.height, self.unwarp
        )
        return Variant(page, self.original, mapper, tuple(notes), self.turns)


class Preprocessor:
    """Decides and applies the steps the settings switch on; one per engine, thread-safe."""

    def __init__(self, settings: PreprocessingSettings) -> None:
        self.settings = settings
        self._orientation = OrientationDetector(settings.orientation)

    @property
    def active(self) -> bool:
        s = self.settings
        steps = [getattr(s, name) for name in type(s).model_fields if name != "enabled"]
        return s.enabled and any(step.enabled for step in steps)

    def prepare(
        self, page: PageImage, analysis: PageAnalysis | None = None, engine: str | None = None
    ) -> PreparedPage:
        """The page's decisions; for an ``engine`` that reads first (``read_first``), an
        orientation the baselines cannot vouch for is left to after its reading."""
        if not self.active:
            return PreparedPage.unchanged(page)
        read_first = engine if engine in self.settings.orientation.read_first else None
        try:
            return self._prepare(page, analysis, read_first)
        except Exception:  # the stage may help a page, never lose one
            log.warning(
                "Preprocessing failed on page %d of %s; reading it as it is",
                page.index + 1,
                page.document.name,
                exc_info=True,
            )
            return PreparedPage.unchanged(page)

    def turns(self, page: PageImage) -> int:
        """Counter-clockwise quarter turns that make ``page`` upright; 0 where it is, or where
        the orientation step is off or cannot tell (``ocr --area``: its area lies on the page
        as it reads, and a copy of a form scanned upside down has its field elsewhere)."""
        settings = self.settings
        if not (settings.enabled and settings.orientation.enabled):
            return 0
        try:
            found = self._orientation.detect(page.image, measure(page.image))
        except Exception:  # as ``prepare``: a page is read as it is rather than lost
            log.warning("Orientation failed on page %d of %s", page.index + 1, page.document.name)
            return 0
        return 0 if found is None else found.turns

    def doubts(self, prepared: PreparedPage, result: OcrPage) -> str | None:
        """Why a page read before its orientation was checked may be turned, or None."""
        engine = prepared.orientation_deferred
        if engine is None or result.back_of_sheet:  # mirrored: its print would not be sure
            return None
        if not any(line.text for line in result.lines):
            return "no text read"
        # Tesseract reads a page lying on one side fluently, line by line upright, but the
        # lines come in reverse order: lines standing on end say the page lies on its side.
        standing, long_lines = _standing_lines(result)
        if standing * 2 > long_lines:
            return f"{standing} of {long_lines} long lines stand on end"
        mean = _mean_confidence(result)
        if mean >= self.settings.orientation.read_first[engine]:
            return None
        return f"mean confidence {mean:.2f}"

    @staticmethod
    def better(as_is: OcrPage, turned: OcrPage) -> OcrPage:
        """The reading of a doubtful page to keep: the turned one, unless it reads less surely
        in lines lying as text lines lie (the orientation method can be wrong too)."""
        standing, long_lines = _standing_lines(as_is)
        if standing * 2 > long_lines:
            return turned
        return as_is if _mean_confidence(as_is) > _mean_confidence(turned) else turned

    def _prepare(
        self, page: PageImage, analysis: PageAnalysis | None, read_first: str | None = None
    ) -> PreparedPage:
        settings = self.settings
        timings: dict[str, float] = {}
        started = time.perf_counter()
        measures = measure(page.image)
        timings["measure"] = time.perf_counter() - started
        prepared = PreparedPage(page, paper=measures.paper)
        image: Image.Image | None = None
        if settings.paper.enabled:
            started = time.perf_counter()
            image, measures = self._unwarp(page, measures, prepared)
            timings["paper"] = time.perf_counter() - started
        for name, step in CLEANING:
            if getattr(settings, name).enabled:
                started = time.perf_counter()
                image, measures = self._clean(step, page, measures, prepared, image)
                timings[name] = time.perf_counter() - started
        if settings.orientation.enabled:
            image, measures = self._turn(page, measures, prepared, timings, read_first, image)
        if settings.stamps.enabled:
            started = time.perf_counter()
            source = image if image is not None else page.image
            lifted = lift_stamps(source, measures.text_height)
            if lifted is not None:
                image, measures, prepared.stamps = lifted.page, measure(lifted.page), lifted.stamps
                prepared.notes.append(lifted.note)
            timings["stamps"] = time.perf_counter() - started
        if settings.background.enabled:
            started = time.perf_counter()
            image = self._flatten(page, analysis, measures, prepared, image)
            timings["background"] = time.perf_counter() - started
        if settings.deskew.enabled:
            self._straighten(measures, prepared, timings)
        if settings.resolution.enabled:
            base = image if image is not None else page.image
            chosen = choose_resolution(
                measures, settings.resolution, base.width * base.height, page.dpi
            )
            prepared.scale, prepared.scale_engines = chosen.scale, chosen.engines
            prepared.scale_note, prepared.dpi_doubted = chosen.note, bool(chosen.doubt)
            prepared.notes += [chosen.doubt] if chosen.doubt else []
        prepared.image = image
        steps = [*prepared.notes, prepared.scale_note] if prepared.scale_note else prepared.notes
        log.debug(
            "Page %d of %s: %s; %s",
            page.index + 1,
            page.document.name,
            "; ".join(steps) or "unchanged",
            ", ".join(f"{step} {seconds * 1000:.0f} ms" for step, seconds in timings.items()),
        )
        return prepared

    def _unwarp(
        self, page: PageImage, measures: Measures, prepared: PreparedPage
    ) -> tuple[Image.Image | None, Measures]:
        """The photographed sheet flattened (None where there is none) and its measures."""
        sheet = find_sheet(measures, self.settings.paper)
        if sheet is None:
            return None, measures
        image = flatten_sheet(page.image, sheet)
        prepared.unwarp = sheet.back()
        measures = measure(image)
        prepared.paper = measures.paper
        prepared.notes.append(
            f"sheet found ({sheet.share:.0%} of the photo) and its perspective flattened"
        )
        return image, measures

    def _clean(
        self,
        step: Callable[[Image.Image, Measures], tuple[Image.Image, str] | None],
        page: PageImage,
        measures: Measures,
        prepared: PreparedPage,
        image: Image.Image | None,
    ) -> tuple[Image.Image | None, Measures]:
        """The page (``image``: as the steps before left it) cleaned by ``step`` (one of
        ``CLEANING``; None where it found nothing and nothing was changed before) and
        its measures. Not where the paper then still varies by the background step's
        ``min_unevenness``: a photo, whose desk around a close-up's sheet and whose paper's
        grain the other steps allow for (painted, Tesseract read the data set's close-ups at
        CER 0.306 against 0.272; a receipt's close-up without its grain 0.553 against 0.500)."""
        source = image if image is not None else page.image
        found = step(source, measures)
        if found is None:
            return image, measures
        cleaned, note = found
        measured = measure(cleaned)
        _, spread = estimate_background(measured)
        if spread >= self.settings.background.min_unevenness:
            log.debug("Left on a photo (its paper varies by %.0f): %s", spread, note)
            return image, measures
        prepared.notes.append(note)
        return cleaned, measured

    def _turn(
        self,
        page: PageImage,
        measures: Measures,
        prepared: PreparedPage,
        timings: dict[str, float],
        read_first: str | None,
        image: Image.Image | None,
    ) -> tuple[Image.Image | None, Measures]:
        """The page (``image``: already flattened) turned upright (None when it is upright
        and was not flattened) and its measures turned with it."""
        started = time.perf_counter()
        if read_first is not None:
            upright = self._orientation.upright_by_baselines(measures)
            prepared.orientation_deferred = read_first if upright is None else None
            timings["orientation"] = time.perf_counter() - started
            return image, measures
        source = image if image is not None else page.image
        found = self._orientation.detect(source, measures)
        timings["orientation"] = time.perf_counter() - started
        if found is None or not found.turns:
            return image, measures
        from PIL import Image as PILImage

        method = getattr(PILImage.Transpose, TRANSPOSE[found.turns])
        image = source.transpose(method)
        prepared.turn, _, _ = geometry.quarter_turn(found.turns, source.width, source.height)
        prepared.turns = found.turns % 4
        prepared.notes.append(
            f"turned {found.degrees}° counter-clockwise "
            f"({found.method}, confidence {found.confidence:.2f})"
        )
        return image, measures.turned(found.turns)

    def _flatten(
        self,
        page: PageImage,
        analysis: PageAnalysis | None,
        measures: Measures,
        prepared: PreparedPage,
        image: Image.Image | None,
    ) -> Image.Image | None:
        """The image with an uneven background evened out, where the settings ask for it."""
        settings = self.settings.background
        if not (_looks_photographed(page, analysis) or not settings.photos_only):
            return image
        background, spread = estimate_background(measures)
        if spread < settings.min_unevenness:
            log.debug("Background: even enough (spread %.0f)", spread)
            return image
        from PIL import Image as PILImage

        source = image if image is not None else page.image
        flattened = PILImage.fromarray(flatten(grey_array(source), background))
        prepared.paper = 255
        prepared.notes.append(f"background flattened (paper varied by {spread:.0f})")
        return flattened

    def _straighten(
        self, measures: Measures, prepared: PreparedPage, timings: dict[str, float]
    ) -> None:
        """Record the skew to undo, when it is large and clear enough."""
        settings = self.settings.deskew
        started = time.perf_counter()
        ink = measures.ink
        if measures.other_ink > settings.max_other_ink:
            log.debug(
                "Deskew: from the characters' ink alone (%.0f %% of the ink is not text)",
                100 * measures.other_ink,
            )
            ink = measures.character_ink()
        skew = estimate_skew(ink, settings.max_angle)
        timings["deskew"] = time.perf_counter() - started
        if skew is None:
            return
        log.debug(
            "Deskew: %.2f° (profile %.2fx sharper than at 0°%s)",
            skew.angle,
            skew.gain,
            ", at the limit" if skew.at_limit else "",
        )
        if (
            abs(skew.angle) >= settings.min_angle
            and skew.gain >= settings.min_gain
            and not skew.at_limit
        ):
            prepared.skew = -skew.angle
            prepared.notes.append(f"deskewed by {skew.angle:.2f}°")

    def warm_up(self) -> None:
        """Measure a small drawn page once, so that a batch's first page does not pay for
        what the measurements import on first use (numpy.ma for a percentile: 84 ms holding
        the GIL on a loaded machine, a stall of the window as a batch began)."""
        if not self.active:
            return
        import numpy as np
        from PIL import Image

        grey = np.full((300, 400), 255, np.uint8)
        for top in range(30, 270, 24):  # ten lines of character-sized blocks
            for left in range(30, 360, 12):
                grey[top : top + 10, left : left + 8] = 0
        measures = measure(Image.fromarray(grey))
        self._orientation.upright_by_baselines(measures)
        estimate_skew(measures.ink, self.settings.deskew.max_angle)
        _ = measures.text_height

    def close(self) -> None:
        self._orientation.close()


def _standing_lines(result: OcrPage) -> tuple[int, int]:
    """Long lines whose boxes stand on end, and long lines."""
    boxes = [line.box for line in result.lines if len(line.text) >= LONG_LINE]
    return sum(y1 - y0 > x1 - x0 for x0, y0, x1, y1 in boxes), len(boxes)


def _mean_confidence(result: OcrPage) -> float:
    """The lines' confidence weighted by their characters (0 for a page without text)."""
    characters = sum(len(line.text) for line in result.lines)
    if not characters:
        return 0.0
    return sum(line.confidence * len(line.text) for line in result.lines) / characters


def _looks_photographed(page: PageImage, analysis: PageAnalysis | None) -> bool:
    if analysis is None:
        from ablage_desktop.engine.run.page_analysis import analyze_page

        analysis = analyze_page(page.image)
    return analysis.midtones > PHOTO_MIDTONES
