"""What a PDF's forms and annotations show, made part of its pages before they are read.

A filled form keeps its values in widget annotations, and a text typed onto a page in a PDF
viewer ("Add text", Fill & Sign) is a FreeText annotation: pdfium draws both onto the page, but
its text page holds only the page's own content, so a form read from its text layer came out
with its labels and without a single value. pdfium's flattening makes every annotation that is
shown part of the page's content, where the text layer, the page's inventory and the render
all see it as the viewer shows it. A form that leaves its fields' appearances to the viewer
(``/NeedAppearances``) has them made by pdfium's form environment first.

Only the decoder process's copy of the document changes; the file is never written.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ablage_desktop.engine.errors import UnsupportedFormat

log = logging.getLogger(__name__)


def prepare_forms(pdf: Any, path: Path) -> None:
    """Let pdfium make the appearances of ``pdf``'s form fields (before any page is loaded).

    A dynamic XFA form is refused: its pages hold only a placeholder ("Please wait...") that
    a viewer without Adobe's XFA engine shows instead of the form, which no engine should
    read as the document.
    """
    import pypdfium2.raw as pdfium_c

    if pdf.get_formtype() == pdfium_c.FORMTYPE_XFA_FULL:
        raise UnsupportedFormat(
            path,
            f"{path.name} is a dynamic XFA form, which only Adobe Acrobat and Reader can "
            "show; open it there, print it to a PDF and add that.",
        )
    pdf.init_forms()


def flattened_page(pdf: Any, index: int) -> Any:
    """Page ``index`` of ``pdf`` with every annotation it shows drawn into its content."""
    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    if pdfium_c.FPDFPage_GetAnnotCount(page.raw) == 0:
        return page
    done = pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
    if done != pdfium_c.FLATTEN_SUCCESS:
        return page
    log.debug("Page %d: its annotations were drawn into its content", index + 1)
    page.close()
    return pdf[index]  # pdfium's flattening shows in a page loaded after it
