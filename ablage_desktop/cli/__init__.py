"""The command line: ``ocr``, ``models`` and ``bench``, driving the engine headless.

No Qt here. Exit codes: 0 every document done, 1 some failed (the others are still written),
2 bad usage or configuration, 130 interrupted.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import logging
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ablage_desktop import __version__
from ablage_desktop.engine import (
    AppConfig,
    BackendStatus,
    CancelToken,
    DocumentFinished,
    Engine,
    Event,
    ModelStateChanged,
    OcrDocument,
    OcrRequest,
    PageDone,
    collect_documents,
)
from ablage_desktop.engine.atomicfile import (
    MAX_NAME_BYTES,
    check_writable,
    fit_name,
    folder_error,
    output_error,
)
from ablage_desktop.engine.bench import BenchPlan, BenchProgress, run_bench
from ablage_desktop.engine.bench.chart import write_png
from ablage_desktop.engine.bench.report import markdown, write_json
from ablage_desktop.engine.errors import (
    BackendUnavailable,
    ModelLoadError,
    OutputError,
    UnknownBackend,
    UsageError,
)
from ablage_desktop.engine.eventlog import EventLog
from ablage_desktop.engine.exports import EXPORT_FORMATS, SUFFIXES, write_export
from ablage_desktop.engine.output_guard import Inputs
from ablage_desktop.engine.pathtext import display_line, path_from_storage, path_to_storage
from ablage_desktop.engine.store import (
    HIT_END,
    HIT_START,
    MAX_SEARCH_HITS,
    Store,
    StoreError,
    fts_query,
)

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_OUT = Path("ablage-out")
DEFAULT_FORMAT = "txt"
NOTHING_DONE = "Nothing was read and nothing was written."


def add_common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """Options accepted before and after the subcommand (``--config`` in either place)."""
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=default,
        help="a YAML file merged over the shipped configuration",
    )
    parser.add_argument(
        "--store",
        type=Path,
        metavar="FILE",
        default=default,
        help="the archive (an SQLite file; default in your data folder)",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0 if top_level else argparse.SUPPRESS,
        help="log more (twice for debug)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="no progress, only errors",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ablage-desktop",
        description="OCR for the office archive. Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_common_options(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ocr = commands.add_parser("ocr", help="recognise documents and write their text")
    add_common_options(ocr, top_level=False)
    ocr.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    ocr.add_argument(
        "--resume",
        action="store_true",
        help="finish the batches that were interrupted (a crash, a closed window, Ctrl-C), "
        "without reading again the pages already in the archive",
    )
    ocr.add_argument(
        "--force",
        action="store_true",
        help="read documents again that the archive already holds for this engine",
    )
    ocr.add_argument(
        "--backend",
        metavar="NAME",
        help="'auto' (the default: chosen per page) or a model from 'models list'",
    )
    ocr.add_argument("--lang", metavar="LANGS", help="languages for Tesseract, e.g. deu+eng")
    ocr.add_argument(
        "--pdf-text",
        choices=("auto", "always_ocr", "layer_only"),
        help="PDF text layers: read a page from its layer where it covers the visible text "
        "(auto), never (always_ocr), or always (layer_only); default: intake.pdf_text",
    )
    ocr.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help=f"output format: text (the default, {DEFAULT_FORMAT}), Markdown, JSON, hOCR, or a "
        "searchable PDF",
    )
    ocr.add_argument(
        "--events",
        type=Path,
        metavar="FILE",
        help="write the engine's decisions and memory readings there as JSON lines",
    )
    ocr.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder for the results (default ./{DEFAULT_OUT}/; with --resume, the batch's own); "
        "never a folder being read",
    )

    add_bench_parser(commands)

    search = commands.add_parser("search", help="find documents in the archive by their words")
    add_common_options(search, top_level=False)
    search.add_argument("query", metavar="WORDS", help="every word must occur; word* for a prefix")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.add_argument(
        "--limit",
        type=_hit_count,
        default=50,
        metavar="N",
        help=f"at most N pages (1 to {MAX_SEARCH_HITS})",
    )

    models = commands.add_parser("models", help="the configured models and engines")
    add_common_options(models, top_level=False)
    models_commands = models.add_subparsers(dest="models_command", metavar="ACTION")
    models_list = models_commands.add_parser("list", help="every model with its availability")
    add_common_options(models_list, top_level=False)
    models_list.add_argument("--json", action="store_true", help="machine-readable output")
    models_list.add_argument(
        "--no-check",
        action="store_true",
        help="do not ask the inference servers whether they answer (health check)",
    )
    models_download = models_commands.add_parser(
        "download", help="fetch a model's files from the Hugging Face hub (the only network use)"
    )
    add_common_options(models_download, top_level=False)
    models_download.add_argument("name", metavar="NAME", help="a model from 'models list'")
    models.set_defaults(models_command="list", json=False)
    return parser


def run_command(
    args: argparse.Namespace,
    config: AppConfig,
    footprints: Path | None = None,
    store: Path | None = None,
) -> int:
    """Run the parsed command; ``footprints`` keeps measured model sizes between runs and
    ``store`` is the archive (``--store`` wins over it)."""
    store = getattr(args, "store", None) or store
    if args.command == "ocr":
        return run_ocr(args, config, footprints, store)
    if args.command == "search":
        return run_search(args, store)
    if args.command == "bench":
        return run_bench_command(args, config, footprints)
    if args.command == "models" and args.models_command == "download":
        return run_models_download(args, config)
    if args.command == "models":
        return run_models_list(args, config, footprints)
    raise AssertionError(f"unhandled command {args.command!r}")


# --- models ----------------------------------------------------------------------------------


def run_models_list(
    args: argparse.Namespace,
    config: AppConfig,
    footprints: Path | None = None,
    out: TextIO = sys.stdout,
) -> int:
    engine = Engine(config, footprints=footprints)
    try:
        if not getattr(args, "no_check", False):
            engine.connect_remote()  # a server's state is its health check's answer
        rows = engine.statuses()
    finally:
        engine.close()
    default = config.management.default_backend
    if getattr(args, "json", False):
        json.dump(
            [
                {
                    "name": row.name,
                    "engine": row.engine,
                    "kind": row.kind,
                    "device": row.device,
                    "title": row.title,
                    "description": row.description,
                    "available": row.available,
                    "reason": row.reason or None,
                    "state": row.state,
                    "estimated_bytes": row.estimated_bytes,
                    "measured_bytes": row.measured_bytes,
                    "memory_plan": row.memory_plan,
                    "default": row.name == default,
                    **_remote_json(row),
                }
                for row in rows
            ],
            out,
            indent=2,
            ensure_ascii=False,
        )
        out.write("\n")
        return EXIT_OK
    width = max(len(row.name) for row in rows) + 2
    out.write(
        f"{'NAME':<{width}}{'KIND':<7}{'AVAILABLE':<11}{'STATE':<10}{'ESTIMATED':>10}"
        f"{'MEASURED':>10}  ENGINE / REASON\n"
    )
    for row in rows:
        mark = "*" if row.name == default else " "
        state = "yes" if row.available else "no"
        measured = _size(row.measured_bytes) if row.measured_bytes else "-"
        detail = row.title if row.available else f"{row.title}: {row.reason}"
        if row.remote and row.available:
            detail = f"{row.title}: {_remote_text(row)}"
        out.write(
            f"{row.name + mark:<{width}}{row.kind:<7}{state:<11}{row.state:<10}"
            f"{'-' if row.remote else _size(row.estimated_bytes):>10}{measured:>10}  {detail}\n"
        )
    if default == "auto":
        out.write("default: auto (the router picks per page; see 'routing' in the config)\n")
    else:
        out.write("* default engine\n")
    return EXIT_OK


DOWNLOAD_PATTERNS = ("*.json", "*.safetensors", "*.txt", "*.model", "*.jinja", "*.tiktoken")
"""Configuration, tokenizer and safetensors weights; never pickle weights or code."""


def run_models_download(args: argparse.Namespace, config: AppConfig) -> int:
    options = config.model(args.name)
    if options is None:
        print(f"ablage-desktop: there is no model called '{args.name}'", file=sys.stderr)
        return EXIT_USAGE
    source = getattr(options, "source", None)
    if not source:
        print(f"{args.name} ships with its Python package: nothing to download.")
        return EXIT_OK
    if Path(source).expanduser().is_dir():
        print(f"{args.name} is read from the folder {source}: nothing to download.")
        return EXIT_OK
    from huggingface_hub import snapshot_download

    revision = getattr(options, "revision", None)
    print(f"Downloading {source}" + (f" at {revision}" if revision else "") + " ...")
    try:
        folder = snapshot_download(
            source, revision=revision, allow_patterns=list(DOWNLOAD_PATTERNS)
        )
    except Exception as exc:  # network, authentication, disk: all said in words, exit 1
        print(f"ablage-desktop: could not download {source}: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"{args.name} is ready in {folder}")
    return EXIT_OK


def _remote_json(row: BackendStatus) -> dict[str, object]:
    if not row.remote:
        return {}
    return {
        "destination": row.destination,
        "latency_s": row.load_seconds,
        "page_seconds": row.page_seconds,
        "in_flight": row.in_flight,
        "queued": row.queued,
        "error": row.error or None,
    }


def _remote_text(row: BackendStatus) -> str:
    """A server's latency, queue and where the pages go, for the table."""
    parts = []
    if row.load_seconds is not None and row.loaded:
        parts.append(f"latency {row.load_seconds * 1000:.0f} ms")
    if row.page_seconds is not None:
        parts.append(f"{row.page_seconds:.2f} s/page")
    if row.loaded:
        parts.append(f"queue {row.in_flight} in flight, {row.queued} waiting")
    parts.append(f"sends pages to {row.destination}" if row.destination else "on this machine")
    if row.error and not row.loaded:
        parts.append(row.error)
    return "; ".join(parts)


def _size(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    return f"{size / (1 << 20):.0f} MiB"


# --- ocr -------------------------------------------------------------------------------------


def run_ocr(
    args: argparse.Namespace,
    config: AppConfig,
    footprints: Path | None = None,
    store_path: Path | None = None,
) -> int:
    if store_path is not None and args.paths:  # before the archive file is made
        reason = Inputs.of(args.paths).conflict(store_path, "the archive")
        if reason is not None:
            print(f"ablage-desktop: {display_line(reason)}. {NOTHING_DONE}", file=sys.stderr)
            return EXIT_USAGE
    try:
        store = Store(store_path) if store_path is not None else None
    except StoreError as exc:
        print(f"ablage-desktop: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with stop_on_sigterm():
            return _run_ocr(args, config, footprints, store)
    finally:
        if store is not None:
            store.close()


@dataclass(frozen=True)
class Delivery:
    """Where and how one batch's results are written; kept with the batch in the archive, so
    that ``--resume`` writes the rest to the same place from any working directory."""

    out: Path
    fmt: str

    def to_json(self) -> dict[str, str]:
        return {"out": path_to_storage(self.out.absolute()), "format": self.fmt}

    @classmethod
    def of(cls, args: argparse.Namespace, stored: dict[str, str] | None = None) -> Delivery:
        """The options given win; else what the batch was started with; else the defaults."""
        stored = stored or {}
        out = args.out or (path_from_storage(stored["out"]) if "out" in stored else DEFAULT_OUT)
        fmt = args.format or stored.get("format") or DEFAULT_FORMAT
        return cls(out, fmt if fmt in EXPORT_FORMATS else DEFAULT_FORMAT)


@dataclass
class Planned:
    """One batch to run: what to read, where its results go, and the inputs it must not touch."""

    request: OcrRequest
    delivery: Delivery
    namer: OutputNamer


@dataclass(frozen=True)
class Stop:
    """No batch to run: what to say, and the exit status."""

    message: str
    code: int


def _plans(
    args: argparse.Namespace, engine: Engine, store: Store | None
) -> tuple[list[Planned], Inputs, int] | Stop:
    """What to read: the batches to resume, or the paths given; or why there is nothing."""
    if args.resume:
        if store is None:
            return Stop("ablage-desktop: --resume needs the archive", EXIT_USAGE)
        jobs = store.resumable_jobs()
        if not jobs:
            return Stop(_nothing_to_resume(store), EXIT_OK)
        plans = []
        for job in jobs:
            print(
                f"Resuming batch {job.id} of {job.created[:19].replace('T', ' ')} UTC: "
                f"{len(job.remaining)} of {len(job.documents)} document(s) left",
                file=sys.stderr,
            )
            request = engine.resume_request(job)
            plans.append(_planned(request, Delivery.of(args, job.delivery)))
        return plans, Inputs.of(p for plan in plans for p in plan.request.paths), 0
    if not args.paths:
        return Stop("ablage-desktop: ocr needs documents: PATH... (or --resume)", EXIT_USAGE)
    collected = collect_documents(args.paths)
    if not collected.documents:
        found = ", ".join(display_line(path) for path in args.paths)
        return Stop(f"ablage-desktop: no documents found in {found}", EXIT_USAGE)
    delivery = Delivery.of(args)
    request = OcrRequest(
        collected.documents,
        backend=args.backend,
        languages=args.lang,
        force=args.force,
        delivery=delivery.to_json(),
        pdf_text=args.pdf_text,
    )
    inputs = Inputs.of([*args.paths, *collected.documents])
    return [_planned(request, delivery)], inputs, len(collected.skipped)


def _planned(request: OcrRequest, delivery: Delivery) -> Planned:
    return Planned(request, delivery, OutputNamer(delivery.out, delivery.fmt, request.paths))


def _nothing_to_resume(store: Store) -> str:
    running = store.running_jobs()
    if not running:
        return "Nothing to resume: every batch in the archive is finished."
    return "Nothing to resume here: " + "; ".join(
        f"batch {job.id} is running right now in process {job.pid} "
        f"({len(job.remaining)} of {len(job.documents)} document(s) left)"
        for job in running
    )


def _refusal(
    plans: list[Planned], inputs: Inputs, events: Path | None, store: Store | None
) -> str | None:
    """Why the batch must not start: a write would touch an input, or the output folder
    cannot be written. Checked before a page is read."""
    places: list[tuple[Path, str]] = []
    for plan in plans:
        places.append((plan.delivery.out, "the output folder"))
        places += [(target, "the result") for target in plan.namer.targets()]
    if events is not None:
        places.append((events, "the event log"))
    if store is not None:
        places.append((store.path, "the archive"))
    for place, what in places:
        reason = inputs.conflict(place, what)
        if reason is not None:
            return f"{reason}. {NOTHING_DONE}"
    for plan in plans:
        try:
            check_writable(plan.delivery.out)
        except OSError as exc:
            return folder_error(plan.delivery.out, exc).message + " Choose another with --out."
    return None


def _run_ocr(
    args: argparse.Namespace, config: AppConfig, footprints: Path | None, store: Store | None
) -> int:
    engine = Engine(config, footprints=footprints, store=store)
    planned = _plans(args, engine, store)
    if isinstance(planned, Stop):
        engine.close()
        print(planned.message, file=sys.stdout if planned.code == EXIT_OK else sys.stderr)
        return planned.code
    plans, inputs, skipped = planned
    refusal = _refusal(plans, inputs, args.events, store)
    if refusal is not None:
        engine.close()
        print(f"ablage-desktop: {display_line(refusal)}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr, quiet=args.quiet)
    engine.events.subscribe(progress.on_event)
    event_log = None
    if args.events is not None:
        try:
            event_log = EventLog(args.events)
        except OSError as exc:
            engine.close()
            print(f"ablage-desktop: cannot write {args.events}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        engine.events.subscribe(event_log)
    engine.start()
    cancel = CancelToken()
    tally = Tally()  # counts, not the documents: a night's batch must not pile up in memory
    started = time.perf_counter()
    begun = bool(args.resume)  # a batch in the archive that --resume can finish
    try:
        for plan in plans:
            with contextlib.closing(engine.ocr(plan.request, cancel)) as documents:
                begun = True
                for document in documents:
                    _write(document, plan, inputs, engine)
                    tally.add(document)
    except (UnknownBackend, BackendUnavailable, UsageError, StoreError) as exc:
        progress.clear()
        print(f"ablage-desktop: {display_line(exc.message)}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        cancel.interrupt()
        progress.clear()
        print(f"ablage-desktop: {display_line(exc.message)}", file=sys.stderr)
        if store is not None:
            print(
                "ablage-desktop: the pages read so far are kept in the archive: once the folder "
                "can be written, 'ablage-desktop ocr --resume' writes the missing results "
                "without reading those pages again",
                file=sys.stderr,
            )
        return EXIT_USAGE
    except ModelLoadError as exc:
        progress.clear()
        print(f"ablage-desktop: {display_line(exc.message)}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except KeyboardInterrupt as exc:
        cancel.interrupt()
        progress.clear()
        how = "terminated" if isinstance(exc, Terminated) else "interrupted"
        after = (
            "results written so far are kept, and 'ablage-desktop ocr --resume' finishes the batch"
            if begun and store is not None
            else "no page was read yet"
            if not begun
            else "results written so far are kept"
        )
        print(f"ablage-desktop: {how}; {after}", file=sys.stderr)
        return exc.code if isinstance(exc, Terminated) else EXIT_INTERRUPTED
    finally:
        engine.close()
        if event_log is not None:
            event_log.close()
    progress.clear()
    outs = sorted({display_line(plan.delivery.out) for plan in plans})
    print_summary(tally, time.perf_counter() - started, ", ".join(outs), skipped)
    if progress.restored:
        print(
            f"{progress.restored} page(s) came from the archive (read before; --force reads "
            "them again)"
        )
    return EXIT_SOME_FAILED if tally.failed else EXIT_OK


class Terminated(KeyboardInterrupt):
    """SIGTERM (a shutdown, ``kill``) or SIGHUP (the terminal closed): stop as Ctrl-C does,
    with its own message; the exit status is 128 + the signal's number, as the shell's."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into ``Terminated`` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = {signum: signal.signal(signum, terminate) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write(document: OcrDocument, plan: Planned, inputs: Inputs, engine: Engine) -> None:
    """Write one result; a failed document gets a JSON record but no misleading text file."""
    fmt = plan.delivery.fmt
    if not document.ok and fmt != "json":
        return
    target = plan.namer.name_for(document.document)
    inputs.check(target, "the result")  # checked before the batch too; a name is cheap to check
    limits = engine.config.intake.limits()
    try:
        write_export(document, target, fmt, limits, render_lock=engine.render_lock)
    except OSError as exc:
        raise output_error(target, exc) from exc


class OutputNamer:
    """``<stem>.<format>`` in the output folder, unique within one batch.

    Every document's name is fixed before the batch starts (in the batch's order, failed ones
    included), so that the names can be checked against the inputs before anything is read and
    do not depend on which documents fail.
    """

    def __init__(self, folder: Path, fmt: str, sources: Iterable[Path] = ()) -> None:
        self.folder = folder
        self.fmt = fmt
        self._used: set[str] = set()
        self._planned: dict[Path, collections.deque[Path]] = {}
        for source in sources:
            self._planned.setdefault(source, collections.deque()).append(self._new(source))

    def targets(self) -> list[Path]:
        return [target for names in self._planned.values() for target in names]

    def name_for(self, source: Path) -> Path:
        planned = self._planned.get(source)
        if planned:
            return planned.popleft()
        return self._new(source)

    def _new(self, source: Path) -> Path:
        suffix = SUFFIXES[self.fmt]
        stem = fit_name(source.stem or source.name, MAX_NAME_BYTES - len(suffix) - 6)
        candidate, n = stem, 1
        while candidate.casefold() in self._used:
            n += 1
            candidate = f"{stem}-{n}"
        self._used.add(candidate.casefold())
        return self.folder / f"{candidate}{suffix}"


@dataclass
class Tally:
    """What the summary needs of a batch: counts and the failures, not the pages' text (the
    results are in the output folder and the archive)."""

    done: int = 0
    pages: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)

    def add(self, document: OcrDocument) -> None:
        self.pages += len(document.pages)
        if document.error is None:
            self.done += 1
        else:
            self.failed.append((document.document, document.error.message))


def print_summary(
    tally: Tally,
    seconds: float,
    out_dir: Path | str,
    skipped: int,
    stream: TextIO = sys.stdout,
) -> None:
    stream.write(
        f"{tally.done} document(s) done, {len(tally.failed)} failed, {tally.pages} page(s), "
        f"{seconds:.1f} s; results in {display_line(out_dir)}\n"
    )
    if skipped:
        stream.write(f"{skipped} file(s) in the folders were not documents and were skipped\n")
    for path, message in tally.failed:
        stream.write(f"  failed: {display_line(path)}: {display_line(message)}\n")


class Progress:
    """Progress on stderr: one redrawn bar on a terminal, plain lines otherwise.

    Pages of neighbouring documents finish interleaved, so the bar's share is the sum of each
    document's own share (a finished one counts whole): it only ever grows.
    """

    BAR = 24

    def __init__(self, stream: TextIO, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()
        self._drawn = False
        self._started = time.perf_counter()
        self._share: dict[int, float] = {}
        self._done: dict[int, int] = {}
        self.restored = 0
        """Pages taken from the archive instead of being read."""

    def on_event(self, event: Event) -> None:
        if isinstance(event, PageDone):
            self.restored += event.restored
        if self.quiet:
            return
        if isinstance(event, ModelStateChanged) and event.previous == "loading":
            self._line(f"{event.model}: {event.state} after {event.seconds:.1f} s of loading")
        elif isinstance(event, PageDone):
            done = self._done.get(event.position, 0) + 1
            self._done[event.position] = done
            self._share[event.position] = done / max(1, event.pages)
            if self.tty:
                name = display_line(event.document.name)[:40]
                self._bar(event.total, f"{name} p.{done}/{event.pages}")
            else:
                self._line(
                    f"[{event.position + 1}/{event.total}] {display_line(event.document)}: page "
                    f"{event.page.index + 1}/{event.pages} ({event.page.backend}, "
                    + ("from the archive)" if event.restored else f"{event.page.seconds:.1f} s)")
                )
        elif isinstance(event, DocumentFinished):
            self._share[event.position] = 1.0
            if event.result.error is not None:
                self._line(
                    f"failed: {display_line(event.result.document)}: "
                    + display_line(event.result.error.message)
                )
            elif self.tty:
                self._bar(event.total, display_line(event.result.document.name)[:40])

    def _bar(self, total: int, label: str) -> None:
        share = min(1.0, sum(self._share.values()) / max(1, total))
        filled = int(share * self.BAR)
        finished = sum(1 for value in self._share.values() if value >= 1.0)
        elapsed = time.perf_counter() - self._started
        text = (
            f"\r[{'#' * filled}{'.' * (self.BAR - filled)}] {share:4.0%} "
            f"{finished}/{total} done  {label}  {elapsed:.0f}s"
        )
        self.stream.write(text + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def _line(self, text: str) -> None:
        self.clear()
        self.stream.write(text + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


# --- bench -----------------------------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    if not names:
        raise argparse.ArgumentTypeError("expected names separated by commas")
    return names


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part) for part in _names(text))
    except ValueError:
        message = f"expected whole numbers such as 1,4, not {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("batch sizes start at 1")
    return sizes


def _hit_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if not 1 <= value <= MAX_SEARCH_HITS:
        raise argparse.ArgumentTypeError(f"expected 1 to {MAX_SEARCH_HITS}, not {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def add_bench_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bench = commands.add_parser(
        "bench",
        help="speed, memory and accuracy of the engines on your documents",
        description=(
            "Measure every engine setting on the same documents: cold load, warm-up, seconds "
            "per page, pages per second, peak memory, and (where <stem>.gt.txt lies beside a "
            "document) CER, WER and bag-of-words F1. Prints a Markdown table and writes the "
            "record as JSON and a chart as PNG."
        ),
    )
    add_common_options(bench, top_level=False)
    bench.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="documents or folders")
    bench.add_argument("--data", type=Path, metavar="DIR", help="a folder of documents")
    bench.add_argument(
        "--backend", type=_names, default=(), metavar="A,B", help="models (default: all)"
    )
    bench.add_argument(
        "--quantization",
        type=_names,
        default=(),
        metavar="Q,Q",
        help="for the transformers models, e.g. fp16,int8,int4 (default: as configured)",
    )
    bench.add_argument(
        "--batch-sizes",
        type=_sizes,
        default=(),
        metavar="N,N",
        help="for engines that batch pages (default: as configured)",
    )
    bench.add_argument("--runs", type=_count, default=1, metavar="N", help="timed runs (1)")
    bench.add_argument(
        "--warmup", type=_count, default=1, metavar="N", help="untimed pages after a load (1)"
    )
    bench.add_argument(
        "--peers",
        action="store_true",
        help="also time the tesseract program and RapidOCR without the app on the same pages",
    )
    bench.add_argument(
        "--in-process",
        dest="isolate",
        action="store_false",
        help="measure every engine in this process (default: each in a fresh process, so "
        "one engine's memory figures do not depend on the engines measured before it)",
    )
    bench.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_OUT / "bench.json",
        metavar="FILE",
        help=f"the full record (default {DEFAULT_OUT}/bench.json)",
    )
    bench.add_argument(
        "--plot",
        type=Path,
        default=DEFAULT_OUT / "bench.png",
        metavar="FILE.png",
        help=f"the chart (default {DEFAULT_OUT}/bench.png)",
    )


def run_bench_command(
    args: argparse.Namespace, config: AppConfig, footprints: Path | None = None
) -> int:
    paths = [*args.paths, *([args.data] if args.data else [])]
    if not paths:
        print("ablage-desktop: bench needs documents: PATH... or --data DIR", file=sys.stderr)
        return EXIT_USAGE
    engine = Engine(config, footprints=footprints)
    progress = BenchProgressLine(sys.stderr, quiet=args.quiet)
    try:
        plan = BenchPlan(
            paths=tuple(paths),
            backends=args.backend,
            quantizations=args.quantization,
            batch_sizes=args.batch_sizes,
            runs=args.runs,
            warmup=args.warmup,
            peers=args.peers,
            isolate=args.isolate,
        )
        report = run_bench(engine, plan, progress.on_progress)
    except (UnknownBackend, UsageError) as exc:
        progress.clear()
        print(f"ablage-desktop: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        progress.clear()
        print("ablage-desktop: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        engine.close()
    progress.clear()
    sys.stdout.write(markdown(report))
    try:
        write_json(report, args.json)
        write_png(report, args.plot)
    except OSError as exc:
        print(f"ablage-desktop: cannot write the results: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"record: {args.json}  chart: {args.plot}", file=sys.stderr)
    failed = any(row.status == "failed" or row.failed_documents for row in report.rows)
    return EXIT_SOME_FAILED if failed else EXIT_OK


class BenchProgressLine:
    """One line per step on stderr: which setting, how far, and what it is doing."""

    def __init__(self, stream: TextIO, *, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self._last: tuple[int, str] | None = None
        self._tty = stream.isatty()

    def on_progress(self, progress: BenchProgress) -> None:
        if self.quiet:
            return
        text = (
            f"[{progress.row + 1}/{progress.rows}] {progress.label}: "
            f"{progress.message or f'{progress.pages_done}/{progress.pages_total} pages'}"
        )
        if self._tty:
            self.stream.write("\r" + text + "\x1b[K")
            self.stream.flush()
        elif self._last != (progress.row, progress.message) or not progress.message:
            self.stream.write(text + "\n")
        self._last = (progress.row, progress.message)

    def clear(self) -> None:
        if self._tty and not self.quiet:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


# --- search ----------------------------------------------------------------------------------


def run_search(args: argparse.Namespace, store_path: Path | None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not fts_query(args.query):
        print("ablage-desktop: search needs at least one word", file=sys.stderr)
        return EXIT_USAGE
    if store_path is None or not store_path.is_file():
        print("ablage-desktop: the archive is empty: nothing has been read yet", file=sys.stderr)
        return EXIT_SOME_FAILED
    try:
        store = Store(store_path)
        try:
            hits = store.search(args.query, limit=args.limit)
        finally:
            store.close()
    except (StoreError, UsageError) as exc:
        print(f"ablage-desktop: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        text = json.dumps([hit.to_json() for hit in hits], indent=2, ensure_ascii=False)
        # A file name that is not UTF-8 goes out as JSON escapes of its lone surrogates,
        # which json.loads turns back into the same name (as the JSON results do).
        out.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")
        return EXIT_OK if hits else EXIT_SOME_FAILED
    bold, plain = ("\x1b[1m", "\x1b[0m") if out.isatty() else ("[", "]")
    for hit in hits:
        snippet = " ".join(hit.snippet.split())
        snippet = snippet.replace(HIT_START, bold).replace(HIT_END, plain)
        out.write(f"{hit.document}  page {hit.page + 1}  ({hit.backend})\n    {snippet}\n")
    if not hits:
        out.write(f"No page holds: {args.query}\n")
    return EXIT_OK if hits else EXIT_SOME_FAILED
