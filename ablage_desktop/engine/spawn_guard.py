"""Child processes must not start while another thread loads OpenCV.

OpenCV's loader puts folders of its own package at the head of ``sys.path`` while it loads,
and takes them out again at its end (``cv2/__init__.py``; opencv issue 18502). A ``spawn``
child started meanwhile gets that ``sys.path``, finds ``cv2/typing`` where the standard
library's ``typing`` should be and dies before it runs: "The decoder process did not start"
(three of six single scans read from the command line while its engines were prepared in a
thread of their own). The window prepares the engines in its control thread and RapidOCR
loads ahead in the background, so a page's decoder, a model's worker or a benchmark's row may
start while OpenCV loads. Its native module is in ``sys.modules`` before the loader is done,
so importing it is no wait: the guard waits for ``sys.path`` itself.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)

LOADERS = ("cv2",)
"""Libraries whose loading changes ``sys.path`` for a while: loaded before a child starts,
so that none of them starts loading later."""
WAIT_S = 3.0
"""The longest a child's start waits for ``sys.path`` to be the app's own again."""
POLL_S = 0.005


def settle_imports(modules: Sequence[str] = LOADERS) -> None:
    """Return once ``modules`` are loaded and no folder inside an importable package is on
    ``sys.path`` (a loader's, put there while it loads). Call it right before a child
    process starts."""
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as exc:  # not installed, or broken: nothing of it is loading
            log.debug("%s is not loaded before a child process starts: %s", name, exc)
    deadline = time.monotonic() + WAIT_S
    while (borrowed := borrowed_folders(sys.path)) and time.monotonic() < deadline:
        time.sleep(POLL_S)
    if borrowed:
        log.warning("A child process starts with %s on sys.path", ", ".join(borrowed))


def borrowed_folders(path: Sequence[str]) -> list[str]:
    """The entries of ``path`` inside a package that ``path`` itself makes importable (a
    folder of ``site-packages/cv2``): a loader's, not the app's."""
    roots = {Path(entry or os.curdir).resolve() for entry in path}
    borrowed = []
    for entry in path:
        folder = Path(entry or os.curdir).resolve()
        if any(
            parent in roots and (inner / "__init__.py").is_file()
            for inner, parent in zip((folder, *folder.parents), folder.parents, strict=False)
        ):
            borrowed.append(entry)
    return borrowed
