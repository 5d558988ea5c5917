"""The preprocessing stage with the real engines on real pages of the development set.

A page lying on its side or upside down reads about as well as the upright page, with its boxes
on the page as given; a 100 dpi form reads better with the resolution step than without.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import BackendUnavailable
from ablage_desktop.engine.intake.documents import IntakeLimits, open_document
from ablage_desktop.engine.preprocess.baselines import baseline_evidence
from ablage_desktop.engine.preprocess.measure import measure
from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.text.textmetrics import bag_of_words, cer

pytestmark = pytest.mark.slow

ROTATIONS = (90, 180, 270)


def read(engine: EngineCore, path: Path, backend: str) -> OcrDocument:
    try:
        (document,) = engine.ocr(OcrRequest([path], backend=backend, archive=False))
    except BackendUnavailable as exc:
        pytest.skip(f"{backend} cannot run here: {exc}")
    assert document.ok, document.error
    return document


def engine_with(tmp_path: Path, name: str, yaml: str) -> EngineCore:
    config = tmp_path / f"{name}.yaml"
    config.write_text(yaml, encoding="utf-8")
    return EngineCore(load_config([config]))


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineCore]:
    engine = EngineCore(load_config())  # the shipped defaults: the stage is on
    yield engine
    engine.close()


# Each engine on the title page; the A4 invoice through Tesseract only (through RapidOCR it
# took 30 s of the suite and checked the same engine-independent turn as the title page).
@pytest.mark.parametrize(
    ("file", "slack", "backend"),
    [
        ("print_darpa_cover.png", 0.01, "tesseract"),
        ("print_darpa_cover.png", 0.01, "rapidocr"),
        ("de_intarsys_taxifahrt.pdf", 0.02, "tesseract"),
    ],
)
def test_a_turned_real_page_reads_as_well_as_the_upright_one(
    engine: EngineCore, data_dir: Path, tmp_path: Path, backend: str, file: str, slack: float
) -> None:
    source = data_dir / file
    truth = source.with_suffix(".gt.txt").read_text(encoding="utf-8").split("\n\n")[0]
    with open_document(source, IntakeLimits()) as document:
        upright = document.page(0).image
    upright_path = tmp_path / "upright.png"
    upright.save(upright_path, dpi=(300, 300))
    baseline = cer(read(engine, upright_path, backend).text, truth)

    for degrees in ROTATIONS:
        turned = upright.rotate(degrees, expand=True)
        path = tmp_path / f"turned_{degrees}.png"
        turned.save(path, dpi=(300, 300))

        (page,) = read(engine, path, backend).pages

        assert page.preprocessing[0].startswith(f"turned {(360 - degrees) % 360}°"), (
            degrees,
            page.preprocessing,
        )
        assert page.turns == (360 - degrees) % 360 // 90  # the window shows it upright
        assert cer(page.text, truth) <= baseline + slack, (degrees, page.text[:300])
        # The boxes are on the page as given: inside it, and in its own orientation.
        assert (page.width, page.height) == turned.size
        assert all(
            0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height
            for x0, y0, x1, y1 in (line.box for line in page.lines)
        )
        wide = [line for line in page.lines if len(line.text) >= 12]
        assert wide, degrees
        lying = sum((x1 - x0) > (y1 - y0) for x0, y0, x1, y1 in (line.box for line in wide))
        assert lying == (len(wide) if degrees == 180 else 0), degrees


def test_an_upright_real_page_is_not_turned(engine: EngineCore, data_dir: Path) -> None:
    for file in ("print_darpa_cover.png", "sroie_325.jpg", "funsd_0060165115.png"):
        for page in read(engine, data_dir / file, "tesseract").pages:
            assert not any(step.startswith("turned") for step in page.preprocessing), file


FORM = "funsd_0060024314.png"
"""A noisy 100 dpi fax-like form: characters about 8 pixels high."""


def test_a_100_dpi_form_reads_better_with_the_resolution_step(
    data_dir: Path, tmp_path: Path
) -> None:
    truth = (data_dir / FORM).with_suffix(".gt.txt").read_text(encoding="utf-8")
    scores = {}
    for name, enabled in (("without", "false"), ("with", "true")):
        engine = engine_with(
            tmp_path, name, f"preprocessing:\n  resolution: {{enabled: {enabled}}}\n"
        )
        try:
            (page,) = read(engine, data_dir / FORM, "tesseract").pages
        finally:
            engine.close()
        scores[name] = (cer(page.text, truth), bag_of_words(page.text, truth).f1)
        assert (page.width, page.height) == (762, 1000)  # the original page's size
        assert all(
            x1 <= page.width and y1 <= page.height
            for _, _, x1, y1 in (line.box for line in page.lines)
        )
        assert any(step.startswith("scaled 2.00x") for step in page.preprocessing) is (
            name == "with"
        )

    assert scores["with"][0] < scores["without"][0] - 0.03, scores
    assert scores["with"][1] > scores["without"][1] + 0.05, scores


def test_no_turned_page_of_the_data_set_passes_for_upright_by_its_baselines(
    data_dir: Path,
) -> None:
    """The quick check may only spare the detection on upright pages; every page turned by
    90, 180 or 270 degrees must still reach it (and most upright printed pages are spared)."""
    settings = load_config().preprocessing.orientation
    upright_pages = 0
    spared = 0
    for source in sorted(data_dir.iterdir()):
        if source.suffix not in {".pdf", ".png", ".jpg", ".tif"}:
            continue
        with open_document(source, IntakeLimits(pdf_text="always_ocr")) as document:
            for page in document.pages():
                upright_pages += 1
                for degrees in (0, *ROTATIONS):
                    image = page.image.rotate(degrees, expand=True)
                    evidence = baseline_evidence(measure(image).char_boxes)
                    passes = (
                        evidence.characters >= settings.baseline_characters
                        and evidence.score >= settings.baseline_score
                    )
                    assert not (passes and degrees), f"{source.name} turned {degrees}°: {evidence}"
                    spared += passes
    assert upright_pages >= 10
    assert spared >= upright_pages / 2, f"only {spared} of {upright_pages} upright pages spared"
