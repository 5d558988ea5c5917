"""Pages per second through an OpenAI-compatible inference server at concurrency 1, 2 and 4.

Each figure is ``EngineCore.ocr`` with the server chosen as the engine (``openai_server``, the
same code path as the app: model manager lease, page pipeline, one HTTP request per page),
on ``--pages`` one-page documents, with ``max_concurrency`` set to the concurrency measured.
One page is read before the clock starts (the server's warm-up is not counted). The latency
columns are the seconds each page took from request to last token, as the page results say.

Point it at a running server::

    python benchmarks/remote_throughput.py --base-url http://gpu-server:8000/v1 \\
        --model Qwen/Qwen2-VL-2B-Instruct --send-documents

or let it start ``transformers serve`` on a local model folder for the run::

    python benchmarks/remote_throughput.py --serve /path/to/model-folder
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from ablage_desktop.engine.config import load_config
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.intake.folders import collect_documents

LINES = (
    "Rechnung Nr. 2026-4711",
    "Leistungszeitraum: 01.11.2026 bis 30.11.2026",
    "Betrag netto 1.250,00 EUR",
    "zzgl. 19 % USt. 237,50 EUR",
    "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
)


def synthetic_pages(folder: Path, count: int) -> list[Path]:
    """``count`` one-page invoices (A4 at 100 dpi), each a little different."""
    paths = []
    for index in range(count):
        image = Image.new("L", (827, 1169), 255)
        draw = ImageDraw.Draw(image)
        for row, line in enumerate(LINES):
            draw.text((80, 120 + 60 * row), f"{line} ({index})", fill=0)
        path = folder / f"page_{index:03d}.png"
        image.save(path)
        paths.append(path)
    return paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def transformers_serve(folder: Path) -> Iterator[str]:
    """``transformers serve FOLDER`` on 127.0.0.1 for the run; yields its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "transformers.cli.transformers", "serve", str(folder),
        "--host", "127.0.0.1", "--port", str(port), "--device", "auto",
    ]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("transformers serve did not start") from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def engine_for(
    args: argparse.Namespace, base_url: str, concurrency: int, folder: Path
) -> EngineCore:
    entry: dict[str, Any] = {
        "engine": "openai_server",
        "base_url": base_url,
        "model": args.model,
        "max_concurrency": concurrency,
        "max_tokens": args.max_tokens,
        "timeout_s": args.timeout,
        "retries": 0,
        "send_documents": args.send_documents,
        "image_format": {"type": args.image_format, "max_side": args.max_side},
    }
    if args.api_key_env:
        entry["api_key_env"] = args.api_key_env
    path = folder / f"server_{concurrency}.yaml"
    text = json.dumps({"preprocessing": {"enabled": False}, "models": {"server": entry}})
    path.write_text(text, encoding="utf-8")  # JSON is YAML
    return EngineCore(load_config([path]))


def measure(engine: EngineCore, paths: Sequence[Path]) -> dict[str, Any]:
    engine.backend("server")  # the health check, before the clock
    list(engine.ocr(OcrRequest(paths[:1], backend="server", archive=False)))  # warm-up
    started = time.perf_counter()
    documents = list(engine.ocr(OcrRequest(paths, backend="server", archive=False)))
    wall = time.perf_counter() - started
    seconds = sorted(page.seconds for doc in documents for page in doc.pages)
    failed = [doc.error.message for doc in documents if doc.error is not None]
    return {
        "pages": len(seconds),
        "failed": len(failed),
        "first_failure": failed[0] if failed else None,
        "wall_s": wall,
        "pages_per_s": len(seconds) / wall if wall else 0.0,
        "latency_mean_s": statistics.fmean(seconds) if seconds else None,
        "latency_p95_s": seconds[int(0.95 * (len(seconds) - 1))] if seconds else None,
    }


def print_table(rows: Sequence[dict[str, Any]]) -> None:
    header = ["concurrency", "pages", "failed", "seconds", "pages/s", "latency mean s", "p95 s"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|")
    for row in rows:
        mean = row["latency_mean_s"]
        p95 = row["latency_p95_s"]
        print(
            f"| {row['concurrency']} | {row['pages']} | {row['failed']} | {row['wall_s']:.2f} "
            f"| {row['pages_per_s']:.2f} | {'-' if mean is None else f'{mean:.3f}'} "
            f"| {'-' if p95 is None else f'{p95:.3f}'} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--base-url", help="the server, e.g. http://gpu-server:8000/v1")
    where.add_argument("--serve", type=Path, metavar="FOLDER", help="start transformers serve")
    parser.add_argument("--model", help="model name on the server (--serve: the folder)")
    parser.add_argument("--api-key-env", help="environment variable holding the API key")
    parser.add_argument("--send-documents", action="store_true", help="allow a non-local server")
    parser.add_argument("--data", type=Path, help="read these documents (default: synthetic)")
    parser.add_argument("--pages", type=int, default=16, help="documents per measurement")
    parser.add_argument("--concurrency", default="1,2,4", help="comma-separated (default 1,2,4)")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per page")
    parser.add_argument("--image-format", choices=("png", "jpeg"), default="png")
    parser.add_argument("--max-side", type=int, default=1600)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.serve is not None:
        args.model = args.model or str(args.serve)
    elif not args.model:
        parser.error("--model is required with --base-url")
    levels = [int(part) for part in args.concurrency.split(",") if part.strip()]

    with tempfile.TemporaryDirectory(prefix="remote-throughput-") as tmp:
        folder = Path(tmp)
        if args.data is not None:
            paths = list(collect_documents([args.data]).documents)[: args.pages]
        else:
            paths = synthetic_pages(folder, args.pages)
        with (
            transformers_serve(args.serve) if args.serve is not None else _given(args.base_url)
        ) as base_url:
            rows = []
            for concurrency in levels:
                engine = engine_for(args, base_url, concurrency, folder)
                try:
                    rows.append({"concurrency": concurrency, **measure(engine, paths)})
                finally:
                    engine.close()
                print(
                    f"concurrency {concurrency}: {rows[-1]['pages_per_s']:.2f} pages/s",
                    file=sys.stderr,
                )
    print(
        f"Server: {args.model} at {'transformers serve (local)' if args.serve else args.base_url}"
    )
    print()
    print_table(rows)
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 1 if any(row["failed"] for row in rows) else 0


@contextmanager
def _given(base_url: str) -> Iterator[str]:
    yield base_url


if __name__ == "__main__":
    sys.exit(main())
