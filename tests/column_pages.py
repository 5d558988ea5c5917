"""Printed pages with columns of running text, made here with a TrueType font (DejaVu).

A header line, a heading across the page, two or three justified columns, a footnote under a
short rule and a footer line: the layouts of gazettes, journals and newsletters. The text is
public domain (Austen, Melville, Dickens, Darwin, Lincoln, Carroll). ``ColumnPage.truth`` is the
text in the order a person reads it: header, heading, each column top to bottom, footnote,
footer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

PASSAGES = (
    "It is a truth universally acknowledged, that a single man in possession of a good "
    "fortune, must be in want of a wife. However little known the feelings or views of such "
    "a man may be on his first entering a neighbourhood, this truth is so well fixed in the "
    "minds of the surrounding families, that he is considered the rightful property of some "
    "one or other of their daughters.",
    "Call me Ishmael. Some years ago, never mind how long precisely, having little or no "
    "money in my purse, and nothing particular to interest me on shore, I thought I would "
    "sail about a little and see the watery part of the world. It is a way I have of driving "
    "off the spleen and regulating the circulation.",
    "It was the best of times, it was the worst of times, it was the age of wisdom, it was "
    "the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, it "
    "was the season of Light, it was the season of Darkness, it was the spring of hope, it "
    "was the winter of despair.",
    "When on board the Beagle, as naturalist, I was much struck with certain facts in the "
    "distribution of the inhabitants of South America, and in the geological relations of "
    "the present to the past inhabitants of that continent. These facts seemed to me to "
    "throw some light on the origin of species.",
    "Four score and seven years ago our fathers brought forth on this continent a new "
    "nation, conceived in liberty, and dedicated to the proposition that all men are "
    "created equal. Now we are engaged in a great civil war, testing whether that nation, "
    "or any nation so conceived and so dedicated, can long endure.",
    "Alice was beginning to get very tired of sitting by her sister on the bank, and of "
    "having nothing to do: once or twice she had peeped into the book her sister was "
    "reading, but it had no pictures or conversations in it, and what is the use of a book, "
    "thought Alice, without pictures or conversations?",
)


def font_file(bold: bool = False, serif: bool = True) -> Path | None:
    name = f"DejaVu{'Serif' if serif else 'Sans'}{'-Bold' if bold else ''}.ttf"
    return next((folder / name for folder in FONT_FOLDERS if (folder / name).is_file()), None)


@dataclass(frozen=True, slots=True)
class ColumnPage:
    image: Image.Image
    dpi: int
    header: str
    heading: str
    columns: tuple[tuple[str, ...], ...]
    """Each column's lines, top to bottom."""
    footnote: str
    footer: str

    @property
    def truth(self) -> str:
        body = [line for column in self.columns for line in column]
        return "\n".join([self.header, self.heading, *body, self.footnote, self.footer]) + "\n"


def column_page(
    columns: int,
    dpi: int = 300,
    serif: bool = True,
    start: int = 0,
    tight: bool = False,
    lines: int | None = None,
) -> ColumnPage:
    """An A4 page with ``columns`` justified columns under a heading across the page.

    Three columns are narrow (about 35 characters a line) with a gutter of about 1.5 line
    heights, as in a gazette; two columns are wider with a wider gutter. ``tight`` sets the
    heading and the footnote closer to the columns than an empty line. ``lines`` per column
    (None: a full page, 38 in three columns, 34 in two); the footnote follows the columns.
    """
    regular, bold = font_file(serif=serif), font_file(bold=True, serif=serif)
    if regular is None or bold is None:
        raise FileNotFoundError("the DejaVu fonts are not installed (fonts-dejavu-core)")
    scale = dpi / 300
    width, height = round(2480 * scale), round(3508 * scale)
    margin = round(200 * scale)
    body_size = round((34 if columns >= 3 else 38) * scale)
    body = ImageFont.truetype(str(regular), body_size)
    small = ImageFont.truetype(str(regular), round(28 * scale))
    big = ImageFont.truetype(str(bold), round(64 * scale))
    leading = round(body_size * 1.3)
    gutter = round(body_size * (1.6 if columns >= 3 else 2.4))
    column_width = (width - 2 * margin - (columns - 1) * gutter) // columns

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    header = "OFFICIAL GAZETTE OF THE COUNTY   No. 48   Tuesday, 3 December 1901"
    draw.text((margin, round(120 * scale)), header, font=small, fill=0)
    heading = "Notices of the Council and Reports from the Districts"
    draw.text((margin, round(260 * scale)), heading, font=big, fill=0)

    passages = (PASSAGES[(start + i) % len(PASSAGES)] for i in range(3 * len(PASSAGES)))
    words = " ".join(passages).split()
    lines_per_column = lines or (38 if columns >= 3 else 34)
    top = round((360 if tight else 420) * scale)
    laid: list[tuple[str, ...]] = []
    for column in range(columns):
        left = margin + column * (column_width + gutter)
        lines, words = _wrap(words, body, column_width, lines_per_column)
        for row, (line_words, last) in enumerate(lines):
            _justify(draw, line_words, body, left, top + row * leading, column_width, last)
        laid.append(tuple(" ".join(line_words) for line_words, _ in lines))

    rule_top = top + lines_per_column * leading + round((10 if tight else 60) * scale)
    draw.line((margin, rule_top, margin + round(500 * scale), rule_top), fill=0, width=2)
    footnote = "1 Reprinted from the minutes of the meeting held on the first of November."
    footnote_top = rule_top + round((12 if tight else 30) * scale)
    draw.text((margin, footnote_top), footnote, font=small, fill=0)
    footer = "Page 7"
    footer_width = draw.textlength(footer, font=small)
    draw.text(((width - footer_width) / 2, height - round(160 * scale)), footer, font=small, fill=0)
    return ColumnPage(image, dpi, header, heading, tuple(laid), footnote, footer)


def _wrap(
    words: list[str], font: ImageFont.FreeTypeFont, width: int, count: int
) -> tuple[list[tuple[list[str], bool]], list[str]]:
    """``count`` lines of at most ``width`` pixels, each marked when it ends a paragraph."""
    lines: list[tuple[list[str], bool]] = []
    position = 0
    while len(lines) < count and position < len(words):
        line = [words[position]]
        position += 1
        while position < len(words) and font.getlength(" ".join([*line, words[position]])) <= width:
            line.append(words[position])
            position += 1
        ends = position >= len(words) or line[-1].endswith((".", "?"))
        lines.append((line, ends and len(lines) % 9 == 8))
    return lines, words[position:]


def _justify(
    draw: ImageDraw.ImageDraw,
    words: list[str],
    font: ImageFont.FreeTypeFont,
    left: int,
    top: int,
    width: int,
    last: bool,
) -> None:
    if last or len(words) == 1:
        draw.text((left, top), " ".join(words), font=font, fill=0)
        return
    spare = width - sum(font.getlength(word) for word in words)
    space = spare / (len(words) - 1)
    x = float(left)
    for word in words:
        draw.text((round(x), top), word, font=font, fill=0)
        x += font.getlength(word) + space
