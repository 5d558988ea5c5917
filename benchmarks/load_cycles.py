"""Does loading and unloading a model again and again grow the process? Memory over N cycles.

An ``EngineCore`` is built as the app builds it (shipped configuration, the user's file and
``--config`` merged over it; ``--tiny-vlm`` adds two tiny transformers models) and only its
``ModelManager`` is driven: one cycle is ``acquire(name).release()`` (the model loads and stays
resident, idle) followed by ``unload(name, wait_s=...)``, which does what the app does on unload
(``backend.close()``, ``gc.collect()``, CUDA cache emptied, the wait for VRAM on a GPU, the
leak check that sends ``ModelLeaked``). No keep-alive thread runs. The models are measured one
after another in the same process.

Per model:

warm-up
    The spec's ``prepare`` (imports) and one load/unload, thrown away: imports, one-time library
    initialisation and the first allocations of every allocator are not counted as growth.
baseline
    The memory right after that first load/unload.
cycles
    ``--cycles`` load/unload cycles (default 50). Load and unload are each timed with
    ``time.perf_counter``; the table gives their medians. Every ``--every`` cycles (default 10)
    and after the last one the memory is read.
memory
    Each reading is taken after ``gc.collect()``: process RSS (psutil) and, where torch is
    imported and CUDA available, ``torch.cuda.memory_allocated`` / ``memory_reserved``.
growth
    Last reading - baseline, in MiB, and that divided by the number of cycles (KiB per cycle).
    RSS includes what the C allocator keeps after ``free`` (glibc arenas), so a one-off rise that
    then stays flat is allocator retention; a rise that goes on with every reading is a leak.
    ``slope`` is the least-squares slope of RSS over the readings after the baseline (KiB per
    cycle): it leaves out a first jump and shows what goes on rising.

``--first-page``: each load (in the warm-up too) also recognises one small synthetic page before
the model is released, inside the timed load. RapidOCR 3 builds its ONNX sessions only on its
first page, so without it a RapidOCR cycle creates and drops a Python object and nothing more.
``ModelLeaked`` events (a model object still alive after its unload) are counted per model.
The table goes to stdout as Markdown; ``--json`` writes every timing and reading with the
machine (CPUs, RAM, Python and package versions, the GPU). The shared helpers live in
``model_swap.py`` beside this script.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from model_swap import (
    MIB,
    Reading,
    add_common_arguments,
    cuda_in_use,
    first_page,
    load,
    machine,
    machine_line,
    memory_reading,
    mib,
    model_description,
    open_engine,
    positive_int,
    print_header,
    spread,
    unload,
    warm_up,
)

from ablage_desktop.app import configure_logging
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.engine.intake.documents import PageImage


@dataclass
class CycleFigures:
    name: str
    cycles: int
    warm_up_s: float = 0.0
    load_s: list[float] = field(default_factory=list)
    unload_s: list[float] = field(default_factory=list)
    readings: list[tuple[int, Reading]] = field(default_factory=list)
    """(cycles done, reading); the first is the baseline (0 cycles)."""

    def growth(self, key: str) -> float | None:
        """Bytes from the baseline to the last reading, None where ``key`` was not read."""
        first, last = self.readings[0][1][key], self.readings[-1][1][key]
        if first is None or last is None:
            return None
        return float(last - first)

    def slope_kib(self) -> float | None:
        """Least-squares slope of RSS over the readings after the baseline, KiB per cycle."""
        points = [(done, reading["rss"]) for done, reading in self.readings[1:]]
        if len(points) < 2:
            return None
        xs = [float(done) for done, _ in points]
        ys = [float(rss or 0) / 1024 for _, rss in points]
        return statistics.linear_regression(xs, ys).slope

    def to_json(self) -> dict[str, Any]:
        growth = {key: self.growth(key) for key in ("rss", "cuda_allocated", "cuda_reserved")}
        return {
            "name": self.name,
            "cycles": self.cycles,
            "warm_up_s": self.warm_up_s,
            "load_s": spread(self.load_s),
            "unload_s": spread(self.unload_s),
            "growth_bytes": growth,
            "growth_bytes_per_cycle": {
                key: None if value is None else value / self.cycles for key, value in growth.items()
            },
            "rss_slope_kib_per_cycle": self.slope_kib(),
            "readings": [{"cycles": done, **reading} for done, reading in self.readings],
            "samples": {"load_s": self.load_s, "unload_s": self.unload_s},
        }


def measure_model(
    engine: EngineCore, name: str, cycles: int, every: int, page: PageImage | None
) -> CycleFigures:
    figures = CycleFigures(name, cycles)
    figures.warm_up_s = warm_up(engine, name, page)
    figures.readings.append((0, memory_reading()))
    for done in range(1, cycles + 1):
        started = time.perf_counter()
        load(engine, name, page)
        loaded = time.perf_counter()
        unload(engine, name)
        figures.load_s.append(loaded - started)
        figures.unload_s.append(time.perf_counter() - loaded)
        if done % every == 0 or done == cycles:
            figures.readings.append((done, memory_reading()))
    return figures


# --- reporting --------------------------------------------------------------------------------


def print_tables(models: Sequence[CycleFigures], cuda: bool) -> None:
    header = [
        "model",
        "cycles",
        "load ms (median)",
        "unload ms (median)",
        "RSS MiB baseline",
        "end",
        "growth MiB",
        "KiB/cycle",
        "slope KiB/cycle",
    ]
    if cuda:
        header += ["CUDA alloc growth MiB", "CUDA reserved growth MiB"]
    print_header(header)
    for fig in models:
        growth = fig.growth("rss") or 0.0
        slope = fig.slope_kib()
        row = [
            fig.name,
            str(fig.cycles),
            f"{statistics.median(fig.load_s) * 1000:.1f}",
            f"{statistics.median(fig.unload_s) * 1000:.1f}",
            mib(fig.readings[0][1]["rss"]),
            mib(fig.readings[-1][1]["rss"]),
            f"{growth / MIB:+.2f}",
            f"{growth / 1024 / fig.cycles:+.1f}",
            "-" if slope is None else f"{slope:+.1f}",
        ]
        if cuda:
            for key in ("cuda_allocated", "cuda_reserved"):
                value = fig.growth(key)
                row.append("-" if value is None else f"{value / MIB:+.2f}")
        print("| " + " | ".join(row) + " |")

    print()
    steps = sorted({done for fig in models for done, _ in fig.readings})
    print("RSS MiB after N cycles (0 = baseline, after the warm-up load/unload):")
    print()
    print("| model | " + " | ".join(str(done) for done in steps) + " |")
    print("|---|" + "|".join("--:" for _ in steps) + "|")
    for fig in models:
        by_step = {done: reading["rss"] for done, reading in fig.readings}
        print(f"| {fig.name} | " + " | ".join(mib(by_step.get(done)) for done in steps) + " |")
    if cuda:
        print()
        print("CUDA allocated / reserved MiB after N cycles:")
        print()
        print("| model | " + " | ".join(str(done) for done in steps) + " |")
        print("|---|" + "|".join("--:" for _ in steps) + "|")
        for fig in models:
            cells = {
                done: f"{mib(reading['cuda_allocated'])} / {mib(reading['cuda_reserved'])}"
                for done, reading in fig.readings
            }
            print(f"| {fig.name} | " + " | ".join(cells.get(done, "-") for done in steps) + " |")


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Memory (RSS, CUDA) and load time over many load/unload cycles of each model."
    )
    add_common_arguments(parser)
    parser.add_argument("--cycles", type=positive_int, default=50, help="cycles per model (50)")
    parser.add_argument(
        "--every", type=positive_int, default=10, help="read the memory every N cycles (10)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(args.verbose, quiet=False)
    with ExitStack() as stack:
        engine, files, leaks, names, skipped = open_engine(stack, args, "load-cycles-")
        if not names:
            sys.exit("No available model to measure.")
        page = first_page() if args.first_page else None
        models = []
        try:
            for name in names:
                print(f"{name}: {args.cycles} cycles", flush=True)
                models.append(measure_model(engine, name, args.cycles, args.every, page))
        except AblageError as exc:
            sys.exit(f"The engine failed: {exc}")
        info = machine()
        cuda = cuda_in_use()
        print()
        print(
            f"{machine_line(info)}; "
            f"{'a cycle = load + one small page, unload' if page else 'a cycle = load, unload'}; "
            f"config: {', '.join(map(str, files)) or 'shipped only'}"
        )
        print()
        print_tables(models, cuda)
        print()
        print(
            "growth = last reading - baseline; KiB/cycle = growth / cycles; slope = least "
            "squares over the readings after the baseline; every reading after gc.collect()"
        )
        print(
            "warm-up (imports + first load/unload, not counted): "
            + ", ".join(f"{fig.name} {fig.warm_up_s:.2f} s" for fig in models)
        )
        print(
            "leak reports (ModelLeaked): " + (json.dumps(leaks.counts) if leaks.counts else "none")
        )
        if args.json:
            report = {
                "benchmark": "load_cycles",
                "argv": sys.argv[1:] if argv is None else list(argv),
                "cycles": args.cycles,
                "every": args.every,
                "first_page": args.first_page,
                "machine": info,
                "config_files": [str(path) for path in files],
                "models": {
                    fig.name: {**model_description(engine, fig.name), **fig.to_json()}
                    for fig in models
                },
                "skipped": skipped,
                "leaks": leaks.counts,
            }
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            print(f"Record written to {args.json}")


if __name__ == "__main__":
    main()
