"""The archive: a real SQLite file, its schema, pages, jobs, failures and full-text search."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from archives import SHA, schema_2_archive

from ablage_desktop import app
from ablage_desktop.engine.archive.store import HIT_END, HIT_START, Store, StoreError, fts_query
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.results.document import ErrorInfo, Fallback, OcrLine, OcrPage
from ablage_desktop.engine.run.states import DocumentState, JobState


def page(index: int, text: str, backend: str = "tesseract") -> OcrPage:
    lines = tuple(
        OcrLine(line, 0.9, (10, 10 + 40 * n, 400, 40 + 40 * n))
        for n, line in enumerate(text.splitlines())
    )
    return OcrPage(index, 1000, 1400, backend, 0.5, text, lines, route="simple page")


@pytest.fixture
def store(tmp_path: Path):
    archive = Store(tmp_path / "ablage.sqlite3")
    yield archive
    archive.close()


def test_the_file_is_sqlite_in_wal_mode_with_every_table(store: Store) -> None:
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {
        "documents",
        "pages",
        "failures",
        "jobs",
        "job_documents",
        "pages_fts",
        "pages_sub",
    } <= tables
    assert store.integrity_check() == "ok"


def test_a_page_round_trips_with_lines_boxes_and_route(store: Store) -> None:
    original = OcrPage(
        0,
        1000,
        1400,
        "rapidocr",
        1.25,
        "Rechnung 4711\nGesamt 12,50 €",
        (OcrLine("Rechnung 4711", 0.97, (1, 2, 300, 40)),),
        route="complex page",
        fallbacks=(Fallback("got_ocr2", "rapidocr", ErrorInfo("out_of_memory", "VRAM")),),
    )
    store.add_page(SHA, Path("/in/r.pdf"), "auto", original, quantization="int8", job=None)
    assert store.pages(SHA, "auto") == {0: original}
    assert store.pages(SHA, "tesseract") == {}  # another request is another reading
    assert store.document_pages(SHA) == {0: original}


def test_reading_a_page_again_replaces_it_and_its_index(store: Store) -> None:
    store.add_page(SHA, Path("r.png"), "tesseract", page(0, "Rechnung alt"))
    store.add_page(SHA, Path("r.png"), "tesseract", page(0, "Quittung neu"))
    assert store.page_count() == 1
    assert store.pages(SHA, "tesseract")[0].text == "Quittung neu"
    assert store.search("Rechnung") == []
    assert [hit.page for hit in store.search("Quittung")] == [0]


def first_and_corrected(store: Store, requested: str) -> tuple[str | None, str | None]:
    with sqlite3.connect(store.path) as db:
        first, corrected = db.execute(
            "SELECT first_result, corrected FROM pages WHERE requested = ?", (requested,)
        ).fetchone()
    return (first and json.loads(first)["text"]), corrected


def test_a_correction_is_kept_and_found_and_the_first_reading_beside_it(store: Store) -> None:
    read = page(0, "Rechnunq Nr. 4711\nGesamt 12,50")
    store.add_page(SHA, Path("r.png"), "auto", read)
    store.add_page(SHA, Path("r.png"), "tesseract", page(0, "Rechnunq Nr. 47l1"))
    fixed = dataclasses.replace(read, text="Rechnung Nr. 4711\nGesamt 12,50", corrected=True)

    assert store.correct_page(SHA, fixed, was=[read.text]) == 1  # the reading shown, not the other
    assert store.pages(SHA, "auto") == {0: fixed} and fixed.to_json()["corrected"] is True
    assert [(hit.page, hit.document.name) for hit in store.search("Rechnung")] == [(0, "r.png")]
    assert [hit.page for hit in store.search("Rechnunq")] == [0]  # the tesseract reading's
    first, corrected = first_and_corrected(store, "auto")
    assert first == read.text and corrected is not None

    again = dataclasses.replace(fixed, text="Rechnung Nr. 4711\nGesamt 12,60")
    assert store.correct_page(SHA, again, was=[read.text, fixed.text]) == 1
    assert store.correct_page(SHA, again, was=["what no reading holds"]) == 0
    assert store.pages(SHA, "auto")[0].text.endswith("12,60")
    assert first_and_corrected(store, "auto")[0] == read.text  # still the first reading


def test_a_correction_is_undone_with_the_first_reading_back_and_found_again(store: Store) -> None:
    read = page(0, "Rechnunq 4711")
    store.add_page(SHA, Path("r.png"), "auto", read)
    fixed = dataclasses.replace(read, text="Rechnung 4711", corrected=True)
    store.correct_page(SHA, fixed, was=[read.text])

    assert store.revert_page(SHA, 0, was=["what no reading holds"]) is None
    assert store.revert_page(SHA, 0, was=[read.text, fixed.text]) == read
    assert store.pages(SHA, "auto") == {0: read}
    assert [hit.page for hit in store.search("Rechnunq")] == [0]
    assert store.search("Rechnung") == []
    assert first_and_corrected(store, "auto") == (None, None)
    assert store.revert_page(SHA, 0, was=[read.text]) is None  # nothing left to undo


def test_reading_a_corrected_page_again_replaces_the_correction(store: Store) -> None:
    read = page(0, "Rechnunq")
    store.add_page(SHA, Path("r.png"), "auto", read)
    store.correct_page(SHA, dataclasses.replace(read, text="Rechnung"), was=[read.text])
    store.add_page(SHA, Path("r.png"), "auto", page(0, "Rechnung neu"))  # --force
    assert store.pages(SHA, "auto")[0].text == "Rechnung neu"
    assert first_and_corrected(store, "auto") == (None, None)


def test_search_finds_words_with_or_without_umlauts_and_marks_hits(store: Store) -> None:
    store.add_page(SHA, Path("/a/invoice.pdf"), "auto", page(0, "Deckblatt"))
    store.add_page(SHA, Path("/a/invoice.pdf"), "auto", page(1, "Die Fälligkeit ist am 29.11.2018"))
    store.add_page("b" * 64, Path("/a/other.png"), "auto", page(0, "Fälligkeit unbekannt"))
    hits = store.search("fälligkeit 2018")
    assert [(hit.document.name, hit.page) for hit in hits] == [("invoice.pdf", 1)]
    assert f"{HIT_START}Fälligkeit{HIT_END}" in hits[0].snippet
    assert len(store.search("Falligkeit")) == 2  # the OCR slip finds the right word too
    assert len(store.search("Fällig*")) == 2
    with pytest.raises(UsageError):
        store.search("")  # no word: a mistake to say, not "nothing found"
    assert store.search('" AND OR NEAR( -') == []  # syntax characters are only text


def test_a_word_is_found_inside_longer_words_after_the_pages_holding_it_whole(
    store: Store,
) -> None:
    """German compounds: "Rechnung" is in "Handelsrechnung" and "Rechnungsnummer", "Straße"
    in "Waldstrasse" (folded: "ß" as "ss"); those pages follow the whole-word hits."""
    store.add_page("b" * 64, Path("/a/compound.pdf"), "auto", page(0, "Handelsrechnung vom 30.10."))
    store.add_page(SHA, Path("/a/whole.pdf"), "auto", page(0, "Rechnung Nr. 5\nWaldstrasse 86"))
    store.add_page("c" * 64, Path("/a/number.png"), "auto", page(0, "Die Rechnungsnummer"))
    store.add_page("d" * 64, Path("/a/other.png"), "auto", page(0, "Quittung Hauptstraße am 30."))

    hits = store.search("rechnung")

    assert next(hit.document.name for hit in hits) == "whole.pdf"
    assert {hit.document.name for hit in hits[1:]} == {"compound.pdf", "number.png"}
    assert hits[0].rank < 0 < hits[1].rank <= hits[2].rank
    compound = next(hit for hit in hits if hit.document.name == "compound.pdf")
    assert compound.snippet == f"Handels{HIT_START}rechnung{HIT_END} vom 30.10."
    assert {hit.document.name for hit in store.search("STRASSE")} == {"whole.pdf", "other.png"}
    assert [hit.document.name for hit in store.search("Straße 30")] == ["other.png"]
    assert [hit.document.name for hit in store.search("strasse am")] == ["other.png"]
    assert store.search("rechnung", limit=2)[1].rank > 0  # the limit counts both kinds
    assert len(store.search("rechnung", limit=2)) == 2
    assert store.search("ech am") == []  # "am" whole, and "ech" on that page nowhere


def test_an_archive_of_schema_2_has_its_pages_indexed_for_words_inside_words_step_by_step(
    tmp_path: Path,
) -> None:
    """Opening an older archive is quick; its pages are indexed later, a few at a time (the
    window in the background, the CLI before a search), found by whole words meanwhile."""
    path = tmp_path / "old.sqlite3"
    schema_2_archive(path, ["Handelsrechnung", "Rechnung 1", "Waldstraße", "Rechnungsnummer"])

    archive = Store(path)
    try:
        assert archive.older_pages_to_index() == 4
        assert [hit.page for hit in archive.search("rechnung")] == [1]  # whole words only
        # Page 3 read again before its step: the triggers index it, the step again.
        archive.add_page(SHA, Path("old.pdf"), "auto", page(3, "Rechnungsnummer 7"))
        archive.add_page("e" * 64, Path("new.pdf"), "auto", page(0, "Gutschrift zur Rechnung"))
        assert archive.index_older_pages(limit=3) == 3
        assert archive.older_pages_to_index() == 1
        assert archive.index_older_pages(limit=3) == 1
        assert archive.index_older_pages(limit=3) == 0
        assert archive.older_pages_to_index() == 0

        hits = archive.search("rechnung")
        assert sorted((hit.document.name, hit.page) for hit in hits) == [
            ("new.pdf", 0),
            ("old.pdf", 0),
            ("old.pdf", 1),
            ("old.pdf", 3),
        ]
        assert [hit.page for hit in archive.search("strasse")] == [2]
        assert archive.integrity_check() == "ok"
        fixed = dataclasses.replace(page(1, "Rechnung 1"), text="Rechnung 1a")
        assert archive.correct_page(SHA, fixed, was=["Rechnung 1"]) == 1  # columns added
    finally:
        archive.close()
    reopened = Store(path)  # nothing left to index, and nothing indexed twice
    try:
        assert reopened.older_pages_to_index() == 0
        assert reopened.index_older_pages() == 0
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT count(*) FROM pages_sub").fetchone() == (5,)
    finally:
        reopened.close()


def test_the_search_command_indexes_an_older_archive_first_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite3"
    schema_2_archive(path, ["Handelsrechnung vom 30.10.", "Lieferschein"])

    assert app.main(["search", "rechnung", "--store", str(path)]) == 0
    shown = capsys.readouterr()
    assert "indexing 2 pages of an older archive" in shown.err
    assert "old.pdf  page 1  (auto)\n    Handels[rechnung] vom 30.10." in shown.out
    assert app.main(["search", "liefer", "--store", str(path)]) == 0
    assert capsys.readouterr().err == ""  # once


def test_a_new_or_empty_archive_has_nothing_to_index(tmp_path: Path) -> None:
    schema_2_archive(tmp_path / "empty.sqlite3", [])
    for path in (tmp_path / "empty.sqlite3", tmp_path / "new.sqlite3"):
        archive = Store(path)
        try:
            assert archive.older_pages_to_index() == 0
            assert archive.index_older_pages() == 0
        finally:
            archive.close()


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('Betrag "netto" x*') == '"Betrag" """netto""" "x"*'


def test_jobs_record_their_documents_and_resume_only_what_is_left(store: Store) -> None:
    paths = [Path("/in/a.pdf"), Path("/in/b.pdf"), Path("/in/c.pdf")]
    job = store.begin_job("auto", None, paths)
    store.set_document_state(job, 0, DocumentState.DONE, SHA)
    store.set_document_state(job, 1, DocumentState.RUNNING)
    assert store.resumable_jobs() == []  # this process is alive and running it
    store.end_job(job, JobState.INTERRUPTED)
    (found,) = store.resumable_jobs()
    assert found.id == job and [doc.path for doc in found.remaining] == paths[1:]
    assert found.state is JobState.INTERRUPTED
    assert [doc.state for doc in found.documents] == [
        DocumentState.DONE,
        DocumentState.RUNNING,
        DocumentState.PENDING,
    ]
    store.claim_job(job)
    store.set_document_state(job, 1, DocumentState.DONE)
    store.set_document_state(job, 2, DocumentState.FAILED)
    store.end_job(job, JobState.DONE)
    assert store.resumable_jobs() == []


def test_a_job_left_running_by_a_dead_process_is_resumable(store: Store) -> None:
    job = store.begin_job("tesseract", "deu", [Path("/in/a.png")])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE jobs SET pid = ? WHERE id = ?", (int(dead.stdout), job))
    (found,) = store.resumable_jobs()
    assert (found.requested, found.languages) == ("tesseract", "deu")


def test_failures_are_kept(store: Store) -> None:
    job = store.begin_job("auto", None, [Path("/in/x.pdf")])
    store.add_failure(Path("/in/x.pdf"), ErrorInfo("encrypted", "needs a password"), job=job)
    assert store.failures(job) == [(Path("/in/x.pdf"), ErrorInfo("encrypted", "needs a password"))]


def test_a_newer_archive_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="newer version"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot be opened") as refused:
        Store(path)
    assert "move the file aside" in refused.value.message
    assert path.read_bytes() == b"this is not sqlite" * 100  # left as it is


def test_a_damaged_archive_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "archive.sqlite3"
    Store(path).close()
    data = bytearray(path.read_bytes())
    data[100:200] = b"\xff" * 100  # the first page's b-tree header
    path.write_bytes(bytes(data))

    with pytest.raises(StoreError, match="malformed") as refused:
        Store(path)

    assert ".recover" in refused.value.message


def test_a_signal_right_after_begin_leaves_no_open_transaction(store: Store) -> None:
    """SIGTERM is raised as an exception in the main thread (``cli/signals.py``): landing
    between a transaction's BEGIN and the code that ends it, it must not leave the
    transaction open, or every later write fails ("cannot start a transaction within a
    transaction") and the interrupted batch cannot be marked resumable."""

    class Terminated(KeyboardInterrupt):
        pass

    with pytest.raises(Terminated), store._transaction():
        raise Terminated()
    assert not store._db.in_transaction

    store._db.execute("BEGIN IMMEDIATE")  # one left open by a signal before the try
    assert store.add_document("ab" * 32, Path("/tmp/x.pdf"), "pdf", 1) > 0
    assert not store._db.in_transaction
