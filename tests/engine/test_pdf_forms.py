"""Filled PDF forms and text typed onto a page in a viewer are read as the viewer shows them.

The PDFs are written by hand (``tests/born_digital.py``): form fields' values and FreeText
annotations live outside the page's content, where pdfium's text page does not look. Each
test reads through the real engine (the decoder process, pdfium, the text layer).
"""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
from born_digital import Note, Page, Run, pdf_bytes

from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import UnsupportedFormat
from ablage_desktop.engine.intake.documents import IntakeLimits, open_document
from ablage_desktop.engine.text.text_layer import BACKEND

LABELS = (("Name:", 700.0), ("IBAN:", 670.0), ("Betrag:", 640.0))
VALUES = ("Erika Mustermann", "DE89 3704 0044 0532 0130 00", "1.234,56 EUR")


def form(*, drawn: bool = True, kind: str = "widget") -> Page:
    """An application form: a heading, three labels, and their values in annotations."""
    runs = [Run(60.0, 760.0, "Antrag auf Erstattung", 14.0)]
    runs += [Run(60.0, y, label) for label, y in LABELS]
    notes = [
        Note(150.0, y - 6.0, value, kind=kind, drawn=drawn)
        for (_, y), value in zip(LABELS, VALUES, strict=True)
    ]
    return Page(runs, notes=notes)


@pytest.fixture
def engine(shipped_engine: EngineCore) -> EngineCore:
    return shipped_engine


def read_text(engine: EngineCore, path: Path) -> tuple[str, str]:
    """The document's text and the engine that read its page."""
    (document,) = engine.ocr(OcrRequest([path], archive=False))
    assert document.ok, document.error
    (page,) = document.pages
    return page.text, page.backend


@pytest.mark.parametrize(
    ("drawn", "kind"),
    [(True, "widget"), (False, "widget"), (True, "freetext")],
    ids=["filled-form", "form-leaving-appearances-to-the-viewer", "text-typed-in-a-viewer"],
)
def test_each_value_is_read_beside_its_label(
    tmp_path: Path, engine: EngineCore, drawn: bool, kind: str
) -> None:
    path = tmp_path / "antrag.pdf"
    path.write_bytes(pdf_bytes([form(drawn=drawn, kind=kind)]))
    text, backend = read_text(engine, path)
    assert backend == BACKEND  # still read from the layer: no engine needed
    lines = text.splitlines()
    assert lines[0] == "Antrag auf Erstattung"
    for (label, _), value in zip(LABELS, VALUES, strict=True):
        assert f"{label} {value}" in lines


def test_a_hidden_field_stays_unread(tmp_path: Path, engine: EngineCore) -> None:
    page = form()
    page.notes[1] = Note(150.0, 664.0, "DE00 0000 0000 0000 0000 00", hidden=True)
    path = tmp_path / "antrag.pdf"
    path.write_bytes(pdf_bytes([page]))
    text, _ = read_text(engine, path)
    assert "Erika Mustermann" in text
    assert "DE00" not in text


def test_the_page_image_shows_the_values_a_form_leaves_to_the_viewer(tmp_path: Path) -> None:
    """The page view and every OCR engine see what the layer holds."""
    filled, bare = tmp_path / "filled.pdf", tmp_path / "bare.pdf"
    filled.write_bytes(pdf_bytes([form(drawn=False)]))
    bare.write_bytes(pdf_bytes([Page(form().runs)]))
    limits = IntakeLimits(pdf_dpi=100, pdf_text="always_ocr")
    images = []
    for path in (filled, bare):
        with open_document(path, limits) as document:
            images.append(document.page(0).image.convert("L"))
    box = tuple(round(points * 100 / 72) for points in (150, 842 - 714, 400, 842 - 630))
    ink = [int((numpy.asarray(image.crop(box)) < 128).sum()) for image in images]
    assert ink[0] > 200 and ink[1] == 0


@pytest.mark.parametrize("kind", ["static", "dynamic"])
def test_an_xfa_form_is_read_from_its_pages_unless_they_are_a_placeholder(
    tmp_path: Path, engine: EngineCore, kind: str
) -> None:
    path = tmp_path / "elster.pdf"
    path.write_bytes(pdf_bytes([form()], xfa=kind))
    if kind == "static":
        assert "Name: Erika Mustermann" in read_text(engine, path)[0]
        return
    with pytest.raises(UnsupportedFormat, match=r"dynamic XFA form.*print it to a PDF"):
        open_document(path, IntakeLimits()).close()
    (document,) = engine.ocr(OcrRequest([path], archive=False))
    assert not document.ok
    assert document.error is not None and "XFA" in document.error.message
