"""Archive files as earlier versions of the app left them, for the upgrade tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ablage_desktop.engine.archive.store import Store

SHA = "a" * 64
"""The document the older archive's pages belong to (its path: ``old.pdf``)."""


def schema_2_archive(path: Path, texts: list[str]) -> None:
    """An archive as version 2 left it: no trigram index, and these pages."""
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.executescript(
            "DROP TRIGGER pages_sub_ai; DROP TRIGGER pages_sub_ad; DROP TRIGGER pages_sub_au;"
            "DROP TABLE pages_sub; UPDATE meta SET value = '2' WHERE key = 'schema';"
        )
        db.execute(
            "INSERT INTO documents (sha256, path, added) VALUES (?, 'old.pdf', 'then')", (SHA,)
        )
        db.executemany(
            "INSERT INTO pages (document_id, page, requested, backend, text, result, seconds, "
            "created) VALUES (1, ?, 'auto', 'auto', ?, '{}', 1, 'then')",
            enumerate(texts),
        )
