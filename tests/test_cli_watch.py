"""``ocr --watch``: a real CLI process watching a folder while documents are written into it."""

from __future__ import annotations

import csv
import io
import json
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_process import TIMEOUT_S, run_cli, start_cli
from samples import pdf_bytes, text_page


def wait_for(path: Path, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} was not written"
        time.sleep(0.2)


def quick_watch(folder: Path) -> Path:
    """A configuration that looks at the folders twice a second and reads a file once it has
    stood still 1.5 s (the defaults: 2 s and 3 s)."""
    config = folder / "watch.yaml"
    config.write_text("intake:\n  watch_poll_s: 0.5\n  watch_settle_s: 1.5\n", encoding="utf-8")
    return config


def test_documents_that_arrive_are_read_whole_and_ctrl_c_stops(tmp_path: Path) -> None:
    """A file written with pauses shorter than the settle time is read once, whole."""
    inbox, out = tmp_path / "scans", tmp_path / "text"
    inbox.mkdir()
    text_page(("Rechnung 4711",)).save(inbox / "there-before.png", dpi=(300, 300))
    cli = start_cli(
        "--config", quick_watch(tmp_path),
        "--store", tmp_path / "archive.sqlite", "ocr", "--watch", inbox,
        "--backend", "tesseract", "--format", "json", "--out", out,
        cwd=tmp_path, stderr=tmp_path / "stderr.log",
    )  # fmt: skip
    next_line = stdout_lines(cli)
    try:
        wait_for(out / "there-before.json")
        # A scanner writing a two-page PDF over two seconds, pausing between its parts (for
        # a third of the time the file must stand still: 1.5 s).
        data = pdf_bytes([text_page((f"Seite {n} von 2",)) for n in (1, 2)])
        with (inbox / "scan.pdf").open("wb") as handle:
            for start in range(0, len(data), len(data) // 4 + 1):
                handle.write(data[start : start + len(data) // 4 + 1])
                handle.flush()
                time.sleep(0.5)
        # Ctrl-C once both arrivals' summaries are out, the command back to watching: sent
        # as soon as scan.json was there, it came while the batch was ending (exit 130).
        lines = summaries(next_line, 2)
        cli.send_signal(signal.SIGINT)
        try:
            cli.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:  # where it stands, to tell why
            cli.send_signal(signal.SIGUSR1)
            time.sleep(2.0)
            stacks = (tmp_path / "stderr.log").read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"ocr --watch did not stop on Ctrl-C; its threads:\n{stacks[-6000:]}")
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()

    assert cli.returncode == 0
    scan = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert scan["error"] is None  # read once whole, never while it grew
    assert [page["text"].split()[:2] for page in scan["pages"]] == [["Seite", "1"], ["Seite", "2"]]
    stdout = "".join([*lines, *iter(next_line, None)])
    assert stdout.count("1 document(s) done, 0 failed") == 2
    assert "stopped watching" in (tmp_path / "stderr.log").read_text(encoding="utf-8")


def stdout_lines(cli: subprocess.Popen[str]) -> Callable[[], str | None]:
    """The lines the command writes onto stdout, one a call as they come (within 90 s),
    then None for its end."""
    assert cli.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    stream = cli.stdout

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lambda: lines.get(timeout=90.0)


def summaries(next_line: Callable[[], str | None], count: int) -> list[str]:
    """The lines on stdout until ``count`` batches' summaries have come."""
    lines: list[str] = []
    while sum("document(s) done" in line for line in lines) < count:
        line = next_line()
        assert line is not None, f"the command ended after {lines}"
        lines.append(line)
    return lines


def test_fields_of_each_arriving_form_stream_onto_stdout_as_one_table(tmp_path: Path) -> None:
    """A hot folder of forms: ``--area`` and ``--pages`` go with ``--watch`` (not archived),
    and ``--out -`` makes one CSV table of them, a row as each document arrives, its header
    once."""
    inbox = tmp_path / "scans"
    inbox.mkdir()

    def form(name: str, amount: str) -> None:
        pages = [text_page((f"Seite {n} von 2", f"Betrag {amount} EUR")) for n in (1, 2)]
        (tmp_path / name).write_bytes(pdf_bytes(pages))
        (tmp_path / name).rename(inbox / name)  # arrives whole

    form("first.pdf", "100,00")
    cli = start_cli(
        "--config", quick_watch(tmp_path),
        "--store", tmp_path / "archive.sqlite", "ocr", "--watch", inbox, "--pages", "2",
        "--area", "page=0,0,100,40%", "--area", "amount=0,40,100,80%",
        "--backend", "tesseract", "--format", "csv", "--out", "-",
        cwd=tmp_path, stderr=tmp_path / "stderr.log",
    )  # fmt: skip
    next_line = stdout_lines(cli)
    try:
        header, first = next_line(), next_line()
        form("second.pdf", "250,50")
        second = next_line()
        log = tmp_path / "stderr.log"
        deadline = time.monotonic() + 30.0
        while log.read_text(encoding="utf-8").count("results in stdout") < 2:  # back to watching
            assert time.monotonic() < deadline, "the second arrival's summary was not written"
            time.sleep(0.2)
        cli.send_signal(signal.SIGINT)
        cli.wait(timeout=TIMEOUT_S)
        rest = next_line()
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()

    assert cli.returncode == 0
    table = list(csv.reader(io.StringIO(f"{header}{first}{second}")))
    assert table == [
        ["document", "page", "page", "amount"],
        [str(inbox / "first.pdf"), "2", "Seite 2 von 2", "Betrag 100,00 EUR"],
        [str(inbox / "second.pdf"), "2", "Seite 2 von 2", "Betrag 250,50 EUR"],
    ]
    assert rest is None  # the summaries went to stderr, the header came once
    assert "results in stdout" in (tmp_path / "stderr.log").read_text(encoding="utf-8")
    assert not (tmp_path / "archive.sqlite").exists()


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--resume",), "do not go together"),
        (("--out", "scans/text"), "lies inside the folder"),
        (("--out", "-", "--format", "pdf"), "streams txt, md, json or csv"),
    ],
)
def test_watching_is_refused_in_words(tmp_path: Path, extra: tuple[str, ...], words: str) -> None:
    (tmp_path / "scans").mkdir()

    result = run_cli("ocr", "--watch", "scans", *extra, cwd=tmp_path)

    assert result.returncode == 2 and words in result.stderr


def test_watching_a_file_is_refused(tmp_path: Path) -> None:
    text_page().save(tmp_path / "page.png")

    result = run_cli("ocr", "--watch", "page.png", cwd=tmp_path)

    assert result.returncode == 2 and "--watch needs the folders to watch" in result.stderr


def test_sigusr1_writes_where_every_thread_stands_and_the_command_goes_on(tmp_path: Path) -> None:
    """``kill -USR1`` on a command that seems to hang: its threads' stacks on stderr."""
    inbox, log = tmp_path / "scans", tmp_path / "stderr.log"
    inbox.mkdir()
    cli = start_cli(
        "--store", tmp_path / "archive.sqlite", "ocr", "--watch", inbox,
        "--backend", "tesseract", "--out", tmp_path / "text", cwd=tmp_path, stderr=log,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90.0
        while "Watching" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "the watch did not start"
            time.sleep(0.2)
        cli.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 30.0
        while "most recent call first" not in log.read_text(encoding="utf-8"):
            assert time.monotonic() < deadline, "no stacks written"
            time.sleep(0.2)
        assert cli.poll() is None  # still watching
        cli.send_signal(signal.SIGINT)
        cli.communicate(timeout=TIMEOUT_S)
    finally:
        if cli.poll() is None:
            cli.kill()
    stacks = log.read_text(encoding="utf-8")
    assert "watch.py" in stacks
    assert "stopped watching" in stacks
    assert cli.returncode == 0


def test_ctrl_c_while_an_arrival_is_read_interrupts_its_batch_and_as_it_ends_stops_the_watch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the command's own process: Ctrl-C during a batch reaches the caller (the batch
    waits for ``ocr --resume``, exit 130); one that comes as a finished batch's summary is
    written stops the watch as one while waiting does."""
    from ablage_desktop import cli
    from ablage_desktop.cli import watch as watching
    from ablage_desktop.cli.progress import Progress
    from ablage_desktop.engine import CancelToken, Engine, load_config

    inbox = tmp_path / "scans"
    inbox.mkdir()
    text_page(("Rechnung 4711",)).save(inbox / "scan.png", dpi=(300, 300))
    args = cli.build_parser().parse_args(
        ["ocr", "--watch", str(inbox), "--backend", "tesseract", "--out", str(tmp_path / "out")]
    )
    engine = Engine(load_config([quick_watch(tmp_path)]), footprints=tmp_path / "fp.json")

    def ctrl_c(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    real, made = watching.Arrivals, []

    def arrivals(*given: object, **named: object) -> object:
        made.append(real(*given, **named))  # type: ignore[arg-type]
        return made[-1]

    try:
        monkeypatch.setattr(watching, "Arrivals", arrivals)
        monkeypatch.setattr(watching, "read_plans", ctrl_c)
        with pytest.raises(KeyboardInterrupt):
            watching.watch(args, engine, CancelToken(), Progress(io.StringIO(), quiet=True))
        monkeypatch.undo()
        monkeypatch.setattr(watching, "print_summary", ctrl_c)
        monkeypatch.setattr(watching, "Arrivals", arrivals)
        try:
            total = watching.watch(args, engine, CancelToken(), Progress(io.StringIO(), quiet=True))
        except KeyboardInterrupt:  # a failure of this test, not a stop of the whole run
            pytest.fail("a Ctrl-C as a finished batch's summary was written left the watch")
    finally:
        engine.close()

    assert total.done == 1 and not total.failed
    assert [watch.settle_s for watch in made] == [1.5, 1.5]  # the configuration's
