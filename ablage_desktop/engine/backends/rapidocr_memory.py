"""What RapidOCR holds in memory, as measured (``benchmarks/full_size.py --cpu-engines``,
benchmarks/RESULTS.md, "The CPU engines"): its sessions, its word lists and a page's peak at
the text detector's size. The manager budgets by ``footprint``; the orientation step's own
session by ``session_bytes``."""

from __future__ import annotations

from ablage_desktop.engine.memory.estimate import MIB, MemoryEstimate

RESIDENT_BYTES = 64 * MIB
"""The first session with its recogniser loaded (``restrict`` loads it with the session; RapidOCR
itself loads it on the first page). Measured (``benchmarks/full_size.py --cpu-engines``): three
sessions +123 to +127 MiB; alone, one session +74 MiB (its libraries' first use included)."""
SESSION_BYTES = 30 * MIB
"""Each session beyond the first: its own recogniser (21 MB of ONNX), the rest shared; two and
three sessions more measured +68 and +91 MiB."""
WORD_LIST_BYTES = 4 * MIB
"""The German and English word lists (``rapidocr_lexicon``: 493,727 hashes of 8 bytes),
measured after the load."""
PAGE_BASE_BYTES = 255 * MIB
PAGE_BYTES_PER_MEGAPIXEL = 101 * MIB
"""A page's peak grows with the area the text detector sees: measured +420 MiB on a 300 dpi
A4 page at detection side 1280 and +658 MiB at RapidOCR's own 2000 (the orientation step's
session, detector at 960: +279 MiB); with the recogniser loaded beforehand and reading one line
at a time, three runs measured +331 to +445 MiB at 1280 (the C heap's arenas vary) and +619
to +635 MiB at 2000."""
DEFAULT_DETECTION_SIDE = 2000


def page_bytes(detection_side: int) -> int:
    """What one page adds to a RapidOCR session whose detector sees ``detection_side`` px."""
    side = detection_side or DEFAULT_DETECTION_SIDE
    return PAGE_BASE_BYTES + int(PAGE_BYTES_PER_MEGAPIXEL * (side / 1000) ** 2)


def session_bytes(detection_side: int) -> int:
    """A RapidOCR session and its page peak (what a session outside the models costs)."""
    return RESIDENT_BYTES + page_bytes(detection_side)


def footprint(sessions: int, instances: int, detection_side: int, words: bool) -> MemoryEstimate:
    """``sessions`` loaded (the first with what they share), the word lists where ``words``,
    and a page's peak for each of the ``instances`` that read side by side."""
    return MemoryEstimate(
        "cpu",
        weights=RESIDENT_BYTES + SESSION_BYTES * (sessions - 1) + (WORD_LIST_BYTES if words else 0),
        activations=page_bytes(detection_side) * instances,
    )
