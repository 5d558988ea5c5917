"""The page image with the recognised lines drawn over it as boxes.

Boxes come in pixels of the page image the engine saw, while the preview may have another
resolution (a PDF rendered at preview DPI), so each box is scaled by
``image.width() / page.width`` and ``image.height() / page.height``.

A page read turned upright (``OcrPage.turns``: a scan lying on its side) is shown upright
too, by the view's transform: the scene stays the page as scanned, so boxes, frames and
clicks keep the page's own pixels.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyle,
    QWidget,
)

from ablage_desktop.engine import OcrPage
from ablage_desktop.gui.widgets.line_box import LineBox

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25
MIN_ZOOM = 0.05
MAX_ZOOM = 10.0

Area = tuple[int, int, int, int]
"""A framed area of the page: (x0, y0, x1, y1) in the page's pixels, as line boxes are."""
_AREA = QColor(30, 110, 220)
_AREA_FILL_ALPHA = 30
_AREA_Z = 3.0


class PageView(QGraphicsView):
    """Shows one page and its line boxes; zooms, fits to width and reports clicked lines.

    ``lineClicked(index)`` is emitted when the user clicks a line's box. A click on the page
    outside every box clears the selection and emits ``lineClicked(-1)``, so a connected
    ``TextPane.select_line`` clears its highlight too. While boxes are hidden, clicks select
    nothing and emit nothing. A press that turns into a drag pans the page and emits nothing.
    ``select_line`` never emits, so the two views can follow each other without a loop.

    A drag with Shift held (or any drag after ``choose_area``) frames an area instead of
    panning: ``areaSelected(box)`` gives it in the page's pixels, the boxes' own, and the
    frame stays drawn until the next click, area or page (``areaCleared`` but for a page).
    """

    lineClicked = Signal(int)
    areaSelected = Signal(object)  # Area
    areaCleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setAccessibleName(self.tr("Page view"))
        self.setAccessibleDescription(
            self.tr(
                "The page image with a box around each recognised line; drag with Shift held "
                "to copy the text of an area"
            )
        )
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)  # the window's
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Dark))
        self.setMinimumSize(200, 150)

        self._page_item: QGraphicsItem | None = None
        self._boxes: list[LineBox] = []
        self._boxes_visible = True
        self._selected: int | None = None
        self._fit_mode = True
        self._press_pos: QPoint | None = None
        self._scale = (1.0, 1.0)  # scene (preview) pixels per page pixel
        self._turns = 0  # counter-clockwise quarter turns the page is shown turned by
        self._area_start: QPointF | None = None
        self._area_item: QGraphicsRectItem | None = None
        self._choosing_area = False

    # --- content -------------------------------------------------------------------------

    def show_page(self, image: QImage | None, page: OcrPage | None) -> None:
        """Show ``image`` with a box per line of ``page`` over it, fitted to the width.

        Either may be None: no image draws the boxes on a blank page of the OCR size (the
        preview could not be made), no page shows the image alone, neither shows the
        placeholder.
        """
        if image is not None and image.isNull():
            image = None
        scene = self.scene()
        scene.clear()
        self._boxes = []
        self._selected = None
        self._page_item = None
        self._area_item = None
        self._area_start = None
        self._turns = page.turns % 4 if page is not None else 0
        if image is None and page is None:
            scene.setSceneRect(QRectF())
            self.resetTransform()
            self.viewport().update()
            return

        if image is not None:
            pixmap_item = QGraphicsPixmapItem(QPixmap.fromImage(image))
            pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            self._page_item = pixmap_item
            width, height = image.width(), image.height()
        else:
            assert page is not None
            width, height = max(1, page.width), max(1, page.height)
            blank = QGraphicsRectItem(0, 0, width, height)
            blank.setBrush(QBrush(Qt.GlobalColor.white))
            blank.setPen(QPen(Qt.PenStyle.NoPen))
            self._page_item = blank
        scene.addItem(self._page_item)
        scene.setSceneRect(QRectF(0, 0, width, height))

        sx = width / page.width if page is not None and page.width > 0 else 1.0
        sy = height / page.height if page is not None and page.height > 0 else 1.0
        self._scale = (sx, sy)
        if page is not None and page.lines:
            for index, line in enumerate(page.lines):
                x0, y0, x1, y1 = line.box
                rect = QRectF(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy).normalized()
                box = LineBox(index, line, rect)
                box.setVisible(self._boxes_visible)
                scene.addItem(box)
                self._boxes.append(box)
        log.debug("showing a %dx%d page with %d boxes", width, height, len(self._boxes))
        self.fit_width()
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    @property
    def box_count(self) -> int:
        return len(self._boxes)

    def box_rect(self, index: int) -> QRectF:
        """The scene rectangle of line ``index``'s box (for the window and for tests)."""
        return self._boxes[index].rect()

    # --- boxes ---------------------------------------------------------------------------

    @property
    def boxes_visible(self) -> bool:
        return self._boxes_visible

    def set_boxes_visible(self, visible: bool) -> None:
        """Show or hide the line boxes, to read the page without them in the way."""
        self._boxes_visible = visible
        for box in self._boxes:
            box.setVisible(visible)

    @property
    def selected_line(self) -> int | None:
        return self._selected

    def select_line(self, index: int | None) -> None:
        """Highlight line ``index``'s box and scroll it into view; None or -1 clears.

        Never emits ``lineClicked``: this is the slot the text pane drives.
        """
        if index is not None and not 0 <= index < len(self._boxes):
            index = None
        if self._selected is not None:
            self._boxes[self._selected].set_selected(False)
        self._selected = index
        if index is not None:
            box = self._boxes[index]
            box.set_selected(True)
            self.ensureVisible(box, 40, 40)

    @property
    def marked_lines(self) -> list[int]:
        return [box.index for box in self._boxes if box.marked]

    def mark_lines(self, indices: list[int]) -> None:
        """Mark the boxes of lines ``indices`` (those holding a searched word) and scroll the
        first into view; an empty list clears. Showing another page clears them too."""
        wanted = set(indices)
        for box in self._boxes:
            box.set_marked(box.index in wanted)
        first = [box for box in self._boxes if box.marked]
        if first:
            self.ensureVisible(first[0], 40, 40)

    # --- area ----------------------------------------------------------------------------

    @property
    def area(self) -> Area | None:
        """The framed area in the page's pixels, or None."""
        if self._area_item is None:
            return None
        rect = self._area_item.rect()
        sx, sy = self._scale
        return (
            round(rect.left() / sx),
            round(rect.top() / sy),
            round(rect.right() / sx),
            round(rect.bottom() / sy),
        )

    def choose_area(self) -> None:
        """The next drag frames an area, without Shift (the menu's way in); Esc gives up."""
        if self._page_item is None:
            return
        self._choosing_area = True
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def set_area(self, area: Area) -> None:
        """Frame ``area`` (page pixels) as a drag would, without ``areaSelected``: the frame
        drawn around lines chosen in the text (the keyboard's way)."""
        if self._page_item is None:
            return
        self.clear_area()
        sx, sy = self._scale
        x0, y0, x1, y1 = area
        self._area_item = self._new_frame(QRectF(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy))
        self.ensureVisible(self._area_item, 40, 40)

    def clear_area(self) -> None:
        if self._area_item is not None:
            self.scene().removeItem(self._area_item)
            self._area_item = None
            self.areaCleared.emit()

    def _stop_choosing(self) -> None:
        self._choosing_area = False
        self._area_start = None
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().unsetCursor()

    def _frame(self, pos: QPoint) -> QRectF:
        """The rectangle from the drag's start to ``pos``, within the page."""
        assert self._area_start is not None
        rect = QRectF(self._area_start, self.mapToScene(pos)).normalized()
        return rect.intersected(self.sceneRect())

    # --- zoom ----------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        """The current scale: view pixels per page-image pixel."""
        transform = self.transform()
        return math.hypot(transform.m11(), transform.m12())

    @property
    def turns(self) -> int:
        """Counter-clockwise quarter turns the page is shown turned by (its reading's)."""
        return self._turns

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        """Scale the page to the view's width; it stays fitted as the view is resized."""
        self._fit_mode = True
        self._apply_fit()

    def _apply_fit(self) -> None:
        rect = self.sceneRect()
        if self._turns % 2:  # the page shown on its side: its height across
            rect = rect.transposed()
        if self._page_item is None or rect.width() <= 0:
            return
        # The viewport's size without scroll bars, so the result does not depend on whether a
        # scroll bar is showing now (which would make a resize re-fit oscillate).
        available = self.maximumViewportSize()
        scale = available.width() / rect.width()
        if rect.height() * scale > available.height():
            extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
            scale = max(1, available.width() - extent) / rect.width()
        self._apply_zoom(scale)

    def _set_zoom(self, scale: float) -> None:
        self._fit_mode = False
        self._apply_zoom(scale)

    def _apply_zoom(self, scale: float) -> None:
        scale = min(MAX_ZOOM, max(MIN_ZOOM, scale))
        self.setTransform(QTransform().rotate(-90 * self._turns).scale(scale, scale))

    # --- events --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fit_mode:
            self._apply_fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms around the mouse; a plain wheel scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120  # fractions from smooth touchpads
            if steps and self._page_item is not None:
                self._set_zoom(self.zoom * ZOOM_STEP**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_pos = event.position().toPoint()
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if self._page_item is not None and (shift or self._choosing_area):
                self.clear_area()
                self._area_start = self.mapToScene(self._press_pos)
                self._area_item = self._new_frame(QRectF(self._area_start, self._area_start))
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._area_start is not None and self._area_item is not None:
            self._area_item.setRect(self._frame(event.position().toPoint()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._area_start is not None:
            self._finish_area(event.position().toPoint())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self._press_pos is None:
            return
        pos = event.position().toPoint()
        moved = (pos - self._press_pos).manhattanLength()
        self._press_pos = None
        if moved < QApplication.startDragDistance():
            self.clear_area()
            self._clicked(pos)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (self._choosing_area or self._area_item):
            self._stop_choosing()
            self.clear_area()
            event.accept()
            return
        super().keyPressEvent(event)

    def _new_frame(self, rect: QRectF) -> QGraphicsRectItem:
        item = QGraphicsRectItem(rect)
        pen = QPen(_AREA, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        item.setPen(pen)
        fill = QColor(_AREA)
        fill.setAlpha(_AREA_FILL_ALPHA)
        item.setBrush(QBrush(fill))
        item.setZValue(_AREA_Z)
        self.scene().addItem(item)
        return item

    def _finish_area(self, pos: QPoint) -> None:
        """A frame the size of a click is no area: it is dropped and nothing is emitted."""
        assert self._press_pos is not None and self._area_item is not None
        moved = (pos - self._press_pos).manhattanLength()
        self._area_item.setRect(self._frame(pos))
        self._press_pos = None
        self._stop_choosing()
        area = self.area
        if moved < QApplication.startDragDistance() or area is None:
            self.clear_area()
            return
        self.areaSelected.emit(area)

    def _clicked(self, pos: QPoint) -> None:
        if self._page_item is None or not self._boxes_visible:
            return
        for item in self.items(pos):
            if isinstance(item, LineBox):
                self.select_line(item.index)
                self.lineClicked.emit(item.index)
                return
        self.select_line(None)
        self.lineClicked.emit(-1)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """The placeholder, in viewport coordinates, while there is no page."""
        super().drawForeground(painter, rect)
        if self._page_item is not None:
            return
        painter.save()
        painter.resetTransform()
        painter.setPen(self.palette().color(QPalette.ColorRole.Light))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        painter.setFont(font)
        painter.drawText(
            self.viewport().rect(),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self.tr("Drop scans, photos or PDFs here"),
        )
        painter.restore()
