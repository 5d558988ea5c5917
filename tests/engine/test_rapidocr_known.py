"""RapidOCR taking the lines another engine read for sure before its detector ran
(``recognize_where``'s ``known``): its detector looks only where they leave ink, and the
page reads as it does when every line is detected and those are settled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from samples import text_page

from ablage_desktop.engine.backends import rapidocr
from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.results.document import Box, OcrLine, OcrWord
from ablage_desktop.engine.text.layout import in_reading_order

LINES = (
    "Rechnung 4711 vom 30.10.2018",
    "Summe netto 123,45 EUR",
    "Zahlbar sofort ohne Abzug",
    "Bankverbindung Sparkasse",
)


@pytest.fixture(scope="module")
def backend() -> Iterator[rapidocr.RapidOcrBackend]:
    options = RapidOcrOptions(engine="rapidocr", instances=1, detection_side=1280)
    if not rapidocr.check(options).ok:
        pytest.skip("rapidocr cannot run here")
    loaded = rapidocr.load("rapidocr", options)
    assert isinstance(loaded, rapidocr.RapidOcrBackend)
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def page() -> PageImage:
    return PageImage(Path("invoice.png"), 0, text_page(LINES, size=(1400, 1400)), 300)


def known_line(backend: rapidocr.RapidOcrBackend, page: PageImage, number: int) -> OcrLine:
    """Line ``number`` of the page as another engine would give it: its words' boxes from
    the detector's box of it, the text marked so that it can be told apart."""
    [line] = [line for line in backend.recognize(page).lines if line.text == LINES[number]]
    x0, y0, x1, y1 = line.box
    inked = (x0 + 8, y0 + 8, x1 - 8, y1 - 8)
    return OcrLine(f"{LINES[number]} (known)", 0.95, line.box, (OcrWord("w", 0.95, inked),))


def test_the_detector_does_not_see_the_known_lines_and_the_rest_reads_as_before(
    backend: rapidocr.RapidOcrBackend, page: PageImage, monkeypatch: pytest.MonkeyPatch
) -> None:
    known = [known_line(backend, page, 0), known_line(backend, page, 2)]
    asked: list[Box] = []
    recognised: list[int] = []
    real = rapidocr._recognise

    def counting(session, crops, options, on_end):  # type: ignore[no-untyped-def]
        recognised.append(len(crops))
        return real(session, crops, options, on_end)

    monkeypatch.setattr(rapidocr, "_recognise", counting)

    def settle(boxes: list[Box]) -> list[OcrLine | None]:
        asked.extend(boxes)
        return [None] * len(boxes)

    result = backend.recognize_where(page, settle, known=known)

    assert len(asked) == 2  # the two unknown lines only
    assert all(box[1] > known[0].box[3] for box in asked)
    assert recognised == [2]
    text, _ = in_reading_order(result.lines)
    assert [line for line in text.splitlines() if line] == [
        f"{LINES[0]} (known)",
        LINES[1],
        f"{LINES[2]} (known)",
        LINES[3],
    ]
    whole = {line.text: line.box for line in backend.recognize(page).lines}
    for line in result.lines:
        if not line.text.endswith("(known)"):
            x0, y0, x1, y1 = whole[line.text]
            assert abs(line.box[0] - x0) <= 6 and abs(line.box[1] - y0) <= 6
            assert abs(line.box[2] - x1) <= 6 and abs(line.box[3] - y1) <= 6


def test_known_lines_covering_every_line_leave_nothing_to_recognise(
    backend: rapidocr.RapidOcrBackend, page: PageImage
) -> None:
    known = [known_line(backend, page, n) for n in range(len(LINES))]
    asked: list[list[Box]] = []

    result = backend.recognize_where(page, lambda boxes: asked.append(boxes) or [], known=known)

    assert asked == [[]]
    assert sorted(line.text for line in result.lines) == sorted(line.text for line in known)


def test_a_known_line_missing_a_character_at_its_end_is_read_by_the_detector_whole(
    backend: rapidocr.RapidOcrBackend, page: PageImage
) -> None:
    """The other engine's line stops short of the print ("4.07" read ".07"): its ink beyond
    that end is left, so the detector finds the line whole and ``settled`` decides on it."""
    [line] = [line for line in backend.recognize(page).lines if line.text == LINES[1]]
    x0, y0, x1, y1 = line.box
    short = OcrLine(
        "Summe netto 123,45",
        0.95,
        line.box,
        (OcrWord("w", 0.95, (x0 + 8, y0 + 8, x1 - 110, y1 - 8)),),
    )
    asked: list[Box] = []

    def settle(boxes: list[Box]) -> list[OcrLine | None]:
        asked.extend(boxes)
        return [None] * len(boxes)

    result = backend.recognize_where(page, settle, known=[short])

    assert LINES[1] in [line.text for line in result.lines]
    assert "Summe netto 123,45" not in [line.text for line in result.lines]
    assert len(asked) == len(LINES)
