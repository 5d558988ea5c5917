"""Full-text search in the archive: the user's words as an FTS5 query, and the hits.

The text is indexed with FTS5 (``unicode61`` tokens, diacritics removed: "Fälligkeit" also finds
"Falligkeit", a frequent OCR slip). The user's words are taken literally: quotes, hyphens and
``AND`` are text, not query syntax.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.pathtext import json_name, path_from_storage

MAX_SEARCH_HITS = 10_000
"""More pages than anyone reads in a result list; also keeps the number SQLite's to take."""

HIT_START = "\u0002"
HIT_END = "\u0003"
"""Markers around a hit in a snippet: control characters no OCR text contains."""

SEARCH_SQL = (
    "SELECT documents.path, documents.sha256, pages.page, pages.requested, "
    "pages.backend, bm25(pages_fts) AS rank, "
    f"snippet(pages_fts, 0, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet "
    "FROM pages_fts JOIN pages ON pages.id = pages_fts.rowid "
    "JOIN documents ON documents.id = pages.document_id "
    "WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?"
)


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


MAX_SEARCH_HITS = 10_000
"""More pages than anyone reads in a result list; also keeps the number SQLite's to take."""

HIT_START = "\u0002"
HIT_END = "\u0003"
"""Markers around a hit in a snippet: control characters no OCR text contains."""


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


def hit_of(row: sqlite3.Row) -> SearchHit:
    return SearchHit(
        document=path_from_storage(row["path"]),
        sha256=str(row["sha256"]),
        page=int(row["page"]),
        requested=str(row["requested"]),
        backend=str(row["backend"]),
        snippet=str(row["snippet"]),
        rank=float(row["rank"]),
    )
