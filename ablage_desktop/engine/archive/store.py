"""The Ablage: an SQLite archive of every document, page result, failure and batch.

Durability is SQLite's: WAL mode with ``synchronous=FULL``, so a committed page survives a
crash, ``kill -9`` or a power cut. Each page is committed as soon as it is recognised, before
anyone is told about it (the engine records first, then emits the event), so "reported" implies
"stored". A batch is a job: its documents and their states are written before the first page,
so an interrupted batch can be resumed, without redoing the pages already committed.

Pages are kept per document (by sha256, so a renamed or copied file is the same document) and
per *requested* engine ("auto" or a model name): the same document read again with the same
request is answered from here unless the caller forces a new reading.

The tables are ``archive_schema``'s, full-text search is ``archive_search``'s. One connection,
used under a lock, from any thread.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ablage_desktop.engine.archive import corrections
from ablage_desktop.engine.archive.schema import (
    FOLD_FUNCTION,
    fill_pages_sub,
    migrate,
    pages_sub_pending,
)
from ablage_desktop.engine.archive.search import (
    HIT_END,
    HIT_START,
    INSIDE_SQL,
    INSIDE_WHOLE,
    MAX_SEARCH_HITS,
    SEARCH_SQL,
    SearchHit,
    fts_query,
    hit_of,
    inside_hit,
    inside_query,
    search_query,
)
from ablage_desktop.engine.errors import StoreError
from ablage_desktop.engine.pathtext import (
    from_storage,
    path_from_storage,
    path_to_storage,
    to_storage,
)
from ablage_desktop.engine.results.document import ErrorInfo, OcrPage
from ablage_desktop.engine.run.processes import running
from ablage_desktop.engine.run.states import DocumentState, JobState
from ablage_desktop.engine.text.folding import folded

__all__ = [  # the archive's API, with the search records defined beside it
    "HIT_END",
    "HIT_START",
    "MAX_SEARCH_HITS",
    "Job",
    "JobDocument",
    "SearchHit",
    "Store",
    "StoreError",
    "fts_query",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

INDEX_STEP = 500
"""Pages of an older archive indexed in one transaction: about 0.2 s, which a page commit of
a running batch may wait for."""


@dataclass(frozen=True, slots=True)
class JobDocument:
    position: int
    path: Path
    state: DocumentState


@dataclass(frozen=True, slots=True)
class Job:
    """A batch as the archive remembers it."""

    id: int
    created: str
    requested: str
    languages: str | None
    state: JobState
    documents: tuple[JobDocument, ...]
    delivery: dict[str, str] | None = None
    """What the caller asked for the results (the command line: output folder and format)."""
    pid: int | None = None
    """The process that runs or last ran the batch."""

    @property
    def remaining(self) -> list[JobDocument]:
        """The documents not finished yet: what a resumed run reads."""
        return [doc for doc in self.documents if doc.state.active]


_DAMAGED_ADVICE = (
    " It is left as it is. To go on with a new archive, move the file aside (with its -wal "
    "and -shm files, if any) or name another with --store, or read without one (ocr "
    "--no-archive); SQLite's own tool may get its pages back: sqlite3 <file> .recover | "
    "sqlite3 <new file>."
)


def _damaged(error: Exception) -> bool:
    """Whether ``error`` says the archive's file is damaged (rather than locked or unreadable)."""
    words = str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in words or "not a database" in words
    )


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds")


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
            self._db.create_function(FOLD_FUNCTION, 1, folded, deterministic=True)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            with self._lock:
                migrate(self._db, path)
        except (sqlite3.Error, OSError) as exc:
            advice = _DAMAGED_ADVICE if _damaged(exc) else ""
            raise StoreError(f"The archive {path} cannot be opened: {exc}.{advice}") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._db.in_transaction:
                # One that a signal cut short between its BEGIN and the code that ends it.
                log.warning("Rolling back a transaction of %s that was left open", self.path)
                self._db.execute("ROLLBACK")
            try:
                # BEGIN inside the try: SIGTERM (raised as an exception by the CLI) may land
                # right after it, and the transaction must not stay open then.
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
            except BaseException:
                # SQLite may have rolled back already (a statement interrupted by a signal):
                # a failing ROLLBACK must not hide why the transaction ended.
                if self._db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
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

    def end_job(self, job: int, state: JobState) -> None:
        """``done``, ``cancelled`` or ``interrupted`` (resumable)."""
        self._write("UPDATE jobs SET state = ?, finished = ? WHERE id = ?", (state, _now(), job))

    def set_document_state(
        self, job: int, position: int, state: DocumentState, sha256: str | None = None
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
            state=JobState(row["state"]),
            documents=tuple(
                JobDocument(
                    int(doc["position"]),
                    path_from_storage(doc["path"]),
                    DocumentState(doc["state"]),
                )
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
            if row["state"] == JobState.RUNNING and running(row["pid"]):
                continue  # another window or command is working on it right now
            job = self.job(int(row["id"]))
            if job is not None and job.remaining:
                jobs.append(job)
            elif job is not None:
                self.end_job(job.id, JobState.DONE)
        return jobs

    def running_jobs(self) -> list[Job]:
        """Batches another live process (a window, a command) is working on right now."""
        rows = self._read("SELECT id, pid FROM jobs WHERE state = 'running' ORDER BY id")
        live = (self.job(int(row["id"])) for row in rows if running(row["pid"]))
        return [job for job in live if job is not None and job.pid != os.getpid()]

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
                    "created = excluded.created, first_result = NULL, corrected = NULL",
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

    def correct_page(self, sha256: str, page: OcrPage, was: Collection[str]) -> int:
        """``corrections.correct``: ``page`` as the user corrected it, in place of the
        reading whose text is one of ``was``; how many readings took it."""
        return self._writing(lambda db: corrections.correct(db, sha256, page, was, _now()))

    def revert_page(self, sha256: str, index: int, was: Collection[str]) -> OcrPage | None:
        """``corrections.revert``: the first reading back in place of a correction."""
        return self._writing(lambda db: corrections.revert(db, sha256, index, was))

    def _writing(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """``work`` in a transaction of its own; an SQLite error as a ``StoreError``."""
        try:
            with self._transaction() as db:
                return work(db)
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

    def index_older_pages(self, limit: int = INDEX_STEP) -> int:
        """Index up to ``limit`` pages of an older archive for words inside words; the number
        indexed, 0 once all are. Until then a search finds those pages by whole words only."""
        try:
            with self._transaction() as db:
                return fill_pages_sub(db, limit)
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be written: {exc}") from exc

    def older_pages_to_index(self) -> int:
        """Pages ``index_older_pages`` has still to index (the CLI says how many, once)."""
        try:
            with self._lock:
                return pages_sub_pending(self._db)
        except sqlite3.Error as exc:
            raise StoreError(f"The archive {self.path} cannot be read: {exc}") from exc

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Pages whose text holds every word of ``text``, best first (``archive_search``):
        those holding them as words, then those holding one inside a longer word."""
        query, limit = search_query(text, limit)
        rows = self._read(SEARCH_SQL, (query, limit))
        hits = [hit_of(row) for row in rows]
        inside = inside_query(text)
        if inside is None or len(hits) >= limit:
            return hits
        trigrams, whole = inside
        sql = INSIDE_SQL.format(whole=INSIDE_WHOLE if whole else "")
        parameters = (
            (trigrams, whole, limit + len(rows)) if whole else (trigrams, limit + len(rows))
        )
        seen = {int(row["id"]) for row in rows}
        more = [
            inside_hit(row, text) for row in self._read(sql, parameters) if row["id"] not in seen
        ]
        return hits + more[: limit - len(hits)]
