"""Some pages of each document (``ocr --pages 1-3,7``): the first pages of a long scan.

A 300-page manual whose table of contents is wanted, the first page of every letter in a
pile: the pages not asked for are neither rendered nor read. Pages count from 1, as a PDF
viewer shows them; ``N-`` runs to a document's end. Pages past a document's end are not
there to read; a document that has none of them fails in words
(``errors.PagesNotInDocument``) instead of giving an empty result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ablage_desktop.engine.errors import UsageError

_RANGE = re.compile(r"(\d+)(?:(-)(\d*))?")


@dataclass(frozen=True, slots=True)
class PageSelection:
    """Ranges of pages, from 1, inclusive; an open end (None) runs to the document's end."""

    ranges: tuple[tuple[int, int | None], ...]

    @classmethod
    def parse(cls, text: str) -> PageSelection:
        """``"1-3,7,10-"``: single pages and ranges, apart by commas."""
        form = f"pages are given as 1-3,7,10- (from 1; 10- to the end), not {text!r}"
        ranges: list[tuple[int, int | None]] = []
        for part in text.replace(" ", "").split(","):
            match = _RANGE.fullmatch(part)
            if match is None:
                raise UsageError(form)
            first = int(match.group(1))
            last: int | None = first if match.group(2) is None else None
            if match.group(3):
                last = int(match.group(3))
            if first < 1 or (last is not None and last < first):
                raise UsageError(f"{form}: a range goes from 1 up")
            ranges.append((first, last))
        return cls(tuple(ranges))

    def holds(self, index: int) -> bool:
        """Whether the page of ``index`` (from 0, as the engine counts) is asked for."""
        number = index + 1
        return any(
            first <= number and (last is None or number <= last) for first, last in self.ranges
        )

    def any_of(self, count: int) -> bool:
        """Whether a document of ``count`` pages has any of them."""
        return any(first <= count for first, _ in self.ranges)

    def __str__(self) -> str:
        return ",".join(
            str(first) if last == first else f"{first}-{'' if last is None else last}"
            for first, last in self.ranges
        )
