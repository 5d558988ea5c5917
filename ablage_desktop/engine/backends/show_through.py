"""How faint print is, and whether a whole page is the back of a sheet: what both engines'
show-through checks measure (``rapidocr_ghosts.py`` line by line, ``tesseract.py`` a page).

A sheet printed on one side and scanned on both (a duplex scanner's every second page) gives
a back that is blank but for the front's print showing through, faint and mirrored. On the
back of the data set's first invoice RapidOCR read ":lisM-3" (at 0.98) for "E-Mail:", and
Tesseract "gnundosielsbn6H" for "Handelsrechnung" (its words at 0.40 on average, the mirrored
page's at 0.94); with every page of the data set followed by such a back, both engines' CER
went from 0.03 and 0.12 to 0.50 and 1.00 (``benchmarks/copies.py --modes duplex``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

    from ablage_desktop.engine.results.document import Box, OcrLine

FAINT = 0.4
"""A crop is faint with at most this share of the strongest crop's contrast: show-through has
a fifth or less of the print's, a faded receipt's print a third or more of its darkest line's."""
PRINT_CONTRAST = 200.0
"""The contrast of print as a scanner sees it (black on white, about 230 grey levels): a page
whose strongest line is fainter holds no print to measure against (the blank back of a sheet
with the front showing through, 40-50 grey levels), and its lines are faint beside this."""
SURE = 0.7
"""A mirrored reading is taken for the front's print at this score or more: symmetric text
("00.01" read 0.98 as it stands, 0.99 mirrored) has to be read surer still."""
PAGE_SURE = 0.4
"""A page's words read mirrored are taken for the front's print at this average or more: a
page's average is steadier than a line's score, and the blank backs of the data set's forms,
scanned at 100 dpi, read mirrored at 0.43-0.57 (0.17-0.22 as they lie); faint print read
mirrored, at 0.30-0.44, reads surer as it stands (0.57-0.84)."""
SAMPLE_LINES = 6
"""A faint page is read mirrored in a band of this many lines, the run of them with the most
width (a very faded page read twice whole cost Tesseract 2.6 times the time)."""
BACK_MARGIN = 0.2
"""Tesseract's words on a page read mirrored are this much surer on average where the page is
the back of a sheet: 0.40 -> 0.94 on the data set's invoice, 0.38 -> 0.67 and 0.17 -> 0.43 on
its faintest receipt's and form's."""


def grey_of(crop: Any) -> Any:
    return crop.mean(axis=2) if crop.ndim == 3 else crop


def contrast(crop: Any) -> float:
    """Grey levels between the crop's ink (its darkest percent) and its paper (the 90th
    percentile)."""
    import numpy as np

    ink, paper = np.percentile(grey_of(crop), [1, 90])
    return float(paper - ink)


def mirrored(crop: Any) -> Any:
    """The crop as seen from the back of the sheet."""
    import numpy as np

    return np.ascontiguousarray(crop[:, ::-1])


def faint_page(image: Image.Image) -> bool:
    """Whether the page holds no ink darker than show-through: its darkest thousandth (print
    covers more of any page with a line on it) is within ``FAINT`` of print's contrast of its
    paper."""
    import numpy as np

    grey = np.asarray(image if image.mode == "L" else image.convert("L"))[::2, ::2]
    counts = np.bincount(grey.ravel(), minlength=256).cumsum()
    ink, paper = np.searchsorted(counts, [0.001 * counts[-1], 0.9 * counts[-1]])
    return bool(paper - ink <= FAINT * PRINT_CONTRAST)


def printed(image: Image.Image, box: Box) -> bool:
    """Whether the line in ``box`` has ink darker than show-through: print on a back (a page
    number), kept where the rest of the page is the front's print showing through."""
    import numpy as np

    crop = np.asarray(image.crop(box).convert("L"))
    return crop.size > 0 and contrast(crop) > FAINT * PRINT_CONTRAST


def printed_part(image: Image.Image, line: OcrLine) -> OcrLine | None:
    """The words of ``line`` that are print on a back (``printed``), as a line, or None: the
    front's page number showing through beside the back's is read into one line with it."""
    import dataclasses

    words = [word for word in line.words if printed(image, word.box)]
    if len(words) == len(line.words):
        return line if words or printed(image, line.box) else None
    if not words:
        return None
    text = " ".join(word.text for word in words)
    return dataclasses.replace(line, text=text, words=tuple(words))


def back_of_sheet(as_read: float, mirror_read: float) -> bool:
    """Whether a faint page whose words were read at ``as_read`` on average, and mirrored at
    ``mirror_read``, is the back of a sheet."""
    return mirror_read >= max(PAGE_SURE, as_read + BACK_MARGIN)


def could_be_back(as_read: float) -> bool:
    """Whether a page whose words were read at ``as_read`` on average may be the back of a
    sheet: no mirrored reading is surer than certain (faded print, read at 0.9, is not read
    mirrored)."""
    return as_read + BACK_MARGIN <= 1.0


def sample_band(lines: Sequence[OcrLine]) -> tuple[Box, list[OcrLine]]:
    """The band of ``SAMPLE_LINES`` lines running down the page (as read, top to bottom) that
    hold the most width, and those lines: where a faint page is read again mirrored."""
    ordered = sorted(lines, key=lambda line: line.box[1])
    count = min(SAMPLE_LINES, len(ordered))
    runs = [ordered[start : start + count] for start in range(len(ordered) - count + 1)]
    run = max(runs, key=lambda run: sum(line.box[2] - line.box[0] for line in run))
    box = (
        min(line.box[0] for line in run),
        min(line.box[1] for line in run),
        max(line.box[2] for line in run),
        max(line.box[3] for line in run),
    )
    return box, run
