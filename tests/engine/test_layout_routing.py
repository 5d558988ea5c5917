"""A layout engine (Docling) in ``auto`` and as the named engine: where its pages come from.

``auto`` sends complex pages to a layout engine only when it is ready for auto
(``BackendSpec.auto_ready``) and says in the route what it was chosen for; a named engine that
reads the PDF's own text (``BackendSpec.reads_pdf_text``) gets born-digital pages that the text
layer would otherwise read. Real engine core, real decoder and page analysis; scripted engines
at the edge (``tests/fakes.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from born_digital import pdf_bytes, prose_page
from fakes import ScriptedBackend, scripted_spec
from PIL import Image, ImageDraw

from ablage_desktop.engine.backends.base import Availability, BackendSpec, EngineOptions
from ablage_desktop.engine.config import Routing, load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.text.text_layer import BACKEND as TEXT_LAYER

NO_WEIGHTS = "no layout weights: only born-digital pages, which the text layer already reads"
LINES = ("Quarterly report of the Ablage project", "Revenue grew by four per cent in 2026")


def layout_spec(backend: ScriptedBackend, ready: bool = True) -> BackendSpec:
    """A scripted engine shaped like Docling: a layout purpose, the PDF's own text, and
    ready for auto only when ``ready``."""
    return dataclasses.replace(
        scripted_spec(backend),
        auto_ready=lambda options: Availability.yes() if ready else Availability.no(NO_WEIGHTS),
        route_purpose="layout analysis",
        reads_pdf_text=True,
    )


def core_with(chain: list[str], specs: dict[str, BackendSpec]) -> EngineCore:
    """An engine core whose complex and simple chains are ``chain`` of the scripted ``specs``."""
    config = load_config([])
    routing = Routing(complex=chain, simple=chain, unknown=chain, cpu_only=chain[-1:])
    core = EngineCore(dataclasses.replace(config, routing=routing))
    for name, spec in specs.items():
        core.add_model(name, spec, EngineOptions(engine=name))
    return core


def ruled_table() -> PageImage:
    """A page the analysis calls complex: a ruled table."""
    image = Image.new("L", (2000, 1400), 255)
    draw = ImageDraw.Draw(image)
    for n in range(7):
        draw.line([(100, 100 + n * 200), (1900, 100 + n * 200)], fill=0, width=3)
    for n in range(5):
        draw.line([(100 + n * 450, 100), (100 + n * 450, 1300)], fill=0, width=3)
    return PageImage(Path("table.png"), 0, image, 300)


@pytest.fixture
def engines() -> Iterator[tuple[ScriptedBackend, ScriptedBackend]]:
    yield ScriptedBackend(name="layout"), ScriptedBackend(name="cpu_ocr")


def test_the_default_complex_chain_puts_docling_before_the_cpu_engines() -> None:
    complex_chain = load_config([]).routing.complex

    assert complex_chain.index("docling") < complex_chain.index("rapidocr")
    assert complex_chain.index("got_ocr2") < complex_chain.index("docling")
    assert Routing().complex == complex_chain  # the shipped file and the code agree


def test_a_complex_page_goes_to_the_layout_engine_and_the_route_says_why(engines) -> None:
    layout, cpu = engines
    core = core_with(
        ["layout", "cpu_ocr"], {"layout": layout_spec(layout), "cpu_ocr": scripted_spec(cpu)}
    )
    try:
        route = core.router.route(ruled_table())
    finally:
        core.close()

    assert route.chain == ("layout", "cpu_ocr")
    assert route.reason == "complex page: table (12 ruled lines); layout (layout analysis)"


def test_auto_skips_a_layout_engine_that_is_not_ready_for_it_and_says_so(engines) -> None:
    layout, cpu = engines
    specs = {"layout": layout_spec(layout, ready=False), "cpu_ocr": scripted_spec(cpu)}
    core = core_with(["layout", "cpu_ocr"], specs)
    try:
        route = core.router.route(ruled_table())
        resolved, _ = core.resolve("layout")  # named, it still loads
    finally:
        core.close()

    assert route.chain == ("cpu_ocr",)
    assert "skipped layout: no layout weights" in route.reason
    assert NO_WEIGHTS not in route.reason  # what models list explains, not every page
    assert "(layout analysis)" not in route.reason
    assert resolved == "layout"


@pytest.fixture
def born_digital(tmp_path: Path) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes([prose_page(LINES)]))
    return path


def test_a_named_engine_that_reads_pdf_text_gets_the_born_digital_page(
    engines, born_digital: Path
) -> None:
    layout, cpu = engines
    core = core_with(["cpu_ocr"], {"layout": layout_spec(layout), "cpu_ocr": scripted_spec(cpu)})
    try:
        (document,) = core.ocr(OcrRequest([born_digital], backend="layout", archive=False))
    finally:
        core.close()

    (page,) = document.pages
    assert layout.calls == [("report.pdf", 0)]
    assert page.backend == "layout"
    assert page.route is not None
    assert page.route.startswith("chosen by the user; layout reads the PDF's own text")
    assert "(text layer: " in page.route


def test_auto_and_engines_that_do_not_read_pdf_text_keep_the_text_layer(
    engines, born_digital: Path
) -> None:
    layout, cpu = engines
    specs = {
        "layout": layout_spec(layout),
        "cpu_ocr": scripted_spec(cpu),  # reads_pdf_text is False
    }
    core = core_with(["layout", "cpu_ocr"], specs)
    try:
        (auto,) = core.ocr(OcrRequest([born_digital], backend="auto", archive=False))
        (named,) = core.ocr(OcrRequest([born_digital], backend="cpu_ocr", archive=False))
    finally:
        core.close()

    assert [page.backend for page in (*auto.pages, *named.pages)] == [TEXT_LAYER, TEXT_LAYER]
    assert auto.pages[0].text.splitlines() == list(LINES)
    assert (layout.calls, cpu.calls) == ([], [])


def test_layer_only_reads_the_layer_even_for_an_engine_that_reads_pdf_text(
    engines, born_digital: Path
) -> None:
    layout, _ = engines
    core = core_with(["layout"], {"layout": layout_spec(layout)})
    try:
        request = OcrRequest([born_digital], backend="layout", archive=False, pdf_text="layer_only")
        (document,) = core.ocr(request)
    finally:
        core.close()

    assert document.pages[0].backend == TEXT_LAYER
    assert layout.calls == []


def test_a_born_digital_page_for_an_engine_that_reads_pdf_text_is_not_preprocessed(
    engines, born_digital: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its image only sizes the PDF's boxes: turning it would cost time and move the boxes."""
    layout, cpu = engines
    scan = tmp_path / "scan.png"
    ruled_table().image.save(scan, dpi=(300, 300))
    core = core_with(["cpu_ocr"], {"layout": layout_spec(layout), "cpu_ocr": scripted_spec(cpu)})
    prepared: list[str] = []
    preprocess = core._preprocess
    real_prepare = preprocess.prepare

    def recording(page: PageImage, analysis: object = None, engine: object = None) -> object:
        prepared.append(page.document.name)
        return real_prepare(page, analysis, engine)

    monkeypatch.setattr(preprocess, "prepare", recording)
    try:
        request = OcrRequest([born_digital, scan], backend="layout", archive=False)
        documents = list(core.ocr(request))
    finally:
        core.close()

    assert [document.pages[0].backend for document in documents] == ["layout", "layout"]
    assert prepared == ["scan.png"]  # the PDF's page went to the layout engine as rendered
