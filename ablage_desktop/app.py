"""Composition root: arguments -> configuration -> logging -> the GUI or a CLI command."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine import limit_heap_arenas

if TYPE_CHECKING:
    from ablage_desktop.engine import AppConfig

USER_CONFIG_NAME = "config.yaml"


def user_config_file() -> Path:
    """The per-user override file, read at every start when it exists."""
    import platformdirs

    return platformdirs.user_config_path("ablage-desktop") / USER_CONFIG_NAME


def footprints_file() -> Path:
    """Where measured model sizes are kept between runs."""
    import platformdirs

    return platformdirs.user_data_path("ablage-desktop") / "footprints.json"


def store_file() -> Path:
    """The archive of every document read, its pages and the batches (SQLite)."""
    import platformdirs

    return platformdirs.user_data_path("ablage-desktop") / "ablage.sqlite3"


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # Third-party loggers that speak at INFO on every call stay quiet unless asked for debug.
    for noisy in ("RapidOCR", "PIL"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def load_app_config(explicit: Path | None) -> AppConfig:
    from ablage_desktop.engine import load_config

    files = [path for path in (user_config_file(),) if path.is_file()]
    if explicit is not None:
        files.append(explicit)
    return load_config(files)


COMMANDS = ("ocr", "models", "bench", "search")


def split_gui_paths(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """``ablage-desktop [OPTIONS] PATH...`` opens the window with those documents queued."""
    options: list[str] = []
    paths: list[str] = []
    items = list(argv)
    while items:
        item = items.pop(0)
        if item in COMMANDS:
            return list(argv), []
        if item in ("--config", "--store") and items:
            options += [item, items.pop(0)]
        elif item.startswith("-"):
            options.append(item)
        else:
            paths.append(item)
    return options, paths


def print_names_as_bytes(stream: object) -> None:
    """Let a file name that is not UTF-8 go out as the bytes it is (as ``ls | cat`` does)
    instead of raising in the middle of the summary, on terminals with a strict encoding."""
    if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "backslashreplace"):
        stream.reconfigure(errors="surrogateescape")


def run() -> None:
    """The installed command's entry, and ``python -m ablage_desktop``'s: ``main``, and after a
    command, the end without the interpreter's teardown of its modules (0.1 to 0.2 s, paid by
    a script that runs ``ocr`` for each scan), once the output and the log are flushed."""
    sys.exit(main(on_command_end=end_now))


def end_now(code: int) -> None:
    """End the process with ``code`` now. Only once everything is written and closed: no
    ``atexit`` handler and no finaliser runs after this (a command has closed its engine, its
    decoder and model processes, and its archive by the time it returns)."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        # the reader went away (| head), or the stream was closed
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(
    argv: Sequence[str] | None = None, on_command_end: Callable[[int], None] | None = None
) -> int:
    """``on_command_end``: given the code of a command that ran (not the window's), before
    it is returned."""
    limit_heap_arenas()  # before any thread starts (engine/memory/heap.py says why)
    # The command line's modules and the engine's load here, not when this module is
    # imported: a decoder process, which imports this module again as its main
    # (multiprocessing's "spawn"), needs none of them.
    from ablage_desktop import cli
    from ablage_desktop.engine import ConfigError

    print_names_as_bytes(sys.stdout)
    print_names_as_bytes(sys.stderr)
    parser = cli.build_parser()
    arguments, gui_paths = split_gui_paths(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(arguments)
    configure_logging(args.verbose, args.quiet)
    try:
        config = load_app_config(args.config)
    except ConfigError as exc:
        print(f"ablage-desktop: configuration error in {exc.message}", file=sys.stderr)
        return cli.EXIT_USAGE
    if args.command is None:
        if not has_display():
            print(
                "ablage-desktop: no display found; the window needs a graphical session. "
                "On the command line use: ablage-desktop ocr PATH ...",
                file=sys.stderr,
            )
            return cli.EXIT_USAGE
        from ablage_desktop.gui.application import run_gui

        return run_gui(
            config,
            gui_paths,
            footprints_file(),
            args.store or store_file(),
            args.config or user_config_file(),
        )
    try:
        code = cli.run_command(args, config, footprints_file(), store_file())
    except BrokenPipeError:
        # The reader of our output went away (| head): not an error of ours.
        sys.stderr.close()
        code = cli.EXIT_OK
    if on_command_end is not None:
        on_command_end(code)
    return code


def has_display() -> bool:
    """Whether Qt can open a window: a display server, or a platform chosen explicitly."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
