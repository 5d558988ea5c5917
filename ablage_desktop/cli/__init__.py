"""The command line: ``ocr``, ``search``, ``models`` and ``bench``, driving the engine headless.

One module per command; ``delivery`` plans where the results of ``ocr`` go, ``progress`` and
``signals`` serve it too, ``common`` holds what every command shares. No Qt here.

Exit codes: 0 every document done, 1 some failed (the others are still written), 2 bad usage
or configuration, 130 interrupted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ablage_desktop import __version__
from ablage_desktop.cli.bench import BenchProgressLine, add_bench_parser, run_bench_command
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
from ablage_desktop.cli.delivery import Delivery, OutputNamer, Planned, Stop
from ablage_desktop.cli.models import (
    add_models_parser,
    run_models_download,
    run_models_list,
)
from ablage_desktop.cli.ocr import add_ocr_parser, run_ocr
from ablage_desktop.cli.progress import Progress, Tally, print_summary
from ablage_desktop.cli.search import add_search_parser, run_search
from ablage_desktop.cli.signals import STOP_SIGNALS, Terminated, stop_on_signals
from ablage_desktop.engine import AppConfig

__all__ = [
    "DEFAULT_FORMAT",
    "DEFAULT_OUT",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_SOME_FAILED",
    "EXIT_USAGE",
    "NOTHING_DONE",
    "STOP_SIGNALS",
    "BenchProgressLine",
    "Delivery",
    "OutputNamer",
    "Planned",
    "Progress",
    "Stop",
    "Tally",
    "Terminated",
    "add_bench_parser",
    "add_common_options",
    "build_parser",
    "print_summary",
    "run_bench_command",
    "run_command",
    "run_models_download",
    "run_models_list",
    "run_ocr",
    "run_search",
    "stop_on_signals",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ablage-desktop",
        description="OCR for the office archive. Without a command, the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_common_options(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_ocr_parser(commands)
    add_bench_parser(commands)
    add_search_parser(commands)
    add_models_parser(commands)
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
        # An area's reading is not the page's, nor some pages the document's.
        archived = not (args.no_archive or args.areas or args.pages is not None)
        return run_ocr(args, config, footprints, store if archived else None)
    if args.command == "search":
        return run_search(args, store)
    if args.command == "bench":
        return run_bench_command(args, config, footprints)
    if args.command == "models" and args.models_command == "download":
        return run_models_download(args, config)
    if args.command == "models":
        return run_models_list(args, config, footprints)
    raise AssertionError(f"unhandled command {args.command!r}")
