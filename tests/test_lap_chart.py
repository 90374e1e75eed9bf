"""The lap chart: its data, what clicking rows charts, and the session best line."""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QPointF, Qt
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.qt.lap_series import LapSeries
from timingboard.qt.leaderboard_model import LeaderboardModel
from timingboard.widgets.lap_chart import LapChart
from timingboard.widgets.leaderboard_view import LeaderboardView


def _race(controller) -> None:
    controller.submit([*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    streams = [
        laps_at("1", 0, 14000, 4),
        laps_at("2", 200, 14100, 4),
        # car 3 is slowest but sets the best lap on its third lap
        [*laps_at("3", 400, 14500, 2), *laps_at("3", 400 + 2 * 14500 + 13800, 14500, 1)],
    ]
    controller.submit(merged_in_time(*streams))


def test_chart_follows_leader_and_session_best_by_default(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    series = LapSeries(controller)
    chart = LapChart(series)
    qtbot.addWidget(chart)
    _race(controller)
    series.flush()
    assert chart.charted == ["1", "3"]
    x, y = chart.curve_data("3")
    assert list(x) == [1, 2, 3, 4]
    np.testing.assert_allclose(y, [14.5, 14.5, 13.8, 14.5])
    assert chart.session_best_line == 13.8


def test_clicking_rows_charts_those_cars(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    series = LapSeries(controller)
    view = LeaderboardView(model)
    chart = LapChart(series)
    qtbot.addWidget(view)
    qtbot.addWidget(chart)
    view.cars_picked.connect(series.pick)  # as the main window wires them
    view.show()
    qtbot.waitExposed(view)
    _race(controller)
    model.flush()
    series.flush()
    row = model.row_of("2")
    rect = view.visualRect(model.index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chart.charted == ["2"]
    _x, y = chart.curve_data("2")
    np.testing.assert_allclose(y, [14.1] * 4)
    view.selectionModel().select(
        model.index(model.row_of("1"), 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert sorted(chart.charted) == ["1", "2"]
    view.clearSelection()
    assert chart.charted == ["1", "3"]


def test_hover_names_the_driver_lap_and_time(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    series = LapSeries(controller)
    chart = LapChart(series)
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    _race(controller)
    series.flush()
    chart.getPlotItem().getViewBox().autoRange()
    view = chart.getPlotItem().getViewBox()
    from PySide6.QtCore import QPointF

    point = view.mapViewToScene(QPointF(3, 13.8))
    assert chart.nearest_point(point) == ("3", 3, 13.8)
    chart._on_scene_mouse_moved(point)
    assert "Lap 3: 13.800" in chart._hover.toPlainText()
    assert "#3 Driver 3" in chart._hover.toPlainText()


def _chart(make_controller, qtbot, settings=QUARTER_MILE_RACE):
    controller = make_controller(settings)
    series = LapSeries(controller)
    chart = LapChart(series)
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.show()
    qtbot.waitExposed(chart)
    return controller, series, chart


def _slow_and_pitting(controller) -> None:
    """Car 1 at 14.0 s a lap; car 2 18 % slower (16.5 s); car 1 pits on lap 3 (a 24 s lap)."""
    controller.submit([*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    one = [0, 14_000, 28_000, 52_000, 66_000, 80_000]
    two = [300 + 16_500 * n for n in range(6)]
    passings = [Passing(time_ms=t, car="1") for t in one]
    passings += [Passing(time_ms=t, car="2") for t in two]
    controller.submit(sorted(passings, key=lambda p: p.time_ms))


def test_picking_a_slow_car_brings_all_its_laps_into_view(make_controller, qtbot) -> None:
    controller, series, chart = _chart(make_controller, qtbot)
    _slow_and_pitting(controller)
    series.pick(["2"])
    series.flush()
    low, high = chart.time_range()
    _x, laps = chart.curve_data("2")
    assert low <= 14.0 and high >= laps.max() == 16.5  # its laps and the best line both
    series.pick(["1", "2"])
    series.flush()
    low, high = chart.time_range()
    assert low <= 14.0 and 16.5 <= high < 24.0  # the pit lap is off the scale...
    assert chart.off_scale == [("1", 3, 24.0)]  # ...marked at the top edge, at its lap
    view = chart.getPlotItem().getViewBox()
    spots = chart._markers.points()
    assert len(spots) == 1 and spots[0].pos().x() == 3 and low < spots[0].pos().y() < high
    point = view.mapViewToScene(spots[0].pos())
    chart._on_scene_mouse_moved(point)  # hovering the marker reads the lap's real time
    assert "Lap 3: 24.000" in chart.hover_text


def test_the_users_zoom_is_kept_until_a_new_pick_and_ranges_reset_for_a_new_session(
    make_controller, qtbot, tmp_path
) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from timingboard.store import SessionRecorder

    controller, series, chart = _chart(make_controller, qtbot)
    _slow_and_pitting(controller)
    series.pick(["2"])
    series.flush()
    fitted = chart.time_range()
    centre = chart.viewport().rect().center()
    wheel = QWheelEvent(
        QPointF(centre),
        QPointF(chart.viewport().mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(chart.viewport(), wheel)  # the user zooms in
    zoomed = chart.time_range()
    assert zoomed != fitted
    controller.submit([Passing(time_ms=300 + 16_500 * 6, car="2")])
    series.flush()
    assert chart.time_range() == zoomed  # a new lap does not undo the user's zoom
    karts = dataclasses.replace(QUARTER_MILE_RACE, name="Karts", min_lap_ms=20_000)
    controller.load(SessionRecorder.create(tmp_path / "karts.tbs", karts))
    controller.submit([*field(["7"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(laps_at("7", 0, 48_000, 3))
    series.flush()
    low, high = chart.time_range()
    assert low < 48.0 < high and high < 60  # the new session's laps, nothing kept from before


def test_a_curve_is_drawn_again_only_when_what_it_shows_changed(qtbot, monkeypatch) -> None:
    """A range that moves without clipping its points (the view fits all the laps) gives no
    point again; new points, another pen, a zoom that clips them do."""
    import pyqtgraph as pg

    from timingboard.widgets.chart_parts import ChartCurve

    chart = pg.PlotWidget()
    qtbot.addWidget(chart)
    plot = chart.getPlotItem()
    plot.setClipToView(True)
    plot.setDownsampling(auto=True, mode="peak")
    curve = ChartCurve(connect="finite", symbol="o", pen=pg.mkPen("#4fc3f7"))
    plot.addItem(curve)
    given: list[int] = []
    scatter_set = pg.ScatterPlotItem.setData

    def counted(item, *args, **kwargs):
        given.append(len(kwargs.get("x", ())))
        return scatter_set(item, *args, **kwargs)

    monkeypatch.setattr(pg.ScatterPlotItem, "setData", counted)
    laps = np.arange(1.0, 101.0)
    curve.setData(laps, 40 + laps / 100)
    assert given == [100]
    plot.getViewBox().setRange(xRange=(0, 300), padding=0, disableAutoRange=False)
    plot.enableAutoRange()
    plot.getViewBox().updateAutoRange()  # the lap range fitted, as when painted
    plot.setYRange(39, 42)
    assert given == [100]  # the same 100 points: not given again
    curve.setData(laps[:50], 40 + laps[:50] / 100)
    assert given == [100, 50]
    curve.opts["symbolBrush"] = pg.mkBrush("#ffb74d")
    curve.updateItems()
    assert given == [100, 50, 50]  # another colour: drawn again
    plot.setXRange(10, 20, padding=0)  # zoomed: clipped to the view
    assert given[-1] < 50
    np.testing.assert_allclose(curve.getOriginalDataset()[0], laps[:50])


def test_a_curve_cleared_is_drawn_again_with_the_same_points(qtbot) -> None:
    import pyqtgraph as pg

    from timingboard.widgets.chart_parts import ChartCurve

    chart = pg.PlotWidget()
    qtbot.addWidget(chart)
    curve = ChartCurve(connect="finite", symbol="o")
    chart.getPlotItem().addItem(curve)
    laps = np.arange(1.0, 11.0)
    curve.setData(laps, laps)
    curve.clear()
    curve.setData(laps, laps)
    assert len(curve.scatter.data) == 10


def _two_cars_off_the_pace(path) -> None:
    """Car 7 at 14.0 s, slow on laps 3 (a 24 s pit lap) and 6 (30 s); car 8 at 14.2 s, slow
    on lap 3 too (25 s): the same lap as car 7's."""
    from timingboard.store import SessionRecorder

    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*field(["7", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    seven = np.cumsum([0, 14_000, 14_000, 24_000, 14_000, 14_000, 30_000, 14_000]).tolist()
    eight = np.cumsum([100, 14_200, 14_200, 25_000, 14_200, 14_200, 14_200, 14_200]).tolist()
    passings = [Passing(time_ms=t, car="7") for t in seven]
    passings += [Passing(time_ms=t, car="8") for t in eight]
    recorder.submit(sorted(passings, key=lambda p: p.time_ms))
    recorder.close()


def test_an_off_scale_lap_breaks_its_cars_line_and_every_cars_is_marked(qtbot, tmp_path) -> None:
    from journey import User, open_window

    from timingboard.text.board_columns import Column

    path = tmp_path / "heat.tbs"
    _two_cars_off_the_pace(path)
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    window = user.window
    board = window.board
    model = board.model()
    chart = window.chart
    rows = {model.index(r, Column.CAR).data(): r for r in range(model.rowCount())}
    user.click_cell(rows["7"], Column.DRIVER)  # the user picks both cars in the table
    rect = board.visualRect(model.index(rows["8"], Column.DRIVER))
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.mouseClick(board.viewport(), Qt.MouseButton.LeftButton, ctrl, rect.center())
    qtbot.waitUntil(lambda: sorted(chart.charted) == ["7", "8"])
    qtbot.waitUntil(lambda: len(chart.off_scale) == 3)
    for car, slow in (("7", {3, 6}), ("8", {3})):
        laps, drawn = chart.curve_data(car)
        assert list(laps) == [1, 2, 3, 4, 5, 6, 7], car
        off = {int(lap) for lap, y in zip(laps, drawn, strict=True) if np.isnan(y)}
        assert off == slow, car  # no point, so no line, towards an off-scale lap
    low, high = chart.time_range()
    assert sorted(chart.off_scale) == [("7", 3, 24.0), ("7", 6, 30.0), ("8", 3, 25.0)]
    marks = dict(zip(chart.off_scale, chart.markers(), strict=True))
    on_three = [marks[("7", 3, 24.0)], marks[("8", 3, 25.0)]]
    assert all(low < y < high for _x, y in marks.values())  # inside the top edge
    assert all(2.5 < x < 3.5 for x, _y in on_three)  # at their lap...
    view = chart.getPlotItem().getViewBox()
    apart = abs(
        view.mapViewToScene(QPointF(*on_three[0])).x()
        - view.mapViewToScene(QPointF(*on_three[1])).x()
    )
    assert apart >= 10  # ...side by side: one is not hidden under the other
    chart._on_scene_mouse_moved(view.mapViewToScene(QPointF(*marks[("8", 3, 25.0)])))
    assert "#8" in chart.hover_text and "Lap 3: 25.000" in chart.hover_text
    window.close()
