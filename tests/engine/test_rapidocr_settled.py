"""RapidOCR reading only the lines no other engine has settled (``recognize_where``): its
detector finds every line, its recogniser reads the rest, and what it reads is what a whole
reading of the page would have given; lines another engine read for sure before detection
(``known``) are taken as they are, the detector looking only where they leave ink."""

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

LINES = ("Rechnung 4711 vom 30.10.2018", "Summe netto 123,45 EUR", "Zahlbar sofort")


def text_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


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
    return PageImage(Path("invoice.png"), 0, text_page(LINES, size=(1400, 340)), 300)


def test_with_nothing_settled_the_page_reads_as_rapidocr_s_own_call_reads_it(
    backend: rapidocr.RapidOcrBackend, page: PageImage
) -> None:
    """Detection and recognition called apart give the lines, boxes and scores of the
    library's one call on the page (``RapidOCR.__call__``)."""
    (session,) = backend._sessions
    own = session(page.image)
    expected = {
        rapidocr.box_of_quad(quad, page.width, page.height): (text, round(float(score), 4))
        for quad, text, score in zip(own.boxes, own.txts, own.scores, strict=True)
    }

    where = backend.recognize_where(page, lambda boxes: [None] * len(boxes))

    assert {line.box: (line.text, round(line.confidence, 4)) for line in where.lines} == expected
    assert text_lines(backend.recognize(page).text) == list(LINES)


@pytest.fixture
def recognised(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many crops each call of RapidOCR's recogniser is given."""
    counts: list[int] = []
    real = rapidocr._recognise

    def counting(session, crops, options, on_end):  # type: ignore[no-untyped-def]
        counts.append(len(crops))
        return real(session, crops, options, on_end)

    monkeypatch.setattr(rapidocr, "_recognise", counting)
    return counts


def test_a_settled_line_is_taken_as_it_is_and_the_rest_recognised(
    backend: rapidocr.RapidOcrBackend, page: PageImage, recognised: list[int]
) -> None:
    seen: list[Box] = []

    def settle(boxes: list[Box]) -> list[OcrLine | None]:
        seen.extend(boxes)
        top = min(range(len(boxes)), key=lambda i: boxes[i][1])
        return [
            OcrLine("Rechnung 4711 vom 30.10.2018 (settled)", 0.93, box) if i == top else None
            for i, box in enumerate(boxes)
        ]

    result = backend.recognize_where(page, settle)

    assert len(seen) == 3
    assert recognised == [2]  # the settled line never reached the recogniser
    text, _ = in_reading_order(result.lines)
    assert text_lines(text) == ["Rechnung 4711 vom 30.10.2018 (settled)", *LINES[1:]]


def test_a_blank_page_has_no_lines_to_settle(backend: rapidocr.RapidOcrBackend) -> None:
    from PIL import Image

    blank = PageImage(Path("blank.png"), 0, Image.new("L", (800, 600), 255), 300)
    asked: list[list[Box]] = []

    result = backend.recognize_where(blank, lambda boxes: asked.append(boxes) or [])

    assert result.text == ""
    assert asked == [[]]


def test_a_line_reads_the_same_whichever_lines_are_recognised_with_it(
    backend: rapidocr.RapidOcrBackend,
) -> None:
    """Lines of very different lengths: recognised in one batch, the short one was padded to
    the long one's width and could read otherwise (``REC_BATCH``)."""
    lines = ("Summe", "Zahlbar innerhalb von 14 Tagen ohne Abzug auf das Konto unten", "4711")
    page = PageImage(Path("mixed.png"), 0, text_page(lines, size=(1700, 340)), 300)
    whole = {line.box: (line.text, line.confidence) for line in backend.recognize(page).lines}

    for keep in range(len(lines)):
        alone = backend.recognize_where(
            page,
            lambda boxes, keep=keep: [
                None if i == keep else OcrLine("x", 0.95, box) for i, box in enumerate(boxes)
            ],
        )
        [read] = [line for line in alone.lines if line.text != "x"]
        assert (read.text, read.confidence) == whole[read.box]


@pytest.mark.parametrize("turn", [90, -90])
def test_a_note_up_or_down_the_margin_is_read(backend: rapidocr.RapidOcrBackend, turn: int) -> None:
    """RapidOCR turns a line standing on end a quarter anticlockwise, which sets a note
    reading bottom to top (the usual way up a German letter's margin) upside down: it read
    "Sts e es st t h et si" for this one before the half-turned reading was tried too."""
    from PIL import Image

    note = text_page(("Sitz der Gesellschaft Berlin HRB 12345",), size=(1100, 130))
    image = Image.new("L", (900, 1300), 255)
    image.paste(note.rotate(turn, expand=True), (60, 60))
    page = PageImage(Path("letter.png"), 0, image, 300)

    read = backend.recognize(page)

    assert text_lines(read.text) == ["Sitz der Gesellschaft Berlin HRB 12345"]


def test_a_line_stands_on_end_a_single_character_does_not() -> None:
    line = [(10, 10), (40, 10), (40, 200), (10, 200)]
    character = [(40, 105), (52, 105), (52, 123), (40, 123)]  # a "2", 12 x 18 pixels
    wide = [(10, 10), (200, 10), (200, 40), (10, 40)]

    assert rapidocr.stands_on_end(line)
    assert not rapidocr.stands_on_end(character)
    assert not rapidocr.stands_on_end(wide)


# --- lines known before detection (``known``) ---------------------------------------------

LETTER = (
    "Rechnung 4711 vom 30.10.2018",
    "Summe netto 123,45 EUR",
    "Zahlbar sofort ohne Abzug",
    "Bankverbindung Sparkasse",
)


@pytest.fixture(scope="module")
def letter() -> PageImage:
    """A page mostly paper, as a letter is: the lines left unknown are a small part of it."""
    return PageImage(Path("letter.png"), 0, text_page(LETTER, size=(1400, 1400)), 300)


def known_line(backend: rapidocr.RapidOcrBackend, letter: PageImage, number: int) -> OcrLine:
    """Line ``number`` of the page as another engine would give it: a word box around its
    ink, found in the detector's box of it, the text marked so that it can be told apart."""
    import numpy as np

    [line] = [line for line in backend.recognize(letter).lines if line.text == LETTER[number]]
    x0, y0, x1, y1 = line.box
    rows, columns = np.nonzero(np.asarray(letter.image)[y0:y1, x0:x1] < 128)
    inked = (x0 + columns.min(), y0 + rows.min(), x0 + columns.max() + 1, y0 + rows.max() + 1)
    return OcrLine(f"{LETTER[number]} (known)", 0.95, line.box, (OcrWord("w", 0.95, inked),))


def test_the_detector_does_not_see_the_known_lines_and_the_rest_reads_as_before(
    backend: rapidocr.RapidOcrBackend, letter: PageImage, recognised: list[int]
) -> None:
    known = [known_line(backend, letter, 0), known_line(backend, letter, 2)]
    recognised.clear()  # the readings that made them
    asked: list[Box] = []

    def settle(boxes: list[Box]) -> list[OcrLine | None]:
        asked.extend(boxes)
        return [None] * len(boxes)

    result = backend.recognize_where(letter, settle, known=known)

    assert len(asked) == 2  # the two unknown lines only
    assert all(box[1] > known[0].box[3] for box in asked)
    assert recognised == [2]
    text, _ = in_reading_order(result.lines)
    assert [line for line in text.splitlines() if line] == [
        f"{LETTER[0]} (known)",
        LETTER[1],
        f"{LETTER[2]} (known)",
        LETTER[3],
    ]
    whole = {line.text: line.box for line in backend.recognize(letter).lines}
    for line in result.lines:
        if not line.text.endswith("(known)"):
            x0, y0, x1, y1 = whole[line.text]
            assert abs(line.box[0] - x0) <= 6 and abs(line.box[1] - y0) <= 6
            assert abs(line.box[2] - x1) <= 6 and abs(line.box[3] - y1) <= 6


def test_known_lines_covering_every_line_leave_nothing_to_recognise(
    backend: rapidocr.RapidOcrBackend, letter: PageImage
) -> None:
    known = [known_line(backend, letter, n) for n in range(len(LETTER))]
    asked: list[list[Box]] = []

    result = backend.recognize_where(letter, lambda boxes: asked.append(boxes) or [], known=known)

    assert asked == [[]]
    assert sorted(line.text for line in result.lines) == sorted(line.text for line in known)


def test_a_known_line_missing_a_character_at_its_end_is_read_by_the_detector_whole(
    backend: rapidocr.RapidOcrBackend, letter: PageImage
) -> None:
    """The other engine's line stops short of the print ("4.07" read ".07"): its ink beyond
    that end is left, so the detector finds the line whole and ``settled`` decides on it."""
    [line] = [line for line in backend.recognize(letter).lines if line.text == LETTER[1]]
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

    result = backend.recognize_where(letter, settle, known=[short])

    assert LETTER[1] in [line.text for line in result.lines]
    assert "Summe netto 123,45" not in [line.text for line in result.lines]
    assert len(asked) == len(LETTER)


def test_where_the_detector_finds_no_line_in_ink_left_the_page_is_detected_whole(
    backend: rapidocr.RapidOcrBackend, letter: PageImage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ink the size of print in which the detector finds no line (a table's lone "0" on a
    real page, found only with the page around it) is seen again wider, then the page is
    detected whole: nothing the whole page gives is lost."""
    from ablage_desktop.engine.backends import rapidocr_unread

    known = [known_line(backend, letter, 0), known_line(backend, letter, 2)]
    seen: list[tuple[int, ...]] = []
    monkeypatch.setattr(
        rapidocr_unread, "_detect_region", lambda _d, part, *_: seen.append(part.shape) and None
    )
    whole: list[int] = []
    real = rapidocr._detect
    monkeypatch.setattr(rapidocr, "_detect", lambda *args: whole.append(1) or real(*args))

    result = backend.recognize_where(letter, lambda boxes: [None] * len(boxes), known=known)

    assert len(seen) == 2 and seen[1][0] > seen[0][0] and seen[1][1] > seen[0][1]  # wider
    assert whole == [1]
    assert sorted(line.text for line in result.lines) == sorted(LETTER)  # read as a whole page
