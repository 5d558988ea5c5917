"""A framed area read again on its own (``Engine.read_area``), with the real engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import born_digital
import pytest
from PIL import Image
from samples import engine_without, pdf_bytes, text_page

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.area_reading import (
    PageArea,
    labelled_fields,
    named_areas,
    read_area,
)
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run import area_route
from ablage_desktop.engine.run.jobs import OcrRequest

ROWS = ("Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR")
SECOND_ROW = (0, 125, 1400, 210)  # text_page prints the rows at y = 40 and y = 140, 44 px


@pytest.fixture(scope="module")
def engine() -> Iterator[EngineCore]:
    core = EngineCore(load_config())
    yield core
    core.close()


@pytest.mark.parametrize("backend", ["tesseract", "rapidocr", "auto"])
def test_the_second_row_alone_with_its_boxes_on_the_page(
    engine: EngineCore, tmp_path: Path, backend: str
) -> None:
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))

    page = engine.read_area(path, 0, SECOND_ROW, backend)

    assert page.text == "Total amount 123.45 EUR"
    assert (page.width, page.height) == (1400, 320)
    for line in page.lines:
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= 1400 and 125 <= y0 < y1 <= 210  # on the page, in the frame
        assert 130 <= (y0 + y1) / 2 <= 200


@pytest.mark.parametrize("backend", ["tesseract", "rapidocr"])
def test_a_frame_drawn_into_the_print_still_reads(
    engine: EngineCore, tmp_path: Path, backend: str
) -> None:
    """The cut gets a margin of its paper: without it, a frame 3 px inside the print's box
    was read "" by Tesseract and "... FUR" by RapidOCR."""
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    (row,) = engine.read_area(path, 0, SECOND_ROW, "tesseract").lines
    x0, y0, x1, y1 = row.box

    page = engine.read_area(path, 0, (x0 + 3, y0 + 3, x1 - 3, y1 - 3), backend)

    assert page.text == "Total amount 123.45 EUR"


def test_a_pdf_page_is_cut_at_the_resolution_it_is_read_at(
    engine: EngineCore, tmp_path: Path
) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(pdf_bytes([text_page(("Seite eins",)), text_page(ROWS)], dpi=300))
    (document,) = engine.ocr(OcrRequest([path], backend="tesseract", archive=False))
    read = document.pages[1]

    again = engine.read_area(path, 1, SECOND_ROW, "tesseract")

    assert (again.width, again.height) == (read.width, read.height)
    (row,) = [line for line in read.lines if "Total" in line.text]
    (row_again,) = again.lines
    assert row_again.text == row.text
    assert all(abs(a - b) <= 6 for a, b in zip(row_again.box, row.box, strict=True))


def test_a_frame_reaching_off_the_page_is_cut_to_it_and_a_tiny_one_refused(
    engine: EngineCore, tmp_path: Path
) -> None:
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    assert engine.read_area(path, 0, (-50, 125, 5000, 210), "tesseract").text.startswith("Total")
    with pytest.raises(UsageError, match="too small"):
        engine.read_area(path, 0, (100, 140, 105, 200), "tesseract")
    with pytest.raises(UsageError, match="no page 2"):
        engine.read_area(path, 1, SECOND_ROW, "tesseract")


def test_the_margin_is_the_paper_of_the_area() -> None:
    """A grey page's margin is its own grey: no edge of white paper for the engine to see."""
    seen: list[Image.Image] = []

    def recognize(page: PageImage) -> OcrPage:
        seen.append(page.image)
        return OcrPage(0, page.width, page.height, "probe", 0.0, "")

    grey = Image.new("L", (400, 200), 180)
    read_area(PageImage(Path("x.png"), 0, grey, 300), (100, 50, 300, 150), recognize)
    (cut,) = seen
    assert cut.size == (200 + 2 * 48, 100 + 2 * 48)
    assert cut.getextrema() == (180, 180)


# --- one area of every page of a batch (``ocr --area``) ----------------------------------------


@pytest.mark.parametrize(
    ("given", "pixels"),
    [
        ("100,200,900,300", (100, 200, 900, 300)),
        (" 100, 200 ,900,300 PX", (100, 200, 900, 300)),
        ("10,20,90.5,35mm", (118, 236, 1069, 413)),  # 300 dpi
        ("0,0,50,15%", (0, 0, 1240, 526)),  # of 2480 x 3508
    ],
)
def test_an_area_given_before_the_page_is_seen_is_placed_on_it(
    given: str, pixels: tuple[int, int, int, int]
) -> None:
    page = PageImage(Path("a4.png"), 0, Image.new("L", (2480, 3508), 255), 300.0)
    assert PageArea.parse(given).on(page) == pixels


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("1,2,3", "LEFT,TOP,RIGHT,BOTTOM"),
        ("1,2,3,4in", "LEFT,TOP,RIGHT,BOTTOM"),
        ("a,b,c,d", "LEFT,TOP,RIGHT,BOTTOM"),
        ("-1,2,30,40", "0 or more"),
        ("1,2,nan,40", "0 or more"),
        ("30,2,10,40mm", "RIGHT is more than LEFT"),
        ("0,0,50,150%", "100 at most"),
    ],
)
def test_an_area_that_is_no_area_is_refused_in_words(given: str, said: str) -> None:
    with pytest.raises(UsageError, match=said):
        PageArea.parse(given)


def test_an_area_may_be_named_as_a_form_s_field() -> None:
    area = PageArea.parse("invoice.nr=10,20,90.5,35mm")
    assert (area.name, area.unit, str(area)) == ("invoice.nr", "mm", "10,20,90.5,35mm")
    assert PageArea.parse(" total = 1,2,3,4").name == "total"
    for bad in ("2nd=1,2,3,4", "a b=1,2,3,4", "=1,2,3,4", "x" * 41 + "=1,2,3,4"):
        with pytest.raises(UsageError, match="an area's name is a letter"):
            PageArea.parse(bad)


def test_several_areas_are_fields_each_named_and_no_name_twice() -> None:
    nr, unnamed, total = (PageArea.parse(given) for given in ("nr=1,2,3,4", "1,2,3,4", "t=5,6,7,8"))
    assert [area.name for area in named_areas([nr, unnamed, total])] == ["nr", "area2", "t"]
    assert named_areas([unnamed]) == (unnamed,)  # one area alone: the page's text is its own
    with pytest.raises(UsageError, match="nr is given twice"):
        named_areas([nr, unnamed, nr])
    with pytest.raises(UsageError, match="area2 is given twice"):
        named_areas([unnamed, unnamed, PageArea.parse("area2=1,2,3,4")])


def test_fields_as_text_are_one_a_line_a_longer_one_going_on_indented() -> None:
    fields = [("nr", "4711"), ("address", "Anna Muster\n\nHauptstr. 1\n12345 Ort"), ("due", "")]
    assert labelled_fields(fields) == (
        "nr: 4711\naddress: Anna Muster\n  Hauptstr. 1\n  12345 Ort\ndue:"
    )


def test_a_frame_in_per_cent_of_its_page_to_a_tenth_within_the_page() -> None:
    area = PageArea.in_percent((200, 600, 1984, 3507), 2480, 3508)
    assert str(area) == "8.1,17.1,80,100%"
    assert PageArea.in_percent((-5, 0, 2600, 10), 2480, 3508).right == 100.0
    assert PageArea.parse(str(area)) == area


def test_millimetres_need_the_page_to_say_its_resolution() -> None:
    page = PageImage(Path("photo.jpg"), 0, Image.new("L", (400, 300), 255), None)
    with pytest.raises(UsageError, match=r"page 1 of photo\.jpg does not say its resolution"):
        PageArea.parse("1,2,30,40mm").on(page)
    assert PageArea.parse("0,0,50,50%").on(page) == (0, 0, 200, 150)


def test_a_batch_reads_only_the_area_even_where_its_edges_cut_the_letters(
    engine: EngineCore, tmp_path: Path
) -> None:
    """The area's edges run through the second row's first letter, its tops and its
    descenders: the words whose middle is in the area are read whole (``area_route.REACH``),
    and the first row, in reach, is left out."""
    store = Store(tmp_path / "archive.sqlite")
    core = EngineCore(load_config(), store=store)
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    try:
        (document,) = core.ocr(
            OcrRequest([path], backend="tesseract", areas=(PageArea.parse("50,150,1400,172"),))
        )
    finally:
        core.close()
    (page,) = document.pages
    assert page.text == "Total amount 123.45 EUR"
    assert (page.width, page.height) == (1400, 320)
    for line in page.lines:
        assert 150 <= (line.box[1] + line.box[3]) / 2 <= 172
    assert page.route.endswith("only the area 50,150,1400,172 px of the page")
    assert store.page_count() == 0 and store.resumable_jobs() == []  # not the page's reading
    store.close()


@pytest.mark.parametrize("degrees", [90, 180])
def test_a_copy_scanned_turned_is_read_where_the_area_lies_on_the_upright_page(
    engine: EngineCore, tmp_path: Path, degrees: int
) -> None:
    """A form put into the feeder the other way round: the field is found on the page
    turned upright, and its lines are placed back on the page as scanned."""
    path = tmp_path / "turned.png"
    text_page(ROWS).rotate(degrees, expand=True).save(path, dpi=(300, 300))

    (document,) = engine.ocr(
        OcrRequest(
            [path],
            backend="tesseract",
            areas=(PageArea.parse(",".join(map(str, SECOND_ROW))),),
            archive=False,
        )
    )

    (page,) = document.pages
    assert page.text == "Total amount 123.45 EUR"
    ((x0, y0, x1, y1),) = [line.box for line in page.lines]
    if degrees == 180:  # the row under the first, upside down: above it, from the right
        assert (page.width, page.height) == (1400, 320) and y1 < 200 and x0 > 700
    else:  # turned a quarter counter-clockwise: a column in the left half, read upwards
        assert (page.width, page.height) == (320, 1400) and x1 < 200 and y0 > 700
    assert f"of the page turned upright ({360 - degrees}° counter-clockwise)" in page.route
    assert page.turns == (360 - degrees) // 90
    assert OcrPage.from_json(page.to_json()).turns == page.turns


def test_a_frame_drawn_on_a_page_read_turned_is_given_for_the_upright_page(
    engine: EngineCore, tmp_path: Path
) -> None:
    """The window shows a page as scanned, and a frame is drawn there; ``ocr --area`` (and
    Read the frame on every page) places an area on the page turned upright. Given in per
    cent of the upright page, the frame around a line of a page lying on its side reads that
    line again."""
    path = tmp_path / "sideways.png"
    text_page(ROWS).rotate(90, expand=True).save(path, dpi=(300, 300))
    (whole,) = engine.ocr(OcrRequest([path], backend="tesseract", archive=False))
    (page,) = whole.pages
    assert page.turns == 3 and page.to_json()["turned"] == 270
    (total,) = [line for line in page.lines if line.text.startswith("Total")]

    area = PageArea.in_percent(total.box, page.width, page.height, page.turns)
    (document,) = engine.ocr(OcrRequest([path], backend="tesseract", areas=(area,), archive=False))

    assert document.pages[0].text == ROWS[1]


def test_a_frame_in_per_cent_of_the_upright_page_by_hand() -> None:
    """A page 3508 x 2480 lying on its side, turned a quarter counter-clockwise to be read:
    (x, y) of the scan is (y, 3508 - x) upright, on a page 2480 x 3508."""
    area = PageArea.in_percent((600, 200, 3507, 1984), 3508, 2480, turns=1)
    assert str(area) == "8.1,0,80,82.9%"
    assert str(PageArea.in_percent((600, 200, 3507, 1984), 3508, 2480, turns=4)) == (
        str(PageArea.in_percent((600, 200, 3507, 1984), 3508, 2480))
    )


def test_a_pdf_page_with_its_own_text_is_cut_to_the_area_of_it(
    engine: EngineCore, tmp_path: Path
) -> None:
    lines = ["Kundennummer 40815", "Rechnungsnummer 2018-4711", "Datum 30.10.2018"]
    path = tmp_path / "letter.pdf"
    path.write_bytes(born_digital.pdf_bytes([born_digital.prose_page(lines)]))

    (document,) = engine.ocr(
        OcrRequest([path], areas=(PageArea.parse("15,23,150,28.5mm"),), archive=False)
    )

    (page,) = document.pages
    assert page.text == "Rechnungsnummer 2018-4711"
    assert page.backend == "pdf-text"
    assert "read from the text layer" in page.route
    assert page.route.endswith("px (given as 15,23,150,28.5mm) of the page")


def test_several_fields_of_a_page_are_read_in_one_run_each_on_its_own(
    engine: EngineCore, tmp_path: Path
) -> None:
    """Each area read alone (the two rows are 100 px apart, each in the other's reach:
    neither leaks into the other's field); the page holds both fields, their lines in their
    areas, and says where each lies."""
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    areas = (PageArea.parse("nr=0,20,1400,100"), PageArea.parse("0,39,100,66%"))

    (document,) = engine.ocr(OcrRequest([path], backend="tesseract", areas=areas, archive=False))

    (page,) = document.pages
    assert page.fields == (("nr", ROWS[0]), ("area2", ROWS[1]))
    assert page.text == f"nr: {ROWS[0]}\narea2: {ROWS[1]}"
    assert [line.text for line in page.lines] == list(ROWS)
    (_, top, _, bottom), (_, second_top, _, second_bottom) = (line.box for line in page.lines)
    assert 20 <= top < bottom <= 100 and 125 <= second_top < second_bottom <= 211
    assert page.backend == "tesseract" and page.seconds > 0
    assert page.route.endswith(
        "only the areas nr 0,20,1400,100 px, area2 0,125,1400,211 px (given as 0,39,100,66%) "
        "of the page"
    )
    assert OcrPage.from_json(page.to_json()).fields == page.fields
    assert page.to_json()["fields"] == {"nr": ROWS[0], "area2": ROWS[1]}


SIX_FIELDS = (
    "a=0,0,100,30%",
    "b=0,30,100,40%",
    "c=0,40,100,70%",
    "d=0,70,50,85%",
    "e=50,70,100,85%",
    "f=0,85,100,100%",
)


@pytest.mark.parametrize("count", [5, 6])
def test_up_to_five_fields_are_read_alone_more_are_cut_from_the_page_read_whole(
    engine: EngineCore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """Each area read alone costs a fifth of the page's reading: six of them read the page
    once and cut it, five each alone (however much of the page they cover); the words are
    the same either way."""
    given = SIX_FIELDS[:count]
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    areas = tuple(PageArea.parse(area) for area in given)
    request = OcrRequest([path], backend="tesseract", areas=areas, archive=False)
    with monkeypatch.context() as each_alone:
        each_alone.setattr(area_route, "MAX_CUTS", 99)
        (alone,) = engine.ocr(request)
    read_alone: list[object] = []

    def counted(*args: object) -> OcrPage:
        read_alone.append(args[1])
        return read_area(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(area_route, "read_area", counted)
    (document,) = engine.ocr(request)

    assert len(read_alone) == (count if count <= area_route.MAX_CUTS else 0)

    fields = dict(document.pages[0].fields)
    assert [fields[name] for name in fields if fields[name]] == list(ROWS)
    assert alone.pages[0].fields == document.pages[0].fields


def test_an_area_off_a_smaller_page_of_the_pile_is_an_empty_field_not_a_failure(
    engine: EngineCore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The pile's forms are A4, one page is a half sheet: the field below its edge is empty
    and said so; its other field is read, and the document goes on (a page's failure would
    have stopped it there)."""
    path = tmp_path / "rows.png"
    text_page(ROWS).save(path, dpi=(300, 300))
    areas = (PageArea.parse("nr=0,20,1400,100"), PageArea.parse("far=0,2000,1400,2100"))

    (document,) = engine.ocr(OcrRequest([path], backend="tesseract", areas=areas, archive=False))
    off = (PageArea.parse("0,2000,1400,2100"),)
    (alone,) = engine.ocr(OcrRequest([path], backend="tesseract", areas=off, archive=False))

    assert document.ok and alone.ok
    assert document.pages[0].fields == (("nr", ROWS[0]), ("far", ""))
    assert "far 0,2000,1400,2100px (outside the page: nothing read)" in document.pages[0].route
    assert alone.pages[0].text == "" and alone.pages[0].lines == ()
    assert "The area 0,2000,1400,2100px lies outside page 1 of rows.png" in caplog.text


def test_fields_of_a_pdf_page_with_its_own_text_come_from_one_reading_of_it(
    engine: EngineCore, tmp_path: Path
) -> None:
    lines = ["Kundennummer 40815", "Rechnungsnummer 2018-4711", "Datum 30.10.2018"]
    path = tmp_path / "letter.pdf"
    path.write_bytes(born_digital.pdf_bytes([born_digital.prose_page(lines)]))
    areas = (PageArea.parse("nr=15,23,150,28.5mm"), PageArea.parse("empty=15,200,150,210mm"))

    (document,) = engine.ocr(OcrRequest([path], areas=areas, archive=False))

    (page,) = document.pages
    assert page.fields == (("nr", "Rechnungsnummer 2018-4711"), ("empty", ""))
    assert page.text == "nr: Rechnungsnummer 2018-4711\nempty:"
    assert page.backend == "pdf-text"
    assert page.route.count("read from the text layer") == 1


# --- a page read again turned as the user says -----------------------------------------------


def test_a_page_the_orientation_step_left_on_its_side_is_read_turned_as_the_user_says(
    tmp_path: Path,
) -> None:
    """With the orientation step off (as where it abstains), the page lying on its side
    reads as nothing useful; turned a quarter clockwise by hand it reads, its boxes on the
    page as it lies."""
    path = tmp_path / "sideways.png"
    text_page(ROWS).rotate(90, expand=True).save(path, dpi=(300, 300))
    with engine_without("orientation", tmp_path) as core:
        (as_is,) = core.ocr(OcrRequest([path], backend="tesseract", archive=False))
        turned = core.read_turned(path, 0, 3, "tesseract")  # 270° counter-clockwise

    assert "Total amount" not in as_is.text
    assert turned.text == "Invoice 4711 of 30.10.2018\n\nTotal amount 123.45 EUR"  # as upright
    assert (turned.width, turned.height) == (320, 1400)
    assert turned.turns == 3 and "turned 270° counter-clockwise by hand" in turned.preprocessing
    for line in turned.lines:  # columns of the page lying on its side, read upwards
        x0, y0, x1, y1 = line.box
        assert x1 - x0 < y1 - y0 and 0 <= x0 < x1 <= 320 and 0 <= y0 < y1 <= 1400
