"""How a page was read, in words for the page label's tooltip: which engine, why it was chosen,
the engines that failed before it, and what was done to the page first (turned, straightened,
a stamp lifted off the print). The engine's own notes are English, as in its log and JSON;
the frame around them is the user's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from ablage_desktop.engine import OcrPage


def page_details(page: OcrPage | None) -> str:
    """Lines saying how ``page`` was read; empty for a page not read yet."""
    if page is None:
        return ""
    read = QCoreApplication.translate("PageDetails", "Read by {0} in {1:.1f} s")
    lines = [read.format(page.backend, page.seconds)]
    if page.route:
        lines.append(QCoreApplication.translate("PageDetails", "Why: {0}").format(page.route))
    failed = QCoreApplication.translate("PageDetails", "{0} did not read it: {1}")
    lines += [failed.format(f.from_backend, f.error.message) for f in page.fallbacks]
    if page.preprocessing:
        before = QCoreApplication.translate("PageDetails", "Before reading: {0}")
        lines.append(before.format("; ".join(page.preprocessing)))
    if page.corrected:
        lines.append(QCoreApplication.translate("PageDetails", "Corrected in the window"))
    return "\n".join(lines)
