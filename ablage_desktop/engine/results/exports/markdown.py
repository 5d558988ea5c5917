"""Markdown: the document's name as the title, a section per page, the lines as read.

Each line of a page stays a line (a hard break, two trailing spaces, ends all but the last line
of a paragraph); blank lines separate paragraphs. Only what would change the meaning at the
start of a line is escaped (headings, list markers, quotes, code fences, HTML, rules), so the
file reads like the text. A page a layout engine read (``OcrPage.markdown``, Docling) keeps
that engine's Markdown, its headings, lists and tables, with its headings moved below the
document's title and the page's section. Pages that were not recognised and a document that
stopped early are said so in words.
"""

from __future__ import annotations

import re

from ablage_desktop.engine.results.document import OcrDocument, OcrPage
from ablage_desktop.engine.results.exports.placement import (
    clean_name,
    clean_text,
    exportable_pages,
    missing_pages,
)

_INLINE_SPECIALS = re.compile(
    r"[\\`*\[\]<>]"  # emphasis, code, links, HTML
    r"|(?<![^\W_])_|_(?![^\W_])"  # an underscore not inside a word (file_name stays)
    r"|(?<=\s)#"  # what could close a heading
)
_BLOCK_START = re.compile(
    r"""^(?:
        \#{1,6}(?:\s|$)            # ATX heading
      | [-*+](?:\s|$)              # bullet list item
      | >                          # block quote
      | \d{1,9}[.)](?:\s|$)        # ordered list item
      | `{3,} | ~{3,}              # code fence
      | <[A-Za-z/!?]               # HTML block
      | ([-*_])(?:\s*\1){2,}\s*$   # thematic break (or a setext underline of dashes)
      | =+\s*$                     # setext heading underline
    )""",
    re.VERBOSE,
)
_LINE_BREAK = "  "
_ATX_HEADING = re.compile(r"^(#{1,6})(\s|$)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?$|^\|\s*:?-+:?\s*\|$")
_PLAIN_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s?|[-*+]\s+|\d{1,9}[.)]\s+)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def render_markdown(document: OcrDocument) -> bytes:
    """``document`` as UTF-8 Markdown; raises ``UsageError`` for a document with no pages."""
    pages = exportable_pages(document, "Markdown")
    blocks = [f"# {escape_inline(clean_name(document.document.name))}"]
    sections = len(pages) > 1 or pages[0].index > 0
    # A page missing from a document that did not fail was not asked for (``ocr --pages``).
    missing = set(missing_pages(pages)) if document.error is not None else set()
    for index in sorted(missing | {page.index for page in pages}):
        if sections:
            blocks.append(f"## Page {index + 1}")
        if index in missing:
            blocks.append(f"*Page {index + 1} was not recognised.*")
            continue
        page = next(page for page in pages if page.index == index)
        if page.markdown is not None:
            blocks.append(nested_markdown(page.markdown, 2 if sections else 1))
        else:
            blocks.extend(_page_blocks(page))
    if document.error is not None:
        blocks.append(f"*The document is incomplete: {escape_inline(document.error.message)}*")
    return ("\n\n".join(blocks) + "\n").encode("utf-8", "replace")


def _page_blocks(page: OcrPage) -> list[str]:
    paragraphs: list[list[str]] = [[]]
    for raw in page.text.splitlines():
        line = clean_text(raw)
        if line:
            paragraphs[-1].append(escape_line_start(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    blocks = [(_LINE_BREAK + "\n").join(lines) for lines in paragraphs if lines]
    return blocks or ["*No text was recognised on this page.*"]


def nested_markdown(markdown: str, depth: int) -> str:
    """A layout engine's Markdown for a page, its ATX headings ``depth`` levels deeper (at
    most level 6) so that they sit under the title and the page's section; code fences are
    left as they are. Blank Markdown says that no text was recognised."""
    lines: list[str] = []
    fence = ""
    for line in markdown.strip("\n").splitlines():
        opened = _FENCE.match(line)
        if opened and (not fence or opened.group(1).startswith(fence)):
            fence = "" if fence else opened.group(1)[:3]
        heading = None if fence else _ATX_HEADING.match(line)
        if heading:
            level = min(6, len(heading.group(1)) + depth)
            line = "#" * level + line[len(heading.group(1)) :]
        lines.append(line.rstrip())
    body = "\n".join(lines).strip()
    return body or "*No text was recognised on this page.*"


def markdown_plain_text(markdown: str) -> str:
    """The text of a page's Markdown without its markup, one row per line of it: heading
    marks, list and quote markers, code fences, table pipes and rules go, and a table row
    becomes its cells with a space between. For a page whose Markdown the user corrected:
    its plain text follows the correction."""
    rows = []
    in_code = False
    for line in markdown.splitlines():
        stripped = line.strip()
        if _FENCE.match(stripped):
            in_code = not in_code
            continue
        if in_code:
            rows.append(line)
            continue
        if _TABLE_RULE.match(stripped):
            continue
        if stripped.startswith("|"):
            cells = [cell.strip() for cell in stripped.strip("|").split("|")]
            stripped = " ".join(cell for cell in cells if cell)
        stripped = _PLAIN_MARKS.sub("", stripped)
        rows.append(_ESCAPED.sub(r"\1", stripped))
    return "\n".join(rows).strip("\n")


def escape_line_start(line: str) -> str:
    """``line`` with a backslash before a first character that would start a Markdown block."""
    if _BLOCK_START.match(line):
        digits = len(line) - len(line.lstrip("0123456789"))
        return f"{line[:digits]}\\{line[digits:]}"
    return line


def escape_inline(text: str) -> str:
    """``text`` with every character Markdown might read as markup escaped (names, messages)."""
    return _INLINE_SPECIALS.sub(lambda match: "\\" + match.group(), " ".join(text.split()))
