"""What ``ocr`` tells while it runs (progress on stderr) and when it ends (the summary)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ablage_desktop.engine import (
    DocumentFinished,
    Event,
    EventHandlers,
    ModelState,
    ModelStateChanged,
    OcrDocument,
    PageDone,
    display_line,
)


@dataclass
class Tally:
    """What the summary needs of a batch: counts and the failures, not the pages' text (the
    results are in the output folder and the archive)."""

    done: int = 0
    pages: int = 0
    failed: list[tuple[Path, str]] = field(default_factory=list)

    def add(self, document: OcrDocument) -> None:
        self.pages += len(document.pages)
        if document.error is None:
            self.done += 1
        else:
            self.failed.append((document.document, document.error.message))


def print_summary(
    tally: Tally,
    seconds: float,
    out_dir: Path | str,
    skipped: int,
    stream: TextIO | None = None,
    shown: Callable[[Path], str] = display_line,
) -> None:
    stream = stream or sys.stdout  # looked up now: a default of sys.stdout is the one at import
    stream.write(
        f"{tally.done} document(s) done, {len(tally.failed)} failed, {tally.pages} page(s), "
        f"{seconds:.1f} s; results in {display_line(out_dir)}\n"
    )
    if skipped:
        stream.write(f"{skipped} file(s) in the folders were not documents and were skipped\n")
    for path, message in tally.failed:
        stream.write(f"  failed: {shown(path)}: {display_line(message)}\n")


class Progress:
    """Progress on stderr: one redrawn bar on a terminal, plain lines otherwise.

    Pages of neighbouring documents finish interleaved, so the bar's share is the sum of each
    document's own share (a finished one counts whole): it only ever grows.
    """

    BAR = 24

    def __init__(
        self, stream: TextIO, *, quiet: bool = False, shown: Callable[[Path], str] = display_line
    ) -> None:
        self.stream = stream
        self.quiet = quiet
        self.shown = shown
        """A document's path as the lines show it (``ocr -``'s copy as "stdin")."""
        self.tty = stream.isatty()
        self._drawn = False
        self._started = time.perf_counter()
        self._share: dict[int, float] = {}
        self._done: dict[int, int] = {}
        self.restored = 0
        """Pages taken from the archive instead of being read."""
        self._handlers = (
            EventHandlers()
            .on(ModelStateChanged, self._model_changed)
            .on(PageDone, self._page_done)
            .on(DocumentFinished, self._document_finished)
        )

    def on_event(self, event: Event) -> None:
        self._handlers(event)

    def _model_changed(self, event: ModelStateChanged) -> None:
        if not self.quiet and event.previous is ModelState.LOADING:
            self._line(f"{event.model}: {event.state} after {event.seconds:.1f} s of loading")

    def _page_done(self, event: PageDone) -> None:
        self.restored += event.restored
        if self.quiet:
            return
        done = self._done.get(event.position, 0) + 1
        self._done[event.position] = done
        self._share[event.position] = done / max(1, event.pages)
        if self.tty:
            name = display_line(event.document.name)[:40]
            self._bar(event.total, f"{name} p.{done}/{event.pages}")
        else:
            self._line(
                f"[{event.position + 1}/{event.total}] {self.shown(event.document)}: page "
                f"{event.page.index + 1}/{event.pages} ({event.page.backend}, "
                + ("from the archive)" if event.restored else f"{event.page.seconds:.1f} s)")
            )

    def _document_finished(self, event: DocumentFinished) -> None:
        if self.quiet:
            return
        self._share[event.position] = 1.0
        if event.result.error is not None:
            self._line(
                f"failed: {self.shown(event.result.document)}: "
                + display_line(event.result.error.message)
            )
        elif self.tty:
            self._bar(event.total, display_line(event.result.document.name)[:40])

    def _bar(self, total: int, label: str) -> None:
        share = min(1.0, sum(self._share.values()) / max(1, total))
        filled = int(share * self.BAR)
        finished = sum(1 for value in self._share.values() if value >= 1.0)
        elapsed = time.perf_counter() - self._started
        text = (
            f"\r[{'#' * filled}{'.' * (self.BAR - filled)}] {share:4.0%} "
            f"{finished}/{total} done  {label}  {elapsed:.0f}s"
        )
        self.stream.write(text + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def _line(self, text: str) -> None:
        self.clear()
        self.stream.write(text + "\n")
        self.stream.flush()

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False
