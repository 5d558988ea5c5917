"""A layout engine's Markdown kept where part of its page is read again (a frame drawn in the
window): the text that stood in the frame is replaced where it stands in the Markdown, and the
headings, lists and tables around it stay. Where that text cannot be found in the Markdown,
there is no telling where the new reading goes, and the Markdown is given up (None)."""

from __future__ import annotations

import re
from collections.abc import Sequence

ESCAPED_BY_MARKDOWN = frozenset("\\`*_{}[]()#+-.!|<>~")
"""Characters a Markdown writer (Docling's) may put a backslash before."""
ESCAPED_HERE = frozenset("\\`*_[]|<>")
"""Characters of a new reading escaped as it goes in: a ``|`` would end a table's cell, a
``*`` or ``_`` start emphasis."""
HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def with_text_replaced(markdown: str, stood: Sequence[str], read: Sequence[str]) -> str | None:
    """``markdown`` with the texts that ``stood`` in a frame (in reading order) replaced by
    the lines ``read`` there again: one for one where there are as many, else all of them
    where the first stood and the others taken out. None where one of ``stood`` is not in
    ``markdown``, or nothing stood there (no place for the reading)."""
    spans: list[tuple[int, int]] = []
    for text in stood:
        if not text.split():
            continue
        span = _free_match(markdown, _pattern(text), spans)
        if span is None:
            return None
        spans.append(span)
    if not spans:
        return None
    lines = [_escaped(line) for line in read if line.split()]
    if len(lines) == len(spans):
        replacements = list(zip(spans, lines, strict=True))
    else:
        ordered = sorted(spans)
        replacements = [(ordered[0], " ".join(lines)), *((span, "") for span in ordered[1:])]
    for (start, end), text in sorted(replacements, reverse=True):
        markdown = _put(markdown, start, end, text)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n") + (
        "\n" if markdown.endswith("\n") else ""
    )


def _pattern(text: str) -> re.Pattern[str]:
    """``text`` as it may stand in Markdown: a character with or without the backslash a
    writer puts before it, ``&``, ``<`` and ``>`` as HTML entities too, the spaces between
    words as any white space (a paragraph joins its lines), and not inside a longer word."""
    words = []
    for word in text.split():
        pieces = []
        for char in word:
            choices = [re.escape(char)]
            if char in HTML_ENTITIES:
                choices.append(re.escape(HTML_ENTITIES[char]))
            piece = f"(?:{'|'.join(choices)})"
            pieces.append(rf"\\?{piece}" if char in ESCAPED_BY_MARKDOWN else piece)
        words.append("".join(pieces))
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def _free_match(
    markdown: str, pattern: re.Pattern[str], taken: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """Where ``pattern`` stands in ``markdown`` clear of the spans ``taken``: after the last
    of them where it can (the Markdown reads in the page's order too), else anywhere."""
    after = taken[-1][1] if taken else 0
    found = [m.span() for m in pattern.finditer(markdown)]
    free = [s for s in found if not any(s[0] < end and start < s[1] for start, end in taken)]
    later = [s for s in free if s[0] >= after]
    return (later or free or [None])[0]


def _put(markdown: str, start: int, end: int, text: str) -> str:
    """``markdown`` with ``text`` from ``start`` to ``end``; where it is empty, one of the
    spaces that stood around what is taken out goes with it."""
    before, after = markdown[:start], markdown[end:]
    if not text and before.endswith(" ") and (after.startswith((" ", "\n")) or not after):
        before = before[:-1]
    elif not text and after.startswith(" ") and (before.endswith("\n") or not before):
        after = after[1:]
    return before + text + after


def _escaped(line: str) -> str:
    return "".join(f"\\{char}" if char in ESCAPED_HERE else char for char in " ".join(line.split()))
