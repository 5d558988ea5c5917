"""Files cut short: how much of each the intake gets back (``engine/intake/salvage.py``).

Each file given is cut at each fraction of its bytes (an interrupted download or copy) and
opened as the app's decoder opens it; printed per cut: the pages recovered of the whole file's,
the share of the whole file's rendered ink those pages hold, the time to open, and the damage
the document reports (or why it was refused).

    python benchmarks/cut_files.py ../shared/data/*.pdf /usr/share/doc/*/*.pdf \\
        --fractions 0.3,0.5,0.7,0.9,0.99

Not in ``make test``; the behaviour is tested in ``tests/engine/test_salvage.py``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from ablage_desktop.engine.errors import InputError
from ablage_desktop.engine.intake.documents import Document, IntakeLimits, open_document

LIMITS = IntakeLimits(pdf_dpi=100)


def ink(document: Document, pages: int) -> list[float]:
    """Each of the first ``pages`` pages' share of dark pixels."""
    return [
        float((np.asarray(document.page(i).image.convert("L")) < 128).mean()) for i in range(pages)
    ]


def measure(path: Path, fractions: list[float], folder: Path) -> None:
    with open_document(path, LIMITS) as whole:
        total = whole.page_count
        whole_ink = ink(whole, total)
    data = path.read_bytes()
    for fraction in fractions:
        cut = folder / f"cut{path.suffix}"
        cut.write_bytes(data[: int(len(data) * fraction)])
        started = time.perf_counter()
        try:
            with open_document(cut, LIMITS) as document:
                opened = time.perf_counter() - started
                pages = document.page_count
                kept = sum(ink(document, min(pages, total)))
                share = kept / max(sum(whole_ink), 1e-9)
                print(
                    f"{path.name} at {fraction:.0%}: {pages} of {total} pages, "
                    f"{share:.0%} of the ink, opened in {opened:.2f} s; {document.damage}"
                )
        except InputError as exc:
            print(f"{path.name} at {fraction:.0%}: refused ({exc.kind}): {exc.message}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--fractions", default="0.3,0.5,0.7,0.9,0.99")
    args = parser.parse_args()
    fractions = [float(f) for f in args.fractions.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        for path in args.files:
            measure(path, fractions, Path(folder))


if __name__ == "__main__":
    main()
