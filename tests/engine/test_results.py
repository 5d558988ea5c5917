"""Results and their txt / JSON forms."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ablage_desktop.engine.pathtext import name_from_json
from ablage_desktop.engine.results.document import (
    ErrorInfo,
    OcrDocument,
    OcrLine,
    OcrPage,
    OcrWord,
    render,
    write_result,
)


def two_page_document(path: Path) -> OcrDocument:
    lines = (OcrLine("Rechnung Nr. 1", 0.91234, (10, 20, 300, 60)),)
    return OcrDocument(
        document=path,
        sha256="ab" * 32,
        pages=[
            OcrPage(0, 2480, 3508, "tesseract", 0.51234, "Rechnung Nr. 1", lines),
            OcrPage(1, 2480, 3508, "tesseract", 0.4, "Summe: 12,00 €\n"),
        ],
    )


def test_json_has_exactly_the_documented_shape(tmp_path: Path) -> None:
    data = json.loads(render(two_page_document(tmp_path / "r.pdf"), "json"))

    assert list(data) == ["document", "document_bytes_b64", "sha256", "pages", "error"]
    assert data["error"] is None
    assert list(data["pages"][0]) == [
        "index",
        "width",
        "height",
        "backend",
        "seconds",
        "text",
        "lines",
        "route",
        "fallbacks",
    ]
    assert data["pages"][0]["lines"] == [
        {"text": "Rechnung Nr. 1", "confidence": 0.9123, "box": [10, 20, 300, 60]}
    ]
    assert data["pages"][1]["text"] == "Summe: 12,00 €\n"


def test_json_of_a_failed_document_carries_kind_and_message(tmp_path: Path) -> None:
    failed = OcrDocument(tmp_path / "x.pdf", error=ErrorInfo("encrypted", "It is locked."))

    data = json.loads(render(failed, "json"))

    assert data["error"] == {"kind": "encrypted", "message": "It is locked."}
    assert data["pages"] == []


def test_plain_text_separates_pages_with_a_form_feed(tmp_path: Path) -> None:
    text = render(two_page_document(tmp_path / "r.pdf"), "txt").decode("utf-8")

    assert text == "Rechnung Nr. 1\n\fSumme: 12,00 €\n"


def test_a_file_name_that_is_not_utf8_survives_the_json_round_trip(tmp_path: Path) -> None:
    name = os.fsdecode(b"Rechnung-\xe4\xfc.pdf")  # Latin-1 bytes on a UTF-8 system
    document = OcrDocument(tmp_path / name, sha256="00" * 32)

    data = json.loads(render(document, "json").decode("utf-8"))

    assert os.fsencode(name_from_json(data)).endswith(b"Rechnung-\xe4\xfc.pdf")
    assert data["document"].endswith("Rechnung-\ufffd\ufffd.pdf")  # as other tools show it


def test_writing_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "r.json"
    target.parent.mkdir()
    target.write_text("old")

    write_result(two_page_document(tmp_path / "r.pdf"), target, "json")

    assert json.loads(target.read_text())["sha256"] == "ab" * 32
    assert [p.name for p in target.parent.iterdir()] == ["r.json"]


def test_words_travel_in_the_json_only_where_an_engine_gave_them() -> None:
    words = (OcrWord("Summe", 0.96, (10, 20, 120, 60)), OcrWord("12,00", 0.5, (140, 20, 250, 60)))
    with_words = OcrLine("Summe 12,00", 0.9, (10, 20, 250, 60), words)
    without = OcrLine("Summe 12,00", 0.9, (10, 20, 250, 60))
    page = OcrPage(0, 300, 100, "tesseract", 0.1, "Summe 12,00", (with_words, without))

    data = page.to_json()

    assert data["lines"][0]["words"][1] == {
        "text": "12,00",
        "confidence": 0.5,
        "box": [140, 20, 250, 60],
    }
    assert "words" not in data["lines"][1]
    assert OcrPage.from_json(json.loads(json.dumps(data))) == page


def test_a_line_kept_out_of_the_text_says_so_in_the_json_and_back() -> None:
    """A logo's lettering ``auto`` sets aside (``models.pictures``): in the lines, marked."""
    logo = OcrLine("DARPA", 0.9, (300, 2400, 700, 2600), role="picture_text", in_text=False)
    line = OcrLine("Broad Agency Announcement", 0.99, (300, 600, 1400, 660))
    page = OcrPage(0, 2550, 3301, "rapidocr+tesseract", 1.0, line.text, (line, logo))

    data = page.to_json()

    assert data["lines"][1]["in_text"] is False
    assert "in_text" not in data["lines"][0]
    assert OcrPage.from_json(json.loads(json.dumps(data))) == page
