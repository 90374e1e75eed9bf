"""The lap chart: its data, what clicking rows charts, and the session best line."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time

from timingboard.engine import Flag, FlagChanged
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
