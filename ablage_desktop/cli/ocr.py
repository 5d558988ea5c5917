"""The ``ocr`` command: read documents (or finish interrupted batches) and write their results."""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ablage_desktop.cli.common import (
    DEFAULT_FORMAT,
    DEFAULT_OUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    NOTHING_DONE,
    add_common_options,
)
from ablage_desktop.cli.delivery import (
    RUNNING_TEXT_FORMATS,
    Planned,
    Stop,
    plan_batches,
    read_plans,
    refusal_reason,
)
from ablage_desktop.cli.progress import Progress, Tally, print_summary
from ablage_desktop.cli.signals import Terminated, stop_on_signals
from ablage_desktop.cli.stdin import NAME as STDIN_NAME
from ablage_desktop.cli.stdin import wants_stdin, with_stdin_document
from ablage_desktop.cli.watch import watch, watch_refusal
from ablage_desktop.engine import (
    EXPORT_FORMATS,
    AppConfig,
    CancelToken,
    Engine,
    EventLog,
    Inputs,
    PageArea,
    PageSelection,
    Store,
    display_line,
    named_areas,
)
from ablage_desktop.engine.errors import (
    BackendUnavailable,
    ModelLoadError,
    OutputError,
    StoreError,
    UnknownBackend,
    UsageError,
)

STOPPING = (
    UnknownBackend,
    BackendUnavailable,
    UsageError,
    StoreError,
    OutputError,
    ModelLoadError,
    KeyboardInterrupt,
)
"""What ends a batch early with words instead of a traceback (``_stopped`` says which words)."""


def add_ocr_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ocr = commands.add_parser("ocr", help="recognise documents and write their text")
    add_common_options(ocr, top_level=False)
    ocr.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders; '-' reads one document from stdin (not kept in the archive)",
    )
    ocr.set_defaults(stdin_copy=None)
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
        "--watch",
        action="store_true",
        help="go on watching the folders named: every document that arrives there (a "
        "scanner's scan folder) is read once it has stopped growing, until Ctrl-C",
    )
    ocr.add_argument(
        "--no-archive",
        action="store_true",
        help="read without the archive: nothing is looked up in it or kept (for a one-off, "
        "or an archive that is damaged or elsewhere)",
    )
    ocr.add_argument(
        "--backend",
        metavar="NAME",
        help="'auto' (the default: chosen per page) or a model from 'models list'",
    )
    ocr.add_argument("--lang", metavar="LANGS", help="languages for Tesseract, e.g. deu+eng")
    ocr.add_argument(
        "--area",
        dest="areas",
        action="append",
        default=[],
        type=_page_area,
        metavar="[NAME=]L,T,R,B",
        help="read only this area of every page: its left, top, right and bottom edges from "
        "the page's top left corner, in pixels as the page is read (a JSON result's boxes), "
        "or with 'mm' or '%%' after them (10,20,90,35mm; 0,0,50,15%%): one field of each copy "
        "of a form. Again for more fields, each best with a name (nr=60,8,95,12%%): the text "
        "is then one 'NAME: text' line a field, the JSON's pages have them as \"fields\". "
        "Not kept in the archive",
    )
    ocr.add_argument(
        "--pages",
        type=_page_selection,
        metavar="1-3,7,10-",
        help="read only these pages of every document (from 1; 10- to its end): the first "
        "pages of a long scan. Not kept in the archive",
    )
    ocr.add_argument(
        "--pdf-text",
        choices=("auto", "always_ocr", "layer_only"),
        help="PDF text layers: read a page from its layer where it covers the visible text "
        "(auto), never (always_ocr), or always (layer_only); default: intake.pdf_text",
    )
    ocr.add_argument(
        "--password",
        action="append",
        default=[],
        metavar="PW",
        help="a password to try on PDFs that ask for one (again for more); kept out of the "
        "shell's history in the configuration's intake.pdf_passwords",
    )
    ocr.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help=f"output format: text (the default, {DEFAULT_FORMAT}), Markdown, JSON, hOCR, ALTO "
        "XML (as libraries keep it), a searchable PDF (PDF/A-2b, a PDF's own pages kept), or "
        "CSV (a row a page: with --area its fields, else its text)",
    )
    ocr.add_argument(
        "--pdf-images",
        choices=("original", "compact"),
        help="a searchable PDF's pages of image files: as the file holds them (original, the "
        "default: a PNG scan stays lossless), or compact (a lossless page as a JPEG where that "
        "is smaller: photographs); the configuration's exports.pdf_images",
    )
    ocr.add_argument(
        "--running-text",
        action="store_true",
        help="text with each paragraph in one line and words a hyphen broke at a line's end "
        "joined again (--format txt or csv); an address, a table's rows and lists keep their "
        "lines",
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
        "never a folder being read; '-' writes them to stdout (text: documents apart by a form "
        "feed; JSON: one document a line; CSV: one table), with --watch as they arrive",
    )


def run_ocr(
    args: argparse.Namespace,
    config: AppConfig,
    footprints: Path | None = None,
    store_path: Path | None = None,
) -> int:
    if args.running_text and args.format not in (None, *RUNNING_TEXT_FORMATS):
        print("ablage-desktop: --running-text is for --format txt or csv", file=sys.stderr)
        return EXIT_USAGE
    partial = "--area" if args.areas else "--pages" if args.pages is not None else None
    if partial and args.resume:  # the archive's batch was read whole
        print(
            f"ablage-desktop: {partial} reads given documents, not with --resume. {NOTHING_DONE}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        args.areas = list(named_areas(args.areas))
    except UsageError as exc:
        print(f"ablage-desktop: {exc.message}. {NOTHING_DONE}", file=sys.stderr)
        return EXIT_USAGE
    if wants_stdin(args):
        if sys.stdin.isatty():
            print(
                "ablage-desktop: 'ocr -' reads a document from stdin: pipe one in "
                "(... | ablage-desktop ocr -)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        with with_stdin_document(args, sys.stdin.buffer):
            return _run_ocr_on_files(args, config, footprints, store_path)
    return _run_ocr_on_files(args, config, footprints, store_path)


def _run_ocr_on_files(
    args: argparse.Namespace, config: AppConfig, footprints: Path | None, store_path: Path | None
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
        with stop_on_signals():
            return _run_ocr(args, config, footprints, store)
    finally:
        if store is not None:
            store.close()


def _run_ocr(
    args: argparse.Namespace, config: AppConfig, footprints: Path | None, store: Store | None
) -> int:
    if args.watch and (refused := watch_refusal(args, store)) is not None:
        print(f"ablage-desktop: {display_line(refused)}. {NOTHING_DONE}", file=sys.stderr)
        return EXIT_USAGE
    if args.pdf_images is not None:
        config = config.with_pdf_images(args.pdf_images)
    engine = Engine(config, footprints=footprints, store=store)
    for password in args.password:  # after those of the configuration
        engine.add_pdf_password(password)
    planned = ([], Inputs.of(args.paths), 0) if args.watch else _checked_plans(args, engine, store)
    if isinstance(planned, int):
        return planned
    plans, inputs, skipped = planned
    shown = _shown_as(plans)
    progress = Progress(sys.stderr, quiet=args.quiet, shown=shown)
    engine.subscribe(progress.on_event)
    event_log = None
    if args.events is not None:
        try:
            event_log = EventLog(args.events)
        except OSError as exc:
            engine.close()
            print(f"ablage-desktop: cannot write {args.events}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
        engine.subscribe(event_log)
    engine.start()
    cancel = CancelToken()
    tally = Tally()  # counts, not the documents: a night's batch must not pile up in memory
    started = time.perf_counter()
    # A batch in the archive that --resume can finish (``engine.ocr`` begins it on its first step).
    begun = bool(args.resume or args.watch or plans)
    preparing = _prepare_in_background(engine, args.backend)
    try:
        if args.watch:
            return EXIT_SOME_FAILED if watch(args, engine, cancel, progress).failed else EXIT_OK
        read_plans(plans, inputs, engine, cancel, tally.add)
    except STOPPING as exc:
        return _stopped(exc, cancel, progress, begun=begun, archive=store is not None)
    finally:
        preparing.join()  # never exit while a library loads: its threads abort the process
        engine.close(ending=True)
        if event_log is not None:
            event_log.close()
    progress.clear()
    _summarise(plans, tally, started, skipped, progress.restored, shown)
    return EXIT_SOME_FAILED if tally.failed else EXIT_OK


def _page_area(text: str) -> PageArea:
    try:
        return PageArea.parse(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _page_selection(text: str) -> PageSelection:
    try:
        return PageSelection.parse(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _prepare_in_background(engine: Engine, backend: str | None) -> threading.Thread:
    """Import the batch's engines' libraries while its first page is opened and analysed:
    RapidOCR's import takes about a second, which a single scan read by ``auto`` otherwise
    waited for once Tesseract had read it. (The window prepares them at its start.) The
    caller joins the thread before the command ends: an exit while onnxruntime or OpenCV
    was being loaded aborted the process ("terminate called without an active exception"
    after an unknown engine's name)."""
    thread = threading.Thread(target=engine.prepare, args=(backend,), name="ablage-prepare")
    thread.start()
    return thread


def _checked_plans(
    args: argparse.Namespace, engine: Engine, store: Store | None
) -> tuple[list[Planned], Inputs, int] | int:
    """The batches to run; or, with the engine closed and the reason said, the exit status."""
    planned = plan_batches(args, engine)
    if isinstance(planned, Stop):
        engine.close()
        print(planned.message, file=sys.stdout if planned.code == EXIT_OK else sys.stderr)
        return planned.code
    plans, inputs, _ = planned
    refusal = refusal_reason(plans, inputs, args.events, store)
    if refusal is not None:
        engine.close()
        print(f"ablage-desktop: {display_line(refusal)}", file=sys.stderr)
        return EXIT_USAGE
    return planned


def _stopped(
    exc: BaseException, cancel: CancelToken, progress: Progress, *, begun: bool, archive: bool
) -> int:
    """Say why the batch stopped early (one of ``STOPPING``); the exit status."""
    if isinstance(exc, (UnknownBackend, BackendUnavailable, UsageError, StoreError)):
        progress.clear()
        print(f"ablage-desktop: {display_line(exc.message)}", file=sys.stderr)
        return EXIT_USAGE
    if isinstance(exc, OutputError):
        cancel.interrupt()
        progress.clear()
        print(f"ablage-desktop: {display_line(exc.message)}", file=sys.stderr)
        if archive:
            print(
                "ablage-desktop: the pages read so far are kept in the archive: once the folder "
                "can be written, 'ablage-desktop ocr --resume' writes the missing results "
                "without reading those pages again",
                file=sys.stderr,
            )
        return EXIT_USAGE
    if isinstance(exc, ModelLoadError):
        progress.clear()
        print(f"ablage-desktop: {display_line(exc.message)}", file=sys.stderr)
        return EXIT_SOME_FAILED
    cancel.interrupt()  # KeyboardInterrupt: Ctrl-C, or Terminated by a signal
    progress.clear()
    how = "terminated" if isinstance(exc, Terminated) else "interrupted"
    after = (
        "results written so far are kept, and 'ablage-desktop ocr --resume' finishes the batch"
        if begun and archive
        else "no page was read yet"
        if not begun
        else "results written so far are kept"
    )
    print(f"ablage-desktop: {how}; {after}", file=sys.stderr)
    return exc.code if isinstance(exc, Terminated) else EXIT_INTERRUPTED


def _shown_as(plans: list[Planned]) -> Callable[[Path], str]:
    """How the progress and the summary name a document: as its path, the copy of one read
    from stdin as "stdin"."""
    copies = {plan.stdin_copy for plan in plans if plan.stdin_copy is not None}
    return lambda path: STDIN_NAME if path in copies else display_line(path)


def _summarise(
    plans: list[Planned],
    tally: Tally,
    started: float,
    skipped: int,
    restored: int,
    shown: Callable[[Path], str],
) -> None:
    outs = sorted({"stdout" if plan.stdout else display_line(plan.delivery.out) for plan in plans})
    # With results on stdout, what is said about them goes beside the progress.
    stream = sys.stderr if any(plan.stdout is not None for plan in plans) else sys.stdout
    print_summary(tally, time.perf_counter() - started, ", ".join(outs), skipped, stream, shown)
    if restored:
        print(
            f"{restored} page(s) came from the archive (read before; --force reads them again)",
            file=stream,
        )
