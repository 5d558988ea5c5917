"""The real engines on real pages, held to the accuracy measured on 2026-11-27.

The bounds come from ``ACCURACY.md`` beside this file: the measured figure plus a margin, so
that a broken reading order, a lost page, a decoding change or a wrong model fails here while
small drift between library versions does not. Each engine is loaded once for the module and
each document is read once per engine; the other tests reuse that result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import BackendUnavailable
from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.text.textmetrics import bag_of_words, cer

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
if not DATA.is_dir():
    pytest.skip(
        f"the real documents with ground truth are not at {DATA} (shared/data beside the "
        "repository); these tests need them",
        allow_module_level=True,
    )

pytestmark = pytest.mark.slow

OPTIONAL_ENGINES = frozenset({"tesseract"})
"""Engines that may be missing (library or language data): their tests skip, not fail."""


@dataclass(frozen=True, slots=True)
class Bound:
    """What one engine must reach on one document; see ACCURACY.md for the measured values."""

    cer: float
    f1: float
    page_cer: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Case:
    file: str
    pages: int
    casefold: bool
    """SROIE ground truth is in capitals, so receipts are compared case-folded."""
    bounds: dict[str, Bound]


CASES = (
    Case(
        "print_darpa_cover.png",
        1,
        False,
        {"rapidocr": Bound(0.08, 0.85), "tesseract": Bound(0.05, 0.87)},
    ),
    Case(
        "pdfen_movie_plot.pdf",
        1,
        False,
        {"rapidocr": Bound(0.03, 0.95), "tesseract": Bound(0.03, 0.95)},
    ),
    Case(
        "de_ferd_physiotherapeut.pdf",
        2,
        False,
        {
            "rapidocr": Bound(0.05, 0.91, (0.06, 0.04)),
            "tesseract": Bound(0.05, 0.91, (0.05, 0.04)),
        },
    ),
    Case(
        "de_intarsys_taxifahrt_g4.tif",
        2,
        False,
        {
            "rapidocr": Bound(0.06, 0.92, (0.07, 0.03)),
            "tesseract": Bound(0.06, 0.87, (0.06, 0.04)),
        },
    ),
    Case(
        "sroie_402.jpg",
        1,
        True,
        {"rapidocr": Bound(0.05, 0.86), "tesseract": Bound(0.10, 0.86)},
    ),
    Case(
        "funsd_0000971160.png",
        1,
        False,
        {"rapidocr": Bound(0.15, 0.78), "tesseract": Bound(0.08, 0.70)},
    ),
)
ENGINES = ("rapidocr", "tesseract")
MULTI_PAGE = tuple(case for case in CASES if case.pages > 1)
GERMAN_INVOICE = "de_ferd_physiotherapeut.pdf"
GERMAN_WORDS = ("Verkäufer", "Musterstraße", "Währung", "Fälligkeit", "Überweisung", "Müller")
"""Words of the invoice's ground truth that both engines read correctly when measured."""

Reader = Callable[[str, str], OcrDocument]


def engine_case_params(cases: tuple[Case, ...]) -> list[object]:
    return [
        pytest.param(engine, case, id=f"{engine}-{case.file}")
        for engine in ENGINES
        for case in cases
    ]


def ground_truth(case: Case) -> str:
    return (DATA / case.file).with_suffix(".gt.txt").read_text(encoding="utf-8")


def ground_truth_pages(case: Case) -> list[str]:
    """The ground truth of each page: pages are separated by one blank line."""
    return ground_truth(case).rstrip("\n").split("\n\n")


def document_text(document: OcrDocument) -> str:
    return "\n".join(page.text for page in document.pages)


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineCore]:
    """One engine for the module, so each backend loads once."""
    engine = EngineCore(load_config())
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def read(engine: EngineCore) -> Reader:
    """Recognise a document once per engine; an optional engine that cannot run skips."""
    done: dict[tuple[str, str], OcrDocument] = {}

    def read(backend: str, file: str) -> OcrDocument:
        try:
            engine.resolve(backend)
        except BackendUnavailable as exc:
            if backend not in OPTIONAL_ENGINES:
                raise
            pytest.skip(str(exc))
        key = (backend, file)
        if key not in done:
            [document] = engine.ocr(OcrRequest([DATA / file], backend=backend))
            assert document.ok, document.error
            done[key] = document
        return done[key]

    return read


@pytest.mark.parametrize(("backend", "case"), engine_case_params(CASES))
def test_given_a_real_page_when_read_then_cer_and_word_f1_stay_within_measured_bounds(
    read: Reader, backend: str, case: Case
) -> None:
    """Whole-document CER catches misreads and reading order; F1 catches lost words."""
    document = read(backend, case.file)
    bound = case.bounds[backend]
    text, truth = document_text(document), ground_truth(case)

    assert len(document.pages) == case.pages
    assert cer(text, truth, casefold=case.casefold) <= bound.cer
    assert bag_of_words(text, truth, casefold=case.casefold).f1 >= bound.f1


@pytest.mark.parametrize(("backend", "case"), engine_case_params(MULTI_PAGE))
def test_given_a_multi_page_document_when_read_then_pages_come_in_order_within_bounds(
    read: Reader, backend: str, case: Case
) -> None:
    """A PDF or multi-page TIFF must keep every page, in order, each matching its own truth."""
    document = read(backend, case.file)
    truths = ground_truth_pages(case)
    bound = case.bounds[backend]

    assert [page.index for page in document.pages] == list(range(case.pages))
    assert len(truths) == case.pages == len(bound.page_cer)
    for page, limit in zip(document.pages, bound.page_cer, strict=True):
        rates = [cer(page.text, truth) for truth in truths]
        assert rates[page.index] == min(rates), f"page {page.index + 1} matches another page"
        assert rates[page.index] <= limit, f"page {page.index + 1}"


@pytest.mark.parametrize("backend", ENGINES)
def test_given_a_german_invoice_when_read_then_umlauts_and_sharp_s_come_through(
    read: Reader, backend: str
) -> None:
    """German documents are the product's main use; ä, ü, Ü and ß must not turn into a, u, B."""
    text = document_text(read(backend, GERMAN_INVOICE))

    missing = [word for word in GERMAN_WORDS if word not in text]

    assert not missing


@pytest.mark.parametrize(("backend", "case"), engine_case_params(CASES))
def test_given_a_real_page_when_read_then_lines_have_page_boxes_confidences_and_text(
    read: Reader, backend: str, case: Case
) -> None:
    """The GUI draws the boxes over the page and the text export is built from the lines."""
    document = read(backend, case.file)

    for page in document.pages:
        assert page.lines, f"page {page.index + 1} has no lines"
        for line in page.lines:
            x0, y0, x1, y1 = line.box
            assert 0 <= x0 < x1 <= page.width, line
            assert 0 <= y0 < y1 <= page.height, line
            assert 0.0 <= line.confidence <= 1.0, line
            assert line.text and line.text in page.text, line


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.file)
def test_tesseract_gives_each_line_its_words_centred_inside_the_line(
    read: Reader, case: Case
) -> None:
    """``auto`` takes spaces and missed words from these words (models/combine.py)."""
    document = read("tesseract", case.file)

    for page in document.pages:
        for line in page.lines:
            assert line.words, line
            assert " ".join(word.text for word in line.words).split() == line.text.split()
            for word in line.words:
                assert 0.0 <= word.confidence <= 1.0
                x0, y0, x1, y1 = word.box
                assert x0 < x1 and y0 < y1, word
                # Tesseract's word boxes may stand out of the line's by a pixel or two (an
                # accent, a descender); their centres are inside, which the merge relies on.
                assert line.box[0] <= (x0 + x1) / 2 <= line.box[2], (word, line.box)
                assert line.box[1] <= (y0 + y1) / 2 <= line.box[3], (word, line.box)
