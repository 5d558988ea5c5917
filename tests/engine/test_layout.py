"""Reading order of line boxes: rows as a person reads them, columns of running text apart."""

from __future__ import annotations

from ablage_desktop.engine.results.document import OcrLine
from ablage_desktop.engine.text.layout import group_rows, in_reading_order


def page_text(lines: list[OcrLine]) -> str:
    return in_reading_order(lines)[0]


def test_the_lines_come_back_in_the_order_of_the_text() -> None:
    lines = [box("Summe", 100, 100, 220, 128), box("12,00 EUR", 800, 102, 950, 130)]
    lines.insert(0, box("Rechnung 4711", 100, 20, 400, 50))

    text, ordered = in_reading_order(list(reversed(lines)))

    assert [line.text for line in ordered] == ["Rechnung 4711", "Summe", "12,00 EUR"]
    assert text == "Rechnung 4711\n\nSumme 12,00 EUR"


def box(text: str, x0: int, y0: int, x1: int, y1: int) -> OcrLine:
    return OcrLine(text, 0.9, (x0, y0, x1, y1))


def test_a_label_and_its_value_are_one_row() -> None:
    lines = [box("12,00 EUR", 800, 102, 950, 130), box("Summe", 100, 100, 220, 128)]
    assert page_text(lines) == "Summe 12,00 EUR"


def test_rows_go_top_to_bottom_whatever_the_detection_order() -> None:
    lines = [
        box("drei", 10, 80, 90, 110),
        box("eins", 10, 10, 90, 40),
        box("zwei", 10, 45, 90, 75),
    ]
    assert page_text(lines) == "eins\nzwei\ndrei"


def test_a_tall_box_does_not_pull_the_next_line_into_its_row() -> None:
    """A slanted box spans two text lines; the line under it must not be read into its row."""
    lines = [
        box("performed by most licensees. Other B&W physical", 100, 100, 900, 160),
        box("measurements as ends stability and inspection", 100, 135, 880, 170),
        box("(Note: Coal Retention testing is not", 950, 100, 1500, 130),
    ]
    assert page_text(lines).splitlines() == [
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


def test_the_loose_word_boxes_of_one_line_are_one_row() -> None:
    """Monospaced print read at full size: the detector found the words apart, their boxes
    overlapping by a third, at the same height."""
    words = [("4081", 36, 120), ("ARTIKEL", 117, 276), ("081", 267, 352), ("5x", 331, 389)]
    lines = [box(text, x0, 4131, x1, 4167) for text, x0, x1 in words]
    lines.append(box("2.97", 430, 4131, 516, 4169))
    lines.append(box("4082 ARTIKEL 082 6x 3.34", 34, 4181, 516, 4219))
    assert page_text(lines).splitlines() == [
        "4081 ARTIKEL 081 5x 2.97",
        "4082 ARTIKEL 082 6x 3.34",
    ]


def test_a_small_box_beside_a_tall_one_joins_its_row() -> None:
    lines = [box("Betrag", 100, 100, 300, 160), box("€", 320, 115, 340, 145)]
    assert page_text(lines) == "Betrag €"


PROSE_LEFT = [
    "Die Rechnung wird innerhalb von",
    "vierzehn Tagen ohne Abzug fällig",
    "und ist auf das unten genannte",
    "Konto zu überweisen, herzlichen Dank.",
]
PROSE_RIGHT = [
    "Bei Rückfragen wenden Sie sich",
    "bitte an unsere Buchhaltung unter",
    "der angegebenen Telefonnummer",
    "oder schreiben Sie uns eine Mail.",
]


def two_columns(left: list[str], right: list[str], left_width: int = 700) -> list[OcrLine]:
    """Lines of two columns side by side, each line at the same height as its neighbour."""
    lines = []
    for n, (a, b) in enumerate(zip(left, right, strict=True)):
        top = 100 + 40 * n
        lines.append(box(a, 100, top, 100 + left_width, top + 30))
        lines.append(box(b, 900, top, 1600, top + 30))
    return lines


def test_two_columns_of_running_text_are_read_one_after_the_other() -> None:
    text = page_text(two_columns(PROSE_LEFT, PROSE_RIGHT))
    assert text.split("\n\n") == ["\n".join(PROSE_LEFT), "\n".join(PROSE_RIGHT)]


def test_labels_and_their_values_are_read_row_by_row_despite_the_gutter() -> None:
    labels = ["Name:", "Ansprechpartner:", "Anschrift:", "Telefon:"]
    values = ["Physiotherapeutin", "Tanja Tinder", "Musterstraße 12", "015119630027"]
    text = page_text(two_columns(labels, values, left_width=300))
    assert text.splitlines() == [
        f"{label} {value}" for label, value in zip(labels, values, strict=True)
    ]


def receipt(items: int, left: int, top: int, pitch: int) -> list[OcrLine]:
    """A till receipt's lines: an item and, right of a gap, its price on each line."""
    lines = []
    for n in range(items):
        y = top + pitch * n
        lines.append(box(f"ARTIKEL {left} {n}", left, y, left + 260, y + 24))
        lines.append(box(f"{n + 1},{left % 100:02d}", left + 420, y, left + 500, y + 24))
    return lines


def test_receipts_glued_side_by_side_are_read_one_after_the_other() -> None:
    """Each with its own line pitch: their lines do not stand level, and each is read whole,
    its prices beside its items."""
    first, second = receipt(18, 100, 100, 34), receipt(15, 800, 140, 45)
    text = page_text(first + second)
    assert text.split("\n\n") == [page_text(first), page_text(second)]
    assert page_text(first).splitlines()[0] == "ARTIKEL 100 0 1,00"


def test_blocks_side_by_side_standing_level_are_read_row_by_row() -> None:
    """Two receipts of the same pitch, level line by line, or a long form of labels and
    values: a person reads across."""
    first, second = receipt(12, 100, 100, 34), receipt(12, 800, 101, 34)
    assert page_text(first + second).splitlines()[0] == "ARTIKEL 100 0 1,00 ARTIKEL 800 0 1,00"


def test_a_form_beside_a_letterhead_column_stays_row_by_row() -> None:
    """A long fax cover: its fields on the left, the sender's letterhead and notes on the
    right, neither level nor at a steady pitch; its ground truth reads across."""
    fields = [100, 160, 260, 300, 420, 460, 600, 640, 700, 820, 860, 980, 1020, 1140, 1180, 1300]
    letterhead = [159, 201, 292, 306, 390, 551, 565, 747, 775, 789, 943, 950, 1055, 1083, 1223]
    letterhead.append(1272)
    lines = [box(f"FELD {n} Inhalt", 100, y, 500, y + 24) for n, y in enumerate(fields)]
    lines += [box(f"KOPF {n}", 900, y, 1100, y + 24) for n, y in enumerate(letterhead)]
    text = page_text(lines)
    assert text.index("KOPF 0") < text.index("FELD 9")  # not all fields, then the letterhead


def test_table_cells_are_read_row_by_row() -> None:
    cells = [["Pos", "Menge", "Betrag"], ["1", "10", "260,00"], ["2", "10", "120,00"]]
    lines = [
        box(text, 100 + 400 * column, 100 + 40 * row, 200 + 400 * column, 130 + 40 * row)
        for row, texts in enumerate(cells)
        for column, text in enumerate(texts)
    ]
    assert page_text(lines).splitlines() == [" ".join(texts) for texts in cells]


def test_a_heading_across_two_columns_comes_first_then_each_column() -> None:
    lines = [
        box("Mitteilung an alle Kunden", 100, 20, 1600, 50),
        *two_columns(PROSE_LEFT, PROSE_RIGHT),
    ]
    assert page_text(lines).split("\n\n") == [
        "Mitteilung an alle Kunden",
        "\n".join(PROSE_LEFT),
        "\n".join(PROSE_RIGHT),
    ]


def test_a_closing_under_both_columns_comes_after_them() -> None:
    """An empty line below the columns, at the left margin: read with the first column, the
    letter's closing came before the second."""
    lines = [
        *two_columns(PROSE_LEFT, PROSE_RIGHT),
        box("Mit freundlichen Grüßen", 100, 330, 500, 360),
    ]
    assert page_text(lines).split("\n\n") == [
        "\n".join(PROSE_LEFT),
        "\n".join(PROSE_RIGHT),
        "Mit freundlichen Grüßen",
    ]


def test_a_column_longer_than_the_next_keeps_its_last_lines() -> None:
    """No empty line between them and the rest of their column: they are its text."""
    more = [*PROSE_LEFT, "Wir danken für Ihr Vertrauen und", "freuen uns auf Ihren Besuch."]
    lines = two_columns(PROSE_LEFT, PROSE_RIGHT)
    lines += [box(text, 100, 100 + 40 * n, 800, 130 + 40 * n) for n, text in enumerate(more)][4:]
    assert page_text(lines).split("\n\n") == ["\n".join(more), "\n".join(PROSE_RIGHT)]


def test_an_empty_line_between_paragraphs_is_kept() -> None:
    lines = [box("Erster Absatz", 10, 10, 400, 40), box("Zweiter Absatz", 10, 90, 400, 120)]
    assert page_text(lines) == "Erster Absatz\n\nZweiter Absatz"


# --- columns on real layouts (issue 20) -----------------------------------------------------

PROSE = [
    "It is a truth universally acknowledged, that",
    "a single man in possession of a good fortune",
    "must be in want of a wife. However little",
    "known the feelings or views of such a man",
    "may be on his first entering a neighbourhood",
    "this truth is so well fixed in the minds of",
]


def columns(count: int, left: int = 190, width: int = 680, gutter: int = 30) -> list[OcrLine]:
    """``count`` columns of loose boxes as RapidOCR draws them (46 px high, 44 px apart): the
    boxes of neighbouring columns stand only ``gutter`` pixels apart."""
    lines = []
    for column in range(count):
        x0 = left + column * (width + gutter)
        for row, text in enumerate(PROSE):
            top = 420 + 44 * row
            lines.append(box(f"{column + 1}: {text}", x0, top, x0 + width, top + 46))
    return lines


def column_texts(count: int) -> list[str]:
    return [f"{column + 1}: {text}" for column in range(count) for text in PROSE]


def test_columns_whose_loose_boxes_nearly_touch_are_read_one_after_the_other() -> None:
    """A gazette at 300 dpi: the ink of the columns is a line height apart, RapidOCR's boxes
    only 6 pixels."""
    text = page_text(columns(3, gutter=6))
    assert text.replace("\n\n", "\n").splitlines() == column_texts(3)


def test_a_heading_and_a_footnote_close_to_the_columns_are_read_before_and_after() -> None:
    """Less than an empty line between them and the columns: no horizontal cut frees them."""
    lines = [
        box("Notices of the Council and Reports", 190, 360, 2290, 418),
        *columns(3, gutter=20),
        box("1 Reprinted from the minutes of the meeting.", 190, 690, 1300, 730),
    ]
    text = page_text(lines).replace("\n\n", "\n").splitlines()
    assert text == [
        "Notices of the Council and Reports",
        *column_texts(3),
        "1 Reprinted from the minutes of the meeting.",
    ]


def test_a_footnote_reaching_into_the_gutter_comes_after_every_column() -> None:
    """Wider than the first column but not across the second: an empty line above it."""
    lines = [*columns(2, width=1000, gutter=70), box("1 Reprinted here.", 190, 760, 1265, 800)]
    text = page_text(lines).replace("\n\n", "\n").splitlines()
    assert text == [*column_texts(2), "1 Reprinted here."]


def test_a_form_with_a_narrow_gap_between_labels_and_values_stays_row_by_row() -> None:
    labels = ["Name:", "Ansprechpartner:", "Anschrift:", "Telefon:", "Telefax:", "E-Mail:"]
    values = ["Physiotherapeutin", "Tanja Tinder", "Musterstraße 12", "0151 19630027"]
    values += ["0151 19630028", "praxis@example.org"]
    lines = []
    for row, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = 100 + 44 * row
        lines += [box(label, 100, top, 420, top + 46), box(value, 440, top, 900, top + 46)]
    assert page_text(lines).splitlines() == [
        f"{label} {value}" for label, value in zip(labels, values, strict=True)
    ]


def test_a_line_the_detector_ran_across_the_gutter_is_cut_in_two() -> None:
    """At 200 dpi RapidOCR joined the third line of the first column to the third line of
    the second: the rest are columns, so the joined line is cut at the gutter."""
    lines = columns(2, width=470, gutter=-10)
    third_left, third_right = lines[2], lines[len(PROSE) + 2]
    joined = box(
        f"{third_left.text} {third_right.text}", 190, third_left.box[1], 1130, third_left.box[3]
    )
    lines = [line for line in lines if line not in (third_left, third_right)] + [joined]

    text = page_text(lines).replace("\n\n", "\n").splitlines()

    assert text == column_texts(2)
