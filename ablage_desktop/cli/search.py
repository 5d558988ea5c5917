"""The ``search`` command: find pages in the archive by their words."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from ablage_desktop.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    add_common_options,
    whole_number,
)
from ablage_desktop.engine import HIT_END, HIT_START, MAX_SEARCH_HITS, Store, fts_query
from ablage_desktop.engine.errors import StoreError, UsageError


def add_search_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    search = commands.add_parser("search", help="find documents in the archive by their words")
    add_common_options(search, top_level=False)
    search.add_argument("query", metavar="WORDS", help="every word must occur; word* for a prefix")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.add_argument(
        "--limit",
        type=whole_number(1, MAX_SEARCH_HITS),
        default=50,
        metavar="N",
        help=f"at most N pages (1 to {MAX_SEARCH_HITS})",
    )


def run_search(args: argparse.Namespace, store_path: Path | None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not fts_query(args.query):
        print("ablage-desktop: search needs at least one word", file=sys.stderr)
        return EXIT_USAGE
    if store_path is None or not store_path.is_file():
        print("ablage-desktop: the archive is empty: nothing has been read yet", file=sys.stderr)
        return EXIT_SOME_FAILED
    try:
        store = Store(store_path)
        try:
            index_older_pages(store, quiet=args.quiet)
            hits = store.search(args.query, limit=args.limit)
        finally:
            store.close()
    except (StoreError, UsageError) as exc:
        print(f"ablage-desktop: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        text = json.dumps([hit.to_json() for hit in hits], indent=2, ensure_ascii=False)
        # A file name that is not UTF-8 goes out as JSON escapes of its lone surrogates,
        # which json.loads turns back into the same name (as the JSON results do).
        out.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")
        return EXIT_OK if hits else EXIT_SOME_FAILED
    bold, plain = ("\x1b[1m", "\x1b[0m") if out.isatty() else ("[", "]")
    for hit in hits:
        snippet = " ".join(hit.snippet.split())
        snippet = snippet.replace(HIT_START, bold).replace(HIT_END, plain)
        out.write(f"{hit.document}  page {hit.page + 1}  ({hit.backend})\n    {snippet}\n")
    if not hits:
        out.write(f"No page holds: {args.query}\n")
    return EXIT_OK if hits else EXIT_SOME_FAILED


def index_older_pages(store: Store, quiet: bool) -> None:
    """The pages an older archive holds, indexed for words inside words before the first
    search (the window does it in the background): about 0.4 s a thousand pages, once."""
    pending = store.older_pages_to_index()
    if not pending:
        return
    if not quiet:
        print(
            f"ablage-desktop: indexing {pending} pages of an older archive for words inside "
            "words (once)",
            file=sys.stderr,
        )
    while store.index_older_pages():
        pass
