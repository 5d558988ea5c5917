"""Where a batch's results go: planned, and checked against its inputs, before a page is read."""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.cli.common import DEFAULT_FORMAT, DEFAULT_OUT, EXIT_OK, EXIT_USAGE, NOTHING_DONE
from ablage_desktop.cli.stdin import STDIN
from ablage_desktop.cli.stdout import STDOUT, StdoutWriter
from ablage_desktop.cli.stdout import refusal as stdout_refusal
from ablage_desktop.engine import (
    EXPORT_FORMATS,
    MAX_NAME_BYTES,
    SUFFIXES,
    CancelToken,
    Engine,
    Inputs,
    OcrDocument,
    OcrPage,
    OcrRequest,
    Store,
    check_writable,
    display_line,
    fit_name,
    folder_error,
    labelled_fields,
    path_from_storage,
    path_to_storage,
    running_text,
)

RUNNING_TEXT_FORMATS = ("txt", "csv")
"""The formats ``--running-text`` applies to: a page's text as it is, or a field's cell."""


@dataclass(frozen=True)
class Delivery:
    """Where and how one batch's results are written; kept with the batch in the archive, so
    that ``--resume`` writes the rest to the same place from any working directory."""

    out: Path
    fmt: str
    running_text: bool = False
    """Text with each paragraph in one line (``--running-text``, ``RUNNING_TEXT_FORMATS``)."""

    @property
    def to_stdout(self) -> bool:
        return self.out == STDOUT

    def to_json(self) -> dict[str, str]:
        out = str(STDOUT) if self.to_stdout else path_to_storage(self.out.absolute())
        kept = {"out": out, "format": self.fmt}
        return {**kept, "running_text": "yes"} if self.running_text else kept

    @classmethod
    def of(cls, args: argparse.Namespace, stored: dict[str, str] | None = None) -> Delivery:
        """The options given win; else what the batch was started with; else the defaults."""
        stored = stored or {}
        out = args.out or (_stored_out(stored["out"]) if "out" in stored else DEFAULT_OUT)
        fmt = args.format or stored.get("format") or DEFAULT_FORMAT
        fmt = fmt if fmt in EXPORT_FORMATS else DEFAULT_FORMAT
        running = args.running_text or (not args.format and stored.get("running_text") == "yes")
        return cls(out, fmt, running and fmt in RUNNING_TEXT_FORMATS)


def _stored_out(stored: str) -> Path:
    return STDOUT if stored == str(STDOUT) else path_from_storage(stored)


@dataclass
class Planned:
    """One batch to run: what to read, where its results go, and the inputs it must not touch."""

    request: OcrRequest
    delivery: Delivery
    namer: OutputNamer
    stdout: StdoutWriter | None = None
    """Where the results go with ``--out -``."""
    stdin_copy: Path | None = None
    """The file holding the document read from stdin (``ocr -``), named ``-`` in JSON."""


@dataclass(frozen=True)
class Stop:
    """No batch to run: what to say, and the exit status."""

    message: str
    code: int


def plan_batches(
    args: argparse.Namespace, engine: Engine
) -> tuple[list[Planned], Inputs, int] | Stop:
    """What to read: the batches to resume, or the paths given; or why there is nothing."""
    if args.resume:
        if not engine.has_archive:
            return Stop("ablage-desktop: --resume needs the archive", EXIT_USAGE)
        jobs = engine.resumable_jobs()
        if not jobs:
            return Stop(_nothing_to_resume(engine), EXIT_OK)
        plans = []
        for job in jobs:
            print(
                f"Resuming batch {job.id} of {job.created[:19].replace('T', ' ')} UTC: "
                f"{len(job.remaining)} of {len(job.documents)} document(s) left",
                file=sys.stderr,
            )
            request = engine.resume_request(job)
            plans.append(_planned(request, Delivery.of(args, job.delivery), engine))
        return plans, Inputs.of(p for plan in plans for p in plan.request.paths), 0
    if not args.paths:
        return Stop("ablage-desktop: ocr needs documents: PATH... (or --resume)", EXIT_USAGE)
    collected = engine.collect(args.paths)
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
        archive=args.stdin_copy is None,  # its file is gone when the command ends
        areas=tuple(args.areas),
        pages=args.pages,
    )
    inputs = Inputs.of([*args.paths, *collected.documents])
    return [_planned(request, delivery, engine, args.stdin_copy)], inputs, len(collected.skipped)


def _planned(
    request: OcrRequest, delivery: Delivery, engine: Engine, stdin_copy: Path | None = None
) -> Planned:
    if delivery.to_stdout:
        writer = StdoutWriter(sys.stdout.buffer, delivery.fmt, engine)
        namer = OutputNamer(delivery.out, delivery.fmt)
        return Planned(request, delivery, namer, writer, stdin_copy)
    namer = OutputNamer(delivery.out, delivery.fmt, request.paths)
    return Planned(request, delivery, namer, None, stdin_copy)


def _nothing_to_resume(engine: Engine) -> str:
    running = engine.running_jobs()
    if not running:
        return "Nothing to resume: every batch in the archive is finished."
    return "Nothing to resume here: " + "; ".join(
        f"batch {job.id} is running right now in process {job.pid} "
        f"({len(job.remaining)} of {len(job.documents)} document(s) left)"
        for job in running
    )


def refusal_reason(
    plans: list[Planned], inputs: Inputs, events: Path | None, store: Store | None
) -> str | None:
    """Why the batch must not start: a write would touch an input, or the output folder
    cannot be written. Checked before a page is read."""
    places: list[tuple[Path, str]] = []
    for plan in plans:
        if plan.stdout is not None:
            reason = stdout_refusal(plan.delivery.fmt, len(plan.request.paths), sys.stdout.isatty())
            if reason is not None:
                return f"{reason}. {NOTHING_DONE}"
            continue
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
        if plan.stdout is not None:
            continue
        try:
            check_writable(plan.delivery.out)
        except OSError as exc:
            return folder_error(plan.delivery.out, exc).message + " Choose another with --out."
    return None


def read_plans(
    plans: list[Planned],
    inputs: Inputs,
    engine: Engine,
    cancel: CancelToken,
    done: Callable[[OcrDocument], None],
) -> None:
    """Read every plan's documents, writing each result as it comes; ``done`` is told of
    each (the tallies). What stops a batch early reaches the caller."""
    for plan in plans:
        with contextlib.closing(engine.ocr(plan.request, cancel)) as documents:
            for document in documents:
                write_result(document, plan, inputs, engine)
                done(document)


def _in_running_text(page: OcrPage) -> OcrPage:
    """``page`` with its text as running text; a page of fields has each field's so (an
    address of several lines stays one, each a line of its own)."""
    if not page.fields:
        return dataclasses.replace(page, text=running_text(page.text))
    fields = tuple((name, running_text(text)) for name, text in page.fields)
    return dataclasses.replace(page, text=labelled_fields(fields), fields=fields)


def write_result(document: OcrDocument, plan: Planned, inputs: Inputs, engine: Engine) -> None:
    """Write one result; a failed document gets a JSON record but no misleading text file."""
    fmt = plan.delivery.fmt
    source = document.document
    if plan.delivery.running_text:
        pages = [_in_running_text(page) for page in document.pages]
        document = dataclasses.replace(document, pages=pages)
    if fmt == "json" and plan.stdin_copy is not None and source == plan.stdin_copy:
        document = dataclasses.replace(document, document=STDIN)  # its copy is gone after
    if plan.stdout is not None:
        plan.stdout.write(document)
        return
    if not document.ok and fmt != "json":
        return
    target = plan.namer.name_for(source)
    inputs.check(target, "the result")  # checked before the batch too; a name is cheap to check
    engine.export(document, target, fmt)


class OutputNamer:
    """``<stem>.<format>`` in the output folder, unique within one batch.

    Documents of one batch that share a stem but not a name (``scan.pdf`` and ``scan.jpg``, an
    iPhone's ``IMG_0001.HEIC`` beside ``IMG_0001.JPG``) keep their suffix, ``scan.pdf.txt`` and
    ``scan.jpg.txt``: numbered, the user could not tell which result was which document's.
    Names still alike (the same name in two folders) are numbered, ``scan-2.txt``. Every
    document's name is fixed before the batch starts (in the batch's order, failed ones
    included), so that the names can be checked against the inputs before anything is read and
    do not depend on which documents fail.
    """

    def __init__(self, folder: Path, fmt: str, sources: Iterable[Path] = ()) -> None:
        self.folder = folder
        self.fmt = fmt
        self._used: set[str] = set()
        self._planned: dict[Path, collections.deque[Path]] = {}
        sources = list(sources)
        names_of_stem: dict[str, set[str]] = {}
        for source in sources:
            names_of_stem.setdefault(_stem(source).casefold(), set()).add(source.name.casefold())
        self._suffixed = {stem for stem, names in names_of_stem.items() if len(names) > 1}
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
        base = source.name if _stem(source).casefold() in self._suffixed else _stem(source)
        stem = fit_name(base, MAX_NAME_BYTES - len(suffix) - 6)
        candidate, n = stem, 1
        while candidate.casefold() in self._used:
            n += 1
            candidate = f"{stem}-{n}"
        self._used.add(candidate.casefold())
        return self.folder / f"{candidate}{suffix}"


def _stem(source: Path) -> str:
    return source.stem or source.name
