"""The benchmark as a picture: speed against accuracy, and memory, per engine setting.

matplotlib's object API with the Agg canvas: no pyplot (no global figure state), no GUI
toolkit, so the CLI and the engine's worker thread can both draw it.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine.bench.results import BenchReport, BenchRow
from ablage_desktop.engine.results.atomicfile import write_atomic

if TYPE_CHECKING:
    from matplotlib.axes import Axes

MIB = 1 << 20
ENGINE_COLOURS = {
    "tesseract": "#1f77b4",
    "rapidocr": "#d62728",
    "got_ocr2": "#2ca02c",
    "qwen2_vl": "#9467bd",
    "janus": "#ff7f0e",
}
"""The same colour for an engine in every chart; others take the spare ones in turn."""
SPARE_COLOURS = ("#8c564b", "#17becf", "#e377c2", "#7f7f7f", "#bcbd22")


def render_png(report: BenchReport, *, dpi: int = 110) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = [row for row in report.rows if row.status == "ok"]
    colours = _colours(rows)
    figure = Figure(figsize=(12, 5.2), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    speed, memory = figure.subplots(1, 2, width_ratios=(1.25, 1))
    _speed_accuracy(speed, rows, colours)
    _memory(memory, rows, colours)
    pages = report.corpus.get("documents", [])
    figure.suptitle(
        f"Ablage Desktop benchmark: {len(pages)} document(s), {report.plan.get('runs')} run(s), "
        f"{report.machine.get('cpu') or ''} ({report.machine.get('cpu_count_logical')} cores)"
        + (f", {report.machine['gpu']['name']}" if report.machine.get("gpu") else ""),
        fontsize=11,
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def write_png(report: BenchReport, path: Path) -> None:
    write_atomic(path, render_png(report))


def _colours(rows: list[BenchRow]) -> dict[str, str]:
    others = [engine for engine in dict.fromkeys(row.engine for row in rows)]
    others = [engine for engine in others if engine not in ENGINE_COLOURS]
    spare = {
        engine: SPARE_COLOURS[index % len(SPARE_COLOURS)] for index, engine in enumerate(others)
    }
    return {**ENGINE_COLOURS, **spare}


def _speed_accuracy(ax: Axes, rows: list[BenchRow], colours: dict[str, str]) -> None:
    """Median seconds per page (log) against CER: the lower left corner is best."""
    plotted = 0
    for row in rows:
        if row.latency is None or row.accuracy is None:
            continue
        marker = "o" if row.kind == "app" else "^"
        ax.scatter(
            row.latency.median,
            row.accuracy.cer * 100,
            s=90,
            marker=marker,
            color=colours[row.engine],
            edgecolors="black" if row.kind == "app" else "none",
            alpha=0.9 if row.kind == "app" else 0.6,
            zorder=3,
        )
        ax.errorbar(
            row.latency.median,
            row.accuracy.cer * 100,
            xerr=[
                [row.latency.median - row.latency.minimum],
                [row.latency.maximum - row.latency.median],
            ],
            color=colours[row.engine],
            alpha=0.35,
            zorder=2,
        )
        ax.annotate(
            row.label + ("" if row.kind == "app" else " (peer)"),
            (row.latency.median, row.accuracy.cer * 100),
            textcoords="offset points",
            xytext=(7, 5) if row.kind == "app" else (7, -13),
            fontsize=9,
        )
        plotted += 1
    ax.set_title("Speed against accuracy (lower left is better)", fontsize=10)
    ax.set_xlabel("seconds per page, median (bar: min to max)")
    ax.set_ylabel("character error rate, %")
    ax.grid(True, which="both", alpha=0.3)
    if plotted:
        from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

        ax.set_xscale("log")
        # Labels at 1, 2 and 5 of each decade: enough to read, never crowded.
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:g} s"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.margins(x=0.15, y=0.15)
        ax.set_ylim(bottom=0)
    else:
        ax.text(0.5, 0.5, "no ground truth to score against", ha="center", transform=ax.transAxes)


def _memory(ax: Axes, rows: list[BenchRow], colours: dict[str, str]) -> None:
    """Peak RSS growth and peak VRAM per setting, side by side."""
    labels = [row.label + ("" if row.kind == "app" else " (peer)") for row in rows]
    positions = list(range(len(rows)))
    ram = [_ram(row) / MIB for row in rows]
    vram = [(row.memory.peak_vram_allocated or 0) / MIB if row.memory else 0 for row in rows]
    has_vram = any(vram)
    height = 0.38 if has_vram else 0.7
    ax.barh(
        [p - (height / 2 if has_vram else 0) for p in positions],
        ram,
        height=height,
        color=[colours[row.engine] for row in rows],
        label="RAM: peak RSS growth",
    )
    if has_vram:
        ax.barh(
            [p + height / 2 for p in positions],
            vram,
            height=height,
            color=[colours[row.engine] for row in rows],
            hatch="//",
            alpha=0.6,
            label="VRAM: peak allocated",
        )
        ax.legend(fontsize=8, loc="lower right")
    for position, value in zip(positions, ram, strict=True):
        ax.text(value, position, f" {value:.0f}", va="center", fontsize=8)
    ax.set_yticks(positions, labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("MiB (a peer process: its own peak)")
    ax.set_title("Memory per engine setting", fontsize=10)
    ax.grid(True, axis="x", alpha=0.3)


def _ram(row: BenchRow) -> int:
    if row.memory is None:
        return 0
    return row.memory.peak_rss - row.memory.rss_before
