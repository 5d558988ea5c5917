"""Born-digital PDFs are read from their text layer; scans, garbage and hidden layers are OCRed.

The PDFs are written by hand (``tests/born_digital.py``), so each test knows what a page's
layer holds and what the page shows. Recognition runs through the real engine: the decoder
process, the pipeline, and Tesseract where a page needs OCR.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from born_digital import Page, Run, pdf_bytes, prose_page, scanned_page
from samples import text_page

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.events import Event, ModelStateChanged
from ablage_desktop.engine.intake.documents import IntakeLimits, open_document
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.results.exports import render_pdf_from_file
from ablage_desktop.engine.text.text_layer import BACKEND, page_from_layer

INVOICE = (
    "Rechnung Nr. 4711 vom 30.10.2018",
    "Müller & Söhne GmbH, Hauptstraße 5, 80331 München",
    "Gesamtbetrag: 1.234,56 € (zahlbar bis 15.11.2018)",
)
SCAN_LINES = ("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")
DPI = 300


def scan() -> object:
    """A clean A4 scan at 300 dpi with real printed text."""
    return text_page(SCAN_LINES, size=(2480, 3508))


def bad_ocr_layer() -> list[Run]:
    """An earlier OCR's invisible layer over ``scan``, with its typical confusions."""
    return [
        Run(60, 780, "Inv0ice 47ll 0f 3O.1O.2Ol8", mode=3),
        Run(60, 756, "T0tal arnount l23.45 EUF", mode=3),
    ]


@pytest.fixture
def write_pdf(tmp_path: Path):
    def write(name: str, pages: list[Page]) -> Path:
        path = tmp_path / name
        path.write_bytes(pdf_bytes(pages))
        return path

    return write


@pytest.fixture
def engine(shipped_engine: EngineCore) -> EngineCore:
    return shipped_engine


def with_mode(engine: EngineCore, mode: str) -> EngineCore:
    intake = engine.config.intake.model_copy(update={"pdf_text": mode})
    engine.config = dataclasses.replace(engine.config, intake=intake)
    return engine


def wait_until(done: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.01)
    return done()


def read(engine: EngineCore, path: Path, backend: str | None = None) -> OcrDocument:
    (document,) = engine.ocr(OcrRequest([path], backend=backend, archive=False))
    assert document.ok, document.error
    return document


# --- the verdict on a page's layer (in this process, as the decoder makes it) ------------


def layer_of(path: Path, index: int = 0):
    with open_document(path, IntakeLimits(pdf_dpi=DPI, pdf_text="auto")) as document:
        page = document.page(index)
    assert page.text_layer is not None
    return page.text_layer


def test_a_born_digital_page_is_judged_to_cover_its_text(write_pdf) -> None:
    layer = layer_of(write_pdf("born.pdf", [prose_page(INVOICE)]))

    assert layer.usable, layer.reason
    assert [line.text for line in layer.lines] == list(INVOICE)
    # Boxes in pixels of the page rendered at 300 dpi: the first line starts 60 pt from the
    # left and its baseline is 780 pt from the bottom of an 842 pt page.
    x0, y0, _, y1 = layer.lines[0].box
    assert abs(x0 - 60 * DPI / 72) <= 3
    assert y0 < (842 - 780) * DPI / 72 < y1


def test_unmapped_glyphs_make_a_layer_garbage(write_pdf) -> None:
    page = Page(
        [Run(60, 780 - 16 * n, "Text in a font without a map", font="F1") for n in range(4)]
    )

    layer = layer_of(write_pdf("unmapped.pdf", [page]))

    assert not layer.usable
    assert "unmapped glyphs" in layer.reason


def test_text_hidden_under_a_picture_is_not_trusted(write_pdf) -> None:
    page = Page([Run(60, 780, line) for line in INVOICE[:1]], scan(), image_over_text=True)

    layer = layer_of(write_pdf("under.pdf", [page]))

    assert not layer.usable
    assert "under an image" in layer.reason


def test_a_layer_that_holds_only_part_of_the_page_is_partial(write_pdf) -> None:
    page = Page([Run(60, 820, "Eingangsstempel 03.12.2026")], scan())

    layer = layer_of(write_pdf("partial.pdf", [page]))

    assert not layer.usable
    assert "text its layer lacks" in layer.reason


def test_two_columns_are_read_one_after_the_other(write_pdf) -> None:
    left = [f"Left column line {n} runs on with more words here" for n in range(8)]
    right = [f"Right column line {n} runs on with more words" for n in range(8)]
    runs = [Run(50, 700 - 15 * n, text, 9) for n, text in enumerate(left)]
    runs += [Run(320, 700 - 15 * n, text, 9) for n, text in enumerate(right)]
    heading = Run(50, 760, "A heading over both columns of the page", 16)
    path = write_pdf("columns.pdf", [Page([heading, *runs])])
    with open_document(path, IntakeLimits(pdf_dpi=DPI, pdf_text="auto")) as document:
        page = document.page(0)

    assert page.text_layer is not None and page.text_layer.usable, page.text_layer
    text = page_from_layer(page, page.text_layer, "test", 0.0).text
    order = [text.index(line) for line in [heading.text, *left, *right]]
    assert order == sorted(order), text


def read_from_layer(path: Path) -> tuple[str, tuple]:
    with open_document(path, IntakeLimits(pdf_dpi=DPI, pdf_text="auto")) as document:
        page = document.page(0)
    assert page.text_layer is not None and page.text_layer.usable, page.text_layer
    result = page_from_layer(page, page.text_layer, "test", 0.0)
    return result.text, result.lines


def test_a_note_along_the_margin_is_one_line_after_the_text(write_pdf) -> None:
    # German business letters print the company's register entry up the left margin.
    note = "Sitz der Gesellschaft Berlin, Amtsgericht Charlottenburg HRB 12345"
    page = prose_page(INVOICE)
    page.runs.append(Run(30, 150, note, 7, angle=90))

    text, lines = read_from_layer(write_pdf("margin.pdf", [page]))

    assert text == "\n".join(INVOICE) + "\n\n" + note
    x0, y0, x1, y1 = lines[-1].box  # up the margin, as the page shows it
    assert x1 < 40 * DPI / 72 and y1 - y0 > 10 * (x1 - x0)
    assert y1 == pytest.approx((842 - 150) * DPI / 72, abs=8)


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_page_shown_turned_reads_line_by_line(write_pdf, rotate: int) -> None:
    page = prose_page(INVOICE)
    page.rotate = rotate  # shown on its side or upside down, its text with it

    text, lines = read_from_layer(write_pdf(f"turned{rotate}.pdf", [page]))

    assert text == "\n".join(INVOICE)
    x0, y0, x1, y1 = lines[0].box
    if rotate == 180:  # the first line at the bottom, its start at the right
        assert y0 > 3000 and x1 > 2000
    else:  # the first line a column at the right (90) or the left (270)
        assert y1 - y0 > 10 * (x1 - x0)
        assert (x0 > 3000) if rotate == 90 else (x1 < 500)


def test_a_table_turned_on_a_page_that_stands_upright_reads_in_its_own_order(
    write_pdf,
) -> None:
    # A wide table set on its side (LaTeX's sidewaystable): lines reading bottom to top,
    # each further to the right; two cells per row, far apart along the line.
    rows = [(f"Position {n}", f"{100 + n},00 EUR") for n in range(1, 7)]
    runs = [Run(100 + 20 * n, 100, left, 10, angle=90) for n, (left, _) in enumerate(rows)]
    runs += [Run(100 + 20 * n, 600, right, 10, angle=90) for n, (_, right) in enumerate(rows)]
    title = Run(70, 100, "Tabelle 3: Positionen der Rechnung 4711", 12, angle=90)

    text, _ = read_from_layer(write_pdf("sideways.pdf", [Page([title, *runs])]))

    assert text.splitlines()[0] == title.text
    order = [text.index(cell) for row in rows for cell in row]
    assert order == sorted(order), text


@pytest.mark.parametrize(
    ("mode", "needs"),
    [
        ("auto", [False, True, False]),
        ("always_ocr", [True, True, True]),
        ("layer_only", [False, False, False]),
    ],
)
def test_a_page_needs_an_engine_where_it_holds_no_characters_of_its_own(
    write_pdf, mode: str, needs: list[bool]
) -> None:
    """Asked before the page is rendered (a batch's engines then load meanwhile): a scan
    needs one, a born-digital page and a scan under a scanner's invisible OCR do not."""
    path = write_pdf(
        "three.pdf",
        [prose_page(INVOICE), scanned_page(scan()), scanned_page(scan(), bad_ocr_layer())],
    )

    with open_document(path, IntakeLimits(pdf_dpi=DPI, pdf_text=mode)) as document:
        assert [document.needs_engine(index) for index in range(3)] == needs


# --- through the engine -----------------------------------------------------------------


def test_auto_loads_its_first_engines_while_a_scanned_pdf_renders(
    write_pdf, engine: EngineCore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the decoder has opened the PDF and found no characters on its first page, the
    engines every page starts with load while the page is rendered, not after it is routed:
    here the render waits for a load to have begun, which, were it after the page, would
    not come."""
    path = write_pdf("scan.pdf", [scanned_page(scan())])
    decoder = engine._decoder
    render = decoder._page
    begun: list[bool] = []

    def page_after_a_load(document, index: int):
        states = lambda: {info.state for info in engine.manager.infos()}  # noqa: E731
        begun.append(wait_until(lambda: states() != {ModelState.UNLOADED}, timeout=20))
        return render(document, index)

    monkeypatch.setattr(decoder, "_page", page_after_a_load)

    (page,) = read(engine, path).pages

    assert begun == [True]
    assert "Invoice 4711" in page.text, page.text


def test_a_born_digital_pdf_is_read_from_its_layer_and_no_engine_loads(
    write_pdf, engine: EngineCore
) -> None:
    path = write_pdf("born.pdf", [prose_page(INVOICE), prose_page(INVOICE[::-1])])
    events: list[Event] = []
    engine.events.subscribe(events.append)

    document = read(engine, path)

    assert [page.backend for page in document.pages] == [BACKEND, BACKEND]
    assert document.pages[0].text.splitlines() == list(INVOICE)
    assert document.pages[1].text.splitlines() == list(INVOICE[::-1])
    assert "text layer" in (document.pages[0].route or "")
    assert (document.pages[0].width, document.pages[0].height) == (2480, 3509)
    assert [e for e in events if isinstance(e, ModelStateChanged)] == []
    assert {info.state for info in engine.manager.infos()} == {ModelState.UNLOADED}


def test_a_scan_with_a_bad_invisible_layer_is_ocred(write_pdf, engine: EngineCore) -> None:
    path = write_pdf("scan.pdf", [scanned_page(scan(), bad_ocr_layer())])

    (page,) = read(engine, path, "tesseract").pages

    assert page.backend == "tesseract"
    assert "Invoice 4711" in page.text and "Inv0ice" not in page.text
    assert "text layer not used" in (page.route or "")
    assert "invisible" in (page.route or "")


def mixed(write_pdf) -> Path:
    return write_pdf("mixed.pdf", [prose_page(INVOICE), scanned_page(scan())])


def test_an_image_only_page_beside_a_text_page_is_ocred(write_pdf, engine: EngineCore) -> None:
    document = read(engine, mixed(write_pdf), "tesseract")

    born, scanned = document.pages
    assert born.backend == BACKEND and born.text.splitlines() == list(INVOICE)
    assert scanned.backend == "tesseract" and "Total amount" in scanned.text
    assert "no text layer" in (scanned.route or "")


def test_layer_only_reads_every_pdf_page_from_its_layer(write_pdf, engine: EngineCore) -> None:
    document = read(with_mode(engine, "layer_only"), mixed(write_pdf))

    born, scanned = document.pages
    assert (born.backend, scanned.backend) == (BACKEND, BACKEND)
    assert scanned.text == "" and "layer_only" in (scanned.route or "")
    assert {info.state for info in engine.manager.infos()} == {ModelState.UNLOADED}


def test_always_ocr_never_reads_a_layer(write_pdf, engine: EngineCore) -> None:
    document = read(with_mode(engine, "always_ocr"), mixed(write_pdf), "tesseract")

    assert [page.backend for page in document.pages] == ["tesseract", "tesseract"]
    assert "Rechnung" in document.pages[0].text
    assert "text layer" not in (document.pages[0].route or "")


def test_the_archive_keeps_a_layer_page_like_any_other(write_pdf, tmp_path: Path) -> None:
    store = Store(tmp_path / "archive.sqlite3")
    engine = EngineCore(load_config([]), store=store)
    try:
        path = mixed(write_pdf)
        (document,) = engine.ocr(OcrRequest([path], backend="tesseract"))
        assert document.ok and document.sha256 is not None
        kept = store.pages(document.sha256, requested="tesseract")
    finally:
        engine.close()
        store.close()

    assert [kept[i].backend for i in sorted(kept)] == [BACKEND, "tesseract"]
    assert kept[0].text == document.pages[0].text


def test_the_searchable_pdf_keeps_a_layer_page_untouched(write_pdf, engine: EngineCore) -> None:
    pikepdf = pytest.importorskip("pikepdf")
    path = mixed(write_pdf)
    document = read(engine, path, "tesseract")

    exported = render_pdf_from_file(document, engine.config.intake.limits())

    with pikepdf.open(path) as original, pikepdf.open(io.BytesIO(exported)) as export:
        assert len(export.pages) == 2
        born, scanned = export.pages
        assert born.obj.Contents.read_bytes() == original.pages[0].obj.Contents.read_bytes()
        assert born.obj.MediaBox == original.pages[0].obj.MediaBox
        assert "/F0" in born.obj.Resources.Font  # the original's own font, not glyphless
        # The OCRed page is the original's too, its scan as it was, under a text layer.
        (image,) = scanned.get_images(recursive=False).values()
        (scan,) = original.pages[1].get_images().values()
        assert image.read_raw_bytes() == scan.read_raw_bytes()
        (layer,) = (form for name, form in scanned.obj.Resources.XObject.items() if name != "/Im0")
        assert layer.Subtype == "/Form" and b"3 Tr" in layer.read_bytes()
        # The original's page may hold anything: the file claims no PDF/A.
        assert export.open_metadata().pdfa_status == ""


def test_a_locked_born_digital_pdf_is_read_from_its_layer_and_exported(
    write_pdf, engine: EngineCore, tmp_path: Path
) -> None:
    # A payslip: born digital, protected by a password the configuration holds.
    pikepdf = pytest.importorskip("pikepdf")
    plain = write_pdf("plain.pdf", [prose_page(INVOICE)])
    locked = tmp_path / "lohn.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="geheim"))
    intake = engine.config.intake.model_copy(update={"pdf_passwords": ["falsch", "geheim"]})
    engine.config = dataclasses.replace(engine.config, intake=intake)

    document = read(engine, locked)
    exported = render_pdf_from_file(document, engine.config.intake.limits())

    assert document.pages[0].backend == BACKEND
    assert document.pages[0].text.splitlines() == list(INVOICE)
    with pikepdf.open(io.BytesIO(exported)) as export:  # the export asks for no password
        assert len(export.pages) == 1
        assert "/F0" in export.pages[0].obj.Resources.Font  # the original page, copied
