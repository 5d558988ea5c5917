"""The page view: PIL to QImage, boxes over the page, zoom, clicks and selection."""

from __future__ import annotations

import dataclasses
import gc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from samples import text_page

from ablage_desktop.engine.results.document import OcrLine, OcrPage
from ablage_desktop.gui.images import PREVIEW_SIDE, pil_to_qimage, preview_qimage
from ablage_desktop.gui.widgets.page_view import ZOOM_STEP, PageView

# Boxes around the words text_page() prints at (40, 40) and (40, 140) (measured with the
# font's getbbox, 4 px margin); the second row is split in two, as RapidOCR does.
PAGE_LINES = (
    OcrLine("Invoice 4711 of 30.10.2018", 0.93, (36, 45, 588, 88)),
    OcrLine("Total amount", 0.62, (36, 146, 309, 188)),
    OcrLine("123.45 EUR", 0.31, (311, 148, 551, 188)),
)


def make_page(lines: tuple[OcrLine, ...] = PAGE_LINES, size: tuple[int, int] = (1400, 320)):
    text = "Invoice 4711 of 30.10.2018\nTotal amount 123.45 EUR\n"
    return OcrPage(0, size[0], size[1], "fake", 0.1, text, lines)


@pytest.fixture
def view(qtbot: QtBot) -> PageView:
    view = PageView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


# --- pil_to_qimage ---------------------------------------------------------------------------


def test_grey_image_keeps_size_and_pixels() -> None:
    # An odd width, so a converter that assumed 4-byte aligned rows would shear the image.
    image = Image.new("L", (13, 7), 200)
    image.putpixel((0, 0), 0)
    image.putpixel((12, 6), 17)
    image.putpixel((5, 3), 99)
    qimage = pil_to_qimage(image)
    del image
    gc.collect()
    assert (qimage.width(), qimage.height()) == (13, 7)
    assert qimage.format() == QImage.Format.Format_Grayscale8
    assert qimage.pixelColor(0, 0).red() == 0
    assert qimage.pixelColor(12, 6).red() == 17
    assert qimage.pixelColor(5, 3).red() == 99
    assert qimage.pixelColor(6, 3).red() == 200


def test_rgb_image_keeps_size_and_pixels() -> None:
    image = Image.new("RGB", (11, 5), (10, 20, 30))
    image.putpixel((10, 4), (250, 128, 1))
    image.putpixel((3, 2), (0, 255, 0))
    qimage = pil_to_qimage(image)
    del image
    gc.collect()
    assert (qimage.width(), qimage.height()) == (11, 5)
    assert qimage.pixelColor(0, 0).getRgb()[:3] == (10, 20, 30)
    assert qimage.pixelColor(10, 4).getRgb()[:3] == (250, 128, 1)
    assert qimage.pixelColor(3, 2).getRgb()[:3] == (0, 255, 0)


def test_other_modes_are_converted() -> None:
    rgba = Image.new("RGBA", (4, 3), (1, 2, 3, 255))
    assert pil_to_qimage(rgba).pixelColor(3, 2).getRgb()[:3] == (1, 2, 3)
    bilevel = Image.new("1", (9, 2), 1)
    converted = pil_to_qimage(bilevel)
    assert converted.format() == QImage.Format.Format_Grayscale8
    assert converted.pixelColor(8, 1).red() == 255
    palette = Image.new("RGB", (5, 5), (200, 10, 10)).convert("P")
    assert pil_to_qimage(palette).pixelColor(2, 2).red() > 150


def test_conversion_in_a_worker_thread() -> None:
    image = Image.new("RGB", (7, 3), (9, 8, 7))
    with ThreadPoolExecutor(1) as pool:
        qimage = pool.submit(pil_to_qimage, image).result()
    assert qimage.pixelColor(6, 2).getRgb()[:3] == (9, 8, 7)


def test_a_preview_is_prepared_for_the_screen_in_a_worker_thread(view: PageView) -> None:
    """A photo larger than any screen is scaled down (aspect kept), a page stays as it is;
    both come in the format a pixmap uses, so the GUI thread does not convert them."""
    photo = Image.new("RGB", (6000, 4000), (250, 250, 250))
    page = text_page(size=(1400, 320))
    with ThreadPoolExecutor(1) as pool:
        big, small = pool.map(preview_qimage, [photo, page])
    assert max(big.width(), big.height()) == PREVIEW_SIDE
    assert (big.width(), big.height()) == (PREVIEW_SIDE, PREVIEW_SIDE * 2 // 3)
    assert (small.width(), small.height()) == (1400, 320)
    assert big.format() == small.format() == QImage.Format.Format_RGB32
    assert small.pixelColor(0, 0).red() == 255  # the page's white background

    view.show_page(small, make_page())
    assert view.box_count == len(PAGE_LINES)
    assert view.box_rect(0).left() == pytest.approx(36)
    view.show_page(big, make_page(size=(6000, 4000)))
    assert view.box_rect(0).left() == pytest.approx(36 * PREVIEW_SIDE / 6000)


# --- PageView --------------------------------------------------------------------------------


def test_placeholder_without_a_page(view: PageView) -> None:
    assert view.box_count == 0
    assert view.accessibleName()
    view.show_page(None, None)
    assert view.box_count == 0
    view.show_page(QImage(), None)  # a null image is no image
    assert view.sceneRect().isEmpty()
    assert view.selected_line is None


def test_one_box_per_line(view: PageView) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    assert view.box_count == 3
    assert view.box_rect(0).getCoords() == (36, 45, 588, 88)


def test_boxes_are_scaled_to_a_smaller_preview(view: PageView) -> None:
    preview = pil_to_qimage(text_page().resize((700, 160)))
    view.show_page(preview, make_page())
    assert view.box_rect(1).getCoords() == (18, 73, 154.5, 94)
    assert view.box_rect(2).getCoords() == (155.5, 74, 275.5, 94)


def test_a_page_without_a_preview_still_shows_boxes(view: PageView) -> None:
    view.show_page(None, make_page())
    assert view.box_count == 3
    assert view.sceneRect().width() == 1400


def test_toggling_hides_and_shows_the_boxes(view: PageView) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    assert view.boxes_visible
    view.set_boxes_visible(False)
    assert not view.boxes_visible
    assert not any(item.isVisible() for item in view.scene().items() if item.zValue() > 0)
    view.show_page(pil_to_qimage(text_page()), make_page())  # the choice outlives the page
    assert not any(item.isVisible() for item in view.scene().items() if item.zValue() > 0)
    view.set_boxes_visible(True)
    assert all(item.isVisible() for item in view.scene().items())


def test_zoom_in_out_and_fit(view: PageView) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    fitted = view.zoom
    # The 1400 px page fills the viewport's width, without a horizontal scroll bar.
    assert fitted == pytest.approx(view.viewport().width() / 1400, rel=0.02)
    view.zoom_in()
    assert view.zoom == pytest.approx(fitted * ZOOM_STEP)
    view.zoom_out()
    view.zoom_out()
    assert view.zoom == pytest.approx(fitted / ZOOM_STEP)
    view.fit_width()
    assert view.zoom == pytest.approx(fitted)
    for _ in range(100):
        view.zoom_in()
    top = view.zoom
    view.zoom_in()
    assert view.zoom == top  # clamped
    for _ in range(100):
        view.zoom_out()
    assert view.zoom > 0


def test_fit_follows_a_resize_until_the_user_zooms(view: PageView, qtbot: QtBot) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    before = view.zoom
    view.resize(900, 400)
    qtbot.waitUntil(lambda: view.zoom > before)
    view.zoom_in()
    zoomed = view.zoom
    view.resize(600, 400)
    assert view.zoom == zoomed


def test_ctrl_wheel_zooms(view: PageView) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    before = view.zoom
    centre = view.viewport().rect().center()
    QTest.mouseMove(view.viewport(), centre)
    event = QWheelEvent(
        QPointF(centre),
        QPointF(view.viewport().mapToGlobal(centre)),
        QPoint(),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    view.wheelEvent(event)
    assert view.zoom == pytest.approx(before * ZOOM_STEP)


def test_clicking_a_box_emits_its_index(view: PageView, qtbot: QtBot) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    centre = view.mapFromScene(view.box_rect(2).center())
    with qtbot.waitSignal(view.lineClicked) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert blocker.args == [2]
    assert view.selected_line == 2


def test_clicking_outside_the_boxes_clears_and_emits_minus_one(
    view: PageView, qtbot: QtBot
) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    view.select_line(1)
    empty = view.mapFromScene(1200, 280)
    with qtbot.waitSignal(view.lineClicked) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=empty)
    assert blocker.args == [-1]
    assert view.selected_line is None


def test_hidden_boxes_cannot_be_clicked(view: PageView, qtbot: QtBot) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    view.set_boxes_visible(False)
    centre = view.mapFromScene(view.box_rect(0).center())
    with qtbot.assertNotEmitted(view.lineClicked):
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def test_select_line_highlights_without_emitting(view: PageView, qtbot: QtBot) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    boxes = sorted(
        (item for item in view.scene().items() if item.zValue() > 0),
        key=lambda item: item.rect().x(),
    )
    plain_width = boxes[0].pen().widthF()
    with qtbot.assertNotEmitted(view.lineClicked):
        view.select_line(0)
    assert view.selected_line == 0
    selected = next(item for item in view.scene().items() if item.zValue() == 2)
    assert selected.rect() == view.box_rect(0)
    assert selected.pen().widthF() > plain_width
    assert selected.brush().color().alpha() > boxes[-1].brush().color().alpha()
    view.select_line(None)
    assert view.selected_line is None
    assert not any(item.zValue() == 2 for item in view.scene().items())
    view.select_line(99)  # out of range: clears, does not raise
    assert view.selected_line is None


def test_select_line_scrolls_the_box_into_view(view: PageView) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    for _ in range(6):
        view.zoom_in()
    view.select_line(2)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.box_rect(2).center())


def test_render_a_real_page(view: PageView, tmp_path: Path) -> None:
    """Writes /tmp/page_view.png for a person to look at."""
    view.show_page(pil_to_qimage(text_page()), make_page())
    view.select_line(1)
    pixmap = view.grab()
    assert not pixmap.isNull()
    assert pixmap.save(str(Path("/tmp/page_view.png")))
    empty = PageView()
    empty.resize(500, 300)
    assert empty.grab().save(str(tmp_path / "empty.png"))


# --- areas -----------------------------------------------------------------------------------


def drag(view: PageView, start: QPointF, end: QPointF, shift: bool = True) -> None:
    """A left-button drag over the viewport from ``start`` to ``end`` (scene points)."""
    held = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    first, last = view.mapFromScene(start), view.mapFromScene(end)
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, held, first)
    QTest.mouseMove(view.viewport(), (first + last) / 2)
    QTest.mouseMove(view.viewport(), last)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, held, last)


def test_a_shift_drag_frames_an_area_in_the_pages_pixels(view: PageView, qtbot: QtBot) -> None:
    preview = pil_to_qimage(text_page().resize((700, 160)))  # half the page's size
    view.show_page(preview, make_page())
    scroll = view.verticalScrollBar().value(), view.horizontalScrollBar().value()
    with qtbot.waitSignal(view.areaSelected) as blocker:
        drag(view, QPointF(150, 70), QPointF(280, 96))
    x0, y0, x1, y1 = blocker.args[0]
    assert (x0, y0, x1, y1) == pytest.approx((300, 140, 560, 192), abs=3)
    assert view.area == blocker.args[0]
    assert (view.verticalScrollBar().value(), view.horizontalScrollBar().value()) == scroll
    assert view.selected_line is None  # a frame selects no line


def test_a_frame_is_kept_within_the_page(view: PageView, qtbot: QtBot) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    with qtbot.waitSignal(view.areaSelected) as blocker:
        drag(view, QPointF(1200, 200), QPointF(1500, 400))
    assert blocker.args[0] == pytest.approx((1200, 200, 1400, 320), abs=3)


def test_a_shift_click_frames_nothing_and_a_click_clears_the_frame(
    view: PageView, qtbot: QtBot
) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    with qtbot.assertNotEmitted(view.areaSelected):
        drag(view, QPointF(300, 150), QPointF(301, 151))
    assert view.area is None
    drag(view, QPointF(300, 140), QPointF(560, 192))
    assert view.area is not None
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(1200, 280))
    assert view.area is None


def test_a_plain_drag_pans_and_frames_nothing(view: PageView, qtbot: QtBot) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    view._set_zoom(3.0)
    before = view.horizontalScrollBar().value()
    with qtbot.assertNotEmitted(view.areaSelected):
        drag(view, QPointF(300, 150), QPointF(200, 150), shift=False)
    assert view.area is None
    assert view.horizontalScrollBar().value() > before


def test_after_choose_area_a_plain_drag_frames_and_esc_gives_up(
    view: PageView, qtbot: QtBot
) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    view.choose_area()
    with qtbot.waitSignal(view.areaSelected):
        drag(view, QPointF(300, 140), QPointF(560, 192), shift=False)
    with qtbot.assertNotEmitted(view.areaSelected):  # once: the next drag pans again
        drag(view, QPointF(300, 140), QPointF(560, 192), shift=False)
    view.choose_area()
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert view.area is None
    with qtbot.assertNotEmitted(view.areaSelected):
        drag(view, QPointF(300, 140), QPointF(560, 192), shift=False)


def test_a_new_page_drops_the_frame(view: PageView) -> None:
    view.show_page(pil_to_qimage(text_page()), make_page())
    drag(view, QPointF(300, 140), QPointF(560, 192))
    view.show_page(pil_to_qimage(text_page()), make_page())
    assert view.area is None


def test_a_page_read_turned_is_shown_upright_its_boxes_and_frames_in_its_own_pixels(
    view: PageView, qtbot: QtBot
) -> None:
    """A scan lying on its side (turned 90° counter-clockwise to be read: ``turns`` 1): the
    view shows it upright, fitted to its width as it stands, the line boxes running across;
    a frame dragged over the screen is still given in the scanned page's pixels."""
    sideways = text_page().rotate(-90, expand=True)  # 320 x 1400, read upwards turned
    lines = tuple(
        OcrLine(line.text, line.confidence, (320 - box[3], box[0], 320 - box[1], box[2]))
        for line in PAGE_LINES
        for box in [line.box]
    )
    view.show_page(
        pil_to_qimage(sideways), dataclasses.replace(make_page(lines, (320, 1400)), turns=1)
    )

    assert view.turns == 1
    assert view.zoom == pytest.approx(view.maximumViewportSize().width() / 1400, rel=0.05)
    on_screen = view.mapFromScene(view.box_rect(0)).boundingRect()
    assert on_screen.width() > 5 * on_screen.height()  # the first row across, as it reads
    assert (
        view.mapFromScene(view.box_rect(0).center()).y()
        < view.mapFromScene(view.box_rect(1).center()).y()
    )  # the first row above the second
    x0, y0, x1, y1 = lines[1].box
    with qtbot.waitSignal(view.areaSelected) as blocker:
        drag(view, QPointF(x0, y0), QPointF(x1, y1))
    assert blocker.args[0] == pytest.approx(lines[1].box, abs=3)

    view.show_page(pil_to_qimage(text_page()), make_page())  # the next page stands upright
    assert view.turns == 0 and view.transform().m12() == 0
