"""Soak: hundreds of documents through the command line, its memory read every 25 of them.

People leave a batch running overnight; memory that grows a little per document ends it. This
script generates ``--documents`` small, distinct documents (PNG, two-page TIFF, two-page PDF in
turn, each with its own number printed on it so the archive reads every one), runs them
through ``ablage-desktop ocr`` as one batch (Tesseract, results to the output folder and the
archive), and every ``--every`` documents reads the RSS of the CLI process and its children
(the decoder process) with psutil. It prints each sample, the spread (max - min) of the tail
(the second half of the samples) and writes the samples as JSON and a PNG plot.

    python benchmarks/soak.py [--documents 500] [--every 25] [--out benchmarks/results]

Documents are counted from the CLI's progress lines on stderr as their last page is read, so
the samples are taken while the batch runs, not after it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
MB = 1_000_000
PAGE_LINE = re.compile(r"^\[(\d+)/(\d+)\] .*: page (\d+)/(\d+) \(")
KINDS = ("png", "tif", "pdf")


@dataclass(frozen=True, slots=True)
class Sample:
    documents: int
    seconds: float
    rss: int
    """The CLI process and its children, in bytes."""


def page(number: int, side: int) -> Image.Image:
    image = Image.new("L", (1000, 360), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    draw.text((30, 40), f"Rechnung Nr. {number:05d} Seite {side}", font=font, fill=0)
    draw.text((30, 140), f"Betrag {number * 7 % 1000}.{number % 100:02d} EUR", font=font, fill=0)
    draw.text((30, 240), "Fälligkeit 15.11.2018", font=font, fill=0)
    return image


def generate(folder: Path, count: int) -> None:
    """``count`` distinct documents in ``folder``, the three kinds in turn."""
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        path = folder / f"doc-{number:04d}.{kind}"
        first = page(number, 1)
        if kind == "png":
            first.save(path, dpi=(300, 300))
        elif kind == "tif":
            first.save(path, save_all=True, append_images=[page(number, 2)], dpi=(300, 300))
        else:
            first.save(path, "PDF", resolution=300, save_all=True, append_images=[page(number, 2)])


def rss_of(process: psutil.Process) -> int:
    """Resident memory of ``process`` and of its children now (0 for one that just ended)."""
    total = 0
    for member in (process, *process.children(recursive=True)):
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def soak(count: int, every: int, backend: str, work: Path) -> tuple[list[Sample], int, str]:
    """Run the batch; the samples, the CLI's exit status and its last output lines."""
    inbox = work / "inbox"
    inbox.mkdir()
    generate(inbox, count)
    command = [
        sys.executable, "-m", "ablage_desktop", "ocr", str(inbox), "--backend", backend,
        "--out", str(work / "out"), "--store", str(work / "archive.sqlite"),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(work / "config")}
    started = time.perf_counter()
    cli = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=work
    )
    watched = psutil.Process(cli.pid)
    samples: list[Sample] = []
    done = 0
    assert cli.stderr is not None
    for line in cli.stderr:  # blocks until the CLI reports the next page
        match = PAGE_LINE.match(line)
        if match is None or match.group(3) != match.group(4):
            continue
        done += 1
        if done % every == 0:
            samples.append(Sample(done, time.perf_counter() - started, rss_of(watched)))
            print(f"{done:5d} documents  {samples[-1].rss / MB:7.1f} MB", flush=True)
    stdout, _ = cli.communicate()
    return samples, cli.returncode, stdout.strip()


def tail_spread(samples: list[Sample]) -> tuple[int, int]:
    """Where the tail starts (documents) and its spread in bytes: the second half's range."""
    tail = samples[len(samples) // 2 :]
    values = [sample.rss for sample in tail]
    return tail[0].documents, max(values) - min(values)


def plot(samples: list[Sample], tail_from: int, spread: int, path: Path) -> None:
    """RSS against documents, the tail shaded (matplotlib's object API on Agg, no pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.2), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    xs = [sample.documents for sample in samples]
    axes.plot(xs, [sample.rss / MB for sample in samples], marker="o", markersize=3)
    axes.axvspan(tail_from, xs[-1], color="#2ca02c", alpha=0.12, label="tail")
    axes.set_xlabel("documents done")
    axes.set_ylabel("RSS of the CLI and its decoder (MB)")
    axes.set_ylim(0, max(sample.rss for sample in samples) / MB * 1.15)
    axes.set_title(f"Soak: {xs[-1]} documents, tail spread {spread / MB:.1f} MB")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    figure.savefig(path, format="png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=500)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--backend", default="tesseract")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ablage-soak-") as tmp:
        samples, status, summary = soak(args.documents, args.every, args.backend, Path(tmp))
    tail_from, spread = tail_spread(samples)
    png = args.out / "soak.png"
    plot(samples, tail_from, spread, png)
    record = {
        "documents": args.documents,
        "every": args.every,
        "backend": args.backend,
        "exit_status": status,
        "summary": summary,
        "tail_from": tail_from,
        "tail_spread_bytes": spread,
        "samples": [asdict(sample) for sample in samples],
    }
    (args.out / "soak.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(summary)
    print(f"tail (from document {tail_from}) spread: {spread / MB:.1f} MB; plot: {png}")
    return status


if __name__ == "__main__":
    sys.exit(main())
