"""A page's text as running text: the lines of each paragraph joined into one, a word that a
hyphen broke at the end of a line joined again. For pasting a letter's or an article's text
into a mail or a document, where the page's own line breaks are in the way ("Copy as running
text"); the page's text itself keeps its lines, as the exports and the archive want them.

From the text alone, so that it works for every engine and for a text the user corrected. A
line goes on into the next where it is nearly as long as the longest line of its paragraph
(its block: the lines between two empty ones), in a block of prose-length lines: an address,
the rows of a table and a list keep their lines. A list item, a Markdown heading or table row
(a layout engine's page) always starts a line of its own.
"""

from __future__ import annotations

import itertools
import re

from ablage_desktop.engine.results.document import PAGE_SEPARATOR

PROSE_CHARACTERS = 40
"""A block whose longest line is shorter holds no running text (an address, a table's cells):
its lines are left as they are."""
FULL_LINE = 0.7
"""A line at least this share of its block's longest line reaches the right margin: the
paragraph goes on in the next line. A shorter one ends its paragraph."""
OWN_LINE = re.compile(r"^\s*(?:[-–—•*·▪‣]\s|\(?\d{1,3}[.)]\s|[a-zA-Z][.)]\s|#|\|)")
"""Lines that start something of their own: a list item ("- ", "• ", "1. ", "a) "), a
Markdown heading or table row."""
MARKDOWN_LINE = re.compile(r"^\s*[#|]")
"""A Markdown heading or table row: no line goes on from it (a list item's does)."""
BLOCK_BREAK = re.compile(r"\n[ \t]*\n+")


def running_text(text: str) -> str:
    """``text`` (a page's or a document's, pages apart by a form feed) as running text."""
    return PAGE_SEPARATOR.join(_page(page) for page in text.split(PAGE_SEPARATOR))


def _page(text: str) -> str:
    ending = "\n" if text.endswith("\n") else ""
    blocks = BLOCK_BREAK.split(text.strip("\n"))
    return "\n\n".join(_block(block) for block in blocks) + ending


def _block(block: str) -> str:
    lines = [line.rstrip() for line in block.split("\n")]
    longest = max(len(line.strip()) for line in lines)
    if longest < PROSE_CHARACTERS or len(lines) < 2:
        return "\n".join(lines)
    joined = [lines[0]]
    for before, line in itertools.pairwise(lines):
        goes_on = (
            (len(before.strip()) >= FULL_LINE * longest or _broken_word(before))
            and line.strip()
            and not OWN_LINE.match(line)
            and not MARKDOWN_LINE.match(before)
        )
        if goes_on:
            joined[-1] = _join(joined[-1], line.strip())
        else:
            joined.append(line)
    return "\n".join(joined)


def _broken_word(line: str) -> bool:
    """The line ends in a word a hyphen broke: it goes on, however short it is."""
    return len(line) >= 2 and line.endswith("-") and line[-2].isalpha()


def _join(head: str, tail: str) -> str:
    """``head`` and the next line's ``tail`` as one: a word a hyphen broke joined again
    ("Rech-" "nung"), a compound's own hyphen kept ("Müller-" "Lüdenscheid")."""
    if _broken_word(head):
        return head[:-1] + tail if tail[:1].islower() else head + tail
    return f"{head} {tail}"
