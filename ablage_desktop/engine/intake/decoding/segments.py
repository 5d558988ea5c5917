"""The shared-memory segment that carries page pixels from the decoder process to the app.

Python's resource tracker would clean up a segment whose creator died, but it does so from a
helper process that prints "leaked shared_memory objects" warnings on the user's terminal after
a ``kill`` or a crash. The app keeps the segments out of the tracker and cleans up itself: the
app removes its segment when it closes the decoder, the decoder removes it when the app is gone
(its pipe closed without a goodbye), and a segment left by processes that are both dead (a
killed process group) is swept when the next decoder starts. Names carry the creator's pid.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from multiprocessing import resource_tracker
from multiprocessing.shared_memory import SharedMemory
from pathlib import Path

from ablage_desktop.engine.run.processes import running

log = logging.getLogger(__name__)

PREFIX = "ablage-pages-"
SHM_FOLDER = Path("/dev/shm")
"""Where Linux shows POSIX shared memory; elsewhere there is nothing to sweep."""


def create(size: int) -> SharedMemory:
    """A new segment of ``size`` bytes, named after this process, untracked."""
    sweep_stale()
    name = f"{PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    segment = SharedMemory(name=name, create=True, size=size)
    _untrack(segment)
    return segment


def attach(name: str) -> SharedMemory:
    """The segment ``name`` made by the app (the decoder's side), untracked."""
    segment = SharedMemory(name)
    _untrack(segment)
    return segment


def remove(segment: SharedMemory) -> None:
    """Close and unlink ``segment``; one already unlinked by the other side is fine."""
    segment.close()
    unlink(segment.name)


def sweep_stale() -> int:
    """Unlink segments whose creator is no longer running; how many there were."""
    try:
        names = [entry.name for entry in SHM_FOLDER.iterdir() if entry.name.startswith(PREFIX)]
    except OSError:
        return 0
    removed = 0
    for name in names:
        pid_text = name[len(PREFIX) :].split("-", 1)[0]
        if pid_text.isdigit() and not running(int(pid_text)):
            try:
                unlink(name)
            except PermissionError:  # another user's: theirs to sweep
                continue
            removed += 1
    if removed:
        log.info("Removed %d page segment(s) left by decoders that were killed", removed)
    return removed


def _untrack(segment: SharedMemory) -> None:
    # SharedMemory registers every segment it creates or attaches (Python < 3.13 has no
    # track=False); this process cleans up itself, as the module docstring says.
    with contextlib.suppress(Exception):
        resource_tracker.unregister(segment._name, "shared_memory")  # type: ignore[attr-defined]


def unlink(name: str) -> None:
    """``shm_unlink`` without telling the resource tracker (it does not know the segment); the
    segment stays mapped where it is open, and goes when the last mapping closes."""
    try:
        import _posixshmem  # what SharedMemory.unlink calls on POSIX systems
    except ImportError:  # Windows: a segment goes when its last handle closes
        return
    with contextlib.suppress(FileNotFoundError):
        _posixshmem.shm_unlink("/" + name.lstrip("/"))
