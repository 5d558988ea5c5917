"""The stamp step: a coloured stamp over the print is lifted off it, the print stays, and the
stamp is read on its own after the page's text; coloured ink beside the print, a grey page and
a highlighter's marks (lifted, not read apart) are told from it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from ablage_desktop.engine.backends.tesseract import TesseractBackend, TesseractOptions
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.stamp_reading import added, stamp_lines
from ablage_desktop.engine.preprocess import PreprocessingSettings, Preprocessor
from ablage_desktop.engine.preprocess.measure import measure
from ablage_desktop.engine.preprocess.stamps import lift_stamps
from ablage_desktop.engine.results.document import OcrLine, OcrPage

SIZE = (1654, 2339)
"""An A4 page at 200 dpi."""
LINES = tuple(
    f"Rechnung {4711 + n} vom 30.10.2018 über {120 + 7 * n},45 EUR an Jürgen Müller"
    for n in range(14)
)
RED = (200, 40, 50)


def letter() -> Image.Image:
    image = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=34)
    for n, line in enumerate(LINES):
        draw.text((120, 300 + 70 * n), line, font=font, fill=(0, 0, 0))
    return image


def ink_of(
    words: str,
    colour: tuple[int, int, int],
    where: tuple[int, int],
    angle: float,
    frame: bool = True,
) -> Image.Image:
    """A stamp of ``words`` (one line each, separated by "/") pressed on at ``where``: white
    where it has no ink."""
    stamp = Image.new("RGB", SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(stamp)
    font = ImageFont.load_default(size=80)
    text = words.replace("/", "\n")
    box = draw.multiline_textbbox(where, text, font=font, align="center")
    draw.multiline_text(where, text, font=font, fill=colour, align="center")
    if frame:
        draw.rectangle(
            [box[0] - 25, box[1] - 25, box[2] + 25, box[3] + 25], outline=colour, width=9
        )
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    return stamp.rotate(angle, center=centre, fillcolor=(255, 255, 255))


def stamped(page: Image.Image, stamp: Image.Image) -> Image.Image:
    """The stamp's ink on the page: ink darkens what is under it, channel by channel."""
    return ImageChops.multiply(page, stamp)


def grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


@pytest.mark.parametrize(
    "colour", [RED, (40, 70, 190), (120, 60, 160)], ids=["red", "blue", "violet"]
)
def test_a_stamp_over_the_print_is_lifted_off_it_and_kept_apart(
    colour: tuple[int, int, int],
) -> None:
    clean = letter()
    stamp = ink_of("BEZAHLT/12.03.2026", colour, (500, 520), 8)
    page = stamped(clean, stamp)

    lifted = lift_stamps(page, measure(page).text_height)

    assert lifted is not None and len(lifted.stamps) == 1
    print_ink = grey(clean) < 128
    stamp_ink = (np.asarray(stamp).max(axis=2) - np.asarray(stamp).min(axis=2)) > 80
    after = grey(lifted.page)
    assert (after[print_ink] < 128).mean() > 0.99  # the print under the stamp stays
    assert (after[stamp_ink & ~print_ink] > 200).mean() > 0.97  # the stamp's ink is gone
    words = np.asarray(ink_of("BEZAHLT/12.03.2026", colour, (500, 520), 8, frame=False))
    words_ink = int(((words.max(axis=2) - words.min(axis=2)) > 80).sum())
    alone = (grey(lifted.stamps[0].image) < 128).sum()
    assert 0.8 * words_ink < alone < 1.2 * words_ink  # its words' ink, apart, without the frame
    assert "1 coloured stamp(s)" in lifted.note


def test_a_stamp_across_a_receipt_is_lifted() -> None:
    """A stamp spans most of a receipt's width (a width cap left the data set's receipt as
    it was)."""
    receipt = Image.new("RGB", (560, 1600), (255, 255, 255))
    draw, font = ImageDraw.Draw(receipt), ImageFont.load_default(size=28)
    for n in range(30):
        draw.text(
            (30, 60 + 48 * n), f"{n + 1} x Artikel {4711 + n}   {3 + n},99", font=font, fill=0
        )
    stamp = Image.new("RGB", receipt.size, (255, 255, 255))
    ImageDraw.Draw(stamp).multiline_text(
        (40, 700), "BEZAHLT\n12.03.2026", font=ImageFont.load_default(size=80), fill=RED
    )
    page = stamped(receipt, stamp.rotate(6, fillcolor=(255, 255, 255)))
    lifted = lift_stamps(page, measure(page).text_height)
    assert lifted is not None and len(lifted.stamps) == 1


def test_a_stamp_is_straightened_to_be_read() -> None:
    page = stamped(letter(), ink_of("BEZAHLT", RED, (500, 520), 12, frame=False))
    lifted = lift_stamps(page, measure(page).text_height)
    assert lifted is not None
    alone = grey(lifted.stamps[0].image) < 128
    rows = np.flatnonzero(alone.any(axis=1))
    # Level, the word's ink spans its letters' height; turned 12 degrees, a third more.
    assert rows[-1] - rows[0] < 90


@pytest.mark.parametrize(
    "colour_page",
    [
        "logo-beside-the-print",
        "links-inline-on-nearby-lines",
        "form-printed-in-colour",
        "table-with-a-coloured-grid-and-header",
        "photo-among-the-print",
        "grey-page",
        "no-colour",
    ],
)
def test_what_is_not_a_stamp_over_print_is_left(colour_page: str) -> None:
    page = letter()
    if colour_page == "links-inline-on-nearby-lines":  # a printed e-mail: print in their box
        draw, font = ImageDraw.Draw(page), ImageFont.load_default(size=34)
        for row, x, link in [(2, 560, "www.example.de"), (3, 420, "info@example.de")]:
            top = 300 + 70 * row
            draw.rectangle([x - 5, top - 2, x + 330, top + 42], fill=(255, 255, 255))
            draw.text((x, top), link, font=font, fill=(20, 40, 220))
            draw.line([x, top + 38, x + 300, top + 38], fill=(20, 40, 220), width=2)
    elif colour_page == "form-printed-in-colour":  # its entries typed across its labels
        page = Image.new("RGB", SIZE, (255, 255, 255))
        draw, green = ImageDraw.Draw(page), (0, 140, 70)
        for row in range(8):
            top = 250 + 160 * row
            draw.rectangle([100, top, 1550, top + 140], outline=green, width=4)
            label = ImageFont.load_default(size=30)
            draw.text((115, top + 8), "Name, Vorname des Antragstellers", font=label, fill=green)
            entry = ImageFont.load_default(size=40)
            draw.text((125, top + 12), "Mustermann, Erika", font=entry, fill=(0, 0, 0))
    elif colour_page == "table-with-a-coloured-grid-and-header":  # cells touching its lines
        draw, blue, font = ImageDraw.Draw(page), (30, 70, 180), ImageFont.load_default(size=32)
        top, columns = 1400, [120, 300, 1000, 1250, 1530]
        for row in range(7):
            draw.line([120, top + 60 * row, 1530, top + 60 * row], fill=blue, width=3)
        for x in columns:
            draw.line([x, top, x, top + 360], fill=blue, width=3)
        for x, head in zip(columns, ["Pos", "Beschreibung", "Menge", "Betrag"], strict=False):
            draw.text((x + 8, top + 14), head, font=font, fill=blue)
        for row in range(1, 6):
            cells = [str(row), f"Artikel {4711 + row}", str(row * 3), f"{row * 12},50"]
            for x, cell in zip(columns, cells, strict=False):
                draw.text((x - 3, top + 60 * row + 30), cell, font=font, fill=(0, 0, 0))
    elif colour_page == "photo-among-the-print":  # many hues, dark parts of its own
        noise = np.random.default_rng(3).integers(0, 256, (12, 16, 3)).astype(np.uint8)
        photo = Image.fromarray(noise).resize((640, 480), Image.Resampling.BICUBIC)
        page.paste(photo, (900, 700))
    elif colour_page == "logo-beside-the-print":
        ImageDraw.Draw(page).text(
            (1100, 80), "ACME", font=ImageFont.load_default(size=90), fill=RED
        )
    elif colour_page == "grey-page":
        page = stamped(page, ink_of("BEZAHLT", RED, (500, 520), 8)).convert("L")
    assert lift_stamps(page, measure(page).text_height) is None


def test_a_highlighters_mark_is_lifted_but_not_read_apart() -> None:
    clean = letter()
    marks = Image.new("RGB", SIZE, (255, 255, 255))
    ImageDraw.Draw(marks).rectangle([110, 362, 1450, 408], fill=(255, 240, 80))
    page = stamped(clean, marks)

    lifted = lift_stamps(page, measure(page).text_height)

    assert lifted is not None and lifted.stamps == ()
    assert "1 highlighter mark(s)" in lifted.note
    print_ink = grey(clean) < 128
    assert (grey(lifted.page)[print_ink] < 128).mean() > 0.99


def test_the_stage_lifts_stamps_for_every_engine_and_can_be_switched_off() -> None:
    page = PageImage(
        Path("scan.png"), 0, stamped(letter(), ink_of("BEZAHLT", RED, (500, 520), 8)), 200
    )
    prepared = Preprocessor(PreprocessingSettings()).prepare(page)
    assert len(prepared.stamps) == 1
    assert any("stamp" in note for note in prepared.variant("tesseract").notes)
    (stamp_page,) = prepared.stamp_variants()
    assert stamp_page.page.image.size == prepared.stamps[0].image.size

    off = PreprocessingSettings.model_validate({"stamps": {"enabled": False}})
    assert Preprocessor(off).prepare(page).stamps == ()


def test_a_stamp_on_a_page_turned_upright_is_placed_on_the_page_as_it_came() -> None:
    """The stamp is lifted from the page turned upright; its lines' boxes go back through the
    turn onto the page as scanned, where its red ink is."""
    scanned = stamped(letter(), ink_of("BEZAHLT", RED, (500, 900), 8)).rotate(90, expand=True)
    prepared = Preprocessor(PreprocessingSettings()).prepare(
        PageImage(Path("scan.png"), 0, scanned, 200)
    )
    assert prepared.turned and len(prepared.stamps) == 1
    (variant,) = prepared.stamp_variants()
    x0, y0, x1, y1 = variant.mapper.box((0, 0, variant.page.width, variant.page.height))
    rgb = np.asarray(scanned).astype(int)
    red = np.nonzero(rgb.max(axis=2) - rgb.min(axis=2) > 80)
    assert x0 <= red[1].min() and red[1].max() <= x1 and y0 <= red[0].min() and red[0].max() <= y1
    assert (x1 - x0) * (y1 - y0) < 3 * np.ptp(red[1]) * np.ptp(red[0])  # a straightened canvas


def test_tesseract_reads_a_stamp_as_one_block() -> None:
    """A stamp's ink alone, its frame broken where print crossed it: Tesseract's page layout
    found no text in such a stamp from a receipt; read as one block it finds the words."""
    image = Image.new("L", (560, 350), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle([30, 70, 520, 280], outline=0, width=8)
    text, font = "BEZAHLT\n12.03.2026", ImageFont.load_default(size=80)
    draw.multiline_text((70, 100), text, font=font, fill=0, align="center")
    for top in range(90, 270, 30):  # the print seen through it
        draw.line([30, top, 530, top + 6], fill=255, width=2)
    backend = TesseractBackend("tesseract", TesseractOptions(engine="tesseract", instances=1))
    try:
        stamp = PageImage(Path("scan.png"), 0, image, 100, one_block=True)
        read = stamp_lines(backend.recognize(stamp))
        (api,) = backend._apis  # the next page is a page again, read with the configured layout
        assert api.GetPageSegMode() == TesseractOptions(engine="tesseract").page_segmentation
    finally:
        backend.close()
    assert [line.text for line in read] == ["BEZAHLT", "12.03.2026"]  # the frame's bars off


def test_a_stamps_lines_come_after_the_page_in_its_text_lines_and_markdown() -> None:
    page = OcrPage(0, 1654, 2339, "docling", 1.0, "Rechnung", markdown="# Rechnung\n")
    stamp = [
        OcrLine("12.03.2026", 0.9, (500, 600, 900, 680)),
        OcrLine("BEZAHLT", 0.9, (520, 500, 880, 580)),
    ]

    found = added(page, stamp)

    assert found.text == "Rechnung\n\nBEZAHLT\n12.03.2026"
    assert [line.text for line in found.lines] == ["BEZAHLT", "12.03.2026"]
    assert found.markdown == "# Rechnung\n\nBEZAHLT\n12.03.2026\n"
    assert added(page, []) is page


@pytest.fixture
def engine(shipped_engine: EngineCore) -> EngineCore:
    return shipped_engine


def test_the_print_under_a_stamp_and_the_stamp_are_both_read(
    engine: EngineCore, tmp_path: Path
) -> None:
    """Through the real engine: the print read as without the stamp, and the stamp's words
    after the page's text, placed where the stamp lies."""
    clean, paper = tmp_path / "clean.png", tmp_path / "scan.png"
    letter().save(clean, dpi=(200, 200))
    stamped(letter(), ink_of("BEZAHLT/12.03.2026", RED, (500, 520), 8)).save(paper, dpi=(200, 200))

    unstamped, document = engine.ocr(OcrRequest([clean, paper], backend="rapidocr", archive=False))

    assert document.ok, document.error
    (page,) = document.pages
    body, _, after = page.text.rpartition("\n\n")
    assert body == unstamped.pages[0].text
    assert after.splitlines() == ["BEZAHLT", "12.03.2026"]
    (word,) = [line for line in page.lines if line.text == "BEZAHLT"]
    assert 450 < word.box[0] < 700 and 450 < word.box[1] < 650


def test_a_stamp_is_read_by_the_engine_the_page_fell_back_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RapidOCR fails on the page (an injected fault); Tesseract, next in the chain, reads
    the page and then its stamp: the stamp is not handed back to the engine that failed."""
    import dataclasses

    from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend
    from ablage_desktop.engine.config import Routing, load_config
    from ablage_desktop.engine.errors import RecognitionError

    def fails(self, page, settled, cancel=None):  # type: ignore[no-untyped-def]
        raise RecognitionError("RapidOCR failed (injected)")

    monkeypatch.setattr(RapidOcrBackend, "recognize_where", fails)
    chain = ["rapidocr", "tesseract"]
    config = load_config([])
    routing = Routing(complex=chain, simple=chain, unknown=chain, cpu_only=chain[-1:])
    engine = EngineCore(dataclasses.replace(config, routing=routing))
    paper = tmp_path / "scan.png"
    stamped(letter(), ink_of("BEZAHLT/12.03.2026", RED, (500, 520), 8)).save(paper, dpi=(200, 200))
    try:
        (document,) = engine.ocr(OcrRequest([paper], backend="auto", archive=False))
    finally:
        engine.close()

    assert document.ok, document.error
    (page,) = document.pages
    assert page.backend == "tesseract"
    assert [(f.from_backend, f.to_backend) for f in page.fallbacks] == [("rapidocr", "tesseract")]
    assert page.text.rpartition("\n\n")[2].splitlines() == ["BEZAHLT", "12.03.2026"]


def test_a_stamps_frame_is_taken_off_and_its_letters_kept() -> None:
    from ablage_desktop.engine.preprocess.stamp_frames import cleaned

    image = Image.new("L", (520, 240), 255)
    draw = ImageDraw.Draw(image)
    words, font = "BEZAHLT\n12.03.2026", ImageFont.load_default(size=70)
    draw.multiline_text((70, 40), words, font=font, fill=0)
    letters = grey(image) < 128
    draw.rectangle([20, 15, 500, 225], outline=0, width=9)
    for top in range(30, 220, 35):  # print crossed it: its ink lifted with the print's
        draw.line([0, top, 520, top + 3], fill=255, width=3)
    kept = grey(Image.fromarray(cleaned(grey(image)))) < 128
    assert not kept[:, :32].any() and not kept[:, 490:].any()  # the sides
    assert not kept[:28].any() and not kept[214:].any()  # the top and bottom
    assert kept[letters].mean() > 0.9  # the letters, scratches closed


def test_a_stamp_without_a_frame_keeps_letters_as_tall_as_itself() -> None:
    from ablage_desktop.engine.preprocess.stamp_frames import cleaned

    image = Image.new("L", (420, 80), 255)
    ImageDraw.Draw(image).text((5, 0), "EINGANG", font=ImageFont.load_default(size=80), fill=0)
    ink = grey(image) < 128
    assert ((grey(Image.fromarray(cleaned(grey(image)))) < 128)[ink]).mean() > 0.97
