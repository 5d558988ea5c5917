"""The terminal progress bar only moves forward, even when pages finish interleaved."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ablage_desktop.cli import Progress
from ablage_desktop.engine import DocumentFinished, OcrDocument, OcrPage, PageDone


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def page_done(position: int, index: int, pages: int) -> PageDone:
    page = OcrPage(index, 10, 10, "x", 0.1, "text")
    return PageDone(Path(f"d{position}.pdf"), position, 3, pages, page)


def test_the_bar_never_goes_back() -> None:
    terminal = Terminal()
    progress = Progress(terminal)
    events = [
        page_done(0, 0, 4),
        page_done(1, 0, 1),  # the next document's only page overtakes the first one
        DocumentFinished(1, 3, OcrDocument(Path("d1.pdf"))),
        page_done(0, 1, 4),
        page_done(0, 2, 4),
        page_done(0, 3, 4),
        DocumentFinished(0, 3, OcrDocument(Path("d0.pdf"))),
        page_done(2, 0, 2),
        page_done(2, 1, 2),
        DocumentFinished(2, 3, OcrDocument(Path("d2.pdf"))),
    ]

    for event in events:
        progress.on_event(event)

    shares = [int(value) for value in re.findall(r"\] +(\d+)%", terminal.getvalue())]
    assert shares == sorted(shares)
    assert shares[-1] == 100


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    Progress(stream).on_event(page_done(0, 1, 4))

    assert stream.getvalue() == "[1/3] d0.pdf: page 2/4 (x, 0.1 s)\n"
