"""The documents a benchmark reads, with the ground truth found beside them.

``<stem>.gt.txt`` next to a document is its transcription. A ``MANIFEST.tsv`` in the folder (as
in the project's data set) may say ``gt_case=upper`` for a document whose transcription is in
capitals while the page is not: those are compared case-insensitively, and say so.
"""

from __future__ import annotations

import csv
import dataclasses
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.errors import AblageError, UsageError
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage
from ablage_desktop.engine.intake.documents import open_document as open_pages
from ablage_desktop.engine.intake.folders import collect_documents

log = logging.getLogger(__name__)

GROUND_TRUTH_SUFFIX = ".gt.txt"
MANIFEST = "MANIFEST.tsv"


@dataclass(frozen=True, slots=True)
class BenchDocument:
    path: Path
    truth: str | None
    casefold: bool = False
    group: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True, slots=True)
class Corpus:
    documents: tuple[BenchDocument, ...]
    skipped: tuple[Path, ...] = ()

    @property
    def paths(self) -> list[Path]:
        return [document.path for document in self.documents]

    @property
    def scored(self) -> int:
        return sum(1 for document in self.documents if document.truth is not None)


def ground_truth_of(path: Path) -> Path:
    return path.with_name(path.stem + GROUND_TRUTH_SUFFIX)


def load_corpus(paths: Sequence[Path]) -> Corpus:
    """Every document under ``paths`` (files or folders), with its ground truth if there is one.

    Raises ``UsageError`` when there is nothing to read.
    """
    collected = collect_documents(paths)
    candidates = [
        path for path in collected.documents if not path.name.endswith(GROUND_TRUTH_SUFFIX)
    ]
    manifests: dict[Path, dict[str, dict[str, str]]] = {}
    documents = []
    for path in candidates:
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = read_manifest(folder / MANIFEST)
        row = manifests[folder].get(path.name, {})
        truth_file = ground_truth_of(path)
        truth = truth_file.read_text(encoding="utf-8") if truth_file.is_file() else None
        documents.append(
            BenchDocument(
                path=path,
                truth=truth,
                casefold=row.get("gt_case", "") == "upper",
                group=row.get("group", ""),
            )
        )
    if not documents:
        shown = ", ".join(str(path) for path in paths)
        raise UsageError(f"no documents to benchmark in {shown}")
    skipped = [
        path
        for path in collected.skipped
        if not _is_ground_truth(path) and path.name not in (MANIFEST, "SHA256SUMS", "README.md")
    ]
    return Corpus(tuple(documents), tuple(skipped))


def _is_ground_truth(path: Path) -> bool:
    return path.name.endswith(GROUND_TRUTH_SUFFIX)


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """Rows of a data set's MANIFEST.tsv by file name; empty where there is none."""
    if not path.is_file():
        return {}
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            return {
                row["file"]: row for row in csv.DictReader(stream, delimiter="\t") if "file" in row
            }
    except (OSError, csv.Error, KeyError, UnicodeDecodeError) as exc:
        log.warning("Ignoring %s: %s", path, exc)
        return {}


def rendered(
    corpus: Corpus, limits: IntakeLimits
) -> Iterator[tuple[BenchDocument, list[PageImage] | None]]:
    """Each document with its page images as the app's intake makes them (None: refused).

    The peers read these same images. One document's pages at a time, so a long queue does
    not hold every page in memory.
    """
    limits = dataclasses.replace(limits, pdf_text="always_ocr")  # the peers OCR every page
    for document in corpus.documents:
        try:
            with open_pages(document.path, limits) as opened:
                pages = list(opened.pages())
        except AblageError as exc:
            log.warning("Cannot render %s for the peers: %s", document.path, exc)
            yield document, None
            continue
        yield document, pages
