"""Fakes at the edges: a backend whose behaviour a test scripts, page by page."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ablage_desktop.engine.backends.base import Backend
from ablage_desktop.engine.documents import PageImage
from ablage_desktop.engine.results import OcrLine, OcrPage

PageHook = Callable[[PageImage], None]


class ScriptedBackend(Backend):
    """Recognises a page as '<file name>:<page number>'; a hook may delay or raise first."""

    def __init__(self, concurrency: int = 1, hook: PageHook | None = None) -> None:
        super().__init__("scripted")
        self._concurrency = concurrency
        self._hook = hook
        self._lock = threading.Lock()
        self.calls: list[tuple[str, int]] = []
        self.active = 0
        self.max_active = 0
        self.closed = False

    @property
    def concurrency(self) -> int:
        return self._concurrency

    def recognize(self, page: PageImage) -> OcrPage:
        with self._lock:
            self.calls.append((page.document.name, page.index))
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            if self._hook is not None:
                self._hook(page)
            text = f"{page.document.name}:{page.index + 1}"
            return OcrPage(
                index=page.index,
                width=page.width,
                height=page.height,
                backend=self.name,
                seconds=0.0,
                text=text,
                lines=(OcrLine(text, 1.0, (0, 0, page.width, page.height)),),
            )
        finally:
            with self._lock:
                self.active -= 1

    def close(self) -> None:
        self.closed = True


def sleep_hook(seconds: float) -> PageHook:
    def hook(page: PageImage) -> None:
        time.sleep(seconds)

    return hook
