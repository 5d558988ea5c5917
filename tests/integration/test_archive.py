"""The archive end to end: a batch killed with SIGKILL resumes without reading a page twice,
documents already read are not read again, and the search finds a word from a real page."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from samples import text_page

from ablage_desktop import app

PAGES = 16
WORDS = ("Rechnung", "Lieferung", "Zahlung", "Betrag", "Kunde", "Steuer", "Auftrag", "Datum")


def long_tiff(path: Path, pages: int = PAGES) -> Path:
    """A multi-page TIFF of full pages of text: slow enough to be killed in the middle."""
    images = []
    for n in range(pages):
        lines = tuple(
            f"Seite {n + 1} Zeile {k + 1}: {WORDS[(n + k) % len(WORDS)]} {1000 + 37 * k},50 EUR"
            for k in range(14)
        )
        images.append(text_page(lines, size=(1700, 1500)))
    images[0].save(path, save_all=True, append_images=images[1:], dpi=(300, 300))
    return path


def committed_pages(store: Path) -> int:
    """Pages in the archive, read by another connection as an onlooker would."""
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM pages").fetchone()[0])
    except sqlite3.OperationalError:  # the tables are being created
        return 0


def events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    # The last line may be cut in the middle by the kill.
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def ocr_command(store: Path, events_file: Path, out: Path, *arguments: str) -> list[str]:
    command = [sys.executable, "-m", "ablage_desktop", "ocr", *arguments, "--backend", "tesseract"]
    return [*command, "--store", str(store), "--events", str(events_file), "--out", str(out)]


@pytest.mark.slow  # a batch of many pages read, killed and read again
def test_a_killed_batch_resumes_without_reading_committed_pages_again(tmp_path: Path) -> None:
    document = long_tiff(tmp_path / "stapel.tif")
    other = tmp_path / "brief.png"
    text_page(("Sehr geehrte Damen und Herren", "anbei die Unterlagen")).save(other)
    store, first_events = tmp_path / "ablage.sqlite3", tmp_path / "first.jsonl"
    process = subprocess.Popen(
        ocr_command(store, first_events, tmp_path / "out", str(document), str(other)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while committed_pages(store) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the batch ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stderr.close()

    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {
            row[0] for row in db.execute("SELECT page FROM pages JOIN documents "
                                         "ON documents.id = pages.document_id "
                                         "WHERE documents.path LIKE '%stapel.tif'")
        }  # fmt: skip
    reported = {e["page"] for e in events(first_events) if e["event"] == "page_done"}
    assert reported and reported <= stored  # every page reported as done is in the archive
    assert len(stored) < PAGES

    second_events = tmp_path / "second.jsonl"
    done = subprocess.run(
        ocr_command(store, second_events, tmp_path / "out", "--resume"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Resuming batch 1" in done.stderr
    pages = [e for e in events(second_events) if e["event"] == "page_done"]
    tiff_pages = [e for e in pages if e["document"].endswith("stapel.tif")]
    restored = {e["page"] for e in tiff_pages if e["restored"]}
    read_now = {e["page"] for e in tiff_pages if not e["restored"]}
    assert restored == stored  # the committed pages were not read again ...
    assert read_now == set(range(PAGES)) - stored  # ... and only the others were
    assert any(e["document"].endswith("brief.png") for e in pages)

    text = (tmp_path / "out" / "stapel.txt").read_text(encoding="utf-8")
    assert text.count("\f") == PAGES - 1
    assert f"Seite {PAGES} Zeile 14" in text.replace("\n", " ")
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM pages").fetchone()[0] == PAGES + 1
        assert db.execute("SELECT state FROM jobs").fetchall() == [("done",)]
    again = subprocess.run(
        ocr_command(store, tmp_path / "third.jsonl", tmp_path / "out", "--resume"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0 and "Nothing to resume" in again.stdout


def test_a_document_read_before_is_taken_from_the_archive_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "quittung.png"
    text_page(("Quittung Nr. 81", "Betrag 12,50 EUR")).save(page, dpi=(300, 300))
    copy = tmp_path / "kopie" / "gleich.png"  # the same bytes under another name
    copy.parent.mkdir()
    copy.write_bytes(page.read_bytes())
    store = tmp_path / "ablage.sqlite3"
    base = ["ocr", "--backend", "tesseract", "--store", str(store), "--out", str(tmp_path / "o")]

    assert app.main([*base, str(page)]) == 0
    capsys.readouterr()
    log = tmp_path / "events.jsonl"
    assert app.main([*base, "--events", str(log), str(copy)]) == 0
    assert "1 page(s) came from the archive" in capsys.readouterr().out
    assert [e["restored"] for e in events(log) if e["event"] == "page_done"] == [True]
    assert "Quittung" in (tmp_path / "o" / "gleich.txt").read_text(encoding="utf-8")

    assert app.main([*base, "--force", "--events", str(log), str(copy)]) == 0
    assert [e["restored"] for e in events(log) if e["event"] == "page_done"] == [False]
    # Another engine is another reading: the same document is read with it.
    rapid = [*base[:2], "rapidocr", *base[3:], "--events", str(log), str(copy)]
    assert app.main(rapid) == 0
    assert [e["restored"] for e in events(log) if e["event"] == "page_done"] == [False]


def test_search_finds_a_word_of_a_real_page(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "ablage.sqlite3"
    invoice = data_dir / "de_intarsys_taxifahrt.pdf"
    argv = ["ocr", str(invoice), "--backend", "tesseract", "--store", str(store)]
    assert app.main([*argv, "--out", str(tmp_path / "o")]) == 0
    capsys.readouterr()

    assert app.main(["search", "Taxiunternehmen", "--store", str(store), "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits and all(hit["document"] == str(invoice) for hit in hits)
    assert {hit["page"] for hit in hits} <= {1, 2}
    assert "\u0002Taxiunternehmen\u0003" in hits[0]["snippet"]

    assert app.main(["search", "Lieferantenstrasse Nirgendwo", "--store", str(store)]) == 1
    assert "No page holds" in capsys.readouterr().out
    assert app.main(["search", "taxiunternehmen", "--store", str(store)]) == 0
    assert "[Taxiunternehmen]" in capsys.readouterr().out


def test_the_image_is_never_written(tmp_path: Path) -> None:
    page = tmp_path / "blatt.png"
    text_page().save(page)
    before = (page.read_bytes(), page.stat().st_mtime_ns)
    assert app.main(["ocr", str(page), "--backend", "tesseract", "--out", str(tmp_path)]) == 0
    assert (page.read_bytes(), page.stat().st_mtime_ns) == before
    with Image.open(page) as image:
        image.verify()


def test_a_document_from_the_archive_is_saved_as_a_searchable_pdf(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pypdfium2 as pdfium

    from ablage_desktop.engine.text.textmetrics import cer

    store = tmp_path / "ablage.sqlite3"
    invoice = data_dir / "de_intarsys_taxifahrt.pdf"
    base = ["ocr", str(invoice), "--backend", "tesseract", "--store", str(store)]
    assert app.main([*base, "--format", "json", "--out", str(tmp_path / "j")]) == 0
    # The second time the pages come from the archive; the PDF is made from them.
    assert app.main([*base, "--format", "pdf", "--out", str(tmp_path / "p")]) == 0
    assert "2 page(s) came from the archive" in capsys.readouterr().out

    recognised = json.loads((tmp_path / "j" / "de_intarsys_taxifahrt.json").read_text("utf-8"))
    pdf = pdfium.PdfDocument(tmp_path / "p" / "de_intarsys_taxifahrt.pdf")
    try:
        assert len(pdf) == 2
        for number, page in enumerate(recognised["pages"]):
            text = pdf[number].get_textpage().get_text_range()
            assert cer(text.replace("\ufffe", "-"), page["text"]) < 0.02
    finally:
        pdf.close()


def test_a_cancelled_batch_is_recorded_as_cancelled_and_keeps_its_pages(tmp_path: Path) -> None:
    from ablage_desktop.engine import CancelToken, Engine, OcrRequest, PageDone, load_config
    from ablage_desktop.engine.archive.store import Store

    document = long_tiff(tmp_path / "stapel.tif", pages=6)
    store = Store(tmp_path / "ablage.sqlite3")
    engine = Engine(load_config([]), store=store)
    cancel = CancelToken()

    def stop_after_two(event: object) -> None:
        if isinstance(event, PageDone) and store.page_count() >= 2:
            cancel.cancel()

    engine.subscribe(stop_after_two)
    try:
        [result] = engine.ocr(OcrRequest([document], backend="tesseract"), cancel)
        assert result.error is not None and result.error.kind == "cancelled"
        (job,) = [store.job(1)]
        assert job is not None and job.state == "cancelled"
        assert [doc.state for doc in job.documents] == ["pending"]  # not finished
        assert 2 <= store.page_count() < 6  # what was read is kept
        assert store.resumable_jobs() == []  # the user stopped it: not offered again
    finally:
        engine.close()
        store.close()
