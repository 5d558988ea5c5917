"""An earlier OCR's invisible text taken off a PDF page, so that the page can be kept under the
new text layer (``pdf_original``), as OCRmyPDF's ``--redo-ocr`` does.

A scanner's software often lays its own OCR over the scan, in text render mode 3 (invisible).
Where the app read such a page again (its layer judged unusable, or ``--pdf-text always_ocr``),
the old text kept beside the new would be found twice. The text-showing operators drawn
invisibly go, and the fonts they were shown in (a scanner's are seldom embedded, which PDF/A
asks); every other operator stays, so the graphics state after them is what it was. A page
that shows visible text, or text inside a form it draws, is left alone: its caller draws it
from its render instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

SHOWING = frozenset({"Tj", "TJ", "'", '"'})
INVISIBLE = 3
"""Text render mode 3: neither filled nor stroked."""


def take_off_invisible_text(pdf: pikepdf.Pdf, page: pikepdf.Page) -> bool:
    """Take the invisible text off ``page`` (of ``pdf``); True where no text is left on it
    (the page changed, or held none), False where it shows text that is seen (unchanged)."""
    import pikepdf

    if _forms_show_text(page.obj.get("/Resources"), depth=0):
        return False
    instructions = pikepdf.parse_content_stream(page)
    kept: list[pikepdf.ContentStreamInstruction] = []
    mode, saved = 0, []
    for instruction in instructions:
        operator = str(instruction.operator)
        if operator == "q":
            saved.append(mode)
        elif operator == "Q" and saved:
            mode = saved.pop()
        elif operator == "Tr" and instruction.operands:
            mode = int(instruction.operands[0])
        elif operator in SHOWING:
            if mode != INVISIBLE:
                return False
            continue
        elif operator == "Tf":
            continue  # no text is shown any more: its fonts go too (PDF/A asks them embedded)
        kept.append(instruction)
    if len(kept) < len(instructions):
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        resources = page.obj.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary) and "/Font" in resources:
            # a dictionary of its own: other pages may share the one it had
            page.obj.Resources = pikepdf.Dictionary(
                {key: value for key, value in resources.items() if key != "/Font"}
            )
    return True


def _forms_show_text(resources: object, depth: int) -> bool:
    """Whether a form among ``resources``' XObjects (or one inside it) shows text."""
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary) or depth > 8:
        return False
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        return False
    for xobject in xobjects.values():
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
            continue
        operators = {str(i.operator) for i in pikepdf.parse_content_stream(xobject)}
        if operators & SHOWING or _forms_show_text(xobject.get("/Resources"), depth + 1):
            return True
    return False
