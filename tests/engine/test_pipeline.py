"""The page pipeline: order, isolation of failures, bounded memory, cancel, clean shutdown."""

from __future__ import annotations

import io
import struct
import threading
import time
from pathlib import Path

import pytest
from born_digital import Page, prose_page, scanned_page
from born_digital import pdf_bytes as born_pdf_bytes
from fakes import ScriptedBackend, sleep_hook
from PIL import Image
from samples import pdf_bytes

from ablage_desktop.engine.errors import Cancelled, RecognitionError, UsageError
from ablage_desktop.engine.events import DocumentFinished, DocumentStarted, Event, PageDone
from ablage_desktop.engine.intake.decoding import IsolatedDecoder
from ablage_desktop.engine.intake.documents import Document, IntakeLimits, PageImage
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.page_selection import PageSelection
from ablage_desktop.engine.run.pipeline import run_pipeline

LIMITS = IntakeLimits(pdf_dpi=72)


def blank_pdf(path: Path, pages: int) -> Path:
    path.write_bytes(pdf_bytes([Image.new("L", (200, 100), 255)] * pages, dpi=72))
    return path


def blank_tiff(path: Path, pages: int) -> Path:
    frames = [Image.new("L", (120, 80), 255) for _ in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    path.write_bytes(buffer.getvalue())
    return path


def pipeline_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("ablage-")]


def test_documents_come_out_in_input_order_with_pages_in_order(tmp_path: Path) -> None:
    # Odd pages are slow, so the second worker finishes pages out of order.
    def hook(page: PageImage) -> None:
        time.sleep(0.03 if page.index % 2 == 0 else 0.0)

    backend = ScriptedBackend(concurrency=2, hook=hook)
    paths = [blank_pdf(tmp_path / f"d{n}.pdf", pages) for n, pages in enumerate((5, 1, 4))]

    results = list(run_pipeline(paths, backend, LIMITS))

    assert [doc.document for doc in results] == paths
    assert [[p.text for p in doc.pages] for doc in results] == [
        [f"d0.pdf:{n}" for n in range(1, 6)],
        ["d1.pdf:1"],
        [f"d2.pdf:{n}" for n in range(1, 5)],
    ]
    assert all(doc.ok and doc.sha256 for doc in results)
    assert backend.max_active == 2  # both workers really ran at once


def test_a_bad_document_fails_alone_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = blank_pdf(tmp_path / "good.pdf", 2)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.png"

    results = list(run_pipeline([empty, good, missing], ScriptedBackend(), LIMITS))

    assert [doc.error.kind if doc.error else None for doc in results] == [
        "empty",
        None,
        "not_found",
    ]
    assert [len(doc.pages) for doc in results] == [0, 2, 0]


def test_only_the_pages_asked_for_are_read_and_a_document_without_any_fails_in_words(
    tmp_path: Path,
) -> None:
    five = blank_pdf(tmp_path / "five.pdf", 5)
    one = blank_pdf(tmp_path / "one.pdf", 1)
    backend = ScriptedBackend(concurrency=2)

    selection = PageSelection.parse("2,4-")

    results = list(run_pipeline([five, one], backend, LIMITS, selection=selection))

    assert [page.text for page in results[0].pages] == ["five.pdf:2", "five.pdf:4", "five.pdf:5"]
    assert results[0].ok
    assert results[1].error is not None and results[1].error.kind == "pages_not_in_document"
    assert results[1].error.message == "None of the pages asked for (2,4-) is in it: it has 1 page."


@pytest.mark.parametrize(
    ("given", "pages", "said"),
    [
        ("1-3,7,10-", [0, 1, 2, 6, *range(9, 50)], "1-3,7,10-"),
        (" 2 ", [1], "2"),
        ("3-3", [2], "3"),
    ],
)
def test_pages_asked_for_count_from_one_and_an_open_range_runs_to_the_end(
    given: str, pages: list[int], said: str
) -> None:
    selection = PageSelection.parse(given)
    assert [index for index in range(50) if selection.holds(index)] == pages
    assert str(selection) == said
    assert selection.any_of(pages[0] + 1) and not selection.any_of(pages[0])


@pytest.mark.parametrize("given", ["", "0", "3-1", "a", "1;2", "-3", "1,,2"])
def test_pages_that_are_no_pages_are_refused_in_words(given: str) -> None:
    with pytest.raises(UsageError, match="pages are given as 1-3,7,10-"):
        PageSelection.parse(given)


def test_a_page_the_engine_fails_on_keeps_the_other_pages(tmp_path: Path) -> None:
    def hook(page: PageImage) -> None:
        if page.document.name == "doc.pdf" and page.index == 1:
            raise RecognitionError("the engine choked on page 2")

    doc = blank_pdf(tmp_path / "doc.pdf", 3)
    after = blank_pdf(tmp_path / "after.pdf", 1)

    first, second = run_pipeline([doc, after], ScriptedBackend(hook=hook), LIMITS)

    assert first.error is not None
    assert first.error.kind == "recognition"
    assert "page 2" in first.error.message
    assert [page.index for page in first.pages] == [0, 2]
    assert second.ok


def damaged_tiff(path: Path, pages: int, damaged: tuple[int, ...]) -> Path:
    """A deflate-compressed TIFF whose pages ``damaged`` (0-based) have spoilt data."""
    frames = [Image.new("L", (120, 80), 255 - 10 * n) for n in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:],
                   compression="tiff_adobe_deflate")  # fmt: skip
    data = bytearray(buffer.getvalue())
    directory, index = struct.unpack_from("<I", data, 4)[0], 0
    while directory:
        entries = struct.unpack_from("<H", data, directory)[0]
        for entry in range(entries):
            tag, _, count, value = struct.unpack_from("<HHII", data, directory + 2 + 12 * entry)
            if tag == 273 and index in damaged:  # StripOffsets
                strip = value if count == 1 else struct.unpack_from("<I", data, value)[0]
                data[strip : strip + 8] = b"\xff" * 8
        directory = struct.unpack_from("<I", data, directory + 2 + 12 * entries)[0]
        index += 1
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_page_of_a_tiff_keeps_the_pages_after_it(tmp_path: Path) -> None:
    doc = damaged_tiff(tmp_path / "scan.tif", 5, damaged=(1, 3))

    (result,) = run_pipeline([doc], ScriptedBackend(), LIMITS)

    assert [page.index for page in result.pages] == [0, 2, 4]
    assert result.error is not None and result.error.kind == "corrupt"
    assert result.error.message.startswith("Page 2 of scan.tif is damaged")
    assert result.error.message.endswith("(1 more page(s) failed too.)")


def test_a_damaged_page_of_a_tiff_cut_short_is_named_beside_the_cut(tmp_path: Path) -> None:
    doc = damaged_tiff(tmp_path / "scan.tif", 5, damaged=(1,))
    data = bytearray(doc.read_bytes())
    directory = struct.unpack_from("<I", data, 4)[0]
    for _ in range(2):  # to the third page's directory
        entries = struct.unpack_from("<H", data, directory)[0]
        directory = struct.unpack_from("<I", data, directory + 2 + 12 * entries)[0]
    entries = struct.unpack_from("<H", data, directory)[0]
    struct.pack_into("<I", data, directory + 2 + 12 * entries, len(data) + 4096)  # beyond
    doc.write_bytes(bytes(data))

    (result,) = run_pipeline([doc], ScriptedBackend(), LIMITS)

    assert [page.index for page in result.pages] == [0, 2]
    assert result.error is not None and result.error.kind == "incomplete"
    assert "after page 3" in result.error.message
    assert result.error.message.endswith("(Page(s) 2 failed as well.)")


def test_an_unexpected_engine_exception_is_an_internal_error_of_that_document(
    tmp_path: Path,
) -> None:
    def hook(page: PageImage) -> None:
        raise ValueError("boom")

    (result,) = run_pipeline([blank_pdf(tmp_path / "x.pdf", 1)], ScriptedBackend(hook=hook), LIMITS)

    assert result.error is not None
    assert result.error.kind == "internal"
    assert result.error.message == "Page 1: ValueError: boom"


def test_pages_rendered_ahead_are_bounded(tmp_path: Path) -> None:
    """However long the document, only a few decoded pages wait for the engine."""
    rendered = 0
    ahead: list[int] = []

    class CountingDocument:
        def __init__(self, inner: Document) -> None:
            self._inner = inner
            self.sha256 = inner.sha256
            self.type = inner.type
            self.page_count = inner.page_count
            self.damage = inner.damage

        def page(self, index: int) -> PageImage:
            nonlocal rendered
            rendered += 1
            return self._inner.page(index)

        def close(self) -> None:
            self._inner.close()

    class CountingOpener(IsolatedDecoder):
        def open(self, path: Path, limits: IntakeLimits) -> Document:
            return CountingDocument(super().open(path, limits))  # type: ignore[return-value]

    recognised = 0

    def hook(page: PageImage) -> None:
        nonlocal recognised
        time.sleep(0.005)
        ahead.append(rendered - recognised)
        recognised += 1

    path = blank_tiff(tmp_path / "long.tif", 60)

    with CountingOpener() as opener:
        (result,) = run_pipeline(
            [path], ScriptedBackend(concurrency=1, hook=hook), LIMITS, opener=opener
        )

    assert len(result.pages) == 60
    # One page in the engine, the queue (workers + render_ahead), one in the producer's hand.
    assert max(ahead) <= 1 + (1 + 2) + 1


def test_events_report_each_document_and_page(tmp_path: Path) -> None:
    events: list[Event] = []
    paths = [blank_pdf(tmp_path / "a.pdf", 2), tmp_path / "missing.pdf"]

    list(run_pipeline(paths, ScriptedBackend(), LIMITS, emit=events.append))

    kinds = [type(event).__name__ for event in events]
    assert kinds == [
        "DocumentStarted",
        "PageDone",
        "PageDone",
        "DocumentFinished",
        "DocumentFinished",
    ]
    started = events[0]
    assert isinstance(started, DocumentStarted)
    assert (started.position, started.total, started.pages) == (0, 2, 2)
    assert isinstance(events[2], PageDone)
    assert events[2].page.index == 1
    finished = events[-1]
    assert isinstance(finished, DocumentFinished)
    assert finished.result.error is not None


def test_cancel_stops_the_batch_and_marks_what_was_not_done(tmp_path: Path) -> None:
    cancel = CancelToken()
    paths = [blank_pdf(tmp_path / f"d{n}.pdf", 3) for n in range(4)]

    def hook(page: PageImage) -> None:
        if page.document.name == "d0.pdf" and page.index == 0:
            cancel.cancel()

    results = list(run_pipeline(paths, ScriptedBackend(hook=hook), LIMITS, cancel=cancel))

    assert len(results) == 4
    assert results[0].pages[0].index == 0  # the page in the engine when cancel came is kept
    assert all(doc.error is not None and doc.error.kind == "cancelled" for doc in results)
    assert pipeline_threads() == []


def test_leaving_the_loop_early_stops_every_thread(tmp_path: Path) -> None:
    paths = [blank_pdf(tmp_path / f"d{n}.pdf", 5) for n in range(5)]
    backend = ScriptedBackend(concurrency=2, hook=sleep_hook(0.01))

    results = run_pipeline(paths, backend, LIMITS)
    first = next(results)
    results.close()

    assert first.ok
    assert pipeline_threads() == []
    assert len(backend.calls) < 25


class BatchingBackend(ScriptedBackend):
    """Reads up to ``batch_size`` pages per call, like batched generation does."""

    def __init__(self, batch_size: int, fail_batches: bool = False) -> None:
        super().__init__(concurrency=1, hook=self.first_page_waits)
        self.batch_size = batch_size
        self.fail_batches = fail_batches
        self.batches: list[int] = []
        self.pages_read = 0

    def first_page_waits(self, page: PageImage) -> None:
        """The first page takes long enough for the renderer to queue the next ones (on a busy
        CI machine rendering can be slower than a 10 ms page, and no batch ever formed)."""
        self.pages_read += 1
        time.sleep(1.0 if self.pages_read == 1 else 0.01)

    def recognize_batch(self, pages: list[PageImage], cancel: object = None) -> list[object]:
        self.batches.append(len(pages))
        if self.fail_batches:
            raise RuntimeError("the batch did not fit")
        return [self.recognize(page) for page in pages]


def test_a_batching_engine_gets_several_waiting_pages_at_once(tmp_path: Path) -> None:
    backend = BatchingBackend(batch_size=3)
    paths = [blank_pdf(tmp_path / "a.pdf", 5), blank_pdf(tmp_path / "b.pdf", 4)]

    results = list(run_pipeline(paths, backend, LIMITS, render_ahead=4))

    assert [[p.text for p in doc.pages] for doc in results] == [
        [f"a.pdf:{n}" for n in range(1, 6)],
        [f"b.pdf:{n}" for n in range(1, 5)],
    ]
    assert backend.batches and max(backend.batches) <= 3
    assert max(backend.batches) > 1


def test_a_failed_batch_is_read_page_by_page(tmp_path: Path) -> None:
    backend = BatchingBackend(batch_size=4, fail_batches=True)

    (result,) = run_pipeline([blank_pdf(tmp_path / "a.pdf", 6)], backend, LIMITS, render_ahead=4)

    assert result.ok
    assert [p.index for p in result.pages] == list(range(6))
    assert backend.batches, "a batch was tried before the pages were read one by one"


class WaitsForCancel(ScriptedBackend):
    """Reads ``slow.pdf`` for as long as nobody cancels (an engine that takes minutes)."""

    def recognize(self, page: PageImage, cancel: object = None) -> OcrPage:
        if page.document.name != "slow.pdf":
            return super().recognize(page, cancel)
        assert isinstance(cancel, CancelToken)
        if not cancel.wait(60):
            raise AssertionError("the page in flight was never cancelled")
        raise Cancelled()


def test_ctrl_c_stops_the_page_in_flight_instead_of_waiting_for_it(tmp_path: Path) -> None:
    cancel = CancelToken()
    paths = [blank_pdf(tmp_path / "fast.pdf", 1), blank_pdf(tmp_path / "slow.pdf", 1)]
    documents = run_pipeline(paths, WaitsForCancel(), LIMITS, cancel=cancel)
    assert next(documents).ok

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        documents.throw(KeyboardInterrupt())  # Ctrl-C while the slow page is read

    assert time.monotonic() - started < 15
    assert cancel.interrupted, "an interruption: the archive keeps the batch resumable"
    assert not pipeline_threads()


def test_begin_comes_while_the_first_pages_are_rendered_and_before_any_is_read(
    tmp_path: Path,
) -> None:
    """``begin`` (a chosen engine's load, the batch's entry in the archive) runs while the
    producer renders the first pages; no page is read and no event sent before it ends, and
    what it raises ends the run."""
    events: list[Event] = []
    backend = ScriptedBackend()
    seen: list[tuple[int, int]] = []

    class Refused(Exception):
        pass

    def begin() -> None:
        deadline = time.monotonic() + 20
        while not any(t.name == "ablage-intake" for t in threading.enumerate()):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        seen.append((len(backend.calls), len(events)))
        raise Refused

    paths = [blank_pdf(tmp_path / "d.pdf", 3)]
    with pytest.raises(Refused):
        list(run_pipeline(paths, backend, LIMITS, emit=events.append, begin=begin))

    assert seen == [(0, 0)]
    assert backend.calls == [] and events == []
    assert pipeline_threads() == []


# --- a batch of scans: told once its first page is known to need an engine ---------------


class RecordingOpener(IsolatedDecoder):
    """The real decoder, noting each page asked of it in ``seen``."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def open(self, path: Path, limits: IntakeLimits) -> Document:
        document = super().open(path, limits)
        render = document.page

        def page(index: int) -> PageImage:
            self.seen.append(f"{path.name} page {index + 1}")
            return render(index)

        document.page = page  # type: ignore[method-assign]
        return document


def scans_told(tmp_path: Path, documents: dict[str, list[Page]], **kwargs: object) -> list[str]:
    """What a run over ``documents`` (written as PDFs) asked of the decoder, with "scan"
    where ``on_scan`` was called."""
    paths = []
    for name, pages in documents.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(born_pdf_bytes(pages))
    seen: list[str] = []
    limits = IntakeLimits(pdf_dpi=72, pdf_text="auto")
    with RecordingOpener(seen) as opener:
        results = list(
            run_pipeline(
                paths,
                ScriptedBackend(),
                limits,
                opener=opener,
                on_scan=lambda: seen.append("scan"),
                **kwargs,  # type: ignore[arg-type]
            )
        )
    assert all(document.ok for document in results)
    return seen


def scanned() -> Page:
    return scanned_page(Image.new("L", (200, 280), 255))


def test_a_first_document_of_scans_is_told_once_before_its_first_page_is_rendered(
    tmp_path: Path,
) -> None:
    seen = scans_told(tmp_path, {"a.pdf": [scanned(), scanned()], "b.pdf": [scanned()]})

    assert seen == ["scan", "a.pdf page 1", "a.pdf page 2", "b.pdf page 1"]


def test_a_born_digital_first_page_is_not_a_scan_nor_are_later_documents_asked(
    tmp_path: Path,
) -> None:
    """Its page is read from its text layer; a later document's engines load as its pages
    are routed (only the batch's first document is asked)."""
    seen = scans_told(tmp_path, {"a.pdf": [prose_page(["Rechnung 4711"])], "b.pdf": [scanned()]})

    assert seen == ["a.pdf page 1", "b.pdf page 1"]


def test_the_first_page_asked_for_is_the_one_that_decides(tmp_path: Path) -> None:
    mixed = {"mixed.pdf": [prose_page(["Rechnung 4711"]), scanned()]}

    assert scans_told(tmp_path, mixed, selection=PageSelection.parse("2")) == [
        "scan",
        "mixed.pdf page 2",
    ]
    assert "scan" not in scans_told(tmp_path, mixed, selection=PageSelection.parse("1"))
