"""Reading order for loose line boxes (RapidOCR): rows as a person reads them."""

from __future__ import annotations

from ablage_desktop.engine.layout import group_rows, rows_to_text
from ablage_desktop.engine.results import OcrLine


def box(text: str, x0: int, y0: int, x1: int, y1: int) -> OcrLine:
    return OcrLine(text, 0.9, (x0, y0, x1, y1))


def test_a_label_and_its_value_are_one_row() -> None:
    lines = [box("12,00 EUR", 800, 102, 950, 130), box("Summe", 100, 100, 220, 128)]
    assert rows_to_text(lines) == "Summe 12,00 EUR"


def test_rows_go_top_to_bottom_whatever_the_detection_order() -> None:
    lines = [
        box("drei", 10, 210, 90, 240),
        box("eins", 10, 10, 90, 40),
        box("zwei", 10, 110, 90, 140),
    ]
    assert rows_to_text(lines) == "eins\nzwei\ndrei"


def test_a_tall_box_does_not_pull_the_next_line_into_its_row() -> None:
    """A slanted box spans two text lines; the line under it must not be read into its row."""
    lines = [
        box("performed by most licensees. Other B&W physical", 100, 100, 900, 160),
        box("measurements as ends stability and inspection", 100, 135, 880, 170),
        box("(Note: Coal Retention testing is not", 950, 100, 1500, 130),
    ]
    assert rows_to_text(lines).splitlines() == [
        "performed by most licensees. Other B&W physical (Note: Coal Retention testing is not",
        "measurements as ends stability and inspection",
    ]


def test_boxes_stacked_on_top_of_each_other_are_two_rows() -> None:
    upper = box("Zeile eins", 100, 100, 500, 140)
    lower = box("Zeile zwei", 120, 125, 480, 165)  # overlaps vertically, but also horizontally
    assert [[line.text for line in row] for row in group_rows([lower, upper])] == [
        ["Zeile eins"],
        ["Zeile zwei"],
    ]


def test_a_small_box_beside_a_tall_one_joins_its_row() -> None:
    lines = [box("Betrag", 100, 100, 300, 160), box("€", 320, 115, 340, 145)]
    assert rows_to_text(lines) == "Betrag €"
