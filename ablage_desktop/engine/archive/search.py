"""Full-text search in the archive: the user's words as FTS5 queries, and the hits.

Two indexes. ``pages_fts`` holds the words (``unicode61`` tokens, diacritics removed:
"Fälligkeit" also finds "Falligkeit", a frequent OCR slip); its hits come first, best first.
``pages_sub`` holds the folded text (``text/folding.py``: "ß" as "ss" too) in trigrams, so
that a word is also found inside longer ones, as German compounds need ("rechnung" in
"Handelsrechnung", "strasse" in "Waldstraße"); pages found only so follow. The user's words
are taken literally: quotes, hyphens and ``AND`` are text, not query syntax.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.pathtext import json_name, path_from_storage
from ablage_desktop.engine.text.folding import find_words, inside_words, word_parts

MAX_SEARCH_HITS = 10_000
"""More pages than anyone reads in a result list; also keeps the number SQLite's to take."""

HIT_START = "\u0002"
HIT_END = "\u0003"
"""Markers around a hit in a snippet: control characters no OCR text contains."""

SEARCH_SQL = (
    "SELECT pages.id, documents.path, documents.sha256, pages.page, pages.requested, "
    "pages.backend, bm25(pages_fts) AS rank, "
    f"snippet(pages_fts, 0, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet "
    "FROM pages_fts JOIN pages ON pages.id = pages_fts.rowid "
    "JOIN documents ON documents.id = pages.document_id "
    "WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?"
)
INSIDE_SQL = (
    "SELECT pages.id, documents.path, documents.sha256, pages.page, pages.requested, "
    "pages.backend, pages.text, bm25(pages_sub) AS rank "
    "FROM pages_sub JOIN pages ON pages.id = pages_sub.rowid "
    "JOIN documents ON documents.id = pages.document_id "
    "WHERE pages_sub MATCH ?{whole} ORDER BY rank LIMIT ?"
)
"""Pages holding the words inside longer words; ``{whole}`` adds the short words, which the
trigrams cannot find, as whole words."""
INSIDE_WHOLE = " AND pages.id IN (SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?)"
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 100
"""Characters of a page's text shown before and after the first hit inside a word."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    document: Path
    sha256: str
    page: int
    """0-based page index."""
    requested: str
    backend: str
    snippet: str
    """The page text around the hits, each hit between ``HIT_START`` and ``HIT_END``."""
    rank: float

    def to_json(self) -> dict[str, object]:
        return {
            **json_name(self.document),
            "sha256": self.sha256,
            "page": self.page + 1,
            "requested": self.requested,
            "backend": self.backend,
            "snippet": self.snippet,
            "rank": self.rank,
        }


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must occur, each taken literally
    (quotes, hyphens and ``AND`` are text, not syntax); a trailing ``*`` keeps a prefix."""
    terms = []
    for word in text.split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*") if prefix else word
        if not word:
            continue
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def search_query(text: str, limit: int) -> tuple[str, int]:
    """The FTS5 query and limit for ``text``; ``UsageError`` for a query without a word or a
    limit outside 1..``MAX_SEARCH_HITS``."""
    if not 1 <= limit <= MAX_SEARCH_HITS:
        raise UsageError(f"the number of hits must be 1 to {MAX_SEARCH_HITS}, not {limit}")
    query = fts_query(text)
    if not query:
        raise UsageError("search needs at least one word")
    return query, limit


def inside_query(text: str) -> tuple[str, str] | None:
    """The trigram query for the words long enough to be found inside words, and the FTS5
    query for the rest (empty where there is none); None where no word is long enough."""
    inside, whole = [], []
    for word in text.split():
        if inside_words(word):
            inside.append('"' + word_parts(word)[0].replace('"', '""') + '"')
        else:
            whole.append(word)
    if not inside:
        return None
    return " ".join(inside), fts_query(" ".join(whole))


def hit_of(row: sqlite3.Row, snippet: str | None = None, rank: float | None = None) -> SearchHit:
    return SearchHit(
        document=path_from_storage(row["path"]),
        sha256=str(row["sha256"]),
        page=int(row["page"]),
        requested=str(row["requested"]),
        backend=str(row["backend"]),
        snippet=str(row["snippet"]) if snippet is None else snippet,
        rank=float(row["rank"]) if rank is None else rank,
    )


def inside_hit(row: sqlite3.Row, words: str) -> SearchHit:
    """A page found with a word inside a longer one: its snippet marked as ``find_words``
    finds the words, and a rank after every whole-word hit (those are below 0)."""
    text = str(row["text"])
    return hit_of(row, snippet_of(text, words), 1 / (1 - min(0.0, float(row["rank"]))))


def snippet_of(text: str, words: str) -> str:
    """The stretch of ``text`` around its first hit, each hit between the markers."""
    spans = find_words(text, words)
    if not spans:
        return text[: SNIPPET_BEFORE + SNIPPET_AFTER]
    first, last = spans[0]
    start = max(0, first - SNIPPET_BEFORE)
    if start:  # from the start of a word
        gap = re.search(r"\s", text[start:first])
        start = start + gap.end() if gap else start
    end = min(len(text), last + SNIPPET_AFTER)
    if end < len(text):  # to the end of a word
        gaps = [gap.start() for gap in re.finditer(r"\s", text[last:end])]
        end = last + gaps[-1] if gaps else end
    pieces, cursor = ["…" if start else ""], start
    for hit_start, hit_end in spans:
        if hit_start < start or hit_end > end:
            continue
        pieces += [text[cursor:hit_start], HIT_START, text[hit_start:hit_end], HIT_END]
        cursor = hit_end
    pieces += [text[cursor:end], "…" if end < len(text) else ""]
    return "".join(pieces)
