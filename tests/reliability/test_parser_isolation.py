"""Parsers isolated: a decoder that segfaults, aborts or hangs costs only its document.

Row 1 of the reliability matrix. The faults are real: ``faulty_decoders`` runs inside the
decoder process and reads address 0, calls abort() or blocks for good; the last tests kill
the real decoder with SIGSEGV in the middle of a document, in the pipeline and in the CLI.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from cli_process import decoders_of
from fakes import ScriptedBackend
from faulty_decoders import open_faulty
from PIL import Image
from samples import pdf_bytes, text_page

from ablage_desktop.engine.errors import DecoderCrashed, DecoderTimeout
from ablage_desktop.engine.intake.decoding import IsolatedDecoder
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document
from ablage_desktop.engine.run.pipeline import run_pipeline

LIMITS = IntakeLimits(pdf_dpi=72)
REPO = Path(__file__).resolve().parents[2]


def pdf(path: Path, pages: int) -> Path:
    path.write_bytes(pdf_bytes([Image.new("L", (200, 100), 255)] * pages, dpi=72))
    return path


def tiff(path: Path, pages: int, size: tuple[int, int] = (120, 80)) -> Path:
    frames = [Image.new("L", size, 255) for _ in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    path.write_bytes(buffer.getvalue())
    return path


def kinds(results: list) -> list[str | None]:
    return [doc.error.kind if doc.error else None for doc in results]


@pytest.fixture(params=[False, True], ids=["on-request", "render-ahead"])
def faulty(request: pytest.FixtureRequest) -> Iterator[IsolatedDecoder]:
    """The faulty decoders, rendering each page when asked, and rendering the next page
    ahead (a fault while rendering ahead must still be that page's, raised when it is asked
    for)."""
    with IsolatedDecoder(open_faulty, render_ahead=request.param) as decoder:
        yield decoder


@pytest.mark.parametrize(("fault", "signal_name"), [("segfault", "SIGSEGV"), ("abort", "SIGABRT")])
def test_a_decoder_that_crashes_opening_a_pdf_fails_that_document_alone(
    tmp_path: Path, faulty: IsolatedDecoder, fault: str, signal_name: str
) -> None:
    paths = [
        pdf(tmp_path / "before.pdf", 2),
        pdf(tmp_path / f"{fault}-open.pdf", 2),
        tiff(tmp_path / "after.tif", 3),
    ]

    results = list(run_pipeline(paths, ScriptedBackend(), LIMITS, opener=faulty))

    assert kinds(results) == [None, "decoder_crashed", None]
    assert signal_name in results[1].error.message
    assert f"{fault}-open.pdf" in results[1].error.message
    assert [len(doc.pages) for doc in results] == [2, 0, 3]
    assert faulty.starts == 2  # a fresh process took over after the crash


@pytest.mark.parametrize("fault", ["segfault", "abort"])
def test_a_crash_on_page_2_of_a_tiff_costs_that_page_alone(
    tmp_path: Path, faulty: IsolatedDecoder, fault: str
) -> None:
    """A fresh decoder opens the document again and goes on after the page."""
    paths = [tiff(tmp_path / f"{fault}-page2.tif", 4), pdf(tmp_path / "next.pdf", 1)]

    first, second = run_pipeline(paths, ScriptedBackend(), LIMITS, opener=faulty)

    assert first.error is not None and first.error.kind == "decoder_crashed"
    assert "Page 2 of" in first.error.message
    assert [page.index for page in first.pages] == [0, 2, 3]
    assert second.ok and len(second.pages) == 1
    assert faulty.starts == 2


def test_a_crash_asked_whether_a_page_needs_an_engine_costs_no_page(
    tmp_path: Path, faulty: IsolatedDecoder
) -> None:
    """The question (before the first page is rendered, for a batch's engines to load
    meanwhile) is a guess: a fresh decoder opens the document again and renders its pages."""
    told: list[str] = []
    paths = [pdf(tmp_path / "segfault-asked.pdf", 2)]

    (result,) = run_pipeline(
        paths, ScriptedBackend(), LIMITS, opener=faulty, on_scan=lambda: told.append("scan")
    )

    assert result.ok and len(result.pages) == 2
    assert told == [] and faulty.starts == 2


def test_a_decoder_that_hangs_is_stopped_at_the_time_limit(
    tmp_path: Path, faulty: IsolatedDecoder
) -> None:
    # 3 s: a fresh decoder's start and first page fit in it on a loaded CI machine (with 1 s,
    # the document after the two hangs once timed out too)
    limits = IntakeLimits(pdf_dpi=72, decode_timeout_s=3.0)
    paths = [
        pdf(tmp_path / "hang-open.pdf", 1),
        tiff(tmp_path / "hang-page2.tif", 3),
        pdf(tmp_path / "after.pdf", 2),
    ]
    hung: list[int] = []

    def remember_pid(page: PageImage) -> None:
        if page.document.name == "hang-page2.tif" and faulty.pid is not None:
            hung.append(faulty.pid)

    started = time.monotonic()
    results = list(run_pipeline(paths, ScriptedBackend(hook=remember_pid), limits, opener=faulty))
    elapsed = time.monotonic() - started

    assert kinds(results) == ["decoder_timeout", "decoder_timeout", None]
    assert "longer than 3 s" in results[0].error.message
    assert [len(doc.pages) for doc in results] == [0, 2, 2]  # the page after the hang read
    assert elapsed < 30  # two time limits and four process starts, not forever
    assert hung and not psutil.pid_exists(hung[0])  # the hung process was killed, not left


def test_the_decoder_raises_typed_errors_to_a_direct_caller(
    tmp_path: Path, faulty: IsolatedDecoder
) -> None:
    crash = tiff(tmp_path / "segfault-page2.tif", 2)
    hang = pdf(tmp_path / "hang-open.pdf", 1)

    with faulty.open(crash, LIMITS) as document:
        assert document.page(0).image.size == (120, 80)
        with pytest.raises(DecoderCrashed, match="SIGSEGV"):
            document.page(1)
        with pytest.raises(DecoderCrashed, match="stopped while"):
            document.page(0)  # its process is gone; the document with it
    with pytest.raises(DecoderTimeout, match="decode_timeout_s"):
        faulty.open(hang, IntakeLimits(decode_timeout_s=0.5))
    with faulty.open(pdf(tmp_path / "fine.pdf", 1), LIMITS) as document:
        assert document.page(0).image.size == (200, 100)
    assert faulty.starts == 3


def test_killing_the_real_decoder_mid_document_costs_only_the_page_it_was_on(
    tmp_path: Path,
) -> None:
    """No test decoder here: the production one, killed with SIGSEGV from outside."""
    paths = [tiff(tmp_path / "long.tif", 40), pdf(tmp_path / "after.pdf", 2)]
    decoder = IsolatedDecoder()
    killed: list[int] = []

    def kill_on_page_3(page: PageImage) -> None:
        if page.document.name == "long.tif" and page.index == 2 and not killed:
            assert decoder.pid is not None
            killed.append(decoder.pid)
            os.kill(decoder.pid, signal.SIGSEGV)

    with decoder:
        first, second = run_pipeline(
            paths, ScriptedBackend(hook=kill_on_page_3), LIMITS, opener=decoder
        )

    assert killed
    assert first.error is not None and first.error.kind == "decoder_crashed"
    assert "SIGSEGV" in first.error.message
    assert len(first.pages) == 39  # the page it was on, alone
    assert second.ok and len(second.pages) == 2
    assert decoder.starts == 2


def test_pdfium_runs_only_on_the_decoder_process_main_thread(tmp_path: Path) -> None:
    """Two recognition threads, render-ahead and a preview decoder beside the batch: the app
    process never loads pdfium, and in the decoder it is called by its one thread alone."""
    paths = [pdf(tmp_path / f"d{n}.pdf", 4) for n in range(3)]
    script = (
        "import sys, threading\n"
        "from pathlib import Path\n"
        f"sys.path[:0] = [{str(REPO / 'tests')!r}, {str(Path(__file__).parent)!r}]\n"
        "from fakes import ScriptedBackend\n"
        "from faulty_decoders import open_checking_threads\n"
        "from ablage_desktop.engine.intake.decoding import IsolatedDecoder\n"
        "from ablage_desktop.engine.intake.documents import IntakeLimits\n"
        "from ablage_desktop.engine.run.pipeline import run_pipeline\n"
        "paths = [Path(p) for p in sys.argv[1:]]\n"
        "limits = IntakeLimits(pdf_dpi=72)\n"
        "with IsolatedDecoder(open_checking_threads) as batch, "
        "IsolatedDecoder(open_checking_threads) as preview:\n"
        "    def show():\n"
        "        for _ in range(5):\n"
        "            with preview.open(paths[0], limits) as doc:\n"
        "                doc.page(1)\n"
        "    viewer = threading.Thread(target=show)\n"
        "    viewer.start()\n"
        "    backend = ScriptedBackend(concurrency=2)\n"
        "    docs = list(run_pipeline(paths, backend, limits, opener=batch))\n"
        "    viewer.join()\n"
        "print([d.error.message if d.error else len(d.pages) for d in docs])\n"
        "print('pdfium in the app process:', 'pypdfium2' in sys.modules)\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )

    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines() == ["[4, 4, 4]", "pdfium in the app process: False"]


def test_the_cli_goes_on_when_its_decoder_is_killed(tmp_path: Path) -> None:
    """The app end to end: the real CLI's decoder process dies with SIGSEGV in the middle of
    a 60-page TIFF; the page it was on fails with the reason, the rest of the TIFF and the
    next document are read, exit 1."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    frames = [text_page()] * 60
    frames[0].save(
        inbox / "a-long.tif", save_all=True, append_images=frames[1:], compression="tiff_deflate"
    )
    text_page().save(inbox / "b-after.png")
    out = tmp_path / "out"
    command = ["ocr", str(inbox), "--backend", "tesseract", "--format", "json", "--out", str(out)]
    cli = subprocess.Popen(
        [sys.executable, "-m", "ablage_desktop", *command],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert cli.stderr is not None
        for line in cli.stderr:  # progress lines: wait for the first page of the TIFF
            if "a-long.tif: page" in line:
                break
        decoders = decoders_of(psutil.Process(cli.pid))
        assert len(decoders) == 1
        decoders[0].send_signal(signal.SIGSEGV)
        stdout, stderr = cli.communicate(timeout=120)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()

    assert cli.returncode == 1, stderr
    long_result = json.loads((out / "a-long.json").read_text(encoding="utf-8"))
    after = json.loads((out / "b-after.json").read_text(encoding="utf-8"))
    assert long_result["error"]["kind"] == "decoder_crashed"
    assert "SIGSEGV" in long_result["error"]["message"]
    assert len(long_result["pages"]) == 59  # a new decoder went on after the page
    assert after["error"] is None and "4711" in after["pages"][0]["text"]
    assert "1 document(s) done, 1 failed" in stdout


@pytest.mark.parametrize("shared_bytes", [64 << 20, 1000], ids=["shared-memory", "pipe"])
def test_pages_come_back_from_the_decoder_pixel_for_pixel(
    tmp_path: Path, shared_bytes: int
) -> None:
    """Grey and colour pages, through shared memory and (too big for it) through the pipe."""
    colour = Image.new("RGB", (300, 200), (200, 30, 60))
    colour.paste((10, 120, 250), (50, 40, 120, 90))
    grey = text_page()
    path = tmp_path / "mixed.tif"
    colour.save(path, save_all=True, append_images=[grey])

    with open_document(path, LIMITS) as local:
        expected = [page.image for page in local.pages()]
    with (
        IsolatedDecoder(shared_bytes=shared_bytes) as decoder,
        decoder.open(path, LIMITS) as remote,
    ):
        pages = list(remote.pages())

    assert [page.image.mode for page in pages] == ["RGB", "L"]
    assert [page.image.tobytes() for page in pages] == [image.tobytes() for image in expected]


def test_a_decoder_asked_to_stop_ends_by_itself_with_code_0(tmp_path: Path) -> None:
    """It ends without the interpreter's teardown (``os._exit``), not by the kill that
    ``close`` sends one that is still there after its time."""
    decoder = IsolatedDecoder()
    with decoder.open(pdf(tmp_path / "two.pdf", 2), LIMITS) as document:
        assert document.page(1).width > 0
    process = decoder._process
    assert process is not None
    ended: list[int | None] = []
    close = process.close
    process.close = lambda: (ended.append(process.exitcode), close())  # as it is let go
    decoder.close()

    assert ended == [0]


def _join_starts(name: str) -> None:
    for thread in threading.enumerate():
        if thread.name == f"{name}-start":
            thread.join(30)


def test_a_decoder_started_ahead_is_the_one_the_first_document_opens_in(tmp_path: Path) -> None:
    """``start_soon`` (a batch's start, beside its engine's load) starts the process in the
    background; the first ``open`` uses it rather than starting another."""
    with IsolatedDecoder(name="ahead") as decoder:
        decoder.start_soon()
        _join_starts("ahead")
        ahead = decoder.pid
        with decoder.open(pdf(tmp_path / "one.pdf", 1), LIMITS) as document:
            assert document.page(0).width > 0

        assert ahead is not None
        assert decoder.pid == ahead
        assert decoder.starts == 1


def test_a_decoder_closed_before_its_start_ahead_starts_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The start's thread is held until the close is done: it must then start nothing (a
    process and its shared memory that nobody would stop)."""
    decoder = IsolatedDecoder(name="closed-ahead")
    start, closed = decoder._start_quietly, threading.Event()
    monkeypatch.setattr(decoder, "_start_quietly", lambda closes: (closed.wait(20), start(closes)))
    decoder.start_soon()
    decoder.close()
    closed.set()
    _join_starts("closed-ahead")

    assert decoder.pid is None and decoder.starts == 0
