"""Documents arriving in a watched folder are given out once, when they have stopped growing."""

from __future__ import annotations

import os
from pathlib import Path

from samples import jpeg_bytes, text_page

from ablage_desktop.engine.intake.arrivals import Arrivals

SETTLE = 3.0


def test_a_document_is_given_once_after_it_stood_still(tmp_path: Path) -> None:
    arrivals = Arrivals((tmp_path,), settle_s=SETTLE)
    scan = tmp_path / "scan.jpg"
    data = jpeg_bytes(text_page())
    scan.write_bytes(data[:1000])  # the scanner is still writing

    assert arrivals.poll(0.0) == []
    assert arrivals.poll(SETTLE - 1) == []
    with scan.open("ab") as handle:
        handle.write(data[1000:])
    assert arrivals.poll(SETTLE + 1) == []  # it grew: its wait starts again
    assert arrivals.poll(2 * SETTLE) == []
    assert arrivals.poll(2 * SETTLE + 1) == [scan]
    assert arrivals.poll(3 * SETTLE + 3) == []  # given once


def test_a_document_replaced_under_its_name_is_given_again(tmp_path: Path) -> None:
    arrivals = Arrivals((tmp_path,), settle_s=SETTLE)
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(jpeg_bytes(text_page()))
    arrivals.poll(0.0)
    assert arrivals.poll(SETTLE) == [scan]

    scan.write_bytes(jpeg_bytes(text_page(("Another page",))))
    stamp = scan.stat().st_mtime_ns + 1_000_000_000
    os.utime(scan, ns=(stamp, stamp))

    assert arrivals.poll(SETTLE + 1) == []
    assert arrivals.poll(2 * SETTLE + 1) == [scan]


def test_what_is_not_a_document_or_not_there_yet_is_never_given(tmp_path: Path) -> None:
    arrivals = Arrivals((tmp_path,), settle_s=SETTLE)
    (tmp_path / "notes.txt").write_text("not a document", encoding="utf-8")
    (tmp_path / ".scan.jpg.part").write_bytes(jpeg_bytes(text_page()))  # hidden: a temporary
    (tmp_path / "empty.jpg").write_bytes(b"")  # created, not written yet
    sub = tmp_path / "2026" / "Dezember"
    sub.mkdir(parents=True)
    (sub / "brief.jpg").write_bytes(jpeg_bytes(text_page()))

    arrivals.poll(0.0)

    assert arrivals.poll(SETTLE) == [sub / "brief.jpg"]  # folders inside are watched too


def test_a_document_removed_and_put_back_is_new_again(tmp_path: Path) -> None:
    arrivals = Arrivals((tmp_path,), settle_s=SETTLE)
    scan = tmp_path / "scan.jpg"
    data = jpeg_bytes(text_page())
    scan.write_bytes(data)
    stamp = scan.stat().st_mtime_ns
    arrivals.poll(0.0)
    assert arrivals.poll(SETTLE) == [scan]

    scan.unlink()
    assert arrivals.poll(SETTLE + 1) == []
    scan.write_bytes(data)
    os.utime(scan, ns=(stamp, stamp))  # the same bytes and time as before

    assert arrivals.poll(SETTLE + 2) == []
    assert arrivals.poll(2 * SETTLE + 2) == [scan]


def test_what_was_there_before_the_watch_began_is_left_unless_it_changes(tmp_path: Path) -> None:
    old, new = tmp_path / "old.jpg", tmp_path / "new.jpg"
    old.write_bytes(jpeg_bytes(text_page()))
    begun = max(old.stat().st_mtime, old.stat().st_ctime) + 1
    arrivals = Arrivals((tmp_path,), settle_s=SETTLE, since=begun)
    new.write_bytes(jpeg_bytes(text_page(("Another page",))))
    os.utime(new, (begun + 5, begun + 5))

    arrivals.poll(0.0)
    assert arrivals.poll(SETTLE) == [new]

    old.write_bytes(jpeg_bytes(text_page(("Scanned again",))))  # replaced: it is new now
    os.utime(old, (begun + 10, begun + 10))
    arrivals.poll(SETTLE + 1)
    assert arrivals.poll(2 * SETTLE + 1) == [old]


def test_a_file_still_waiting_holds_the_watermark_back(tmp_path: Path) -> None:
    """The window saves the watermark as the next start's ``since``: a scan that had not
    stood still when the window closed must still be read then."""
    arrivals = Arrivals((tmp_path,), settle_s=SETTLE)
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(jpeg_bytes(text_page()))
    arrived = max(scan.stat().st_mtime, scan.stat().st_ctime)
    looked = arrived + 100  # the last poll began after the scan came
    arrivals.poll(0.0)

    assert arrivals.watermark(looked) < arrived  # before it: read at the next start
    assert arrivals.poll(SETTLE) == [scan]
    assert arrivals.watermark(looked) == looked
