"""The memory graph: curves per device, rolling window, budgets, markers, pressure, timer."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from ablage_desktop.engine.memory.probe import MemorySnapshot
from ablage_desktop.gui.widgets.memory_graph import (
    GIB,
    PRESSURE_COLORS,
    RAM,
    RSS,
    VRAM_ALLOCATED,
    VRAM_RESERVED,
    VRAM_USED,
    WORKERS,
    MemoryGraph,
)

CPU_ONLY = MemorySnapshot(
    rss=400 * 1024**2, ram_used=6 * GIB, ram_total=16 * GIB, ram_available=10 * GIB
)
WITH_GPU = MemorySnapshot(
    rss=2 * GIB,
    ram_used=8 * GIB,
    ram_total=16 * GIB,
    ram_available=8 * GIB,
    vram_allocated=3 * GIB,
    vram_reserved=4 * GIB,
    vram_used=5 * GIB,
    vram_total=24 * GIB,
)


@pytest.fixture
def graph(qtbot: QtBot) -> Iterator[MemoryGraph]:
    widget = MemoryGraph(refresh_ms=20)
    qtbot.addWidget(widget)
    widget.resize(700, 320)
    yield widget
    widget.stop()


def test_without_a_gpu_only_rss_and_ram_are_drawn(graph: MemoryGraph) -> None:
    for t in range(5):
        graph.add_sample(float(t), CPU_ONLY, "normal")
    graph.refresh()

    assert graph.curve_names() == [RSS, RAM]
    assert not graph.has_gpu
    assert "no GPU" in graph.summary_label.text()
    rss_curve = graph.plot_widget.getPlotItem().listDataItems()[0]
    x, y = rss_curve.getData()
    assert x[-1] == 0.0  # the newest sample sits at "now"
    assert y[-1] == pytest.approx(400 / 1024)


def test_a_sample_with_vram_adds_the_vram_curves(graph: MemoryGraph) -> None:
    graph.add_sample(0.0, CPU_ONLY, "normal")
    graph.add_sample(1.0, WITH_GPU, "normal")
    graph.refresh()

    assert graph.curve_names() == [RSS, RAM, VRAM_ALLOCATED, VRAM_RESERVED, VRAM_USED]
    assert graph.has_gpu
    assert "no GPU" not in graph.summary_label.text()
    assert "VRAM alloc 3.00 GiB" in graph.summary_label.text()
    legend_labels = [label.text for _, label in graph._legend.items]
    assert VRAM_USED in legend_labels


def test_a_model_process_adds_its_curve_which_stays_after_it_ends(graph: MemoryGraph) -> None:
    graph.add_sample(0.0, dataclasses.replace(CPU_ONLY, workers_rss=0), "normal")
    assert graph.curve_names() == [RSS, RAM]  # no flat zero line before any worker

    graph.add_sample(1.0, dataclasses.replace(CPU_ONLY, workers_rss=3 * GIB), "normal")
    graph.refresh()
    assert graph.curve_names() == [RSS, RAM, WORKERS]
    assert "helper processes 3.00 GiB" in graph.summary_label.text()
    workers = graph.plot_widget.getPlotItem().listDataItems()[2]
    _, y = workers.getData()
    assert list(y) == [0.0, 3.0]

    graph.add_sample(2.0, dataclasses.replace(CPU_ONLY, workers_rss=0), "normal")
    graph.refresh()
    assert graph.curve_names() == [RSS, RAM, WORKERS]  # the unload shows as a drop to 0
    assert "helper processes" not in graph.summary_label.text()


def test_the_window_drops_old_samples(graph: MemoryGraph) -> None:
    for t in range(1001):
        graph.add_sample(float(t), CPU_ONLY, "normal")

    assert graph.window_s == 300
    assert graph.sample_count == 301  # t = 700 .. 1000
    graph.refresh()
    x, _ = graph.plot_widget.getPlotItem().listDataItems()[0].getData()
    assert x.min() == -300.0
    assert x.max() == 0.0


def test_samples_from_the_past_are_ignored(graph: MemoryGraph) -> None:
    graph.add_sample(10.0, CPU_ONLY, "normal")
    graph.add_sample(5.0, CPU_ONLY, "normal")
    assert graph.sample_count == 1


def test_budgets_draw_dashed_horizontal_lines(graph: MemoryGraph) -> None:
    graph.add_sample(0.0, WITH_GPU, "normal")
    graph.set_budgets(12 * GIB, 20 * GIB)

    assert graph.budget_lines() == {"RAM budget": 12.0, "VRAM budget": 20.0}
    lines = [
        item
        for item in graph.plot_widget.getPlotItem().items
        if isinstance(item, pg.InfiniteLine) and item.angle == 0
    ]
    assert sorted(line.label.textItem.toPlainText() for line in lines) == [
        "RAM budget",
        "VRAM budget",
    ]
    _, (_, y_top) = graph.plot_widget.getPlotItem().getViewBox().viewRange()
    assert y_top > 20.0  # the highest budget stays in view

    graph.set_budgets(12 * GIB, None)
    assert graph.budget_lines() == {"RAM budget": 12.0}


def test_markers_are_added_and_expire_with_the_window(graph: MemoryGraph) -> None:
    graph.add_sample(0.0, CPU_ONLY, "normal")
    graph.add_marker(10.0, "load rapidocr")
    graph.add_marker(50.0, "unload got_ocr2")
    graph.add_sample(100.0, CPU_ONLY, "normal")
    graph.refresh()

    assert graph.markers() == [(10.0, "load rapidocr"), (50.0, "unload got_ocr2")]
    vertical = {
        item.label.textItem.toPlainText(): item.value()
        for item in graph.plot_widget.getPlotItem().items
        if isinstance(item, pg.InfiniteLine) and item.angle == 90
    }
    assert vertical == {"load rapidocr": -90.0, "unload got_ocr2": -50.0}

    graph.add_sample(320.0, CPU_ONLY, "normal")  # the window now starts at t = 20
    graph.refresh()
    assert graph.markers() == [(50.0, "unload got_ocr2")]
    labels = [
        item.label.textItem.toPlainText()
        for item in graph.plot_widget.getPlotItem().items
        if isinstance(item, pg.InfiniteLine) and item.angle == 90
    ]
    assert labels == ["unload got_ocr2"]


def test_pressure_level_changes_the_colour(qtbot: QtBot, graph: MemoryGraph) -> None:
    graph.add_sample(0.0, CPU_ONLY, "normal")
    assert graph.pressure == "normal"
    assert graph.pressure_color is None
    assert graph.pressure_label.styleSheet() == ""

    graph.add_sample(1.0, CPU_ONLY, "critical")
    assert graph.pressure == "critical"
    assert graph.pressure_color == PRESSURE_COLORS["critical"]
    assert PRESSURE_COLORS["critical"].name() in graph.pressure_label.styleSheet()
    assert graph.pressure_label.text() == "pressure: critical"
    tint = QColor(graph.plot_widget.getPlotItem().getViewBox().state["background"])
    assert tint.rgb() == PRESSURE_COLORS["critical"].rgb()

    graph.show()
    qtbot.waitExposed(graph)
    pixel = graph.pressure_label.grab().toImage().pixelColor(3, 3)
    assert pixel.red() > 150
    assert pixel.green() < 100

    graph.add_sample(2.0, CPU_ONLY, "normal")
    assert graph.pressure_color is None
    assert graph.pressure_label.styleSheet() == ""


def test_unknown_pressure_level_is_refused(graph: MemoryGraph) -> None:
    with pytest.raises(ValueError, match="unknown pressure level"):
        graph.add_sample(0.0, CPU_ONLY, "panic")
    assert graph.sample_count == 0


def test_the_timer_redraws_only_while_shown(qtbot: QtBot, graph: MemoryGraph) -> None:
    timer = graph.refresh_timer
    assert timer.parent() is graph
    assert not timer.isActive()

    graph.show()
    qtbot.waitExposed(graph)
    assert timer.isActive()

    graph.add_sample(0.0, CPU_ONLY, "normal")
    graph.add_sample(1.0, CPU_ONLY, "normal")
    curve = graph.plot_widget.getPlotItem().listDataItems()[0]
    qtbot.waitUntil(lambda: curve.getData()[0] is not None and len(curve.getData()[0]) == 2)

    graph.stop()
    assert not timer.isActive()


def test_closing_the_widget_stops_the_timer(qtbot: QtBot, graph: MemoryGraph) -> None:
    graph.show()
    qtbot.waitExposed(graph)
    assert graph.refresh_timer.isActive()

    graph.close()
    assert not graph.refresh_timer.isActive()


def test_the_axes_and_legend_are_kept_as_pixmaps_and_still_follow_the_samples(
    qtbot: QtBot, graph: MemoryGraph
) -> None:
    """Cached (a frame that changes only the curves copies them), yet a new y range still
    shows in the axis: its ticks are redrawn when they change."""
    from PySide6.QtWidgets import QGraphicsItem

    cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
    plot = graph.plot_widget.getPlotItem()
    assert plot.getAxis("left").cacheMode() == cached
    assert plot.getAxis("bottom").cacheMode() == cached
    assert plot.legend.cacheMode() == cached
    graph.show()
    qtbot.waitExposed(graph)
    graph.add_sample(0.0, CPU_ONLY, "normal")
    graph.add_marker(0.0, "load rapidocr")
    graph.refresh()
    marker_label = graph._series.markers[0].line.label  # the item drawn
    assert marker_label.cacheMode() == cached
    axis = plot.getAxis("left")
    before = axis.tickValues(*axis.range, axis.size().height())
    view = graph.plot_widget
    area = view.mapFromScene(axis.sceneBoundingRect()).boundingRect()
    picture_before = view.grab(area).toImage()

    graph.add_sample(1.0, WITH_GPU, "normal")  # RAM grows from 6 to 8 GiB: a new ceiling
    graph.add_sample(
        2.0,
        MemorySnapshot(rss=2 * GIB, ram_used=15 * GIB, ram_total=16 * GIB, ram_available=GIB),
        "normal",
    )
    graph.refresh()
    qtbot.wait(10)

    assert axis.tickValues(*axis.range, axis.size().height()) != before
    assert view.grab(area).toImage() != picture_before  # the axis itself was redrawn
