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
    _given: dict[Path, Signature] = field(default_factory=dict)
    _waiting: dict[Path, tuple[Signature, float]] = field(default_factory=dict)

    def poll(self, now: float) -> list[Path]:
        """The documents that arrived, or changed, and have stood still since; ``now`` is a
        monotonic clock's reading."""
        ready = []
        present = set()
        for path in collect_documents(self.folders).documents:
            try:
                info = path.stat()
            except OSError:  # gone again, or not readable yet
                continue
            present.add(path)
            signature = (info.st_size, info.st_mtime_ns)
            if self._given.get(path) == signature or not info.st_size:
                continue
            waiting = self._waiting.get(path)
            if waiting is None or waiting[0] != signature:
                self._waiting[path] = (signature, now)
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
