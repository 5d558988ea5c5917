"""The benchmark scripts of ``benchmarks/`` loaded as modules, for the tests of their parts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_script(file_name: str, module_name: str) -> ModuleType:
    """``benchmarks/<file_name>`` as the module ``module_name`` (registered: dataclasses look
    their module up)."""
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def assert_set_of(out: Path, scan: str, letter: str) -> None:
    """``out`` holds ``small_data_set``'s two documents as ``scan`` and ``letter``, each with
    its ground truth, and a manifest naming them (not the file the data set lacks)."""
    expected = ["MANIFEST.tsv", "letter.gt.txt", letter, "scan.gt.txt", scan]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    manifest = (out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    assert manifest == ["file\tgroup", f"{scan}\tprinted", f"{letter}\tpdf-en"]


def small_data_set(folder: Path) -> tuple[Path, Path]:
    """A data set of a one-page scan and a two-page PDF, with ground truth and a manifest
    that also names a file it lacks, in ``folder``/data; and an empty ``folder``/out."""
    from samples import pdf_bytes, text_page

    data, out = folder / "data", folder / "out"
    data.mkdir()
    out.mkdir()
    text_page().save(data / "scan.png")
    (data / "letter.pdf").write_bytes(pdf_bytes([text_page(), text_page()], dpi=100))
    for stem in ("scan", "letter"):
        (data / f"{stem}.gt.txt").write_text("Invoice 4711", encoding="utf-8")
    (data / "MANIFEST.tsv").write_text(
        "file\tgroup\nscan.png\tprinted\nletter.pdf\tpdf-en\nelsewhere.png\tform\n",
        encoding="utf-8",
    )
    return data, out
