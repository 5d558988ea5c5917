"""The benchmark as a person reads it: a Markdown table, and the JSON record beside it."""

from __future__ import annotations

import json
from pathlib import Path

from ablage_desktop.engine.bench.results import BenchReport, BenchRow
from ablage_desktop.engine.results.atomicfile import write_atomic

MIB = 1 << 20

HEADER = (
    "| engine | quant | batch | device | load s | warmup s | s/page median | mean ± sd | "
    "min–max | pages/s | peak RSS (+growth) | peak VRAM alloc / device | CER | WER | BoW F1 |"
)


def markdown(report: BenchReport) -> str:
    """The rows as a table, then the peers' ratios and what could not be measured."""
    lines = [HEADER, "|" + "---|" * (HEADER.count("|") - 1)]
    for row in report.rows:
        if row.status == "ok":
            lines.append(_measured(row))
    ratios = [ratio for ratio in report.ratios if ratio.throughput is not None]
    if ratios:
        lines += [
            "",
            "| app | peer | throughput app/peer | median latency app/peer | ΔCER app−peer |",
        ]
        lines.append("|---|---|---|---|---|")
        for ratio in ratios:
            lines.append(
                f"| {ratio.app} | {ratio.peer} | {_num(ratio.throughput)}× | "
                f"{_num(ratio.latency)}× | {_signed(ratio.cer_difference)} |"
            )
    others = [row for row in report.rows if row.status != "ok"]
    if others:
        lines.append("")
        for row in others:
            lines.append(f"* {row.label}: {row.status}: {row.reason}")
    failed = [(row, doc) for row in report.rows for doc in row.documents if doc.error]
    for row, doc in failed:
        lines.append(f"* {row.label}: {doc.name} failed: {doc.error}")
    corpus = report.corpus
    lines += [
        "",
        f"{len(corpus['documents'])} document(s), {corpus['scored']} with ground truth; "
        f"{report.plan['runs']} timed run(s) after {report.plan['warmup']} warm-up page(s); "
        f"{report.seconds:.0f} s in all" + (" (cancelled)" if report.cancelled else "") + ".",
    ]
    return "\n".join(lines) + "\n"


def _measured(row: BenchRow) -> str:
    latency = row.latency
    memory = row.memory
    accuracy = row.accuracy
    kind = "" if row.kind == "app" else " (peer)"
    version = f" {row.version}" if row.version else ""
    cells = [
        f"{row.backend}{version}{kind}",
        row.quantization or "–",
        str(row.batch_size) if row.batch_size else "–",
        row.device or "–",
        _num(row.load_s),
        _num(row.warmup_s),
        _num(latency.median if latency else None, 3),
        f"{_num(latency.mean, 3)} ± {_num(latency.stdev, 3)}" if latency else "–",
        f"{_num(latency.minimum, 3)}–{_num(latency.maximum, 3)}" if latency else "–",
        _num(row.pages_per_s),
        f"{_mib(memory.peak_rss)} (+{_mib(memory.peak_rss - memory.rss_before)})"
        if memory
        else "–",
        f"{_mib(memory.peak_vram_allocated)} / {_mib(memory.peak_vram_device)}" if memory else "–",
        _num(accuracy.cer, 3) if accuracy else "–",
        _num(accuracy.wer, 3) if accuracy else "–",
        _num(accuracy.f1, 3) if accuracy else "–",
    ]
    return "| " + " | ".join(cells) + " |"


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"


def _mib(value: int | None) -> str:
    return "–" if value is None else f"{value / MIB:.0f} MiB"


def write_json(report: BenchReport, path: Path) -> None:
    text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"))
