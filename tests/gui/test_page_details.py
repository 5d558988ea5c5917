"""The page label's tooltip says how the page was read: the engine, why, the engines that
failed before it, and what was done to the page first."""

from __future__ import annotations

from ablage_desktop.engine.results.document import ErrorInfo, Fallback, OcrPage
from ablage_desktop.gui.page_details import page_details


def test_the_details_name_the_engine_the_route_the_fallbacks_and_the_steps() -> None:
    page = OcrPage(
        0,
        1654,
        2339,
        "rapidocr",
        1.25,
        "Rechnung",
        route="auto: printed page",
        fallbacks=(Fallback("got_ocr2", "rapidocr", ErrorInfo("out_of_memory", "no memory")),),
        preprocessing=("turned 90° counter-clockwise", "1 coloured stamp(s) lifted off the print"),
    )
    assert page_details(page).splitlines() == [
        "Read by rapidocr in 1.2 s",
        "Why: auto: printed page",
        "got_ocr2 did not read it: no memory",
        "Before reading: turned 90° counter-clockwise; 1 coloured stamp(s) lifted off the print",
    ]


def test_a_page_not_read_yet_has_none() -> None:
    assert page_details(None) == ""
    plain = OcrPage(0, 10, 10, "tesseract", 0.5, "")
    assert page_details(plain) == "Read by tesseract in 0.5 s"
