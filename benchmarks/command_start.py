"""One page by the command, start to end: what a script that runs ``ocr`` for each scan waits.

Each command is run ``--runs`` times, in turn with the others (so that a busy spell of the
machine falls on all of them alike), as a fresh process, its output thrown away, and the wall
time of each run is taken from its start to its end: the imports, the engine's load, the
page's decoding, preprocessing and reading, and the end. Rows: the app with Tesseract, the
app's ``auto`` (its default), and the bare ``tesseract`` program on the same page with the
same languages, where it is installed (a PDF's page rendered for it by poppler's ``pdftoppm``
at 300 dpi, as the app renders it). With ``--base DIR``, the same two rows of the app run
from another checkout (``PYTHONPATH``), for a before and after on one machine in one run.

    python benchmarks/command_start.py ../shared/data/print_darpa_cover.png --runs 6
    python benchmarks/command_start.py PAGE --runs 6 --base /tmp/before
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LANGUAGES = "deu+eng"


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    checkout: Path | None = None
    """The checkout whose app runs (``PYTHONPATH``); None for a program of its own."""
    env: tuple[tuple[str, str], ...] = ()
    """Variables set for it."""


def commands(page: Path, base: Path | None) -> list[Command]:
    app = (sys.executable, "-m", "ablage_desktop", "ocr", "--no-archive", "-q")
    rows = [
        Command("app, tesseract", (*app, "--backend", "tesseract", str(page)), REPO),
        Command("app, auto", (*app, str(page)), REPO),
    ]
    if base is not None:
        rows += [
            Command(f"{row.label} ({base.name})", row.argv, base) for row in rows if row.checkout
        ]
    return rows + program_rows(page)


def program_rows(page: Path) -> list[Command]:
    """The bare ``tesseract`` program as installed, and with one OpenMP thread (its own
    threads fight over two cores: a page of 2 s took 14 s here without the limit)."""
    program = shutil.which("tesseract")
    if program is None:
        return []
    label, argv = "tesseract program", (program, str(page), "-", "-l", LANGUAGES)
    if page.read_bytes()[:1024].find(b"%PDF-") >= 0:
        # Tesseract reads no PDF: poppler renders the page at 300 dpi into its standard input.
        render = shutil.which("pdftoppm")
        if render is None:
            return []
        script = f'"{render}" -r 300 -singlefile -png "$1" | "{program}" stdin - -l {LANGUAGES}'
        label = "pdftoppm, then the tesseract program"
        argv = ("bash", "-c", f"set -o pipefail; {script}", "bash", str(page))
    return [
        Command(label, argv),
        Command(f"{label}, OMP_THREAD_LIMIT=1", argv, env=(("OMP_THREAD_LIMIT", "1"),)),
    ]


def run_once(command: Command, folder: Path) -> float:
    """Seconds from the start of ``command`` to its end; raises where it fails."""
    env = {**os.environ, **dict(command.env)}
    if command.checkout is not None:
        env["PYTHONPATH"] = str(command.checkout)
    started = time.perf_counter()
    done = subprocess.run(
        command.argv, cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command.label} ended with {done.returncode}: {done.stderr[-500:]}")
    return seconds


def measure(rows: Sequence[Command], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {row.label: [] for row in rows}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            for row in rows:
                times[row.label].append(run_once(row, Path(folder)))
    return times


def report(times: dict[str, list[float]]) -> str:
    lines = ["| command | runs | median s | fastest s | slowest s |", "|---|---|---|---|---|"]
    for label, seconds in times.items():
        lines.append(
            f"| {label} | {len(seconds)} | {statistics.median(seconds):.2f} | "
            f"{min(seconds):.2f} | {max(seconds):.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="a document of one page")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--base", type=Path, help="another checkout of the app, run beside")
    args = parser.parse_args(argv)
    rows = commands(args.page.resolve(), args.base.resolve() if args.base else None)
    print(f"{args.page.name}, {args.runs} runs of each, in turn:\n")
    print(report(measure(rows, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
