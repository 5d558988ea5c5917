"""Whether a process of a given number still runs: a batch's owner, a page segment's maker."""

from __future__ import annotations

import os


def running(pid: int | None) -> bool:
    """True while process ``pid`` runs (a zombie has ended); one we may not look at counts as
    running, so that nothing of another user's is taken over or removed."""
    if not pid:
        return False
    if pid == os.getpid():
        return True
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True
