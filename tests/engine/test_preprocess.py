"""The preprocessing stage: orientation, deskew, resolution, and boxes back on the original page.

Synthetic pages drawn with real text; the orientation methods are the real ones (Tesseract's
OSD where osd.traineddata is installed, RapidOCR's detector and recogniser). The "engine" of
the box tests is a stand-in that reports the box of the ink it sees, so the mapping back is
checked exactly, without OCR noise.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from fakes import GIB, FakeProbe
from PIL import Image, ImageDraw, ImageFont
from samples import text_page

from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
)
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.errors import ConfigError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.models.dispatcher import PageDispatcher
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.router import Route
from ablage_desktop.engine.preprocess import (
    PreparedPage,
    PreprocessingSettings,
    Preprocessor,
    geometry,
)
from ablage_desktop.engine.preprocess.baselines import baseline_evidence
from ablage_desktop.engine.preprocess.deskew import estimate_skew
from ablage_desktop.engine.preprocess.measure import measure, working_scale
from ablage_desktop.engine.preprocess.orientation import (
    DET_MAX_SIDE,
    DET_MIN_SIDE,
    DET_SIDE,
    Orientation,
    OrientationDetector,
    detector_input,
    osd_tessdata,
)
from ablage_desktop.engine.preprocess.stage import UNKNOWN_DPI
from ablage_desktop.engine.results.document import OcrLine, OcrPage, OcrWord

PROSE = (
    "Sehr geehrte Damen und Herren, anbei erhalten Sie die Rechnung",
    "for the delivery of 12 boxes of paper and 4 toner cartridges.",
    "Bitte überweisen Sie den Betrag innerhalb von 14 Tagen auf das",
    "account named below. Thank you for your order and kind regards.",
    "Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.",
    "Questions about this invoice? Call us on weekdays from 9 to 5.",
    "Rechnungsnummer 2024-0815, Kundennummer 4711, Datum 30.10.2024",
    "Total amount due: 1.234,56 EUR including 19 percent value tax.",
)


def prose_page() -> Image.Image:
    return text_page(PROSE, size=(1700, 900))


def page_of(image: Image.Image, dpi: float | None = 300) -> PageImage:
    return PageImage(Path("page.png"), 0, image, dpi)


def settings(**steps: bool) -> PreprocessingSettings:
    """Only the named steps on (paper, borders, specks, streaks, inverted, orientation, stamps,
    deskew, resolution, background: every section of the settings)."""
    names = [name for name in PreprocessingSettings.model_fields if name != "enabled"]
    return PreprocessingSettings.model_validate(
        {name: {"enabled": steps.get(name, False)} for name in names}
    )


def ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    grey = np.asarray(image.convert("L"))
    ys, xs = np.nonzero(grey < 128)
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def first_line_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The ink box of the topmost line of text (rows of ink up to the first blank gap)."""
    grey = np.asarray(image.convert("L"))
    rows = np.flatnonzero((grey < 128).any(axis=1))
    gaps = np.flatnonzero(np.diff(rows) > 3)
    last = rows[gaps[0]] if len(gaps) else rows[-1]
    x0, y0, x1, y1 = ink_box(image.crop((0, 0, image.width, int(last) + 1)))
    return x0, y0, x1, y1


def read_ink(page: PageImage) -> OcrPage:
    """A stand-in engine: one line, boxed around all the ink of the page it is given."""
    box = ink_box(page.image)
    return OcrPage(
        page.index, page.width, page.height, "ink", 0.0, "ink", (OcrLine("ink", 1, box),)
    )


def turned(image: Image.Image, degrees: int) -> Image.Image:
    return image.rotate(degrees, expand=True, fillcolor=255)


def close(a: tuple[int, ...], b: tuple[int, ...], tolerance: float) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


# --- orientation -------------------------------------------------------------------------------


@pytest.fixture(params=["tesseract", "rapidocr"])
def orientation_method(request: pytest.FixtureRequest) -> Iterator[Preprocessor]:
    if request.param == "tesseract" and osd_tessdata() is None:
        pytest.skip("osd.traineddata is not installed (apt-get install tesseract-ocr-osd)")
    chosen = settings(orientation=True).model_copy(
        update={
            "orientation": PreprocessingSettings().orientation.model_copy(
                update={"method": request.param, "enabled": True, "baselines": False}
            )
        }
    )
    stage = Preprocessor(chosen)
    yield stage
    stage.close()


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_turned_page_is_detected_and_turned_back(
    orientation_method: Preprocessor, degrees: int
) -> None:
    upright = prose_page()
    page = page_of(turned(upright, degrees))

    variant = orientation_method.prepare(page).variant("tesseract")

    assert variant.page.image.size == upright.size
    assert close(ink_box(variant.page.image), ink_box(upright), 2)
    assert variant.notes == (variant.notes[0],)
    assert variant.notes[0].startswith(f"turned {(360 - degrees) % 360}° counter-clockwise")


def detect_with(image: Image.Image, **settings: object) -> Orientation | None:
    """The orientation detector's answer, with the shipped settings changed by ``settings``."""
    chosen = PreprocessingSettings().orientation.model_copy(update=settings)
    detector = OrientationDetector(chosen)
    try:
        return detector.detect(image, measure(image))
    finally:
        detector.close()


@pytest.mark.parametrize("degrees", [0, 90, 180])
def test_a_one_line_label_is_turned_back_and_a_page_of_specks_is_left_as_it_is(
    degrees: int,
) -> None:
    """A label of one line has fewer than the 30 character-like components (25 here) the
    fallback once needed: OSD is unsure of it (1.1), the RapidOCR method was not asked, and
    it was read as it lay."""
    if osd_tessdata() is None:
        pytest.skip("osd.traineddata is not installed (apt-get install tesseract-ocr-osd)")
    label = text_page(("Rechnung 4711 vom 30.10.2018",), size=(760, 130))
    specks = Image.new("L", (1240, 1754), 255)
    for x, y in ((100, 200), (900, 300), (400, 1500)):
        ImageDraw.Draw(specks).ellipse((x, y, x + 6, y + 6), fill=0)

    found = detect_with(label.rotate(degrees, expand=True), method="tesseract")
    nothing = detect_with(specks.rotate(degrees, expand=True), method="tesseract")

    assert (found.degrees if found else 0) == (360 - degrees) % 360
    assert nothing is None


@pytest.mark.parametrize("fallback", [True, False])
def test_a_receipt_osd_is_unsure_of_is_turned_back_by_reading_its_lines(
    data_dir: Path, fallback: bool
) -> None:
    """A till receipt upside down: OSD's confidence stays below ``min_confidence`` (1.1
    here), and without the fallback the page was read upside down, as garbage."""
    if osd_tessdata() is None:
        pytest.skip("osd.traineddata is not installed (apt-get install tesseract-ocr-osd)")
    receipt = Image.open(data_dir / "sroie_325.jpg").convert("L").rotate(180)

    found = detect_with(receipt, method="tesseract", fallback=fallback)

    if fallback:
        assert found is not None and found.turns == 2
        assert found.method.startswith("rapidocr (OSD unsure")
    else:
        assert found is None


@pytest.mark.parametrize("few_lines", [True, False])
@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_a_page_of_two_lines_is_turned_back_where_both_lines_agree(
    degrees: int, few_lines: bool
) -> None:
    """A short note upside down or on its side was read as it lay ("Tott t uuR"): below
    ``min_lines`` the RapidOCR method never decided, and OSD's turns went unconfirmed."""
    page = text_page().rotate(degrees, expand=True, fillcolor=255)  # two lines

    found = detect_with(page, method="rapidocr", few_lines=few_lines)

    if few_lines:
        assert found is not None and found.degrees == (360 - degrees) % 360
        assert found.method == "rapidocr, few lines"
    else:
        assert found is None


def test_the_line_detector_sees_a_page_as_rapidocr_scales_it_and_a_strip_at_a_bounded_size() -> (
    None
):
    """RapidOCR's detector scales an image up until its short side is 736 pixels: a strip of
    one line, 60 high, became 12,000 pixels long and took 11 s a call. A page's copy is what
    RapidOCR's own scaling makes of it; a strip's is at most ``DET_MAX_SIDE`` long, and none is
    enlarged beyond what makes its characters ``DET_TEXT_HEIGHT`` high."""
    from rapidocr.ch_ppocr_det.utils import DetPreProcess

    library = DetPreProcess(limit_side_len=DET_MIN_SIDE, limit_type="min")
    for size in ((2480, 3508), (3508, 2480), (600, 2600), (700, 500)):
        grey = np.full(size[::-1], 255, dtype=np.uint8)
        small = cv2.resize(
            grey,
            None,
            fx=min(1.0, DET_SIDE / max(size)),
            fy=min(1.0, DET_SIDE / max(size)),
            interpolation=cv2.INTER_AREA,
        )
        assert detector_input(grey).shape == library.resize(small).shape, size

    strip = np.full((72, 1172), 255, dtype=np.uint8)
    height, width = detector_input(strip).shape
    assert width == DET_MAX_SIDE and height == 192  # 59 x 960 scaled by 3200 / 960, /32
    assert library.resize(cv2.resize(strip, (960, 59))).shape[1] > 10_000  # as it was
    # Characters 30 pixels high are 24.6 in the copy: already above DET_TEXT_HEIGHT.
    assert detector_input(strip, text_height=30).shape == (64, 960)
    # A receipt's 16-pixel characters are 6.3 in its copy: enlarged as RapidOCR would.
    receipt = np.full((2452, 704), 255, dtype=np.uint8)
    assert detector_input(receipt, text_height=16).shape == (2464, 704)  # 2.52 x 276 x 960
    assert detector_input(receipt).shape == (2560, 736)


@pytest.mark.parametrize("degrees", [90, 270])
def test_a_block_of_figures_on_its_side_is_not_read_as_one_line(
    data_dir: Path, degrees: int
) -> None:
    """Four "234.40" stacked on a receipt, turned, are detected as one box 2.7 times as long as
    high; read as a line it said "turn by 180°" (wrong by 90°). Too short to be a line of text
    (``FEW_LINES_RATIO``), it decides nothing."""
    receipt = Image.open(data_dir / "sroie_325.jpg").convert("L")
    figures = receipt.crop((392, 572, 533, 685)).rotate(degrees, expand=True)

    found = detect_with(figures, method="rapidocr")

    assert found is None or found.degrees == (360 - degrees) % 360


def test_an_upright_page_is_left_as_it_is(orientation_method: Preprocessor) -> None:
    page = page_of(prose_page())

    variant = orientation_method.prepare(page).variant("tesseract")

    assert variant.page is page
    assert variant.notes == ()


def test_a_page_without_text_is_not_turned(orientation_method: Preprocessor) -> None:
    page = page_of(Image.new("L", (1200, 1600), 255))

    assert orientation_method.prepare(page).variant("tesseract").page is page


def test_a_page_standing_on_clear_baselines_is_upright_without_the_detection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def method(name: str) -> Callable[..., None]:
        def detect(self: OrientationDetector, image: Image.Image, measures: object) -> None:
            asked.append(name)

        return detect

    monkeypatch.setattr(OrientationDetector, "_tesseract", method("tesseract"))
    monkeypatch.setattr(OrientationDetector, "_rapidocr", method("rapidocr"))
    stage = Preprocessor(settings(orientation=True))  # the shipped orientation settings
    upright = page_of(prose_page())

    assert stage.prepare(upright).variant("tesseract").page is upright
    assert asked == [], "the baselines alone said upright"

    for degrees in (90, 180, 270):
        stage.prepare(page_of(turned(prose_page(), degrees)))
    assert len(asked) == 3, "a turned page goes to the detection"


def test_the_baseline_evidence_is_positive_upright_and_negative_upside_down() -> None:
    upright = baseline_evidence(measure(prose_page()).char_boxes)
    upside_down = baseline_evidence(measure(turned(prose_page(), 180)).char_boxes)
    lying = baseline_evidence(measure(turned(prose_page(), 90)).char_boxes)
    in_capitals = text_page([line.upper() for line in PROSE], size=(1700, 900))
    capitals = baseline_evidence(measure(in_capitals).char_boxes)

    assert upright.characters > 300 and upright.score > 0.2
    assert upside_down.characters > 300 and upside_down.score < -0.2
    assert lying.score < 0.1
    assert capitals.characters > 300 and abs(capitals.score) < 0.1, "capitals line up at both ends"


# --- measures ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "scale"),
    [
        (1800, 1.0),  # small enough as it is
        (3509, 1 / 2),  # A4 at 300 dpi: halved (1755), not reduced by 0.57 to 2000
        (4677, 1 / 3),  # A4 at 400 dpi
        (7016, 1 / 4),  # A4 at 600 dpi
        (2339, 2000 / 2339),  # A4 at 200 dpi: halved it would be 1170, too coarse
    ],
)
def test_the_working_copy_is_reduced_by_a_whole_factor_where_that_leaves_enough(
    side: int, scale: float
) -> None:
    assert working_scale(side) == pytest.approx(scale)


def test_two_lines_on_a_whole_page_are_not_a_blank_page() -> None:
    """0.1 % of an A4 page at 300 dpi is ink: taken for blank at 0.2 %, such a page had no
    characters, and turned, its orientation was never asked."""
    page = Image.new("L", (2480, 3508), 255)
    page.paste(text_page(), (200, 300))

    assert len(measure(page).char_boxes) >= 30


def test_the_measures_tell_the_paper_the_ink_and_a_blank_page() -> None:
    page = prose_page()
    noisy_blank = Image.fromarray(
        np.random.default_rng(1).integers(235, 250, (3509, 2481), dtype=np.uint8)
    )

    text, blank = measure(page), measure(noisy_blank)

    assert text.paper == 255 and 0.01 < text.ink.mean() < 0.3
    assert text.text_height is not None
    assert 235 <= blank.paper <= 250 and not blank.ink.any(), "Otsu split only the paper's noise"
    assert blank.scale == 0.5 and blank.grey.shape == (1754, 1240)


# --- deskew ------------------------------------------------------------------------------------


@pytest.mark.parametrize("angle", [-4.0, -0.8, 1.5, 7.0])
def test_the_skew_of_a_page_is_measured(angle: float) -> None:
    skewed = prose_page().rotate(angle, expand=True, fillcolor=255, resample=Image.BICUBIC)

    skew = estimate_skew(measure(skewed).ink, 10)

    assert skew is not None
    assert skew.angle == pytest.approx(angle, abs=0.15)


def test_the_skew_search_computes_what_its_plain_definition_does() -> None:
    """The search's fast paths (flat indices for the ink, buffers reused, integer sums)
    must give the very numbers of the plain formulas, or a page's deskew decision moves."""
    from ablage_desktop.engine.preprocess import deskew

    rng = np.random.default_rng(7)
    for share in (0.01, 0.2):  # below and above MAX_POINTS ink pixels
        ink = rng.random((1400, 1000)) < share
        ys, xs = np.nonzero(ink)
        if len(ys) > deskew.MAX_POINTS:
            step = len(ys) // deskew.MAX_POINTS + 1
            ys, xs = ys[::step], xs[::step]
        fast_ys, fast_xs = deskew.ink_points(ink)
        assert np.array_equal(fast_ys, ys.astype(np.float64))
        assert np.array_equal(fast_xs, xs.astype(np.float64))

        ys = fast_ys - fast_ys.mean()
        xs = fast_xs - fast_xs.mean()
        angles = np.arange(-3.0, 3.01, 0.25)
        plain = []
        for angle in np.radians(angles):
            rows = ys * np.cos(angle) + xs * np.sin(angle)
            rows = np.round(rows - rows.min()).astype(np.int64)
            profile = np.bincount(rows).astype(np.float64)
            plain.append(float(np.sum(np.diff(profile) ** 2)))
        assert deskew.profile_sharpness(ys, xs, angles).tolist() == plain


def test_the_characters_are_the_components_opencv_finds_by_default() -> None:
    import cv2

    from ablage_desktop.engine.preprocess.measure import MIN_CHAR_PX, characters

    rng = np.random.default_rng(3)
    pages = [measure(prose_page()).ink, rng.random((900, 700)) < 0.3]
    for ink in pages:
        _, _, stats, _ = cv2.connectedComponentsWithStats(ink.view(np.uint8), connectivity=8)
        stats = stats[1:]
        w, h, area = stats[:, 2], stats[:, 3], stats[:, 4]
        limit = max(MIN_CHAR_PX + 1, 0.05 * max(ink.shape))
        chars = (h >= MIN_CHAR_PX) & (h <= limit) & (w <= 4 * h) & (area >= 0.15 * w * h)

        heights, boxes = characters(ink, 1.0)

        assert chars.sum() > 30
        assert np.array_equal(boxes, stats[chars, :4])
        assert np.array_equal(heights, h[chars].astype(np.float64))


def test_a_skewed_page_is_straightened() -> None:
    skewed = prose_page().rotate(2.5, expand=True, fillcolor=255, resample=Image.BICUBIC)
    stage = Preprocessor(settings(deskew=True))

    variant = stage.prepare(page_of(skewed)).variant("rapidocr")

    assert variant.notes and variant.notes[0].startswith("deskewed by 2.5")
    after = estimate_skew(measure(variant.page.image).ink, 10)
    assert after is not None and abs(after.angle) <= 0.15


def test_a_skewed_page_beside_a_dark_border_is_straightened_by_its_text() -> None:
    """Most of the ink is a border (a desk beside a photographed sheet, a scanner's lid),
    whose edges decided the angle (8.95° here): it comes from the characters' ink alone."""
    skewed = prose_page().rotate(2.5, expand=True, fillcolor=255, resample=Image.BICUBIC)
    page = Image.new("L", (skewed.width + 1400, skewed.height), 20)
    page.paste(skewed, (1400, 0))
    measures = measure(page)
    assert measures.other_ink > 0.6
    misled = estimate_skew(measures.ink, 10)  # all the ink: the border's edges decide
    assert misled is not None and abs(misled.angle - 2.5) > 1

    variant = Preprocessor(settings(deskew=True)).prepare(page_of(page)).variant("rapidocr")

    assert variant.notes and variant.notes[0].startswith("deskewed by 2.5")


def test_a_straight_page_is_not_deskewed() -> None:
    page = page_of(prose_page())

    assert Preprocessor(settings(deskew=True)).prepare(page).variant("tesseract").page is page


# --- resolution --------------------------------------------------------------------------------


def small_text_page() -> Image.Image:
    """The prose page as a 100 dpi fax would hold it: characters about 8 pixels high."""
    page = prose_page()
    return page.resize((page.width // 3, page.height // 3), Image.Resampling.LANCZOS)


def test_a_small_text_page_is_upscaled_for_tesseract_only() -> None:
    small = small_text_page()
    stage = Preprocessor(settings(resolution=True))
    prepared = stage.prepare(page_of(small, dpi=100))

    for_tesseract = prepared.variant("tesseract")
    for_rapidocr = prepared.variant("rapidocr")

    assert for_tesseract.page.width == pytest.approx(2 * small.width, abs=2)
    assert for_tesseract.page.dpi == pytest.approx(200)
    assert for_tesseract.notes[0].startswith("scaled 2.00x")
    assert for_rapidocr.page.image is small
    assert for_rapidocr.notes == ()


def test_an_upscaled_page_of_unknown_resolution_says_tesseract_s_guess_times_the_scale() -> None:
    stage = Preprocessor(settings(resolution=True))
    prepared = stage.prepare(page_of(small_text_page(), dpi=None))

    assert prepared.variant("tesseract").page.dpi == pytest.approx(2 * UNKNOWN_DPI)
    assert prepared.variant("rapidocr").page.dpi is None  # not upscaled: still unknown


def test_a_page_of_normal_text_is_not_upscaled() -> None:
    page = page_of(prose_page())

    assert Preprocessor(settings(resolution=True)).prepare(page).variant("tesseract").page is page


def dusty(page: Image.Image, specks: int = 3000) -> Image.Image:
    """``page`` under dust: ``specks`` dark dots of 3 x 3 pixels scattered over it."""
    grey = np.array(page.convert("L"))
    chance = np.random.default_rng(5)
    for y, x in zip(
        chance.integers(0, grey.shape[0] - 3, specks),
        chance.integers(0, grey.shape[1] - 3, specks),
        strict=True,
    ):
        grey[y : y + 3, x : x + 3] = 30
    return Image.fromarray(grey)


def test_dust_on_a_page_of_few_lines_is_not_taken_for_small_print() -> None:
    """Scattered specks outnumber the characters of three lines: the characters' median
    height was the specks' (3 px), and the page went to Tesseract upscaled twice."""
    few_lines = text_page(PROSE[:3], size=(1700, 2200))
    page = page_of(dusty(few_lines))
    assert measure(page.image).text_height == pytest.approx(3, abs=1)  # the specks' height

    assert Preprocessor(settings(resolution=True)).prepare(page).variant("tesseract").page is page
    small = page_of(dusty(small_text_page(), specks=300), dpi=100)  # small print stays small
    assert Preprocessor(settings(resolution=True)).prepare(small).scale == 2.0


def test_an_upscale_never_exceeds_the_pixel_limit() -> None:
    small = small_text_page()
    limited = settings(resolution=True).model_copy(
        update={
            "resolution": PreprocessingSettings().resolution.model_copy(
                update={"max_pixels": 2 * small.width * small.height}
            )
        }
    )

    image = Preprocessor(limited).prepare(page_of(small)).variant("tesseract").page.image

    assert image.width * image.height <= 2 * small.width * small.height * 1.01


# --- boxes back on the original page ----------------------------------------------------------


def line_at_known_place() -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A 100 dpi-like page of small prose with one line drawn at a known place, and its box."""
    image = small_text_page()
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, image.width, 40), fill=255)  # room at the top for the known line
    draw.text((60, 10), "Known line 4711", font=ImageFont.load_default(size=15), fill=0)
    return image, first_line_box(image)


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_boxes_map_back_onto_the_original_page(degrees: int) -> None:
    """Turned, then upscaled: the ink box the engine saw lands on the original's ink box."""
    upright, _ = line_at_known_place()
    original = turned(upright, degrees)
    stage = Preprocessor(settings(orientation=True, resolution=True))
    prepared = stage.prepare(page_of(original))
    variant = prepared.variant("tesseract")
    assert variant.page.image.size != original.size  # upscaled, perhaps turned

    result = variant.restore(read_ink(variant.page))

    assert (result.width, result.height) == original.size
    assert close(result.lines[0].box, ink_box(original), 2)


def test_a_known_line_maps_back_through_turn_deskew_and_scale() -> None:
    """The recognised line box of a known line, on a skewed, turned, small-text page."""
    upright, _ = line_at_known_place()
    skewed = upright.rotate(1.5, expand=True, fillcolor=255, resample=Image.BICUBIC)
    original = turned(skewed, 90)
    _, known = line_at_known_place()
    stage = Preprocessor(settings(orientation=True, deskew=True, resolution=True))
    variant = stage.prepare(page_of(original)).variant("tesseract")
    assert any(note.startswith("deskewed") for note in variant.notes)
    assert any(note.startswith("turned") for note in variant.notes)
    # The engine's box of the known line: the first line of ink on the prepared page.
    found = first_line_box(variant.page.image)
    word = OcrWord("Known", 1.0, found)  # a word's box is mapped back like its line's
    line = OcrLine("Known line 4711", 1.0, found, (word,))
    seen = OcrPage(0, variant.page.width, variant.page.height, "ink", 0.0, "x", (line,))

    [restored] = variant.restore(seen).lines
    box = restored.box
    assert restored.words[0].box == box

    # Where the known line lies on the original: its box turned and skewed like the page.
    forward = geometry.compose(
        geometry.quarter_turn(1, skewed.width, skewed.height)[0],
        geometry.rotate_and_scale(1.5, 1.0, upright.width, upright.height)[0],
    )
    expected = geometry.BoxMapper(forward, *original.size).box(known)
    assert close(box, expected, 4)


def test_the_matrices_invert_exactly() -> None:
    turn, width, height = geometry.quarter_turn(3, 640, 480)
    warp, _, _ = geometry.rotate_and_scale(-2.0, 1.7, width, height)
    forward = geometry.compose(warp, turn)
    back = geometry.invert(forward)
    for x, y in [(0, 0), (640, 0), (123.5, 456.25), (640, 480)]:
        fx, fy = geometry.apply(forward, x, y)
        assert geometry.apply(back, fx, fy) == pytest.approx((x, y))


# --- switches ----------------------------------------------------------------------------------


def test_steps_switched_off_do_nothing() -> None:
    skewed_small_turned = turned(small_text_page().rotate(3, expand=True, fillcolor=255), 180)
    page = page_of(skewed_small_turned)
    result = read_ink(page)

    for stage in (
        Preprocessor(settings()),
        Preprocessor(PreprocessingSettings(enabled=False)),
    ):
        assert not stage.active
        variant = stage.prepare(page).variant("tesseract")
        assert variant.page is page
        assert variant.restore(result) is result


def test_the_shipped_configuration_has_the_stage_and_names_bad_keys(tmp_path: Path) -> None:
    shipped = load_config().preprocessing
    assert shipped.enabled and shipped.resolution.engines == ["tesseract"]
    user = tmp_path / "config.yaml"
    user.write_text("preprocessing:\n  deskew:\n    max_angel: 5\n", encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_config([user])

    assert "preprocessing.deskew.max_angel" in str(caught.value)
    assert "max_angle" in str(caught.value)


def test_the_record_of_the_steps_survives_json() -> None:
    page = OcrPage(0, 10, 20, "tesseract", 0.1, "x", preprocessing=("turned 90°", "scaled 2.00x"))

    assert OcrPage.from_json(page.to_json()) == page
    assert "preprocessing" not in OcrPage(0, 10, 20, "t", 0.1, "x").to_json()


# --- in the dispatcher -------------------------------------------------------------------------


class InkReader(Backend):
    """Reads the ink; sure of it only on a page shaped like the upright one (a turned page
    reads as garbage, at a low confidence, like a real engine's)."""

    def __init__(
        self, name: str, reads: list[tuple[int, int]], upright_size: tuple[int, int] | None
    ) -> None:
        super().__init__(name)
        self.reads = reads
        self.upright_size = upright_size

    def recognize(self, page: PageImage, cancel: object = None) -> OcrPage:
        self.reads.append(page.image.size)
        result = read_ink(page)
        width, height = page.image.size
        if self.upright_size is None or (width < height) == (
            self.upright_size[0] < self.upright_size[1]
        ):
            return result
        (line,) = result.lines
        return dataclasses.replace(result, lines=(dataclasses.replace(line, confidence=0.2),))

    def close(self) -> None:
        pass


def ink_dispatcher(
    settings: PreprocessingSettings, upright_size: tuple[int, int] | None = None
) -> tuple[PageDispatcher, ModelManager, list[tuple[int, int]]]:
    """A dispatcher over one ``InkReader``; the sizes of the pages it reads."""
    probe = FakeProbe(ram_total=16 * GIB, vram_total=0)
    manager = ModelManager(ManagerPolicy(), probe, lambda event: None)
    reads: list[tuple[int, int]] = []

    def load(name: str, options: EngineOptions) -> Backend:
        return InkReader(name, reads, upright_size)

    spec = BackendSpec(
        engine="tesseract",  # the engine the resolution step upscales for
        kind="cpu",
        title="ink reader",
        options=EngineOptions,
        estimate=lambda options: MemoryEstimate("cpu", 0, 0),
        check=lambda options: Availability.yes(),
        load=load,
    )
    manager.register("reader", spec, EngineOptions(engine="tesseract"), spec.estimate(None))  # type: ignore[arg-type]
    route = Route(("reader",), "chosen by the user")
    stage = Preprocessor(settings)
    dispatcher = PageDispatcher(
        manager, lambda page: route, lambda event: None, 1, "reader", preprocess=stage
    )
    return dispatcher, manager, reads


def orientation_first() -> PreprocessingSettings:
    """The shipped settings, with the orientation decided before any engine reads."""
    shipped = PreprocessingSettings()
    orientation = shipped.orientation.model_copy(update={"read_first": {}})
    return shipped.model_copy(update={"orientation": orientation})


def test_the_dispatcher_hands_the_prepared_page_and_returns_original_boxes() -> None:
    upright, _ = line_at_known_place()
    original = turned(upright, 90)
    dispatcher, manager, _ = ink_dispatcher(orientation_first())
    try:
        result = dispatcher.recognize(page_of(original, dpi=100))
    finally:
        manager.close()

    assert (result.width, result.height) == original.size
    assert close(result.lines[0].box, ink_box(original), 2)
    assert [note.split(" ")[0] for note in result.preprocessing] == ["turned", "scaled"]
    assert result.route == "chosen by the user"


def test_a_doubtful_reading_and_which_of_two_readings_is_kept() -> None:
    stage = Preprocessor(PreprocessingSettings())
    deferred = PreparedPage(page_of(prose_page()), orientation_deferred="tesseract")

    def reading(*lines: tuple[float, tuple[int, int, int, int]]) -> OcrPage:
        found = tuple(OcrLine("Rechnung 4711 vom", conf, box) for conf, box in lines)
        return OcrPage(0, 1700, 900, "tesseract", 0.1, "x", found)

    wide, standing = (10, 10, 400, 40), (10, 10, 40, 400)
    assert stage.doubts(deferred, reading((0.9, wide), (0.8, wide))) is None
    assert stage.doubts(deferred, reading((0.3, wide), (0.4, wide))) == "mean confidence 0.35"
    # Tesseract reads a page on its side fluently, in reverse line order
    assert stage.doubts(deferred, reading((0.95, standing), (0.9, standing), (0.9, wide))) == (
        "2 of 3 long lines stand on end"
    )
    assert stage.doubts(deferred, reading()) == "no text read"
    rapid = PreparedPage(deferred.original, orientation_deferred="rapidocr")
    assert stage.doubts(rapid, reading((0.8, wide))) == "mean confidence 0.80"  # its own bar
    assert stage.doubts(PreparedPage(deferred.original), reading()) is None  # checked before

    # Read again turned: kept unless it reads less surely (the method can be wrong too)
    unsure, sure, worse = reading((0.5, wide)), reading((0.9, wide)), reading((0.3, wide))
    assert stage.better(unsure, sure) is sure
    assert stage.better(unsure, worse) is unsure
    on_its_side = reading((0.95, standing), (0.95, standing))
    assert stage.better(on_its_side, sure) is sure


def test_a_page_read_first_is_turned_and_read_again_only_where_its_reading_is_doubtful(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int] = []
    detect = OrientationDetector.detect

    def counted(self: OrientationDetector, image: Image.Image, measures: object) -> object:
        asked.append(1)
        return detect(self, image, measures)  # type: ignore[arg-type]

    monkeypatch.setattr(OrientationDetector, "detect", counted)
    upright, _ = line_at_known_place()  # small prose: the baselines cannot vouch for it
    dispatcher, manager, reads = ink_dispatcher(PreprocessingSettings(), upright.size)
    try:
        as_is = dispatcher.recognize(page_of(upright, dpi=100))
        assert asked == [] and len(reads) == 1, "a sure reading: no detection"
        assert as_is.preprocessing[0].startswith("scaled")

        original = turned(upright, 90)
        result = dispatcher.recognize(page_of(original, dpi=100))
    finally:
        manager.close()

    assert asked == [1], "the doubtful reading asked the detection once"
    assert len(reads) == 3, "the turned page was read twice"
    assert result.lines[0].confidence == 1
    assert close(result.lines[0].box, ink_box(original), 2)
    assert [note.split(" ")[0] for note in result.preprocessing] == ["turned", "scaled"]


WARM_CHECK = """
import sys
from pathlib import Path
from samples import text_page
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
stage = Preprocessor(PreprocessingSettings())
stage.warm_up()
before = set(sys.modules)
stage.prepare(PageImage(Path("page.png"), 0, text_page(), 300), None, "tesseract").variant(
    "tesseract"
)
print(sorted(set(sys.modules) - before))
"""


def test_after_the_warm_up_a_first_page_imports_nothing() -> None:
    """A first page's imports hold the GIL (numpy.ma for a percentile: 84 ms under load, a
    stall of the window): ``Engine.prepare`` warms the measurements up beforehand."""
    tests = Path(__file__).resolve().parents[1]
    answer = subprocess.run(
        [sys.executable, "-c", WARM_CHECK],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tests,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tests), str(tests.parent)])},
        check=True,
    )
    assert answer.stdout.strip() == "[]"
