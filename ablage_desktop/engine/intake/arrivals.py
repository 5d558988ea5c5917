"""Documents arriving in watched folders (a scanner's scan folder, a mail program's attachments).

A scanner or a copy writes a file over seconds; read while it grows, it is a file cut short
(``salvage``). So a document is given out once its size and time of change have stood still for
``SETTLE_S``, and again only when they change (a file replaced under the same name). Polling,
not the system's change notices: it works the same on every system and on network shares.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ablage_desktop.engine.intake.folders import collect_documents

log = logging.getLogger(__name__)

SETTLE_S = 3.0
"""How long a file must stay as it is before it is read: longer than the pauses of a scanner
writing a page at a time over a network share."""

Signature = tuple[int, int]
"""A file's size and time of its last change (nanoseconds)."""


@dataclass
class Arrivals:
    """New documents in ``folders``, each given out once it has stopped changing."""

    folders: tuple[Path, ...]
    settle_s: float = SETTLE_S
    since: float | None = None
    """Files that were there before this time (seconds since the epoch, by their last change or
    their arrival in the folder, whichever is later) count as given already: the window
    watching on after a restart reads what arrived while it was closed, not the folder again.
    None: everything in the folders is new."""
    _given: dict[Path, Signature] = field(default_factory=dict)
    _waiting: dict[Path, tuple[Signature, float, float]] = field(default_factory=dict)
    """A file seen but not given yet: its signature, when it was first seen so (monotonic) and
    when it last changed or arrived (seconds since the epoch)."""

    def poll(self, now: float) -> list[Path]:
        """The documents that arrived, or changed, and have stood still since; ``now`` is a
        monotonic clock's reading."""
        ready = []
        present = set()
        for path in collect_documents(self.folders, quiet=True).documents:
            try:
                info = path.stat()
            except OSError:  # gone again, or not readable yet
                continue
            present.add(path)
            signature = (info.st_size, info.st_mtime_ns)
            if path not in self._given and self._there_before(info.st_mtime, info.st_ctime):
                self._given[path] = signature
            if self._given.get(path) == signature or not info.st_size:
                continue
            waiting = self._waiting.get(path)
            if waiting is None or waiting[0] != signature:
                self._waiting[path] = (signature, now, max(info.st_mtime, info.st_ctime))
            elif now - waiting[1] >= self.settle_s:
                ready.append(path)
                self._given[path] = signature
                del self._waiting[path]
        for path in [*self._waiting, *self._given]:
            if path not in present:  # removed: forget it, so that it counts as new if it returns
                self._waiting.pop(path, None)
                self._given.pop(path, None)
        if ready:
            log.info("%d document(s) arrived in the watched folders", len(ready))
        return ready

    def watermark(self, looked: float) -> float:
        """The time up to which every arrival has been given out, for the next ``since``:
        ``looked`` (when the last poll began), or earlier where a file is still waiting to
        stand still (closed now, the next start must still read it)."""
        return min([looked, *(changed - 1.0 for _, _, changed in self._waiting.values())])

    def _there_before(self, changed: float, arrived: float) -> bool:
        """Whether a file first seen now was in the folder before ``since`` (``arrived``: the
        time its entry last changed, which a move or copy into the folder sets)."""
        return self.since is not None and max(changed, arrived) <= self.since
