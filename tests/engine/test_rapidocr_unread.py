"""Where RapidOCR's detector still looks on a page whose lines another engine has mostly
read (``rapidocr_unread``): the ink no known line covers, with its punctuation, without dust
and ruled lines; the whole page where that is much of it."""

from __future__ import annotations

import numpy as np
import pytest

from ablage_desktop.engine.backends.rapidocr_unread import MAX_UNREAD, unread_regions
from ablage_desktop.engine.results.document import Box

HEIGHT = 20


def page(*marks: Box, size: tuple[int, int] = (1000, 1400)) -> np.ndarray:
    """A white grey page (width, height) with black rectangles as ink."""
    image = np.full((size[1], size[0]), 255, dtype=np.uint8)
    for x0, y0, x1, y1 in marks:
        image[y0:y1, x0:x1] = 0
    return image


def words(x0: int, y0: int, x1: int) -> list[Box]:
    """A line of print from x0 to x1 at y0: letter-sized marks with gaps between them."""
    return [(x, y0, min(x + 12, x1), y0 + HEIGHT) for x in range(x0, x1, 16)]


def inside(box: Box, region: Box) -> bool:
    return (
        region[0] <= box[0] and region[1] <= box[1] and box[2] <= region[2] and box[3] <= region[3]
    )


def test_ink_every_known_line_covers_leaves_nothing_to_detect() -> None:
    lines = [(100, 100 + 40 * n, 700, 120 + 40 * n) for n in range(10)]
    image = page(*(mark for x0, y0, x1, _ in lines for mark in words(x0, y0, x1)))

    unread = unread_regions(image, [[line] for line in lines])

    assert unread is not None
    assert unread.regions == ()
    assert unread.taken == tuple(range(10))
    assert (unread.painted[90:530, 90:710] == 255).all()  # painted as paper


def test_a_line_no_engine_read_is_a_region_of_its_own() -> None:
    lines = [(100, 100 + 40 * n, 700, 120 + 40 * n) for n in range(10)]
    unknown = (100, 900, 500, 920)
    image = page(*(m for x0, y0, x1, _ in [*lines, unknown] for m in words(x0, y0, x1)))

    unread = unread_regions(image, [[line] for line in lines])

    assert unread is not None
    [region] = unread.regions
    assert inside(unknown, region)
    assert region[1] > 520  # none of the known lines in it
    assert (unread.painted[900:920, 100:500] == 0).any()  # its ink is left for the detector


def test_punctuation_beside_unread_ink_goes_with_it_and_dust_alone_is_left() -> None:
    """A colon's dots are specks: beside a word left unread they belong to its region (the
    detector reads "Summe : 12,00" as one line); a speck standing alone is dust."""
    lines = [(100, 100 + 40 * n, 700, 120 + 40 * n) for n in range(5)]
    colon = [(300, 803, 304, 807), (300, 813, 304, 817)]
    word = words(100, 800, 260)
    dust = (900, 1300, 903, 1303)
    image = page(*(m for x0, y0, x1, _ in lines for m in words(x0, y0, x1)), *word, *colon, dust)

    unread = unread_regions(image, [[line] for line in lines])

    assert unread is not None
    [region] = unread.regions
    assert all(inside(mark, region) for mark in colon)
    assert not inside(dust, region)


def test_ruled_lines_are_no_region() -> None:
    lines = [(100, 100 + 40 * n, 700, 120 + 40 * n) for n in range(5)]
    rules = [(50, 80, 950, 82), (50, 400, 950, 402), (50, 80, 52, 402)]
    image = page(*(m for x0, y0, x1, _ in lines for m in words(x0, y0, x1)), *rules)

    unread = unread_regions(image, [[line] for line in lines])

    assert unread is not None and unread.regions == ()


def test_a_known_line_with_ink_just_beyond_its_end_is_not_taken() -> None:
    """Tesseract read "4.07" as ".07": the "4" stands just before the line it gave. The line
    is left to the detector whole, the others are taken."""
    lines = [(100, 100 + 40 * n, 700, 120 + 40 * n) for n in range(5)]
    dropped = (88, 140, 96, 160)  # before the second line, closer than a line's height
    image = page(*(m for x0, y0, x1, _ in lines for m in words(x0, y0, x1)), dropped)

    unread = unread_regions(image, [[line] for line in lines])

    assert unread is not None
    assert unread.taken == (0, 2, 3, 4)
    [region] = unread.regions
    assert inside(dropped, region) and inside(lines[1], region)


def test_a_page_mostly_unread_is_detected_whole() -> None:
    known = [(100, 100, 700, 120)]
    rest = [(100, 140 + 40 * n, 900, 160 + 40 * n) for n in range(30)]
    image = page(*(m for x0, y0, x1, _ in [*known, *rest] for m in words(x0, y0, x1)))

    assert unread_regions(image, [[line] for line in known]) is None
    assert MAX_UNREAD < 0.5


@pytest.mark.parametrize("known", [[], [(10, 10, 11, 11)]])
def test_nothing_known_or_known_lines_too_small_to_measure_detect_whole(known: list[Box]) -> None:
    assert unread_regions(page(*words(100, 100, 700)), [[box] for box in known]) is None


def test_a_colour_page_is_painted_in_its_paper_colour() -> None:
    grey = page(*words(100, 100, 700), *words(100, 300, 400))
    colour = np.dstack([grey, grey, np.full_like(grey, 235)])  # yellowish paper, black ink
    colour[grey == 0] = 0

    unread = unread_regions(colour, [[(100, 100, 700, 120)]])

    assert unread is not None
    assert tuple(unread.painted[110, 300]) == (255, 255, 235)
    assert len(unread.regions) == 1


def test_the_back_s_print_showing_through_is_ink_to_look_at() -> None:
    """Show-through (a fifth of print's contrast) between the lines read is left for the
    detector, which finds it and tells it for the back's print (``rapidocr_ghosts``): at
    Otsu's threshold it was paper, and the lines it lay in were read with it."""
    lines = [(100, 100 + 40 * n, 700, 120 + 40 * n) for n in range(10)]
    image = page(*(mark for x0, y0, x1, _ in lines for mark in words(x0, y0, x1)))
    for x0, y0, x1, y1 in words(100, 700, 600):
        image[y0:y1, x0:x1] = 205  # 50 grey levels below the paper

    unread = unread_regions(image, [[line] for line in lines])

    assert unread is not None
    [region] = unread.regions
    assert inside((100, 700, 600, 720), region)


def test_a_known_line_with_ink_between_its_words_is_not_taken() -> None:
    """Tesseract read "Leistungsdatum : 29.10.2018" as two words and no colon: the colon's
    ink between them, outside both, leaves the line to the detector."""
    first, second = (100, 100, 400, 120), (500, 100, 650, 120)
    colon = [(448, 104, 452, 108), (448, 112, 452, 116)]
    other = (100, 140, 700, 160)
    image = page(*words(100, 100, 400), *words(500, 100, 650), *colon, *words(100, 140, 700))

    unread = unread_regions(image, [[first, second], [other]])

    assert unread is not None
    assert unread.taken == (1,)
    [region] = unread.regions
    assert all(inside(box, region) for box in (first, second, *colon))


def test_a_page_of_columns_is_detected_whole() -> None:
    """Running text in columns side by side: in a region the detector saw a row of two
    columns alone and ran a line across their narrow gutter, and the reading order could not
    find the columns; a form's labels and values beside each other are no columns."""
    rows = range(6)
    left = [(100, 100 + 40 * n, 450, 120 + 40 * n) for n in rows]
    right = [(480, 100 + 40 * n, 830, 120 + 40 * n) for n in rows]
    labels = [(100, 100 + 40 * n, 200, 120 + 40 * n) for n in rows]
    values = [(600, 100 + 40 * n, 700, 120 + 40 * n) for n in rows]
    columns = page(*(m for x0, y0, x1, _ in [*left, *right] for m in words(x0, y0, x1)))
    form = page(*(m for x0, y0, x1, _ in [*labels, *values] for m in words(x0, y0, x1)))

    assert unread_regions(columns, [[line] for line in [*left, *right]]) is None
    assert unread_regions(form, [[line] for line in [*labels, *values]]) is not None
