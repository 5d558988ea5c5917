"""Write printed column pages with their ground truth into a folder, for ``quality.py``.

Gazette- and journal-like A4 pages (``tests/column_pages.py``): a header line, a heading across
the page, two or three justified columns, a footnote and a footer, in serif and sans serif, at
300 and 200 dpi, with the heading and footnote an empty line or less from the columns. Each
``<stem>.png`` gets a ``<stem>.gt.txt`` in reading order and a ``MANIFEST.tsv`` row in the
group ``columns``, so that

    python benchmarks/column_pages.py /tmp/columns
    python benchmarks/quality.py /tmp/columns

scores every engine's reading order on them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from column_pages import column_page  # noqa: E402
from generated_pages import GeneratedPages  # noqa: E402

LAYOUTS = (
    # (columns, dpi, serif, tight)
    (3, 300, True, False),
    (3, 300, False, True),
    (3, 200, True, True),
    (2, 300, False, False),
    (2, 300, True, True),
    (2, 200, False, False),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    pages = GeneratedPages(args.folder, "tests/column_pages.py", "en", "public domain", "columns")
    for number, (columns, dpi, serif, tight) in enumerate(LAYOUTS):
        page = column_page(columns, dpi=dpi, serif=serif, start=number, tight=tight)
        stem = f"columns{columns}_{dpi}dpi_{'serif' if serif else 'sans'}"
        stem += "_tight" if tight else ""
        pages.add(stem, page.image, dpi, page.truth)
    pages.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
