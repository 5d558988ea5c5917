"""Tesseract's words of a page, given to the lines RapidOCR's detector found there.

In ``auto`` Tesseract reads the whole page first (a fifth of RapidOCR's time), RapidOCR's
detector finds the lines, and each line takes the words of Tesseract's reading that lie on
it. A line whose words Tesseract is sure of, and that cover it end to end, is settled: taken as
Tesseract read it, and RapidOCR's recogniser (most of its time) never sees it. On a page it
reads well, the lines Tesseract is sure of are given to RapidOCR before its detector runs
(``sure_lines``), and the detector, half of RapidOCR's time on a page of print, looks only
at the ink they leave (``backends/rapidocr_unread``).

Measured on the development set (benchmarks/RESULTS.md, "auto against each engine"): `auto`
reads better than RapidOCR alone in less of its time; where the two read a settled line's
characters apart, RapidOCR was more often right (six of ten, before the guard for codes below
and the one for small print, ``PageDispatcher``'s).
"""

from __future__ import annotations

from collections.abc import Sequence

from ablage_desktop.engine.results.document import Box, OcrLine, OcrWord, enclosing

SURE = 0.9
"""Tesseract's word confidence from which it is right nearly always (LSTM confidences of
clean print stop at about 0.96): the lines it settles, the breaks between its words that are
taken over (``combine``) and the characters it mends (``confusions``) all ask this much."""
ON_LINE = 0.6
"""Share of a word's height (or the line's, where the word's box is the taller: Tesseract
now and then gives a word twice its height) a line's box must overlap for the word to be on
that line; of two lines (RapidOCR's boxes reach past the ink into their neighbours), the one
overlapping it most takes it."""
SAME_ROW = 0.5
"""Words of one line: their middles lie within this share of their height of each other."""
READS_WELL = 0.7
"""Share of a page's characters Tesseract must be sure of before any line of it is settled.
Documents of print came to 0.74-1.0 on the development set, the receipts (thermal print,
photographed) to 0.12-0.59, where even its sure words went wrong ("1.00" for "0.00")."""
READS_UPSCALED = 0.9
"""The same share on a page of small print, which Tesseract reads upscaled: on scans of it
its sure words go wrong ("397005708" for "597005708", "SBEET" for "SHEET" on the 100-dpi
forms of the development set, sure of 0.74-0.88 of their characters), while it reads a
screenshot's print (sure of 0.89-1.0 of it, 27 screenshots in three themes) better than
RapidOCR does. Below it the page is RapidOCR's alone (``PageDispatcher._read_together``)."""
UNTRUSTED = "|"
"""Tesseract reads a sans-serif capital I as a bar, and is sure of it (the generated column
pages: "|" seven times a page at 0.93-0.96): a line with one is left to RapidOCR."""
REACH = 1.0
END_REACH = 0.6
"""A settled line's words span the box, short of at most REACH line heights (the detector's
box reaches past the ink at both ends), and of END_REACH at either end: a receipt's "4.07",
read ".07" by Tesseract and sure of it, left 32 pixels of a 42-pixel line's box at its start,
within REACH."""


DETECTOR_REACH = (0.4, 0.4, 0.35, 0.3)
"""How far RapidOCR's detector boxes reach past the ink of the words Tesseract settled in
them (left, top, right, bottom, in the words' height; medians of 561 settled lines of the
data set's print): a line taken before detection (``sure_lines``) gets such a box, so that
the reading order and the blocks built from the boxes (``text.layout``) come out as they do
for a line the detector found (with the words' own boxes, an empty line between every two
rows). The reach varies with the print (0.2-0.3 on a page of large print, where rows an
empty line apart almost exactly may then come out as one block); measured on each page from
the lines the detector did find, it was too few lines to go by (a table's header read in
another order)."""


def words_by_line(words: Sequence[OcrWord], boxes: Sequence[Box]) -> list[list[OcrWord]]:
    """For each box, the words whose middle lies inside it horizontally and that it overlaps
    most vertically, left to right."""
    found: list[list[OcrWord]] = [[] for _ in boxes]
    for word in words:
        x0, y0, x1, y1 = word.box
        middle = (x0 + x1) / 2
        best, owner = ON_LINE, -1
        for index, (bx0, by0, bx1, by1) in enumerate(boxes):
            if not bx0 <= middle <= bx1:
                continue
            overlap = (min(y1, by1) - max(y0, by0)) / max(1, min(y1 - y0, by1 - by0))
            if overlap >= best:
                best, owner = overlap, index
        if owner >= 0:
            found[owner].append(word)
    for line in found:
        line.sort(key=lambda word: word.box[0])
    return found


def settled_line(words: Sequence[OcrWord], box: Box) -> OcrLine | None:
    """The line in ``box`` as Tesseract read it, where it is sure of every word, the words
    stand in one row and cover the box; None: RapidOCR reads it."""
    if not _sure_row(words):
        return None
    x0, y0, x1, y1 = box
    if words[-1].box[2] - words[0].box[0] < (x1 - x0) - REACH * (y1 - y0):
        return None  # ink in the box Tesseract did not read
    if max(words[0].box[0] - x0, x1 - words[-1].box[2]) > END_REACH * (y1 - y0):
        return None  # a character at one end Tesseract dropped ("4.07" read ".07")
    return _line(words, box)


def sure_lines(lines: Sequence[Sequence[OcrWord]]) -> list[OcrLine]:
    """Tesseract's lines (their words, on the page) that it is sure of as ``settled_line``
    asks, each in the box of its words: RapidOCR's detector need not look at them again
    (``Backend.recognize_where``'s ``known``), save for ink just beyond their ends, which
    RapidOCR looks for on the page itself (``rapidocr_unread``)."""
    sure = []
    for line in lines:
        words = sorted(line, key=lambda word: word.box[0])
        if _sure_row(words):
            x0, y0, x1, y1 = enclosing(word.box for word in words)
            left, top, right, bottom = (round(reach * (y1 - y0)) for reach in DETECTOR_REACH)
            sure.append(_line(words, (x0 - left, max(0, y0 - top), x1 + right, y1 + bottom)))
    return sure


def _sure_row(words: Sequence[OcrWord]) -> bool:
    """Words Tesseract is sure of, none a code or with a bar, standing in one row."""
    if not words or any(word.confidence < SURE for word in words):
        return False
    if any(UNTRUSTED in word.text or _code(word.text) for word in words):
        return False
    middles = [(word.box[1] + word.box[3]) / 2 for word in words]
    height = max(word.box[3] - word.box[1] for word in words)
    return max(middles) - min(middles) <= SAME_ROW * height


def _line(words: Sequence[OcrWord], box: Box) -> OcrLine:
    text = " ".join(word.text for word in words)
    characters = sum(len(word.text) for word in words)
    confidence = sum(word.confidence * len(word.text) for word in words) / max(1, characters)
    return OcrLine(text, confidence, box, tuple(words))


def reads_well(words: Sequence[OcrWord], least: float = READS_WELL) -> bool:
    """Whether Tesseract is sure of enough of the page (``least`` of its characters:
    ``READS_WELL``, on a page of small print ``READS_UPSCALED``) to settle lines."""
    characters = sum(len(word.text) for word in words)
    sure = sum(len(word.text) for word in words if word.confidence >= SURE)
    return characters > 0 and sure >= least * characters


def _code(text: str) -> bool:
    """Letters and digits in one word: an IBAN, an invoice or customer number, or two words
    run together ("Seite2"). Such a line is left to RapidOCR, which reads codes better: on the
    development set Tesseract was sure of "DEO2..." for "DE02..." and of "Seite2" (CER 0.0328
    -> 0.0327, F1 0.9168 -> 0.9175 with them left to RapidOCR, about 1 s more in 22)."""
    return any(ch.isalpha() for ch in text) and any(ch.isdigit() for ch in text)
