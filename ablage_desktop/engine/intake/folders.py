"""Finding the documents in what the user named: files as they are, folders walked.

A path the user names is always kept, so that a wrong one fails with its reason; inside a
folder, hidden entries are never read, and files that are neither named nor shaped like a
document are skipped and counted. ``output_guard`` relies on the same rule for hidden places.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.intake.documents import SNIFF_BYTES, SUPPORTED_SUFFIXES, sniff

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CollectedInputs:
    documents: list[Path]
    skipped: list[Path]


def skipped_in_folders(name: str) -> bool:
    """Hidden files and folders are never read from a folder (only when named themselves)."""
    return name.startswith(".")


def collect_documents(paths: Iterable[Path], *, quiet: bool = False) -> CollectedInputs:
    """Expand folders (recursively) into the documents inside them.

    A path given by the user is always kept, so that a wrong one fails with its reason; inside
    a folder, files that are neither named nor shaped like a document are skipped, and so are
    hidden files and folders. ``quiet``: the skipped files are not logged (a watched folder is
    walked every few seconds).
    """
    documents: list[Path] = []
    skipped: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.absolute()
        if key not in seen:
            seen.add(key)
            documents.append(path)

    for path in paths:
        if not path.is_dir():
            add(path)
            continue
        for folder, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not skipped_in_folders(d))
            for name in sorted(filenames):
                candidate = Path(folder) / name
                if skipped_in_folders(name):
                    continue
                if _looks_like_document(candidate):
                    add(candidate)
                else:
                    skipped.append(candidate)
    if skipped and not quiet:
        log.info("Skipped %d files in folders that are not documents", len(skipped))
    return CollectedInputs(documents, skipped)


def _looks_like_document(path: Path) -> bool:
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(SNIFF_BYTES)) is not None
    except OSError:
        return False
