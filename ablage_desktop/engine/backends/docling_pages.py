"""One page of a ``DoclingDocument`` as the app's lines: text, box, role, in Docling's order.

Docling's boxes are in page units (PDF points for a PDF page, pixels for an image), their
origin at the bottom left or the top left; the app's are pixels of the page image the engine
was given, origin top left. A text item becomes one line; a table becomes one line per cell,
row by row (each cell keeps its own box for the page view and the searchable PDF), and in the
page's text a row is its cells separated by a tab. A table whose structure was not read
(no TableFormer) has no cells; Docling gives the text inside its region as text items under
the table, in reading order: lines with the role ``table_cell``, one per item. A line's
confidence is 1.0 where its text came from the PDF itself and the mean of the OCR's
confidences where Docling's OCR read it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.results.document import Box, OcrLine

if TYPE_CHECKING:
    from docling_core.types.doc import BoundingBox, DoclingDocument

ROLES = {
    "title": "title",
    "section_header": "heading",
    "text": "paragraph",
    "paragraph": "paragraph",
    "reference": "paragraph",
    "handwritten_text": "paragraph",
    "list_item": "list_item",
    "caption": "caption",
    "footnote": "footnote",
    "page_header": "page_header",
    "page_footer": "page_footer",
    "formula": "formula",
    "code": "code",
    "checkbox_selected": "form_field",
    "checkbox_unselected": "form_field",
    "form": "form_field",
    "key_value_region": "form_field",
    "empty_value": "form_field",
    "field_region": "form_field",
    "field_heading": "form_field",
    "field_item": "form_field",
    "field_key": "form_field",
    "field_value": "form_field",
    "field_hint": "form_field",
}
"""Docling's item labels (``DocItemLabel`` values) -> the app's line roles; tables and
document indexes give ``table_cell``, text inside a picture ``picture_text``, anything else
``paragraph``."""
TABLE_CELL = "table_cell"
PICTURE_TEXT = "picture_text"
SAME_REGION_IOU = 0.5
"""An item and the layout cluster it came from cover the same region (Docling copies the
cluster's box onto the item); above this overlap they are taken as one."""


@dataclass(frozen=True, slots=True)
class PageFrame:
    """How a Docling page maps onto the page image: its size in Docling's units and the
    image's in pixels."""

    width: float
    height: float
    pixels_wide: int
    pixels_high: int

    def box(self, bbox: BoundingBox) -> Box:
        """``bbox`` in pixels of the page image, origin top left, inside the image."""
        top_left = bbox.to_top_left_origin(page_height=self.height)
        sx = self.pixels_wide / self.width
        sy = self.pixels_high / self.height
        x0, x1 = sorted((top_left.l * sx, top_left.r * sx))
        y0, y1 = sorted((top_left.t * sy, top_left.b * sy))
        return (
            max(0, min(self.pixels_wide, round(x0))),
            max(0, min(self.pixels_high, round(y0))),
            max(0, min(self.pixels_wide, round(x1))),
            max(0, min(self.pixels_high, round(y1))),
        )


@dataclass(frozen=True, slots=True)
class Block:
    """The lines of one Docling item, and its text in the page's plain text."""

    lines: tuple[OcrLine, ...]
    text: str


def page_blocks(
    document: DoclingDocument, page_no: int, frame: PageFrame, clusters: Sequence[Any] = ()
) -> list[Block]:
    """The page's items in Docling's reading order (body, then headers and footers).

    ``clusters`` are the layout clusters of the page (``ConversionResult.pages[..]
    .predictions.layout.clusters``), where the layout model ran: they hold each region's
    text cells, and whether OCR read them.
    """
    from docling_core.types.doc import ContentLayer, PictureItem, TableItem, TextItem

    layers = {ContentLayer.BODY, ContentLayer.FURNITURE}
    blocks: list[Block] = []
    for item, _level in document.iterate_items(
        page_no=page_no, included_content_layers=layers, traverse_pictures=True
    ):
        if isinstance(item, TableItem):
            blocks.append(_table_block(item, frame, page_no, clusters))
        elif isinstance(item, TextItem) and item.text.strip():
            container = _container(item, document)
            role = _role(item.label.value)
            if isinstance(container, PictureItem):
                role = PICTURE_TEXT
            elif isinstance(container, TableItem):
                role = TABLE_CELL
            box = frame.box(_item_bbox(item, page_no))
            confidence = _confidence(_cluster_of(item, page_no, frame, clusters))
            line = OcrLine(item.text.strip(), confidence, box, role=role)
            blocks.append(Block((line,), line.text))
    return [block for block in blocks if block.lines]


def _container(item: Any, document: DoclingDocument) -> Any:
    """The nearest table or picture the item sits in (through groups), or None."""
    from docling_core.types.doc import PictureItem, TableItem

    node = item
    while node.parent is not None:
        node = node.parent.resolve(document)
        if isinstance(node, PictureItem | TableItem):
            return node
    return None


def _role(label: str) -> str:
    return ROLES.get(label, "paragraph")


def _item_bbox(item: Any, page_no: int) -> BoundingBox:
    """The box around the item's parts on this page (an item split over columns has one
    provenance per part)."""
    from docling_core.types.doc import BoundingBox

    boxes = [prov.bbox for prov in item.prov if prov.page_no == page_no]
    return BoundingBox.enclosing_bbox(boxes) if len(boxes) > 1 else boxes[0]


def _cluster_of(item: Any, page_no: int, frame: PageFrame, clusters: Sequence[Any]) -> Any:
    """The layout cluster the item was made from, or None (no layout model ran)."""
    if not clusters or not item.prov:
        return None
    region = _item_bbox(item, page_no).to_top_left_origin(page_height=frame.height)
    best = max(clusters, key=lambda cluster: cluster.bbox.intersection_over_union(region))
    return best if best.bbox.intersection_over_union(region) > SAME_REGION_IOU else None


def _confidence(cluster: Any) -> float:
    """1.0 for text from the PDF; the mean OCR confidence where Docling's OCR read it."""
    if cluster is None:
        return 1.0
    read = [cell.confidence for cell in cluster.cells if cell.from_ocr]
    return float(sum(read) / len(read)) if read else 1.0


def _table_block(item: Any, frame: PageFrame, page_no: int, clusters: Sequence[Any]) -> Block:
    cells = sorted(
        (cell for cell in item.data.table_cells if cell.text.strip()),
        key=lambda cell: (cell.start_row_offset_idx, cell.start_col_offset_idx),
    )
    if not cells:  # no structure read: Docling gives the region's text as its children
        return Block((), "")
    item_box = frame.box(_item_bbox(item, page_no)) if item.prov else (0, 0, 0, 0)
    confidence = _confidence(_cluster_of(item, page_no, frame, clusters))
    lines = [
        OcrLine(
            cell.text.strip(),
            confidence,
            frame.box(cell.bbox) if cell.bbox is not None else item_box,
            role=TABLE_CELL,
        )
        for cell in cells
    ]
    rows: dict[int, list[str]] = {}
    for cell, line in zip(cells, lines, strict=True):
        rows.setdefault(cell.start_row_offset_idx, []).append(line.text)
    return Block(tuple(lines), "\n".join("\t".join(row) for row in rows.values()))


def page_text(blocks: Iterable[Block]) -> str:
    """The page's plain text: one block after the other, a line each."""
    return "\n".join(block.text for block in blocks)


def page_clusters(result: Any) -> list[Any]:
    """The layout clusters of every page a ``ConversionResult`` holds (one page here)."""
    clusters: list[Any] = []
    for page in result.pages:
        layout = page.predictions.layout
        if layout is not None:
            clusters.extend(layout.clusters)
    return clusters
