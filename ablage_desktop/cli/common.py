"""What every command shares: the exit codes, the defaults and the options accepted anywhere."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEFAULT_OUT = Path("ablage-out")
DEFAULT_FORMAT = "txt"
NOTHING_DONE = "Nothing was read and nothing was written."


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` (to ``high``), refused in words."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
        if value < low or (high is not None and value > high):
            wanted = f"{low} to {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"expected {wanted}, not {value}")
        return value

    return parse


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
