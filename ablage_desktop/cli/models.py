"""The ``models`` command: list the configured engines with their state, or download one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from ablage_desktop.cli.common import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, add_common_options
from ablage_desktop.engine import (
    AppConfig,
    BackendStatus,
    Engine,
    download_licence,
    download_model,
    download_target,
    extra_download,
)
from ablage_desktop.engine.errors import DownloadFailed


def add_models_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = commands.add_parser("models", help="the configured models and engines")
    add_common_options(models, top_level=False)
    models_commands = models.add_subparsers(dest="models_command", metavar="ACTION")
    models_list = models_commands.add_parser("list", help="every model with its availability")
    add_common_options(models_list, top_level=False)
    models_list.add_argument("--json", action="store_true", help="machine-readable output")
    models_list.add_argument(
        "--no-check",
        action="store_true",
        help="do not ask the inference servers whether they answer (health check)",
    )
    models_download = models_commands.add_parser(
        "download",
        help="fetch a model's files from the Hugging Face hub, and what else its engine needs "
        "(the only network use)",
    )
    add_common_options(models_download, top_level=False)
    models_download.add_argument("name", metavar="NAME", help="a model from 'models list'")
    models.set_defaults(models_command="list", json=False)


def run_models_list(
    args: argparse.Namespace,
    config: AppConfig,
    footprints: Path | None = None,
    out: TextIO | None = None,
) -> int:
    engine = Engine(config, footprints=footprints)
    try:
        if not getattr(args, "no_check", False):
            engine.connect_remote()  # a server's state is its health check's answer
        rows = engine.statuses()
    finally:
        engine.close()
    return write_statuses(
        rows, config.management.default_backend, getattr(args, "json", False), out
    )


def write_statuses(
    rows: list[BackendStatus], default: str, as_json: bool, out: TextIO | None = None
) -> int:
    """The models table (or its JSON) with each row's notes: what more installed would add."""
    out = out or sys.stdout  # looked up now: a default of sys.stdout is the one at import
    if as_json:
        json.dump([_status_json(row, default) for row in rows], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    width = max(len(row.name) for row in rows) + 2
    out.write(
        f"{'NAME':<{width}}{'KIND':<7}{'AVAILABLE':<11}{'STATE':<10}{'ESTIMATED':>10}"
        f"{'MEASURED':>10}  ENGINE / REASON\n"
    )
    for row in rows:
        mark = "*" if row.name == default else " "
        state = "yes" if row.available else "no"
        measured = _size(row.measured_bytes) if row.measured_bytes else "-"
        detail = row.title if row.available else f"{row.title}: {row.reason}"
        if row.remote and row.available:
            detail = f"{row.title}: {_remote_text(row)}"
        out.write(
            f"{row.name + mark:<{width}}{row.kind:<7}{state:<11}{row.state:<10}"
            f"{'-' if row.remote else _size(row.estimated_bytes):>10}{measured:>10}  {detail}\n"
        )
        for note in row.notes:  # what more installed would add, and how to get it
            out.write(f"{'':<{width}}  note: {note}\n")
    if default == "auto":
        out.write("default: auto (the router picks per page; see 'routing' in the config)\n")
    else:
        out.write("* default engine\n")
    return EXIT_OK


def run_models_download(args: argparse.Namespace, config: AppConfig) -> int:
    options = config.model(args.name)
    if options is None:
        print(f"ablage-desktop: there is no model called '{args.name}'", file=sys.stderr)
        return EXIT_USAGE
    source = getattr(options, "source", None)
    target = download_target(options)
    extra = extra_download(options)
    if target is None and extra is None:
        if source:
            print(f"{args.name} is read from the folder {source}: nothing to download.")
        else:
            print(f"{args.name} ships with its Python package: nothing to download.")
        return EXIT_OK
    licence = download_licence(options)
    if licence:  # before anything is fetched; printed, not asked, so that scripts can run it
        print(f"Licence: {licence}\n", flush=True)
    try:
        if extra is not None:  # what the hub does not hold (Surya's environment, its detector)
            extra(lambda step: print(step, flush=True))
        if target is None:
            print(f"The model itself is read from the folder {source}.")
        elif target.present:
            print(f"{target.describe()}: already there.")
        else:
            print(f"Downloading {target.describe()} ...", flush=True)
            folder = download_model(target)
            print(f"{args.name} is ready in {folder}")
            return EXIT_OK
    except DownloadFailed as exc:  # network, authentication, disk: all said in words, exit 1
        print(f"ablage-desktop: {exc.message}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"{args.name} is ready.")
    return EXIT_OK


def _status_json(row: BackendStatus, default: str) -> dict[str, object]:
    return {
        "name": row.name,
        "engine": row.engine,
        "kind": row.kind,
        "device": row.device,
        "title": row.title,
        "description": row.description,
        "available": row.available,
        "reason": row.reason or None,
        "state": row.state,
        "estimated_bytes": row.estimated_bytes,
        "measured_bytes": row.measured_bytes,
        "memory_plan": row.memory_plan,
        "default": row.name == default,
        "notes": list(row.notes),
        **_remote_json(row),
    }


def _remote_json(row: BackendStatus) -> dict[str, object]:
    if not row.remote:
        return {}
    return {
        "destination": row.destination,
        "latency_s": row.load_seconds,
        "page_seconds": row.page_seconds,
        "in_flight": row.in_flight,
        "queued": row.queued,
        "error": row.error or None,
    }


def _remote_text(row: BackendStatus) -> str:
    """A server's latency, queue and where the pages go, for the table."""
    parts = []
    if row.load_seconds is not None and row.loaded:
        parts.append(f"latency {row.load_seconds * 1000:.0f} ms")
    if row.page_seconds is not None:
        parts.append(f"{row.page_seconds:.2f} s/page")
    if row.loaded:
        parts.append(f"queue {row.in_flight} in flight, {row.queued} waiting")
    parts.append(f"sends pages to {row.destination}" if row.destination else "on this machine")
    if row.error and not row.loaded:
        parts.append(row.error)
    return "; ".join(parts)


def _size(size: int) -> str:
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f} GiB"
    return f"{size / (1 << 20):.0f} MiB"
