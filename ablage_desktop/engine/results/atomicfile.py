"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The bytes go to a hidden temporary file beside the target, are flushed to the disk, and the
temporary file is renamed over the target; then the folder itself is flushed, so that the
rename survives a power cut (SQLite's rule: a write is done when the directory entry is on the
disk too). Any failure (a full disk, a read-only folder, a file size limit) removes the
temporary file again, so no partial file is ever left, and an existing target stays as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from types import MappingProxyType

from ablage_desktop.engine.errors import OutputError

TEMP_SUFFIX = ".part"
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
"""A new file only (never one an attacker placed there); no newline translation on Windows."""
NEW_FILE_MODE = 0o666
"""Before the umask, as ``open()`` creates files (mkstemp's 0600 would hide results from a
user's other programs and colleagues)."""


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once or not at all; raises the ``OSError`` as is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _sync_folder(path.parent)


MAX_NAME_BYTES = 255
"""The longest file name (in bytes) of the usual file systems (ext4, btrfs, XFS, NTFS, APFS)."""


def fit_name(name: str, limit: int = MAX_NAME_BYTES) -> str:
    """``name`` cut to at most ``limit`` bytes (as the file system stores it), never in the
    middle of a character."""
    encoded = os.fsencode(name)
    if len(encoded) <= limit:
        return name
    cut = encoded[:limit]
    while cut:
        try:
            cut.decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            if exc.start < len(cut) - 3:  # bytes that were never UTF-8: keep them as they are
                break
            cut = cut[: exc.start]
    return os.fsdecode(cut)


def check_writable(folder: Path) -> None:
    """Prove that a file can be made in ``folder`` (creating it as needed, then leaving
    everything as it was): a batch learns that its results have nowhere to go before it reads
    a page, not after. Raises the ``OSError`` as is."""
    missing = [folder, *folder.parents]
    missing = [path for path in missing if not path.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = _create_temporary(folder / "write-check")
        os.close(fd)
        tmp.unlink()
    finally:
        for created in missing:  # deepest first
            with contextlib.suppress(OSError):
                created.rmdir()


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty, hidden file beside ``path``, opened for writing: its descriptor and path.

    Its name is the target's, shortened where needed, so that it fits where the target fits.
    """
    for _ in range(100):
        token = secrets.token_hex(4)
        room = MAX_NAME_BYTES - len(f"..{token}{TEMP_SUFFIX}")
        tmp = path.with_name(f".{fit_name(path.name, room)}.{token}{TEMP_SUFFIX}")
        try:
            fd = os.open(tmp, CREATE_FLAGS, NEW_FILE_MODE)
        except FileExistsError:
            continue
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries (the rename). Not every system can open a folder: then the
    rename is as durable as that system makes it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (and Windows) refuse fsync on a folder
    finally:
        os.close(fd)


REASONS = MappingProxyType(
    {
        errno.EACCES: "permission denied: the folder is not writable for you",
        errno.EPERM: "permission denied: the folder is not writable for you",
        errno.EROFS: "the folder is on a read-only file system (a locked card, a read-only share?)",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "your disk quota is used up",
        errno.EFBIG: "the file would be larger than this file system (or a limit) allows",
        errno.ENOTDIR: "a file stands where the folder should be",
        errno.EEXIST: "a file stands where the folder should be",
        errno.ENAMETOOLONG: "the file name is too long for this file system",
    }
)


def folder_error(folder: Path, exc: OSError) -> OutputError:
    """``exc`` from ``check_writable(folder)`` in words a person can act on."""
    return OutputError(
        folder,
        f"the output folder {folder} cannot be written: {_reason(exc)}. Nothing was read and "
        "nothing was written.",
    )


def _reason(exc: OSError) -> str:
    return REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def output_error(path: Path, exc: OSError) -> OutputError:
    """``exc`` from writing ``path`` in words a person can act on."""
    reason = _reason(exc)
    return OutputError(
        path,
        f"cannot write {path}: {reason}. Nothing was written there (no partial file); an "
        "earlier version of the file, if there was one, is unchanged.",
    )
