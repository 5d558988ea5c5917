"""Who reads a page: a chain of engines per kind of page, and the fallbacks along it.

``auto`` looks at each page (``page_analysis``), takes the configured chain for its
complexity, skips engines that cannot run here, and under critical memory pressure uses the
CPU chain only. The dispatcher then tries the chain in order: an engine that fails to load,
runs out of memory twice, does not fit, or returns a useless result (no text on a page with
ink, or degenerate repetition) hands the page to the next one. Every page result says which
engine produced it, why it was chosen, and each fallback with its cause. The routing is
here; the dispatcher that reads a page along its route is ``dispatcher.py``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ablage_desktop.engine.errors import (
    RecognitionError,
)
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.pressure import Pressure
from ablage_desktop.engine.results.document import (
    OcrPage,
)
from ablage_desktop.engine.run.page_analysis import PageAnalysis, analyze_page

AUTO = "auto"
REPEATED_WORDS_MIN = 40
REPEATED_WORDS_UNIQUE = 0.15
REPEATED_LINES_MIN = 10
REPEATED_LINES_UNIQUE = 0.2
REPEATED_CHARS_MIN = 200
REPEATED_CHARS_RATIO = 0.1


@dataclass(frozen=True, slots=True)
class Route:
    chain: tuple[str, ...]
    reason: str
    analysis: PageAnalysis | None = None


class Router:
    """Chooses the chain of engines for a page."""

    def __init__(
        self,
        chains: Mapping[str, Sequence[str]],
        cpu_chain: Sequence[str],
        available: Callable[[str], str | None],
        pressure: Callable[[], Pressure],
        cannot_fit: Callable[[str], str | None] = lambda name: None,
        analyze: Callable[[PageImage], PageAnalysis] = lambda page: analyze_page(page.image),
        purpose: Callable[[str], str] = lambda name: "",
    ) -> None:
        """``available`` and ``cannot_fit`` return None when the engine can be used in an
        automatic chain, else why; ``purpose`` is what an engine is chosen for, said in the
        route when it heads the chain (empty: nothing to add)."""
        self._cannot_fit = cannot_fit
        self._purpose = purpose
        self._chains = chains
        self._cpu_chain = tuple(cpu_chain)
        self._available = available
        self._pressure = pressure
        self._analyze = analyze

    def route(self, page: PageImage) -> Route:
        analysis = self._analyze(page)
        if self._pressure() is Pressure.CRITICAL:
            wanted, reason = self._cpu_chain, "critical memory pressure: CPU engines only"
        else:
            wanted = tuple(self._chains.get(analysis.complexity, self._cpu_chain))
            reason = f"{analysis.complexity} page: {analysis.reason}"
        chain, skipped = self._usable(wanted)
        if skipped:
            grouped = [f"{', '.join(names)}: {why}" for why, names in skipped.items()]
            reason += f"; skipped {'; '.join(grouped)}"
        if not chain:
            raise RecognitionError(f"No engine of the chain {', '.join(wanted)} can run here.")
        purpose = self._purpose(chain[0])
        if purpose:
            reason += f"; {chain[0]} ({purpose})"
        return Route(chain, reason, analysis)

    def usable_chains(self) -> list[tuple[str, ...]]:
        """Each kind of page's chain as ``route`` would give it (memory pressure aside): what
        a batch can load before its first page is analysed, where they all start alike."""
        return [self._usable(wanted)[0] for wanted in self._chains.values()]

    def _usable(self, wanted: Sequence[str]) -> tuple[tuple[str, ...], dict[str, list[str]]]:
        """The engines of ``wanted`` that can run here, and why the others cannot (the
        reason -> the engines skipped for it)."""
        chain: list[str] = []
        skipped: dict[str, list[str]] = {}
        for name in wanted:
            unavailable = self._available(name)
            why_not = _first_clause(unavailable) if unavailable else self._cannot_fit(name)
            if why_not is None:
                chain.append(name)
            else:
                skipped.setdefault(why_not, []).append(name)
        return tuple(chain), skipped


def _first_clause(reason: str) -> str:
    """Why an engine cannot run, as every page's route says it: the reason's first clause
    ("not downloaded"), without what ``models list`` explains (where the files are looked for,
    the command that fetches them): a page's route would repeat it for every engine."""
    cuts = [at for at in (reason.find(": "), reason.find(" (")) if at > 0]
    return reason[: min(cuts)] if cuts else reason


BACK_OF_SHEET = "the back of a sheet, blank but for the front's print showing through"


def useless_result(page: OcrPage, analysis: PageAnalysis | None) -> str | None:
    """Why a result is not worth keeping when another engine could do better, or None."""
    text = page.text.strip()
    if not text:
        if page.back_of_sheet or (analysis is not None and not analysis.has_ink):
            return None  # a blank page is rightly empty, as is a blank back
        return "no text on a page with visible ink"
    words = text.split()
    if len(words) >= REPEATED_WORDS_MIN and len(set(words)) / len(words) < REPEATED_WORDS_UNIQUE:
        return f"degenerate repetition ({len(set(words))} distinct of {len(words)} words)"
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) >= REPEATED_LINES_MIN and len(set(lines)) / len(lines) < REPEATED_LINES_UNIQUE:
        return f"degenerate repetition ({len(set(lines))} distinct of {len(lines)} lines)"
    if len(text) >= REPEATED_CHARS_MIN:
        # Text that compresses this well repeats itself ("1.1.1.1...", one phrase looping),
        # whether or not it has spaces; real pages compress to a third of their size or more.
        ratio = len(zlib.compress(text.encode("utf-8"))) / len(text.encode("utf-8"))
        if ratio < REPEATED_CHARS_RATIO:
            return f"degenerate repetition (compresses to {ratio:.0%})"
    return None
