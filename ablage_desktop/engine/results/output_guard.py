"""The one rule that keeps the user's documents safe from the app's own writes.

No output file, output folder, event log, export or archive may be one of the documents being
read, nor lie inside a folder being read: the first would replace an original (a searchable PDF
over the scanned one), the second would feed the results back in as documents on the next run.
The command line and the window both ask ``Inputs.check`` before they write anything.

A path is compared by what it names on the disk, not by how it was typed: ``..``, symbolic links
and a second hard link to an input all count as that input. A hidden place inside an input
folder (a name starting with a dot on the way) is never read from that folder, so it is allowed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ablage_desktop.engine.errors import OutputOverlapsInput
from ablage_desktop.engine.intake.folders import skipped_in_folders
from ablage_desktop.engine.pathtext import display


def real_path(path: Path) -> Path:
    """``path`` absolute, with ``..`` and symbolic links resolved as far as it exists."""
    return Path(os.path.realpath(path))


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's (device, inode), which every hard link to it shares; None if it is not there."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


@dataclass(frozen=True)
class Inputs:
    """The documents and folders of a batch, as the places the app must never write to."""

    files: frozenset[Path]
    identities: frozenset[tuple[int, int]]
    folders: tuple[Path, ...]

    @classmethod
    def of(cls, paths: Iterable[Path | str]) -> Inputs:
        files: set[Path] = set()
        identities: set[tuple[int, int]] = set()
        folders: list[Path] = []
        for given in paths:
            path = Path(given)
            if path.is_dir():
                folders.append(real_path(path))
                continue
            files.add(real_path(path))
            identity = _identity(path)
            if identity is not None:
                identities.add(identity)
        return cls(frozenset(files), frozenset(identities), tuple(folders))

    def conflict(self, target: Path | str, what: str) -> str | None:
        """Why ``what`` (e.g. "the event log") must not be written at ``target``, or None."""
        target = Path(target)
        real = real_path(target)
        if real in self.files or (
            (identity := _identity(target)) is not None and identity in self.identities
        ):
            return (
                f"{what} {display(target)} is one of the documents being read, and documents "
                "are only ever read: choose another name or folder"
            )
        for folder in self.folders:
            if real == folder or (
                real.is_relative_to(folder)
                and not any(skipped_in_folders(part) for part in real.relative_to(folder).parts)
            ):
                return (
                    f"{what} {display(target)} lies inside the folder {display(folder)}, which "
                    "is being read: a later run would read what is written there as documents. "
                    "Choose a place outside that folder"
                )
        return None

    def check(self, target: Path | str, what: str) -> None:
        """Raise ``OutputOverlapsInput`` where ``conflict`` finds a reason."""
        reason = self.conflict(target, what)
        if reason is not None:
            raise OutputOverlapsInput(target, reason[0].upper() + reason[1:] + ".")
