"""The ``bench`` command: speed, memory and accuracy of the engines on the user's documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ablage_desktop.cli.common import (
    DEFAULT_OUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    add_common_options,
    whole_number,
)
from ablage_desktop.engine import AppConfig, Engine
from ablage_desktop.engine.errors import UnknownBackend, UsageError

if TYPE_CHECKING:
    from ablage_desktop.engine import BenchProgress


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
    _add_what_to_measure(bench)
    _add_how_to_measure(bench)
    _add_outputs(bench)


def _add_what_to_measure(bench: argparse.ArgumentParser) -> None:
    """The documents, the models and the settings of each model to compare."""
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


def _add_how_to_measure(bench: argparse.ArgumentParser) -> None:
    """Runs, warm-up, the peer programs and process isolation."""
    bench.add_argument(
        "--runs", type=whole_number(0), default=1, metavar="N", help="timed runs (1)"
    )
    bench.add_argument(
        "--warmup",
        type=whole_number(0),
        default=1,
        metavar="N",
        help="untimed pages after a load (1)",
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


def _add_outputs(bench: argparse.ArgumentParser) -> None:
    """Where the record and the chart go."""
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
    # here, not at the top: the other commands start without the benchmark's modules
    from ablage_desktop.engine import BenchPlan, markdown, write_json, write_png

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
        report = engine.bench(plan, progress.on_progress)
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
