"""The race charts as race control reads them, through the window: data per car, axes, bands."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from race_scripts import QUARTER_MILE_RACE, three_car_race
from test_rmonitor_network import HEADER, _j, _laps

from timingboard.engine import Flag, FlagChanged
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_session import RMonitorMapper
from timingboard.qt.lap_series import _parted
from timingboard.widgets.chart_parts import LapTimeAxis, WholeNumberAxis


def _click_row(qtbot, window, key: str) -> None:
    board = window.board
    rect = board.visualRect(window.board_model.index(window.board_model.row_of(key), 2))
    qtbot.mouseClick(board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_position_and_gap_charts_for_the_picked_cars(make_controller, show_window, qtbot):
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit(three_car_race())
    window.board_model.flush()
    _click_row(qtbot, window, "1")
    window.series.flush()
    charts = window.charts
    assert charts.positions.charted == ["1"] and charts.gaps.charted == ["1"]
    charts.tabs.tabBar().setCurrentIndex(1)  # the Positions tab, as a click picks it
    assert charts.positions.isVisible()
    x, y = charts.positions.curve_data("1")
    assert list(x) == [1, 2, 3, 4] and list(y) == [1, 1, 2, 2]  # passed by car 2 on lap 3
    charts.tabs.tabBar().setCurrentIndex(2)  # Gaps
    _x, gaps = charts.gaps.curve_data("1")
    np.testing.assert_allclose(gaps, [0, 0, 0.3, 0.6])
    assert charts.lap_chart.charted == ["1"]
    window.board.clearSelection()
    charts.scope.setCurrentIndex(charts.scope.findData("all"))  # Chart: Every car
    assert sorted(charts.positions.charted) == ["1", "2", "3"]
    charts.tabs.tabBar().setCurrentIndex(1)
    assert list(charts.positions.curve_data("3")[1]) == [3, 3, 3, 3]
    colours = {charts.series_colour(k) for k in ("1", "2", "3")}
    assert len(colours) == 3  # each car its own colour, the same on every chart


def test_caution_laps_are_shaded_on_every_chart(make_controller, show_window, qtbot):
    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit(three_car_race()[:-3])
    controller.submit([FlagChanged(time_ms=45_000, flag=Flag.YELLOW)])
    controller.submit(three_car_race()[-3:])
    window.series.flush()
    for chart in (window.charts.lap_chart, window.charts.positions, window.charts.gaps):
        assert [(a, b) for a, b, _ in chart.shading.shaded] == [(3.5, 4.5)], chart
    assert window.charts.positions.shading.shaded[0][2] == "#f2c200"


def test_lap_axis_is_whole_laps_and_times_read_as_a_board_writes_them(qapp) -> None:
    laps = WholeNumberAxis("bottom")
    for low, high in ((0.3, 4.7), (0.0, 1.5), (12.2, 14.9), (3.1, 0.9)):
        values = [v for _spacing, vs in laps.tickValues(low, high, 400) for v in vs]
        assert values and all(v == int(v) for v in values)
    times = LapTimeAxis("left")
    times.setLabel("Gap to the leader")
    times.setScale(1)
    assert "x0.001" not in times.labelString()
    assert times.tickStrings([95, 105], 1, 5) == ["1:35", "1:45"]
    assert times.tickStrings([95.5, 96.0], 1, 0.5) == ["1:35.5", "1:36.0"]
    # one style up the whole axis (the gap chart read "20, 40, 1:00.000")
    assert times.tickStrings([20, 40, 60], 1, 20) == ["0:20", "0:40", "1:00"]
    assert times.tickStrings([59.75, 60.0], 1, 0.25) == ["0:59.75", "1:00.00"]
    assert times.tickStrings([13.5, 14.0], 1, 0.5) == ["13.5", "14.0"]


def test_no_line_across_laps_not_seen(make_controller, show_window, qtbot) -> None:
    xs, _ys = _parted([1, 2, 5, 6], [14.0, 14.1, 14.2, 14.3])
    assert list(xs[:2]) == [1, 2] and np.isnan(xs[2]) and list(xs[3:]) == [5, 6]
    stream = HEADER + b"".join(_laps("31", 3, 14_000, 0))  # laps 1 to 3 seen
    stream += b'$G,1,"31",5,"00:01:10.000"\r\n'  # the link was down for laps 4 and 5
    stream += _j("31", 14_000, 84_000)  # lap 6 seen
    mapper = RMonitorMapper()
    mapper.take(parse_bytes(stream))
    [session] = mapper.sessions
    controller = make_controller(session.settings)
    window = show_window(controller)
    assert controller.submit(session.events)
    window.series.pick(["31"])
    x, _y = window.chart.curve_data("31")
    assert np.isnan(x).any()  # the line stops before the laps not seen and starts after
    assert x[-1] == 6


def test_hover_goes_when_the_mouse_leaves_and_ranges_start_again(
    make_controller, show_window, qtbot, tmp_path
) -> None:
    from timingboard.store import SessionRecorder

    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    chart = window.chart
    chart.resize(800, 400)
    controller.submit(three_car_race())
    window.series.flush()
    view = chart.getPlotItem().getViewBox()
    view.autoRange()
    x, y = chart.curve_data("2")
    scene = view.mapViewToScene(QPointF(float(x[1]), float(y[1])))
    chart.scene().sigMouseMoved.emit(scene)
    assert chart.hover_text is not None
    chart.leaveEvent(QEvent(QEvent.Type.Leave))  # as the mouse leaves the chart
    assert chart.hover_text is None
    chart.getPlotItem().setXRange(100, 200)  # zoomed far away
    controller.load(SessionRecorder.create(tmp_path / "next.tbs", QUARTER_MILE_RACE))
    assert all(view.autoRangeEnabled())


def test_a_correction_redraws_the_positions_of_every_car(make_controller, show_window, qtbot):
    from timingboard.engine import DeletePassing

    controller = make_controller(QUARTER_MILE_RACE)
    window = show_window(controller)
    controller.submit(three_car_race())
    window.series.set_scope("all")
    window.charts.tabs.tabBar().setCurrentIndex(1)
    window.series.flush()
    assert list(window.charts.positions.curve_data("1")[1]) == [1, 1, 2, 2]
    # car 2's crossing that completed its lap 1 was a double read of nothing: take it out
    first_of_2 = next(pid for _t, pid in controller.engine.entries["2"].timing.crossings[1:2])
    assert window.desk.correct(DeletePassing(passing_id=first_of_2), "test")
    window.series.flush()
    assert list(window.charts.positions.curve_data("1")[1])[:2] == [1, 1]
    two = window.charts.positions.curve_data("2")
    assert len(two[0]) == 3  # one lap fewer for car 2, the chart redrawn
