"""What a PDF page holds besides its pixels: its objects' colours and its text layer.

Runs only where pdfium runs, in the decoder process (``pdf_document.PdfDocument``): pdfium is not
thread-safe and never loads in the app's process. One pass over the page's objects says
whether the page has any colour (a grey page is rendered straight into a one-byte-per-pixel
bitmap, three to five times cheaper than RGB) and, for every text object, whether it can be
seen: drawn invisibly (render mode 3 or 7, an earlier OCR's layer), or hidden under an image
drawn after it; and whether a scan fills the page, whose own pixels are then rendered one to
one (``PageInventory.render_scale``). The text page then gives every character with its box,
which ``text_layer.read_layer`` turns into words, lines and a verdict. A later Docling engine, which
reads the same layers, can build its cells from ``page_characters`` too.
"""

from __future__ import annotations

import ctypes
import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.text.text_layer import LayerChar, TextLayer, read_layer
from ablage_desktop.engine.text.turns import turns_of

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

log = logging.getLogger(__name__)

INVISIBLE_MODES = frozenset({3, 7})
"""Text render modes that draw nothing: invisible, and clip-only."""
COVERED = 0.9
"""An image drawn later over this share of a text object's area hides it."""
MAX_OBJECTS = 20_000
"""Pages with more objects than this are not looked at one by one (rendered in colour, and
their characters taken as visible)."""
MAX_DEPTH = 8
"""Form XObjects nested deeper than this are not entered."""
SCAN_COVERS = 0.9
"""An image over this share of the page's area is the page's scan."""
SNAP = 0.02
"""A scan whose own resolution is this close to the one asked for is rendered at its own."""

_GREY_SPACES = {1, 4}  # FPDF_COLORSPACE_DEVICEGRAY, FPDF_COLORSPACE_CALGRAY
_ICC_BASED = 7


@dataclass
class PageInventory:
    """A page's objects as far as rendering and its text layer need them."""

    achromatic: bool = True
    """No object draws colour: the page can be rendered grey without losing anything."""
    hidden: set[int] = field(default_factory=set)
    """Addresses of text objects that draw nothing visible (invisible mode, under an image)."""
    complete: bool = True
    """Every object was looked at (False: too many, or nested too deep)."""
    scan: Scan | None = None
    """The image that fills the page (a scanned page), where there is one."""

    def render_scale(self, scale: float) -> float:
        """``scale`` (pixels per point), or the scan's own where it is within ``SNAP`` of it.

        A 300-dpi A4 scan is 2480 pixels wide on a page of 595.2 points, which at exactly
        300 dpi renders 2481 pixels wide: pdfium then resamples the whole scan by a fraction
        of a pixel, twice the time of copying it one to one (26 against 13 ms a page, its
        JPEG decoding aside), and blurs every character a little. At the scan's own scale
        its pixels come through as they are."""
        own = self.scan.scale() if self.scan is not None else None
        return own if own is not None and abs(own / scale - 1) <= SNAP else scale


@dataclass(frozen=True, slots=True)
class Scan:
    """An image drawn upright (not turned, maybe mirrored) over most of a page."""

    pixels: tuple[int, int]
    """Its own width and height in pixels."""
    placed: tuple[float, float]
    """Its width and height on the page, in points."""

    @property
    def area(self) -> float:
        return self.placed[0] * self.placed[1]

    def scale(self) -> float | None:
        """Pixels per point at which the image's pixels land one to one on the rendering's
        (None: at no single scale, its pixels are not square on the page). Its placed size
        times the scale never exceeds its pixels: pdfium rounds sizes up, and a hair over
        makes the rendering a pixel wider than the scan."""
        (width, height), (placed_w, placed_h) = self.pixels, self.placed
        scale = min(width / placed_w, height / placed_h)
        while placed_w * scale > width or placed_h * scale > height:
            scale = math.nextafter(scale, 0.0)
        if math.ceil(placed_w * scale) != width or math.ceil(placed_h * scale) != height:
            return None
        return scale


Box = tuple[float, float, float, float]
"""An object's bounds in PDF points: left, bottom, right, top."""


def inventory(page: Any) -> PageInventory:
    """Look at every object of ``page`` (a ``pypdfium2.PdfPage``) once."""
    return _ObjectWalk(page.raw).run()


class _ObjectWalk:
    """One pass over a page's objects, into nested forms: colours, hidden text, images."""

    def __init__(self, raw_page: Any) -> None:
        import pypdfium2.raw as pdfium_c

        self._c = pdfium_c
        self.raw_page = raw_page
        self.found = PageInventory()
        self.texts: list[tuple[int, int, Box]] = []
        """(order, address, bounds) of every text object."""
        self.images: list[tuple[int, Box]] = []
        """(order, bounds) of every image object."""
        self.count = 0

    def run(self) -> PageInventory:
        pdfium_c, found = self._c, self.found
        for index in range(pdfium_c.FPDFPage_CountObjects(self.raw_page)):
            obj = pdfium_c.FPDFPage_GetObject(self.raw_page, index)
            if obj:
                self.visit(obj, 0, None)
            if not found.complete:
                found.achromatic = False
                break
        for order, address, box in self.texts:
            if any(later > order and _covers(image, box) for later, image in self.images):
                found.hidden.add(address)
        return found

    def visit(self, obj: Any, depth: int, outer: Box | None) -> None:
        """Look at ``obj``; ``outer`` is the bounds of the form it is drawn in, if any."""
        pdfium_c, found = self._c, self.found
        self.count += 1
        if self.count > MAX_OBJECTS:
            found.complete = False
            return
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            self._visit_text(obj, outer)
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            if _coloured(pdfium_c.FPDFPageObj_GetFillColor, obj) or _coloured(
                pdfium_c.FPDFPageObj_GetStrokeColor, obj
            ):
                found.achromatic = False
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            metadata = pdfium_c.FPDF_IMAGEOBJ_METADATA()
            known = bool(pdfium_c.FPDFImageObj_GetImageMetadata(obj, self.raw_page, metadata))
            if not (known and _grey_image(metadata)):
                found.achromatic = False
            box = outer or _bounds(obj)
            self.images.append((self.count, box))
            if known and outer is None:
                self._consider_scan(obj, metadata, box)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            self._visit_form(obj, depth, outer)
        else:  # shadings and anything unknown: assume colour
            found.achromatic = False

    def _consider_scan(self, obj: Any, metadata: Any, box: Box) -> None:
        """Keep the largest upright image drawn on the page itself as its scan, if it covers
        most of the page."""
        pdfium_c = self._c
        matrix = pdfium_c.FS_MATRIX()
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix) or matrix.b or matrix.c:
            return  # turned or sheared: its pixels do not run along the page's
        placed = (abs(matrix.a), abs(matrix.d))
        if min(placed) <= 0 or metadata.width <= 0 or metadata.height <= 0:
            return
        page = pdfium_c.FPDF_GetPageWidthF(self.raw_page) * pdfium_c.FPDF_GetPageHeightF(
            self.raw_page
        )
        area = (box[2] - box[0]) * (box[3] - box[1])
        current = self.found.scan
        if area >= SCAN_COVERS * page and (current is None or area > current.area):
            self.found.scan = Scan((metadata.width, metadata.height), placed)

    def _visit_text(self, obj: Any, outer: Box | None) -> None:
        pdfium_c = self._c
        mode = pdfium_c.FPDFTextObj_GetTextRenderMode(obj)
        address = ctypes.cast(obj, ctypes.c_void_p).value or 0
        if mode in INVISIBLE_MODES:
            self.found.hidden.add(address)
        elif _coloured(pdfium_c.FPDFPageObj_GetFillColor, obj) or (
            mode in (1, 2, 5, 6) and _coloured(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
        ):
            self.found.achromatic = False
        self.texts.append((self.count, address, outer or _bounds(obj)))

    def _visit_form(self, obj: Any, depth: int, outer: Box | None) -> None:
        pdfium_c = self._c
        if depth >= MAX_DEPTH:
            self.found.complete = False
            self.found.achromatic = False
            return
        box = outer or _bounds(obj)
        for index in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            inner = pdfium_c.FPDFFormObj_GetObject(obj, index)
            if inner:
                self.visit(inner, depth + 1, box)


def _bounds(obj: Any) -> Box:
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return (0.0, 0.0, 0.0, 0.0)
    return (left.value, bottom.value, right.value, top.value)


def _coloured(getter: Any, obj: Any) -> bool:
    """Whether the colour ``getter`` reads from ``obj`` is visible and not a grey."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return False
    return a.value > 0 and not (r.value == g.value == b.value)


def _grey_image(metadata: Any) -> bool:
    """Whether an image (its ``FPDF_IMAGEOBJ_METADATA``) draws only greys."""
    if metadata.bits_per_pixel == 1:
        return True  # bilevel, or a stencil mask painted in the fill colour
    space = metadata.colorspace
    return space in _GREY_SPACES or (space == _ICC_BASED and metadata.bits_per_pixel <= 8)


def _covers(image: tuple[float, ...], box: tuple[float, ...]) -> bool:
    left, bottom, right, top = box
    area = (right - left) * (top - bottom)
    if area <= 0:
        return False
    width = min(right, image[2]) - max(left, image[0])
    height = min(top, image[3]) - max(bottom, image[1])
    return width > 0 and height > 0 and width * height >= COVERED * area


def page_characters(
    page: Any, size: tuple[int, int], hidden: set[int] | frozenset[int] = frozenset()
) -> list[LayerChar]:
    """Every character of ``page``'s text layer, in the order pdfium reads them, with its box
    in pixels of the page rendered at ``size`` (width, height)."""
    import numpy as np
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        count = pdfium_c.FPDFText_CountChars(textpage.raw)
        if count <= 0:
            return []
        raw = textpage.raw
        rect = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        corners = np.zeros((count, 4), dtype=np.float64)
        baseline_x, baseline_y = [0.0] * count, [0.0] * count
        codes = [0] * count
        flags = [0] * count
        for index in range(count):
            codes[index] = pdfium_c.FPDFText_GetUnicode(raw, index)
            generated = pdfium_c.FPDFText_IsGenerated(raw, index) == 1
            if generated:
                flags[index] = LayerChar.GENERATED
                continue
            if pdfium_c.FPDFText_GetLooseCharBox(raw, index, rect):
                corners[index] = (rect.left, rect.top, rect.right, rect.bottom)
            if pdfium_c.FPDFText_GetMatrix(raw, index, matrix):
                # text space's x axis on the page: the way the character's line runs
                baseline_x[index], baseline_y[index] = matrix.a, matrix.b
            if pdfium_c.FPDFText_HasUnicodeMapError(raw, index) == 1:
                flags[index] |= LayerChar.UNMAPPED
            if hidden:
                obj = pdfium_c.FPDFText_GetTextObject(raw, index)
                if obj and (ctypes.cast(obj, ctypes.c_void_p).value or 0) in hidden:
                    flags[index] |= LayerChar.HIDDEN
        to_pixels = _PageToPixels(page, size)
        boxes = to_pixels.boxes(corners)
        turns = to_pixels.turns(np.array(baseline_x), np.array(baseline_y))
    finally:
        textpage.close()
    chars = []
    for index in range(count):
        x0, y0, x1, y1 = boxes[index]
        chars.append(LayerChar.of(codes[index], (x0, y0, x1, y1), flags[index], turns[index]))
    return chars


class _PageToPixels:
    """Page space onto the pixels of the rendered page, with the page's rotation and crop box
    as pdfium renders them. The mapping is affine: three points fix it."""

    def __init__(self, page: Any, size: tuple[int, int]) -> None:
        import pypdfium2.raw as pdfium_c

        self.size = size
        points = []
        for x, y in ((0.0, 0.0), (100.0, 0.0), (0.0, 100.0)):
            dx, dy = ctypes.c_int(), ctypes.c_int()
            pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, *size, 0, x, y, dx, dy)
            points.append((dx.value, dy.value))
        (self.ox, self.oy), (ax, ay), (bx, by) = points
        self.xx, self.xy = (ax - self.ox) / 100.0, (bx - self.ox) / 100.0
        self.yx, self.yy = (ay - self.oy) / 100.0, (by - self.oy) / 100.0

    def turns(self, dx: np.ndarray, dy: np.ndarray) -> list[int]:
        """The turns (``text.turns``) on the rendered page of lines running along page-space
        directions ``(dx, dy)``: the page's ``/Rotate`` and the text's own matrix together."""
        return turns_of(self.xx * dx + self.xy * dy, self.yx * dx + self.yy * dy)

    def boxes(self, corners: np.ndarray) -> list[tuple[int, ...]]:
        """Page-space boxes (left, top, right, bottom) as pixel boxes (x0, y0, x1, y1)."""
        import numpy as np

        width, height = self.size
        xs = np.stack([corners[:, 0], corners[:, 2]], axis=1)
        ys = np.stack([corners[:, 1], corners[:, 3]], axis=1)
        px = self.ox + self.xx * xs[:, :, None] + self.xy * ys[:, None, :]
        py = self.oy + self.yx * xs[:, :, None] + self.yy * ys[:, None, :]
        px, py = px.reshape(len(corners), 4), py.reshape(len(corners), 4)
        out = np.stack([px.min(1), py.min(1), px.max(1), py.max(1)], axis=1)
        out = np.clip(np.rint(out), 0, [width, height, width, height]).astype(int)
        return [tuple(row) for row in out.tolist()]


def render(page: Any, scale: float, *, grey: bool) -> Image.Image:
    """``page`` rendered at ``scale`` (pixels per point): grey ("L") when nothing on it has
    colour, else RGB. pdfium renders a grey page straight into a one-byte bitmap, and an RGB
    one into four bytes per pixel in Pillow's own order: no conversion of the pixels either
    way, only the one copy out of pdfium's buffer."""
    import pypdfium2.raw as pdfium_c

    if grey:
        bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_Gray)
    else:
        bitmap = page.render(
            scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx, rev_byteorder=True
        )
    try:
        shared = bitmap.to_pil()  # shares the bitmap's buffer: copy before it is freed
        return shared.copy() if shared.mode == "L" else shared.convert("RGB")
    finally:
        bitmap.close()


def page_size(page: Any, scale: float) -> tuple[int, int]:
    """The size in pixels ``render`` gives ``page`` at ``scale``."""
    width, height = page.get_size()
    return math.ceil(width * scale), math.ceil(height * scale)


@dataclass(frozen=True)
class LayerReading:
    layer: TextLayer
    image: Image.Image | None
    """The page rendered small to judge the layer (None: no visible text, nothing to judge)."""
    scale: float
    """``image``'s pixels per point."""


def read_text_layer(
    page: Any, scale: float, objects: PageInventory, seconds: float = 0.0
) -> LayerReading:
    """``page``'s text layer, boxes in pixels of the page rendered at ``scale`` (pixels per
    point), judged against the page rendered just large enough to see its characters' ink.

    ``seconds`` is what looking at the page's objects already cost."""
    import time

    import numpy as np

    from ablage_desktop.engine.text.text_layer import JUDGE_HEIGHT, visible_characters

    started = time.perf_counter()
    size = page_size(page, scale)
    chars = page_characters(page, size, objects.hidden)
    shown = visible_characters(chars)
    image, judge_scale, grey = None, scale, None
    if shown:
        heights = sorted(c.height for c in shown)
        height = max(1, heights[len(heights) // 2])
        judge_scale = scale * min(1.0, JUDGE_HEIGHT / height)
        image = render(page, judge_scale, grey=objects.achromatic)
        grey = np.asarray(image if image.mode == "L" else image.convert("L"))
    layer = read_layer(
        chars,
        grey,
        size=size,
        scale=judge_scale / scale,
        seconds=seconds + time.perf_counter() - started,
    )
    return LayerReading(layer, image, judge_scale)
