"""The walk: #9, a PRO car picked in the table, stayed on the lap chart after View ▸ Class ▸ GT,
though the class view applies to the chart too (README: its leader and best lap). The chart
now charts the picks of the class shown (its leader and best lap when none of them is), and
every pick again for all classes."""

from __future__ import annotations

import pytest
from journey import User, close_session_window, open_window
from PySide6.QtCore import Qt
from race_scripts import QUARTER_MILE_RACE, two_class_race

from timingboard.qt.leaderboard_model import Column
from timingboard.store.recorder import SessionRecorder

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def _legend(user: User) -> list[str]:
    """The car names in the lap-time chart's legend, as the user reads them."""
    legend = user.window.chart.getPlotItem().legend
    return sorted(label.text for _sample, label in legend.items)


def _row_of(user: User, car: str) -> int:
    return user.column(Column.CAR).index(car)


@JOURNEY_LOG
def test_a_pick_of_another_class_leaves_the_chart_while_one_class_is_shown(qtbot, tmp_path) -> None:
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(two_class_race())  # 1 and 2 in GT, 3 and 4 in Pro
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    chart = user.window.chart
    qtbot.waitUntil(lambda: user.column(Column.CAR) == ["2", "1", "3", "4"])

    user.click_cell(_row_of(user, "4"), Column.DRIVER)  # the Pro car picked in the table
    qtbot.waitUntil(lambda: chart.charted == ["4"])
    assert _legend(user) == ["#4 Driver 4"]

    user.choose("View", "Class", "GT")
    assert user.window.header.class_shown.text() == "Class GT only"
    qtbot.waitUntil(lambda: chart.charted == ["2"])  # GT's leader, who holds its best lap
    assert _legend(user) == ["#2 Driver 2"]

    # a GT car picked too (Ctrl+click): the picks of the class are charted, not the Pro one
    board = user.window.board
    rect = board.visualRect(board.model().index(_row_of(user, "1"), Column.DRIVER))
    control = Qt.KeyboardModifier.ControlModifier
    qtbot.mouseClick(board.viewport(), Qt.MouseButton.LeftButton, control, rect.center())
    assert sorted(board.picked_cars()) == ["1", "4"]  # the Pro pick kept in the table
    qtbot.waitUntil(lambda: chart.charted == ["1"])
    assert _legend(user) == ["#1 Driver 1"]

    user.choose("View", "Class", "All classes")  # every pick back on the chart
    qtbot.waitUntil(lambda: sorted(chart.charted) == ["1", "4"])
    assert _legend(user) == ["#1 Driver 1", "#4 Driver 4"]
    close_session_window(user.window)


@JOURNEY_LOG
def test_the_class_leaders_scope_follows_the_class_shown(qtbot, tmp_path) -> None:
    """Chart: Class leaders with View ▸ Class ▸ Pro charted GT's leader too, though Top ten and
    Every car follow the class: it charts that class's leader, every class's again for all."""
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(two_class_race())  # 1 and 2 in GT, 3 and 4 in Pro
    recorder.close()
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    chart = user.window.chart
    qtbot.waitUntil(lambda: user.column(Column.CAR) == ["2", "1", "3", "4"])
    charts = user.window.charts
    charts.scope.setCurrentIndex(charts.scope.findText("Class leaders"))  # the Chart: choice
    qtbot.waitUntil(lambda: sorted(chart.charted) == ["2", "3"])

    user.choose("View", "Class", "Pro")
    assert user.window.header.class_shown.text() == "Class Pro only"
    qtbot.waitUntil(lambda: chart.charted == ["3"])  # Pro's leader, not GT's
    assert _legend(user) == ["#3 Driver 3"]

    charts.scope.setCurrentIndex(charts.scope.findText("Every car"))  # as the other scopes
    qtbot.waitUntil(lambda: sorted(chart.charted) == ["3", "4"])
    charts.scope.setCurrentIndex(charts.scope.findText("Class leaders"))
    qtbot.waitUntil(lambda: chart.charted == ["3"])

    user.choose("View", "Class", "All classes")  # every class's leader again
    qtbot.waitUntil(lambda: sorted(chart.charted) == ["2", "3"])
    close_session_window(user.window)
