"""``ocr --watch FOLDER...``: read what is in the folders, then every document that arrives
there, until stopped (Ctrl-C, SIGTERM): a scanner's scan folder read into the archive as the
scans come. Each document is read once it has stopped growing (``Arrivals``); one read before
is answered from the archive, as with ``ocr``.

With ``--out -`` the results of every arrival go onto stdout as one stream (``StdoutWriter``,
one for the whole watch): JSON Lines a document a line, a CSV table whose header comes once
(``--area`` fields of a hot folder of forms, a row as each arrives), text or Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from ablage_desktop.cli.delivery import Delivery, Stop, plan_batches, read_plans
from ablage_desktop.cli.progress import Progress, Tally, print_summary
from ablage_desktop.cli.stdout import ONE_DOCUMENT_FORMATS, StdoutWriter
from ablage_desktop.engine import (
    Arrivals,
    CancelToken,
    Engine,
    Inputs,
    OcrDocument,
    Store,
    check_writable,
    display_line,
    folder_error,
)


def watch_refusal(args: argparse.Namespace, store: Store | None) -> str | None:
    """Why watching cannot start, in words; None where it can."""
    if args.resume:
        return "--watch and --resume do not go together"
    if not args.paths or not all(Path(path).is_dir() for path in args.paths):
        return "--watch needs the folders to watch: ocr --watch FOLDER..."
    delivery = Delivery.of(args)
    if delivery.to_stdout and delivery.fmt in ONE_DOCUMENT_FORMATS:
        return (
            f"--watch writes --format {delivery.fmt} into a folder (--out): to stdout it "
            "streams txt, md, json or csv"
        )
    inputs = Inputs.of(args.paths)
    out = None if delivery.to_stdout else delivery.out
    places = [(out, "the output folder"), (args.events, "the event log")]
    if store is not None:
        places.append((store.path, "the archive"))
    for place, what in places:
        reason = None if place is None else inputs.conflict(place, what)
        if reason is not None:
            return reason
    if out is None:
        return None
    try:
        check_writable(out)
    except OSError as exc:
        return folder_error(out, exc).message + " Choose another with --out."
    return None


def watch(
    args: argparse.Namespace, engine: Engine, cancel: CancelToken, progress: Progress
) -> Tally:
    """Read the documents arriving in ``args.paths`` until stopped; what was read (counts and
    failures). Ctrl-C or SIGTERM while no batch is being read ends it; while one is, they
    reach the caller as for any batch (the batch then waits in the archive for
    ``ocr --resume``)."""
    intake = engine.config.intake
    arrivals = Arrivals(tuple(Path(path) for path in args.paths), intake.watch_settle_s)
    folders = ", ".join(display_line(path) for path in args.paths)
    print(
        f"Watching {folders}: documents that arrive are read once they stop growing "
        "(Ctrl-C stops).",
        file=sys.stderr,
    )
    total = Tally()
    delivery = Delivery.of(args)
    stream = StdoutWriter(sys.stdout.buffer, delivery.fmt, engine) if delivery.to_stdout else None
    batch = _Batch()
    # The whole loop in the try: a Ctrl-C between two batches (as one's summary is written, or
    # on the way back to waiting) stops the watch as one while waiting does; seen by the
    # caller, it said "interrupted" of a batch that was done (exit 130).
    try:
        while True:
            ready = arrivals.poll(time.monotonic())
            if not ready:
                time.sleep(intake.watch_poll_s)
                continue
            arrived = argparse.Namespace(**{**vars(args), "paths": ready})
            _read(arrived, engine, cancel, progress, total, stream, batch)
    except KeyboardInterrupt:  # the way to stop (Terminated is one too)
        if batch.reading:
            raise  # a batch stopped half way: the caller keeps it for ``ocr --resume``
        progress.clear()
        print("ablage-desktop: stopped watching", file=sys.stderr)
        return total


@dataclasses.dataclass
class _Batch:
    reading: bool = False
    """Whether documents are being read (a stop then interrupts their batch)."""


def _read(
    args: argparse.Namespace,
    engine: Engine,
    cancel: CancelToken,
    progress: Progress,
    total: Tally,
    stream: StdoutWriter | None,
    batch: _Batch,
) -> None:
    """Read the documents that arrived, write their results (onto the watch's one ``stream``
    where the results go to stdout), say how it went."""
    planned = plan_batches(args, engine)
    if isinstance(planned, Stop):
        print(planned.message, file=sys.stderr)
        return
    plans, inputs, _skipped = planned
    if stream is not None:
        plans = [dataclasses.replace(plan, stdout=stream) for plan in plans]
    tally, started = Tally(), time.perf_counter()

    def done(document: OcrDocument) -> None:
        tally.add(document)
        total.add(document)

    batch.reading = True
    read_plans(plans, inputs, engine, cancel, done)
    batch.reading = False
    progress.clear()
    out = "stdout" if stream is not None else plans[0].delivery.out
    said = sys.stderr if stream is not None else sys.stdout  # beside the progress, not the results
    print_summary(tally, time.perf_counter() - started, out, 0, said)
    said.flush()
