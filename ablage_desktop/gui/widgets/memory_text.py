"""The memory graph's words: pressure names, sizes in GiB, and the summary line above it.

They are translated in the context "MemoryGraph", the widget's own, wherever they are made.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

RAM_BUDGET: Final = QT_TRANSLATE_NOOP("MemoryGraph", "RAM budget")
VRAM_BUDGET: Final = QT_TRANSLATE_NOOP("MemoryGraph", "VRAM budget")

PRESSURE_NAMES: Final = {
    "normal": QT_TRANSLATE_NOOP("MemoryGraph", "normal"),
    "warning": QT_TRANSLATE_NOOP("MemoryGraph", "warning"),
    "critical": QT_TRANSLATE_NOOP("MemoryGraph", "critical"),
}


def translated(text: str) -> str:
    """A name marked with QT_TRANSLATE_NOOP, in the user's language."""
    return QCoreApplication.translate("MemoryGraph", text)


def gib(value: float, decimals: int = 1) -> str:
    """``value`` GiB with the user's decimal separator ("1,5 GiB" in German)."""
    return f"{QLocale().toString(float(value), 'f', decimals)} GiB"


def pressure_text(pressure: str) -> str:
    """ "pressure: warning", in the user's language."""
    return QCoreApplication.translate("MemoryGraph", "pressure: {0}").format(
        translated(PRESSURE_NAMES[pressure])
    )


def summary_text(
    latest: tuple[float, ...] | None, gpu_seen: bool, budgets: Mapping[str, float | None]
) -> str:
    """The line above the curves: the newest sample (t, then GiB per curve) and the budgets."""
    translate = QCoreApplication.translate
    if latest is None:
        return translate("MemoryGraph", "no samples yet")
    _, rss, workers, ram, alloc, reserved, used = latest
    parts = [translate("MemoryGraph", "RSS {0}").format(gib(rss, 2))]
    if math.isfinite(workers) and workers > 0:
        parts.append(translate("MemoryGraph", "helper processes {0}").format(gib(workers, 2)))
    parts.append(translate("MemoryGraph", "RAM used {0}").format(gib(ram)))
    if not gpu_seen:
        parts.append(translate("MemoryGraph", "no GPU"))
    else:
        for label, value in (
            (translate("MemoryGraph", "VRAM alloc {0}"), alloc),
            (translate("MemoryGraph", "reserved {0}"), reserved),
            (translate("MemoryGraph", "used {0}"), used),
        ):
            if math.isfinite(value):
                parts.append(label.format(gib(value, 2)))
    for name, value in budgets.items():
        if value is not None:
            parts.append(f"{translated(name)} {gib(value)}")
    return " · ".join(parts)
