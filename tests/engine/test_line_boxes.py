"""The local line detector that gives a server's text its boxes (real RapidOCR detection)."""

from __future__ import annotations

import pytest
from samples import text_page

from ablage_desktop.engine.backends.line_boxes import LineDetector, detector_missing


@pytest.fixture(scope="module")
def detector() -> LineDetector:
    if detector_missing():
        pytest.skip(detector_missing())
    return LineDetector()


@pytest.mark.parametrize("size", [(2480, 3508), (760, 130)])
def test_a_page_of_one_line_gets_one_box_around_it(
    detector: LineDetector, size: tuple[int, int]
) -> None:
    """At RapidOCR's own scaling an A4 page holding one line gave no box, and a label of one
    line three pieces."""
    page = text_page(("Rechnung 4711 vom 30.10.2018",), size=size)

    (box,) = detector.boxes(page)

    left, top, right, bottom = box
    assert 20 <= left <= 45 and 25 <= top <= 45 and 680 <= right <= 760 and 85 <= bottom <= 110


def test_each_line_of_a_page_gets_its_box(detector: LineDetector) -> None:
    lines = tuple(f"Zeile {n}: Rechnung 4711 vom 30.10.2018" for n in range(10))

    boxes = sorted(detector.boxes(text_page(lines, size=(2480, 3508))), key=lambda box: box[1])

    assert len(boxes) == 10
    assert all(40 + 100 * n - 15 <= box[1] <= 40 + 100 * n + 10 for n, box in enumerate(boxes))
