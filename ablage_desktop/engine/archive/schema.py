"""The archive's tables, and bringing an older archive file up to this version's schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ablage_desktop.engine.errors import StoreError

SCHEMA_VERSION = 3
"""2: ``jobs.delivery``, where the caller writes a batch's results (a resumed batch writes the
rest there too). 3: ``pages_sub``, the folded text in trigrams, for words inside words; later
``pages.first_result`` and ``pages.corrected``, a page as the user corrected it with its first
reading kept beside it (added to an archive of any version without changing it: an older app
ignores the columns)."""

SUB_PENDING = "pages_sub_pending"
"""The ``meta`` key holding the highest page id of an older archive that ``pages_sub`` may
still lack (``fill_pages_sub``); absent once every page is indexed."""

FOLD_FUNCTION = "ablage_fold"
"""The SQL name of ``text.folding.folded``, which every connection registers before it writes
(``pages_sub``'s triggers call it)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL DEFAULT 0,
    added TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    requested TEXT NOT NULL,
    languages TEXT,
    state TEXT NOT NULL,
    pid INTEGER,
    finished TEXT,
    delivery TEXT
);
CREATE TABLE IF NOT EXISTS job_documents (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (job_id, position)
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page INTEGER NOT NULL,
    requested TEXT NOT NULL,
    backend TEXT NOT NULL,
    quantization TEXT,
    text TEXT NOT NULL,
    result TEXT NOT NULL,
    seconds REAL NOT NULL,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    created TEXT NOT NULL,
    first_result TEXT,
    corrected TEXT,
    UNIQUE (document_id, page, requested)
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS pages_fts USING fts5(
    text, content='pages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS pages_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS pages_ad AFTER DELETE ON pages BEGIN
    INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER IF NOT EXISTS pages_au AFTER UPDATE ON pages BEGIN
    INSERT INTO pages_fts(pages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO pages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE VIRTUAL TABLE IF NOT EXISTS pages_sub USING fts5(text, tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS pages_sub_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_sub(rowid, text) VALUES (new.id, ablage_fold(new.text));
END;
CREATE TRIGGER IF NOT EXISTS pages_sub_ad AFTER DELETE ON pages BEGIN
    DELETE FROM pages_sub WHERE rowid = old.id;
END;
CREATE TRIGGER IF NOT EXISTS pages_sub_au AFTER UPDATE OF text ON pages BEGIN
    DELETE FROM pages_sub WHERE rowid = old.id;
    INSERT INTO pages_sub(rowid, text) VALUES (new.id, ablage_fold(new.text));
END;
CREATE INDEX IF NOT EXISTS job_documents_state ON job_documents(job_id, state);
"""


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Create what is missing and upgrade an older schema; ``StoreError`` for a newer one."""
    # executescript commits by itself; every statement is IF NOT EXISTS, so a second
    # process opening the file at the same moment is harmless.
    db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is not None and int(row["value"]) > SCHEMA_VERSION:
            raise StoreError(
                f"The archive {path} was written by a newer version of the app "
                f"(schema {row['value']}); this version reads schema {SCHEMA_VERSION}."
            )
        columns = {column["name"] for column in db.execute("PRAGMA table_info(jobs)")}
        if "delivery" not in columns:  # an archive of schema 1
            db.execute("ALTER TABLE jobs ADD COLUMN delivery TEXT")
        columns = {column["name"] for column in db.execute("PRAGMA table_info(pages)")}
        if "corrected" not in columns:  # before corrections were kept (still schema 3:
            # an older app reads and writes such an archive as before)
            db.execute("ALTER TABLE pages ADD COLUMN first_result TEXT")
            db.execute("ALTER TABLE pages ADD COLUMN corrected TEXT")
        if row is None or int(row["value"]) < 3:  # pages read before words inside words
            # Indexed later, a step at a time (``fill_pages_sub``): about 0.4 ms a page, which
            # for a large archive is too long to wait for before the window shows.
            highest = db.execute("SELECT max(id) FROM pages").fetchone()[0]
            if highest is not None:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (SUB_PENDING, str(highest)),
                )
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)",
            (str(SCHEMA_VERSION),),
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def fill_pages_sub(db: sqlite3.Connection, limit: int) -> int:
    """Index for words inside words up to ``limit`` of the pages an older archive held, from
    the newest down; the number indexed, 0 when none is left. Run inside a transaction.

    A page changed since the upgrade was indexed by the triggers already; it is indexed again
    here from the same text, which the trigram table's unique rowids require anyway.
    """
    row = db.execute("SELECT value FROM meta WHERE key = ?", (SUB_PENDING,)).fetchone()
    if row is None:
        return 0
    highest = int(row["value"])
    ids = db.execute(
        "SELECT id FROM pages WHERE id <= ? ORDER BY id DESC LIMIT ?", (highest, limit)
    ).fetchall()
    if not ids:
        db.execute("DELETE FROM meta WHERE key = ?", (SUB_PENDING,))
        return 0
    lowest = int(ids[-1]["id"])
    db.execute("DELETE FROM pages_sub WHERE rowid BETWEEN ? AND ?", (lowest, highest))
    db.execute(
        f"INSERT INTO pages_sub(rowid, text) SELECT id, {FOLD_FUNCTION}(text) FROM pages "
        "WHERE id BETWEEN ? AND ?",
        (lowest, highest),
    )
    db.execute("UPDATE meta SET value = ? WHERE key = ?", (str(lowest - 1), SUB_PENDING))
    return len(ids)


def pages_sub_pending(db: sqlite3.Connection) -> int:
    """How many pages ``fill_pages_sub`` has still to index."""
    row = db.execute(
        "SELECT count(*) FROM pages "
        "WHERE id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?)",
        (SUB_PENDING,),
    ).fetchone()
    return int(row[0])
