"""What it costs to swap one resident model for another, measured through the app's own engine.

An ``EngineCore`` is built from the shipped configuration with the user's file and ``--config``
merged over it, as the app does (``--tiny-vlm`` adds two tiny transformers models, see below).
Only its ``ModelManager`` is driven (``engine.manager``): ``acquire(name).release()`` loads a
model and leaves it resident and idle; ``unload(name, wait_s=...)`` unloads it the way the app
does (``backend.close()``, ``gc.collect()``, CUDA cache emptied, the wait for VRAM to come back on
a GPU, the leak check). No page is recognised. No keep-alive thread runs (``EngineCore.start`` is
not called), so nothing unloads behind the script's back.

Before any clock starts, every model's libraries are imported (its spec's ``prepare``) and the
model is loaded and unloaded once, thrown away: imports and first-load initialisation are not
charged to any figure. Then, for each ordered pair A -> B (default: every ordered pair of the
available models among ``--backends``), ``--runs`` times, pairs taking turns within a run:

load B alone
    Nothing resident; ``time.perf_counter`` around ``acquire(B).release()``: the cold load
    (libraries imported, weights not resident). B is unloaded afterwards, not timed.
swap A -> B
    A loaded (not timed); then one interval from before ``unload(A)`` to after
    ``acquire(B).release()``; the unload part is noted separately (``unload A``), and
    ``load B in swap`` is the rest. B is unloaded afterwards, not timed.
overhead
    median(swap) - median(load B alone): what a swap adds over loading B into an empty engine.
    Near ``unload A`` when unloading is the whole price; more than that when the load of B is
    slowed by what A left behind.

Memory (after ``gc.collect()``, outside the timed intervals): process RSS (psutil) and, where
torch is imported and CUDA available, ``torch.cuda.memory_allocated`` / ``memory_reserved``,
read with nothing resident, after B alone, with A resident, and after the swap (B resident).
The table shows medians over the runs; every reading is in the JSON (``--json``), with the
machine (CPUs, RAM, Python and package versions, the GPU) and every single timing.

``--first-page``: every load, timed or not, also recognises one small synthetic page (a
480x120 image with one line of text) before it releases the model, inside the timed interval.
Engines that build their models lazily on the first page pay for it only then: RapidOCR 3
creates its ONNX sessions in its first ``__call__``, so without this flag its "load" is a
constructor call (about 13 ms) and most of its memory never appears.

``--tiny-vlm`` builds a tiny, randomly initialised GOT-OCR2 and Qwen2-VL model with the test
builders (``tests/tiny_models.py``) in a temporary folder and registers them as
``tiny_got_ocr2`` and ``tiny_qwen2_vl`` through a generated configuration file (fp32,
``device: auto``), so the transformers path (``from_pretrained``, processor, unload) is measured
on a CPU-only machine too; they are added to the models measured. Building them imports torch
before the first reading, so every RSS figure of such a run includes torch. On a machine with
the real checkpoints, name them in a ``--config`` file and in ``--backends`` instead.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from ablage_desktop.app import configure_logging, user_config_file
from ablage_desktop.engine.bench.machine import describe_machine
from ablage_desktop.engine.config import AppConfig, ConfigError, load_config
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.errors import AblageError
from ablage_desktop.engine.events import Event, ModelLeaked
from ablage_desktop.engine.intake.documents import PageImage

# Before transformers is imported (only ever lazily): nothing is downloaded, no progress bars.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_BACKENDS = "rapidocr,tesseract"
MIB = 1 << 20
UNLOAD_WAIT_S = 60.0
"""How long an unload waits for a model still in use (none is: a safety bound only)."""
TINY_MODELS = {"tiny_got_ocr2": "got_ocr2", "tiny_qwen2_vl": "qwen2_vl"}
"""Configured name -> engine (and builder ``build_<engine>`` in tests/tiny_models.py)."""

Reading = dict[str, int | None]
"""Bytes: ``rss``, ``cuda_allocated``, ``cuda_reserved`` (None without torch CUDA)."""


# --- shared with load_cycles.py --------------------------------------------------------------


def memory_reading() -> Reading:
    """RSS and torch's CUDA allocator, after ``gc.collect()``; never imports torch."""
    gc.collect()
    reading: Reading = {
        "rss": int(psutil.Process().memory_info().rss),
        "cuda_allocated": None,
        "cuda_reserved": None,
    }
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        torch.cuda.synchronize()
        reading["cuda_allocated"] = int(torch.cuda.memory_allocated())
        reading["cuda_reserved"] = int(torch.cuda.memory_reserved())
    return reading


def cuda_in_use() -> bool:
    torch = sys.modules.get("torch")
    return bool(torch is not None and torch.cuda.is_available())


def machine() -> dict[str, Any]:
    """The machine and software the figures come from (call it at the end: torch may be in)."""
    return {**describe_machine(), "torch_imported": "torch" in sys.modules}


def machine_line(info: dict[str, Any]) -> str:
    gpu = info["gpu"]["name"] if info["gpu"] else "no CUDA"
    torch = info["packages"]["torch"] or "not installed"
    return (
        f"{info['cpu_count_logical']} CPUs ({info['cpu']}), "
        f"{info['ram_total_bytes'] / (1 << 30):.1f} GiB RAM, {gpu}; "
        f"Python {info['python']}, torch {torch}"
    )


def build_tiny_vlm(folder: Path) -> Path:
    """Tiny GOT-OCR2 and Qwen2-VL folders, and a configuration file that registers them."""
    tests = str(REPO / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    import tiny_models  # tests/tiny_models.py: imports torch and transformers
    import yaml

    models = {}
    for name, engine in TINY_MODELS.items():
        build = getattr(tiny_models, f"build_{engine}")
        source = build(folder / engine)
        models[name] = {
            "engine": engine,
            "description": f"tiny random {engine} (tests/tiny_models.py)",
            "source": str(source),
            "device": "auto",
            "quantization": "fp32",
            "max_new_tokens": 8,
        }
    path = folder / "tiny_vlm.yaml"
    path.write_text(yaml.safe_dump({"models": models}, sort_keys=False), encoding="utf-8")
    return path


def config_files(explicit: Path | None, tiny: Path | None) -> list[Path]:
    """What ``load_app_config`` merges (the user's file, then ``--config``), then the tiny file."""
    files = [path for path in (user_config_file(),) if path.is_file()]
    files += [path for path in (explicit, tiny) if path is not None]
    return files


def load_engine_config(files: Sequence[Path]) -> AppConfig:
    try:
        return load_config(files)
    except ConfigError as exc:
        sys.exit(f"configuration error in {exc.message}")


def model_names(text: str, tiny: bool) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    if tiny:
        names += [name for name in TINY_MODELS if name not in names]
    return list(dict.fromkeys(names))


def available(engine: EngineCore, names: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """The names that can load here, and why each of the others cannot."""
    statuses = {status.name: status for status in engine.statuses()}
    usable: list[str] = []
    skipped: dict[str, str] = {}
    for name in names:
        status = statuses.get(name)
        if status is None:
            skipped[name] = "not configured"
        elif not status.available:
            skipped[name] = status.reason
        else:
            usable.append(name)
    return usable, skipped


def model_description(engine: EngineCore, name: str) -> dict[str, Any]:
    info = engine.manager.info(name)
    return {
        "engine": info.engine,
        "device": info.device,
        "options": engine.options(name).model_dump(mode="json"),
        "estimated_bytes": info.estimated_bytes,
        "measured_bytes": info.measured_bytes,
    }


def first_page() -> PageImage:
    """A small page with one line of text: what ``--first-page`` recognises after a load."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 120), "white")
    ImageDraw.Draw(image).text((16, 40), "Rechnung 2024 Betrag 123,45", fill="black", font_size=32)
    return PageImage(Path("first-page.png"), 0, image, 300)


def load(engine: EngineCore, name: str, page: PageImage | None = None) -> None:
    """Load ``name`` (if not resident), recognise ``page`` if given; leave it resident, unpinned."""
    with engine.manager.acquire(name) as lease:
        if page is not None:
            lease.recognize(page)


def unload(engine: EngineCore, name: str) -> None:
    engine.manager.unload(name, wait_s=UNLOAD_WAIT_S)


def timed(action: Any, *args: Any) -> float:
    started = time.perf_counter()
    action(*args)
    return time.perf_counter() - started


def warm_up(engine: EngineCore, name: str, page: PageImage | None) -> float:
    """Import the libraries and load/unload once, thrown away; the seconds it took."""
    started = time.perf_counter()
    _, spec = engine.resolve(name)
    if spec.prepare is not None:
        spec.prepare()
    load(engine, name, page)
    unload(engine, name)
    return time.perf_counter() - started


def unload_everything(engine: EngineCore) -> None:
    for info in engine.manager.infos():
        if info.state.resident:
            unload(engine, info.name)


class LeakCounter:
    """Counts the ``ModelLeaked`` events the manager sends, per model."""

    def __init__(self, engine: EngineCore) -> None:
        self.counts: dict[str, int] = {}
        self.unsubscribe = engine.events.subscribe(self)

    def __call__(self, event: Event) -> None:
        if isinstance(event, ModelLeaked):
            self.counts[event.model] = self.counts.get(event.model, 0) + 1


def spread(values: Sequence[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def mib(value: int | float | None) -> str:
    return "-" if value is None else f"{value / MIB:.1f}"


def median_of(readings: Sequence[Reading], key: str) -> float | None:
    values = [reading[key] for reading in readings if reading[key] is not None]
    return statistics.median(values) if values else None  # type: ignore[type-var]


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backends",
        default=DEFAULT_BACKENDS,
        help=f"configured models, comma-separated; unavailable ones are skipped "
        f"(default: {DEFAULT_BACKENDS})",
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="a YAML file merged over the shipped configuration, as the app's --config",
    )
    parser.add_argument(
        "--tiny-vlm",
        action="store_true",
        help="also build and measure a tiny GOT-OCR2 and Qwen2-VL model (tests/tiny_models.py)",
    )
    parser.add_argument(
        "--first-page",
        action="store_true",
        help="each load also recognises one small page (engines that load lazily pay then)",
    )
    parser.add_argument("--json", type=Path, help="also write the full record to this JSON file")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="engine logging")


# --- the swap ---------------------------------------------------------------------------------

STEPS = ("empty", "b_alone", "a_resident", "swapped")
"""Memory readings of one run: nothing resident, B loaded alone, A resident, B after the swap."""


@dataclass
class PairFigures:
    a: str
    b: str
    alone_s: list[float] = field(default_factory=list)
    swap_s: list[float] = field(default_factory=list)
    unload_a_s: list[float] = field(default_factory=list)
    readings: dict[str, list[Reading]] = field(default_factory=lambda: {s: [] for s in STEPS})

    @property
    def load_in_swap_s(self) -> list[float]:
        return [swap - unload for swap, unload in zip(self.swap_s, self.unload_a_s, strict=True)]

    @property
    def overhead_s(self) -> float:
        return statistics.median(self.swap_s) - statistics.median(self.alone_s)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "load_b_alone_s": spread(self.alone_s),
            "swap_s": spread(self.swap_s),
            "unload_a_s": spread(self.unload_a_s),
            "load_b_in_swap_s": spread(self.load_in_swap_s),
            "overhead_s": self.overhead_s,
            "samples": {
                "load_b_alone_s": self.alone_s,
                "swap_s": self.swap_s,
                "unload_a_s": self.unload_a_s,
            },
            "readings": self.readings,
        }


def measure_run(engine: EngineCore, figures: PairFigures, page: PageImage | None) -> None:
    a, b = figures.a, figures.b
    unload_everything(engine)
    figures.readings["empty"].append(memory_reading())
    figures.alone_s.append(timed(load, engine, b, page))
    figures.readings["b_alone"].append(memory_reading())
    unload(engine, b)

    load(engine, a, page)
    figures.readings["a_resident"].append(memory_reading())
    started = time.perf_counter()
    unload(engine, a)
    unloaded = time.perf_counter()
    load(engine, b, page)
    swapped = time.perf_counter()
    figures.swap_s.append(swapped - started)
    figures.unload_a_s.append(unloaded - started)
    figures.readings["swapped"].append(memory_reading())
    unload(engine, b)


def pairs_of(names: Sequence[str], text: str | None) -> list[tuple[str, str]]:
    if not text:
        return list(itertools.permutations(names, 2))
    pairs = []
    for item in text.split(","):
        a, sep, b = item.strip().partition(":")
        if not sep or not a or not b or a == b:
            sys.exit(f"--pairs: {item!r} is not A:B with two different models")
        for name in (a, b):
            if name not in names:
                sys.exit(f"--pairs: {name} is not among the available models {', '.join(names)}")
        pairs.append((a, b))
    return pairs


# --- reporting --------------------------------------------------------------------------------


def ms(values: Sequence[float]) -> str:
    figures = spread(values)
    return (
        f"{figures['median'] * 1000:.1f} ({figures['min'] * 1000:.1f}-{figures['max'] * 1000:.1f})"
    )


def print_header(header: Sequence[str]) -> None:
    """A Markdown table's head: the first column left-aligned, the figures right-aligned."""
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|")


def print_table(pairs: Sequence[PairFigures], cuda: bool) -> None:
    header = [
        "A -> B",
        "load B alone ms",
        "swap ms",
        "unload A ms",
        "load B in swap ms",
        "overhead ms",
        "RSS MiB empty",
        "B alone",
        "A resident",
        "after swap",
    ]
    if cuda:
        header += ["CUDA alloc/res MiB B alone", "after swap"]
    print_header(header)
    for fig in pairs:
        row = [
            f"{fig.a} -> {fig.b}",
            ms(fig.alone_s),
            ms(fig.swap_s),
            ms(fig.unload_a_s),
            ms(fig.load_in_swap_s),
            f"{fig.overhead_s * 1000:+.1f}",
            *(mib(median_of(fig.readings[step], "rss")) for step in STEPS),
        ]
        if cuda:
            for step in ("b_alone", "swapped"):
                allocated = mib(median_of(fig.readings[step], "cuda_allocated"))
                reserved = mib(median_of(fig.readings[step], "cuda_reserved"))
                row.append(f"{allocated} / {reserved}")
        print("| " + " | ".join(row) + " |")


# --- command line -----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time loading model B alone against unloading A and loading B (a swap)."
    )
    add_common_arguments(parser)
    parser.add_argument("--runs", type=positive_int, default=5, help="repetitions (5)")
    parser.add_argument(
        "--pairs", help="ordered pairs A:B, comma-separated (default: every ordered pair)"
    )
    return parser.parse_args(argv)


def open_engine(
    stack: ExitStack, args: argparse.Namespace, prefix: str
) -> tuple[EngineCore, list[Path], LeakCounter, list[str], dict[str, str]]:
    """The engine of ``args`` (closed with ``stack``), its config files, a leak counter, and
    the models to measure with the ones that cannot run here (and why)."""
    tiny = None
    if args.tiny_vlm:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
        tiny = build_tiny_vlm(folder)
    files = config_files(args.config, tiny)
    engine = EngineCore(load_engine_config(files))
    stack.callback(engine.close)
    leaks = LeakCounter(engine)
    names, skipped = available(engine, model_names(args.backends, args.tiny_vlm))
    for name, reason in skipped.items():
        print(f"skipped {name}: {reason}")
    return engine, files, leaks, names, skipped


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    configure_logging(args.verbose, quiet=False)
    with ExitStack() as stack:
        engine, files, leaks, names, skipped = open_engine(stack, args, "model-swap-")
        if len(names) < 2:
            sys.exit(f"A swap needs two available models; available: {', '.join(names) or 'none'}")
        pairs = pairs_of(names, args.pairs)
        page = first_page() if args.first_page else None
        warm_up_s: dict[str, float] = {}
        try:
            for name in names:
                warm_up_s[name] = warm_up(engine, name, page)
            figures = [PairFigures(a, b) for a, b in pairs]
            for run in range(args.runs):
                print(f"run {run + 1} of {args.runs}", flush=True)
                for fig in figures:
                    measure_run(engine, fig, page)
        except AblageError as exc:
            sys.exit(f"The engine failed: {exc}")
        info = machine()
        cuda = cuda_in_use()
        print()
        print(
            f"{machine_line(info)}; {args.runs} run(s), median (min-max); "
            f"{'load = load + one small page' if page else 'load = acquire/release, no page'}; "
            f"config: {', '.join(map(str, files)) or 'shipped only'}"
        )
        print()
        print_table(figures, cuda)
        print()
        print(
            "overhead = median(swap) - median(load B alone); "
            "load B in swap = swap - unload A; RSS medians"
        )
        print(
            "warm-up (imports + first load/unload, not timed): "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in warm_up_s.items())
        )
        print(
            "leak reports (ModelLeaked): " + (json.dumps(leaks.counts) if leaks.counts else "none")
        )
        if args.json:
            report = {
                "benchmark": "model_swap",
                "argv": sys.argv[1:] if argv is None else list(argv),
                "runs": args.runs,
                "first_page": args.first_page,
                "machine": info,
                "config_files": [str(path) for path in files],
                "models": {name: model_description(engine, name) for name in names},
                "skipped": skipped,
                "warm_up_s": warm_up_s,
                "leaks": leaks.counts,
                "pairs": [fig.to_json() for fig in figures],
            }
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            print(f"Record written to {args.json}")


if __name__ == "__main__":
    main()
