"""The Ablage: an SQLite archive of every document, page result, failure and batch.

Durability is SQLite's: WAL mode with ``synchronous=FULL``, so a committed page survives a
crash, ``kill -9`` or a power cut. Each page is committed as soon as it is recognised, before
anyone is told about it (the engine records first, then emits the event), so "reported" implies
"stored". A batch is a job: its documents and their states are written before the first page,
so an interrupted batch can be resumed, without redoing the pages already committed.

Pages are kept per document (by sha256, so a renamed or copied file is the same document) and
per *requested* engine ("auto" or a model name): the same document read again with the same
request is answered from here unless the caller forces a new reading.

The text is indexed with FTS5 (``unicode61`` tokens, diacritics removed: "Fälligkeit" also finds
"Falligkeit", a frequent OCR slip). One connection, used under a lock, from any thread.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.errors import AblageError, UsageError
from ablage_desktop.engine.pathtext import (
    from_storage,
    json_name,
    path_from_storage,
    path_to_storage,
    to_storage,
)
from ablage_desktop.engine.results import ErrorInfo, OcrPage

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
"""2: ``jobs.delivery``, where the caller writes a batch's results (a resumed batch writes the
rest there too)."""

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
CREATE INDEX IF NOT EXISTS job_documents_state ON job_documents(job_id, state);
"""


class StoreError(AblageError):
    """The archive cannot be opened or written (disk full, damaged file, newer schema)."""

    kind = "store"


@dataclass(frozen=True, slots=True)
class JobDocument:
    position: int
    path: Path
    state: str


@dataclass(frozen=True, slots=True)
class Job:
    """A batch as the archive remembers it."""

    id: int
    created: str
    requested: str
    languages: str | None
    state: str
    documents: tuple[JobDocument, ...]
    delivery: dict[str, str] | None = None
    """What the caller asked for the results (the command line: output folder and format)."""
    pid: int | None = None
    """The process that runs or last ran the batch."""

    @property
    def remaining(self) -> list[JobDocument]:
        """The documents not finished yet: what a resumed run reads."""
        return [doc for doc in self.documents if doc.state in ("pending", "running")]


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


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


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


class Store:
    """The archive in one SQLite file; safe to use from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                path, timeout=30, check_same_thread=False, isolation_level=None
            )
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"The archive {path} cannot be opened: {exc}") from exc

    def _migrate(self) -> None:
        # executescript commits by itself; every statement is IF NOT EXISTS, so a second
        # process opening the file at the same moment is harmless.
        self._db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
        with self._transaction():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is not None and int(row["value"]) > SCHEMA_VERSION:
                raise StoreError(
                    f"The archive {self.path} was written by a newer version of the app "
                    f"(schema {row['value']}); this version reads schema {SCHEMA_VERSION}."
                )
            columns = {column["name"] for column in self._db.execute("PRAGMA table_info(jobs)")}
            if "delivery" not in columns:  # an archive of schema 1
                self._db.execute("ALTER TABLE jobs ADD COLUMN delivery TEXT")
            self._db.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)",
                (str(SCHEMA_VERSION),),
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _write(self, sql: str, parameters: Sequence[object] = ()) -> sqlite3.Cursor:
        try:
            with self._transaction() as db:
                return db.execute(sql, parameters)
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be written: {exc}") from exc

    def _read(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be read: {exc}") from exc

    def integrity_check(self) -> str:
        return str(self._read("PRAGMA integrity_check")[0][0])

    # --- jobs ---------------------------------------------------------------------------------

    def begin_job(
        self,
        requested: str,
        languages: str | None,
        paths: Sequence[Path],
        delivery: dict[str, str] | None = None,
    ) -> int:
        """Record a batch and its documents (all pending) before any page is read.

        Paths are kept absolute: a batch typed with relative paths resumes from any folder.
        """
        try:
            with self._transaction() as db:
                cursor = db.execute(
                    "INSERT INTO jobs (created, requested, languages, state, pid, delivery) "
                    "VALUES (?, ?, ?, 'running', ?, ?)",
                    (
                        _now(),
                        requested,
                        languages,
                        os.getpid(),
                        None if delivery is None else json.dumps(delivery, ensure_ascii=False),
                    ),
                )
                job = int(cursor.lastrowid or 0)
                db.executemany(
                    "INSERT INTO job_documents (job_id, position, path) VALUES (?, ?, ?)",
                    [
                        (job, position, path_to_storage(Path(path).absolute()))
                        for position, path in enumerate(paths)
                    ],
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be written: {exc}") from exc
        return job

    def claim_job(self, job: int) -> None:
        """Mark ``job`` as run again by this process (a resumed batch)."""
        self._write(
            "UPDATE jobs SET state = 'running', pid = ?, finished = NULL WHERE id = ?",
            (os.getpid(), job),
        )

    def end_job(self, job: int, state: str) -> None:
        """``done``, ``cancelled`` or ``interrupted`` (resumable)."""
        self._write("UPDATE jobs SET state = ?, finished = ? WHERE id = ?", (state, _now(), job))

    def set_document_state(
        self, job: int, position: int, state: str, sha256: str | None = None
    ) -> None:
        self._write(
            "UPDATE job_documents SET state = ?, sha256 = COALESCE(?, sha256) "
            "WHERE job_id = ? AND position = ?",
            (state, sha256, job, position),
        )

    def job(self, job: int) -> Job | None:
        rows = self._read("SELECT * FROM jobs WHERE id = ?", (job,))
        if not rows:
            return None
        documents = self._read(
            "SELECT position, path, state FROM job_documents WHERE job_id = ? ORDER BY position",
            (job,),
        )
        row = rows[0]
        return Job(
            id=int(row["id"]),
            created=str(row["created"]),
            requested=str(row["requested"]),
            languages=row["languages"],
            state=str(row["state"]),
            documents=tuple(
                JobDocument(int(doc["position"]), path_from_storage(doc["path"]), str(doc["state"]))
                for doc in documents
            ),
            delivery=json.loads(row["delivery"]) if row["delivery"] else None,
            pid=row["pid"],
        )

    def resumable_jobs(self) -> list[Job]:
        """Batches that stopped before their end: interrupted, or left running by a process
        that is gone (a crash, ``kill -9``, a power cut)."""
        rows = self._read(
            "SELECT id, state, pid FROM jobs WHERE state IN ('running', 'interrupted') ORDER BY id"
        )
        jobs = []
        for row in rows:
            if row["state"] == "running" and _alive(row["pid"]):
                continue  # another window or command is working on it right now
            job = self.job(int(row["id"]))
            if job is not None and job.remaining:
                jobs.append(job)
            elif job is not None:
                self.end_job(job.id, "done")
        return jobs

    def running_jobs(self) -> list[Job]:
        """Batches another live process (a window, a command) is working on right now."""
        rows = self._read("SELECT id, pid FROM jobs WHERE state = 'running' ORDER BY id")
        running = (self.job(int(row["id"])) for row in rows if _alive(row["pid"]))
        return [job for job in running if job is not None and job.pid != os.getpid()]

    # --- documents and pages ------------------------------------------------------------------

    def _document_id(self, db: sqlite3.Connection, sha256: str, path: Path, kind: str,
                     pages: int) -> int:  # fmt: skip
        db.execute(
            "INSERT INTO documents (sha256, path, type, pages, added) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(sha256) DO UPDATE SET path = excluded.path, "
            "type = CASE WHEN excluded.type = '' THEN documents.type ELSE excluded.type END, "
            "pages = MAX(documents.pages, excluded.pages)",
            (sha256, path_to_storage(path), kind, pages, _now()),
        )
        row = db.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return int(row["id"])

    def add_document(self, sha256: str, path: Path, kind: str = "", pages: int = 0) -> int:
        try:
            with self._transaction() as db:
                return self._document_id(db, sha256, path, kind, pages)
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be written: {exc}") from exc

    def add_page(
        self,
        sha256: str,
        path: Path,
        requested: str,
        page: OcrPage,
        *,
        quantization: str | None = None,
        job: int | None = None,
    ) -> None:
        """Commit one recognised page (replacing an earlier reading with the same request)."""
        try:
            with self._transaction() as db:
                document = self._document_id(db, sha256, path, "", 0)
                db.execute(
                    "INSERT INTO pages (document_id, page, requested, backend, quantization, "
                    "text, result, seconds, job_id, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(document_id, page, requested) DO UPDATE SET "
                    "backend = excluded.backend, quantization = excluded.quantization, "
                    "text = excluded.text, result = excluded.result, "
                    "seconds = excluded.seconds, job_id = excluded.job_id, "
                    "created = excluded.created",
                    (
                        document,
                        page.index,
                        requested,
                        page.backend,
                        quantization,
                        page.text,
                        json.dumps(page.to_json(), ensure_ascii=False),
                        page.seconds,
                        job,
                        _now(),
                    ),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be written: {exc}") from exc

    def add_failure(
        self, path: Path, error: ErrorInfo, *, sha256: str | None = None, job: int | None = None
    ) -> None:
        try:
            with self._transaction() as db:
                document = None
                if sha256:
                    row = db.execute(
                        "SELECT id FROM documents WHERE sha256 = ?", (sha256,)
                    ).fetchone()
                    document = int(row["id"]) if row else None
                db.execute(
                    "INSERT INTO failures (document_id, path, job_id, kind, message, created) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        document,
                        path_to_storage(path),
                        job,
                        error.kind,
                        to_storage(error.message),
                        _now(),
                    ),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be written: {exc}") from exc

    def pages(self, sha256: str, requested: str) -> dict[int, OcrPage]:
        """The committed pages of a document for one request, by page index."""
        rows = self._read(
            "SELECT pages.result FROM pages JOIN documents ON documents.id = pages.document_id "
            "WHERE documents.sha256 = ? AND pages.requested = ? ORDER BY pages.page",
            (sha256, requested),
        )
        found = {}
        for row in rows:
            page = OcrPage.from_json(json.loads(row["result"]))
            found[page.index] = page
        return found

    def document_pages(self, sha256: str) -> dict[int, OcrPage]:
        """The latest reading of every page of a document, whatever was requested."""
        rows = self._read(
            "SELECT pages.result FROM pages JOIN documents ON documents.id = pages.document_id "
            "WHERE documents.sha256 = ? ORDER BY pages.page, pages.created",
            (sha256,),
        )
        found = {}
        for row in rows:
            page = OcrPage.from_json(json.loads(row["result"]))
            found[page.index] = page  # the later reading of a page wins
        return found

    def page_count(self) -> int:
        return int(self._read("SELECT COUNT(*) FROM pages")[0][0])

    def failures(self, job: int | None = None) -> list[tuple[Path, ErrorInfo]]:
        sql = "SELECT path, kind, message FROM failures"
        rows = (
            self._read(sql + " WHERE job_id = ? ORDER BY id", (job,))
            if job
            else self._read(sql + " ORDER BY id")
        )
        return [
            (path_from_storage(row["path"]), ErrorInfo(row["kind"], from_storage(row["message"])))
            for row in rows
        ]

    # --- search -------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Pages whose text holds every word of ``text``, best first; ``UsageError`` for a
        query without a word or a limit outside 1..``MAX_SEARCH_HITS``."""
        if not 1 <= limit <= MAX_SEARCH_HITS:
            raise UsageError(f"the number of hits must be 1 to {MAX_SEARCH_HITS}, not {limit}")
        query = fts_query(text)
        if not query:
            raise UsageError("search needs at least one word")
        rows = self._read(
            "SELECT documents.path, documents.sha256, pages.page, pages.requested, "
            "pages.backend, bm25(pages_fts) AS rank, "
            f"snippet(pages_fts, 0, '{HIT_START}', '{HIT_END}', '…', 16) AS snippet "
            "FROM pages_fts JOIN pages ON pages.id = pages_fts.rowid "
            "JOIN documents ON documents.id = pages.document_id "
            "WHERE pages_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
        return [
            SearchHit(
                document=path_from_storage(row["path"]),
                sha256=str(row["sha256"]),
                page=int(row["page"]),
                requested=str(row["requested"]),
                backend=str(row["backend"]),
                snippet=str(row["snippet"]),
                rank=float(row["rank"]),
            )
            for row in rows
        ]


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        import psutil

        process = psutil.Process(pid)
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except Exception:  # psutil.NoSuchProcess, AccessDenied: treat as gone
        return False
