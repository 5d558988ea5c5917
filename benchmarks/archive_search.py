"""The archive at size: what its two search indexes cost on disk, how long a search takes,
and how long an older archive's pages take to be indexed for words inside words.

An archive of ``--pages`` pages is written (default 100,000; one transaction, through the
schema's own triggers, so both indexes are filled as a batch fills them). Each page's text is
a run of 100 to 300 words taken, with a fixed seed, from the data set's ground truth (German
and English office paper). Printed: the file's size and each table's share (SQLite's
``dbstat``), each query's median time over ``--repeats`` searches through ``Store.search``
(whole words, words inside words, a prefix, a word no page holds), then the same archive as
schema 2 left it (no trigram index) opened and indexed step by step (``index_older_pages``):
seconds a thousand pages and the longest step, which a page commit or a search in the window
may wait for.

    python benchmarks/archive_search.py ../shared/data [--pages 100000] [--folder /tmp/x]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(REPO))

from ablage_desktop.engine.archive.schema import FOLD_FUNCTION  # noqa: E402
from ablage_desktop.engine.archive.store import Store  # noqa: E402
from ablage_desktop.engine.text.folding import folded  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
QUERIES = (
    "rechnung",  # whole word, and inside compounds
    "strasse",  # only inside words ("Lieferantenstraße")
    "the",  # short: whole words only, on most pages
    "invoice total",
    "datum 2019",
    "rech*",
    "zzzqqq",  # no page
)
WORDS_PER_PAGE = (100, 300)


def words_of(data: Path) -> list[str]:
    """The data set's ground truth as one list of words."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(data.rglob("*.gt.txt"))]
    words = " ".join(texts).split()
    if len(words) < WORDS_PER_PAGE[1] * 2:
        raise SystemExit(f"{data}: too little ground truth ({len(words)} words)")
    return words


def write_archive(path: Path, words: Sequence[str], pages: int) -> float:
    """An archive of ``pages`` pages of text, in one transaction; the seconds it took."""
    Store(path).close()  # the schema, its triggers and indexes
    rng = random.Random(1)
    db = sqlite3.connect(path, isolation_level=None)
    db.create_function(FOLD_FUNCTION, 1, folded, deterministic=True)
    started = time.perf_counter()
    db.execute("BEGIN")
    db.execute("INSERT INTO documents (id, sha256, path, added) VALUES (1, 'x', '/a.pdf', 'now')")
    for index in range(pages):
        start = rng.randrange(len(words) - WORDS_PER_PAGE[1])
        text = " ".join(words[start : start + rng.randrange(*WORDS_PER_PAGE)])
        db.execute(
            "INSERT INTO pages (document_id, page, requested, backend, text, result, seconds, "
            "created) VALUES (1, ?, 'auto', 'tesseract', ?, '{}', 0, 'now')",
            (index, text),
        )
    db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def table_sizes(path: Path) -> list[tuple[str, int]]:
    """Bytes each table and index takes, largest first (empty without ``dbstat``)."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.OperationalError:
        rows = []
    db.close()
    return [(str(name), int(size)) for name, size in rows]


def search_times(path: Path, repeats: int) -> list[tuple[str, int, float]]:
    """Each query: hits (of 50 at most) and the median milliseconds of a search."""
    store = Store(path)
    try:
        rows = []
        for words in QUERIES:
            times, hits = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                hits = len(store.search(words, 50))
                times.append((time.perf_counter() - started) * 1000)
            rows.append((words, hits, statistics.median(times)))
        return rows
    finally:
        store.close()


def older_archive_indexing(path: Path) -> tuple[int, float, float, float]:
    """The archive as schema 2 left it, opened and indexed: pages, seconds to open, seconds
    to index them all, the longest step."""
    with sqlite3.connect(path) as db:
        db.executescript(
            "DROP TRIGGER pages_sub_ai; DROP TRIGGER pages_sub_ad; DROP TRIGGER pages_sub_au;"
            "DROP TABLE pages_sub; UPDATE meta SET value = '2' WHERE key = 'schema';"
        )
    started = time.perf_counter()
    store = Store(path)
    opened = time.perf_counter() - started
    try:
        pending = store.older_pages_to_index()
        steps = []
        while True:
            started = time.perf_counter()
            done = store.index_older_pages()
            steps.append(time.perf_counter() - started)
            if not done:
                break
        return pending, opened, sum(steps), max(steps)
    finally:
        store.close()


def main(argv: Sequence[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, nargs="?", default=DEFAULT_DATA)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="where the archive is written (kept)")
    args = parser.parse_args(argv)

    folder = args.folder or Path(tempfile.mkdtemp(prefix="ablage-archive-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"archive-{args.pages}.sqlite3"
    path.unlink(missing_ok=True)
    words = words_of(args.data)
    written = write_archive(path, words, args.pages)
    sizes = table_sizes(path)
    text = sqlite3.connect(path).execute("SELECT sum(length(text)) FROM pages").fetchone()[0]
    print(
        f"{args.pages} pages, {text / 1e6:.1f} MB of text, written in {written:.1f} s "
        f"({written / args.pages * 1000:.2f} ms a page); file {path.stat().st_size / 1e6:.1f} MB"
    )
    print("\n| table | MB |\n|---|---|")
    for name, size in sizes[:8]:
        print(f"| {name} | {size / 1e6:.1f} |")
    searches = search_times(path, args.repeats)
    print(f"\n| query | hits (of 50) | median ms ({args.repeats} runs) |\n|---|---|---|")
    for words, hits, ms in searches:
        print(f"| `{words}` | {hits} | {ms:.1f} |")
    pending, opened, seconds, longest = older_archive_indexing(path)
    print(
        f"\nAs schema 2 left it: opened in {opened:.3f} s; {pending} pages indexed in "
        f"{seconds:.1f} s ({seconds / max(pending, 1) * 1000:.2f} s a thousand pages), "
        f"the longest step {longest:.2f} s"
    )
    if args.folder is None:
        shutil.rmtree(folder)
    return {
        "pages": args.pages,
        "sizes": dict(sizes),
        "searches": searches,
        "indexed": pending,
        "index_seconds": seconds,
        "longest_step": longest,
    }


if __name__ == "__main__":
    main()
