"""A page as a person corrected it, kept in place of the engine's reading, and put back.

The corrected page takes the reading's row (``pages.text`` and ``result``): reading the
document again with the same request answers with it, and the search's triggers index its
words. The first reading is kept beside it (``pages.first_result``), so the correction can be
undone; a new reading of the page (``Store.add_page``) clears both. The row is found by its
text, one of the texts the window showed of that page: no batch or request needs to be known.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from ablage_desktop.engine.results.document import OcrPage


def correct(
    db: sqlite3.Connection, sha256: str, page: OcrPage, was: Collection[str], now: str
) -> int:
    """``page`` in place of the readings of its page whose text is one of ``was``, the first
    reading kept beside it and ``now`` as the correction's time; how many readings took it.
    Inside a transaction."""
    if not was:
        return 0
    changed = db.execute(
        "UPDATE pages SET text = ?, result = ?, corrected = ?, "
        "first_result = coalesce(first_result, result) "
        "WHERE document_id = (SELECT id FROM documents WHERE sha256 = ?) "
        f"AND page = ? AND text IN ({', '.join('?' * len(was))})",
        (
            page.text,
            json.dumps(page.to_json(), ensure_ascii=False),
            now,
            sha256,
            page.index,
            *was,
        ),
    )
    return changed.rowcount


def revert(db: sqlite3.Connection, sha256: str, index: int, was: Collection[str]) -> OcrPage | None:
    """The first reading back in place of a correction of page ``index`` whose text is one of
    ``was``; that reading, or None where no such correction is kept. Inside a transaction."""
    if not was:
        return None
    rows = db.execute(
        "SELECT id, first_result FROM pages "
        "WHERE document_id = (SELECT id FROM documents WHERE sha256 = ?) "
        f"AND page = ? AND text IN ({', '.join('?' * len(was))}) AND first_result IS NOT NULL",
        (sha256, index, *was),
    ).fetchall()
    for row in rows:
        db.execute(
            "UPDATE pages SET text = ?, result = first_result, first_result = NULL, "
            "corrected = NULL WHERE id = ?",
            (json.loads(row["first_result"])["text"], row["id"]),
        )
    return OcrPage.from_json(json.loads(rows[0]["first_result"])) if rows else None
