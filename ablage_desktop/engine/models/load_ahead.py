"""Models loaded in the background before a page asks for them.

The manager loads one model at a time, and a page waits for each engine it reads with. Where
it is known which engines will be needed next (RapidOCR after the Tesseract that helps it, or
the engines every kind of page starts with, for a batch of scans), their loads start early in
a thread of their own, in the order they will be needed, and overlap work that would
otherwise come first: Tesseract's reading, the first page's decoding and analysis.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future

from ablage_desktop.engine.models.manager import ModelManager, PageSize

log = logging.getLogger(__name__)


def load_in_background(
    manager: ModelManager, names: Sequence[str], page: PageSize | None = None
) -> None:
    """Load ``names`` one after the other (for pages of size ``page``, where given) in a
    thread. A load that fails ends it, logged: the page's own ``acquire`` meets the failure
    again and reports it in words."""

    def load() -> None:
        for name in names:
            try:
                manager.load(name, page)
            except Exception as exc:
                log.debug("Loading %s ahead failed: %s", name, exc)
                return

    threading.Thread(target=load, name=f"load {', '.join(names)} ahead", daemon=True).start()


def load_soon(manager: ModelManager, name: str) -> Callable[[], None]:
    """Start loading ``name`` in a thread; the wait for it, which raises what the load did
    (a broken engine: ``ModelLoadError``), so that the caller says so before its batch."""
    done: Future[None] = Future()

    def load() -> None:
        try:
            manager.load(name)
        except BaseException as exc:  # handed to whoever waits, there raised again
            done.set_exception(exc)
        else:
            done.set_result(None)

    threading.Thread(target=load, name=f"load {name}", daemon=True).start()
    return done.result
