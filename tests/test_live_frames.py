"""What a crossing costs the live board: charts updated in place, only changed cells measured,
the header restyled only when its look changes, the passings log answering only its roles."""

from __future__ import annotations

from unittest import mock

import numpy as np
from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QRect, Qt
from PySide6.QtGui import QImage
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time, three_car_race

from timingboard.engine import DeletePassing, Flag, FlagChanged, Passing
from timingboard.qt import leaderboard_model
from timingboard.qt.lap_series import LapSeries
from timingboard.qt.leaderboard_model import Column, LeaderboardModel
from timingboard.qt.passings_model import PassingColumn, PassingsModel
from timingboard.widgets.lap_chart import LapChart
from timingboard.widgets.leaderboard_view import LeaderboardView
from timingboard.widgets.passings_log import PassingsLogView
from timingboard.widgets.race_charts import PositionChart
from timingboard.widgets.session_header import SessionHeader

_DR = Qt.ItemDataRole


def _until(events: list, time_ms: int) -> list:
    return [e for e in events if not isinstance(e, Passing) or e.time_ms <= time_ms]


def _legend(chart) -> list[str]:
    return [label.text for _sample, label in chart.getPlotItem().legend.items]


def test_a_new_leader_takes_over_the_curve_of_the_old_one_on_the_next_frame(
    make_controller, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    series = LapSeries(controller)
    chart = LapChart(series)
    positions = PositionChart(series)
    for widget in (chart, positions):
        qtbot.addWidget(widget)
        widget.show()
    race = three_car_race()
    controller.submit(_until(race, 28_000))  # car 1 leads after two laps
    series.flush()
    leader, best = controller.engine.order()[0], controller.engine.session_best[0]
    assert (leader, best) == ("1", "2")
    assert chart.charted == ["1", "2"]
    first_curve = chart.getPlotItem().listDataItems()
    controller.submit([e for e in race if e not in _until(race, 28_000)])
    assert controller.engine.order()[0] == "2"  # car 2 passed car 1 on lap 3
    assert chart.charted == ["1", "2"]  # not inside the submit: on the next frame
    series.flush()
    now = [*controller.engine.order()[:1], controller.engine.session_best[0]]
    assert set(chart.charted) == set(now)
    assert all(c in first_curve for c in chart.getPlotItem().listDataItems())  # none made
    assert _legend(chart) == [series.label(k) for k in chart.charted]
    assert _legend(positions) == [series.label(k) for k in positions.charted]
    for key in chart.charted:  # each curve shows its own car's laps in its own colour
        laps = controller.engine.laps(key)
        np.testing.assert_allclose(
            chart.curve_data(key)[1], [lap.duration_ms / 1000 for lap in laps]
        )
        assert chart.point_colour(key) == series.colour(key)


def test_picking_a_car_in_place_of_another_restyles_its_curve_and_legend(
    make_controller, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    series = LapSeries(controller)
    chart = LapChart(series)
    qtbot.addWidget(chart)
    controller.submit(three_car_race())
    series.pick(["3"])
    (curve,) = chart._curves.values()  # the plot also holds the slow-lap markers
    series.pick(["1"])
    assert list(chart._curves.values()) == [curve]
    assert curve in chart.getPlotItem().listDataItems()
    assert _legend(chart) == [series.label("1")]
    assert list(chart.curve_data("1")[0]) == [n.number for n in controller.engine.laps("1")]
    series.pick(["1", "3"])
    assert _legend(chart) == [series.label("1"), series.label("3")]
    assert chart.point_colour("3") != chart.point_colour("1")


def test_fitting_columns_measures_only_the_cells_that_changed(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    view = LeaderboardView(model)
    qtbot.addWidget(view)
    view.resize(2400, 600)  # room for every column: no column gives way (that measures afresh)
    view.show()
    qtbot.waitExposed(view)
    cars = [str(n) for n in range(1, 11)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(
        merged_in_time(*(laps_at(c, 100 * i, 14_000 + 10 * i, 3) for i, c in enumerate(cars)))
    )
    model.flush()
    view._fit_columns()
    gap = view.columnWidth(Column.GAP)
    asked: list[tuple[int, int]] = []
    real = model.column_texts

    def counting(column, rows=None):  # the texts measured (read in bulk), the Driver's aside
        if column != Column.DRIVER:
            asked.extend((r, column) for r in (range(model.rowCount()) if rows is None else rows))
        return real(column, rows)

    with mock.patch.object(model, "column_texts", counting):
        view._fit_columns()  # nothing changed: nothing measured
        assert asked == []
        controller.submit([Passing(time_ms=56_000, car="1")])  # the leader's next lap
        model.flush()
        view._fit_columns()
        assert asked and {r for r, _c in asked} <= {model.row_of("1"), model.row_of("2")}
        assert len(asked) <= 2 * len(Column)  # its row's changed cells, not the board's
        asked.clear()
        view.setColumnWidth(Column.GAP, 4)  # narrowed by hand: measured whole, widened again
        view._fit_columns()
    assert {c for _r, c in asked} == {Column.GAP}
    assert len(asked) == len(cars)
    assert view.columnWidth(Column.GAP) == gap


def test_the_header_restyles_its_flag_only_when_the_flag_changes(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    header = SessionHeader(controller)
    qtbot.addWidget(header)
    controller.submit(_until(three_car_race(), 0))
    green = header.flag.styleSheet()
    with mock.patch.object(header.flag, "setStyleSheet") as restyled:
        controller.submit([Passing(time_ms=14_000, car="1"), Passing(time_ms=14_100, car="2")])
        header.refresh()
        restyled.assert_not_called()
    controller.submit([FlagChanged(time_ms=15_000, flag=Flag.YELLOW)])
    assert header.flag.styleSheet() != green
    assert "YELLOW" in header.flag.text().upper()


def test_the_passings_log_answers_only_the_roles_it_has(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = PassingsModel(controller)
    controller.submit(three_car_race())
    controller.submit([DeletePassing(passing_id=controller.engine.seq)])
    model.flush()
    newest = model.index(0, PassingColumn.LAP)
    for role in (_DR.DecorationRole, _DR.ToolTipRole, _DR.BackgroundRole, _DR.SizeHintRole):
        assert model.data(newest, role) is None
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(newest, _DR.TextAlignmentRole) == right
    assert model.data(model.index(0, PassingColumn.CAR), _DR.TextAlignmentRole) is None
    struck = model.data(model.index(model.row_of(controller.engine.seq - 1), 0), _DR.FontRole)
    assert struck is not None and struck.strikeOut()
    assert model.data(model.index(1, 0), _DR.FontRole) is None


class _PaintedRegions(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.regions: list[QRect] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.regions.append(event.region().boundingRect())  # type: ignore[attr-defined]
        return False


def _settle(qtbot, painted: _PaintedRegions) -> None:
    """Until nothing more is painted for longer than the board's fade ticks (what was asked
    before is done: rows that crossed unlit), then forget it."""
    for _ in range(30):
        seen = len(painted.regions)
        qtbot.wait(300)
        if len(painted.regions) == seen:
            break
    painted.regions.clear()


def _on_screen(widget) -> QImage:
    """What the window shows (its backing store), not the widget painted afresh."""
    return widget.screen().grabWindow(widget.winId()).toImage()


def test_the_passings_log_scroll_bar_repaints_when_its_handle_moves_only(
    make_controller, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = PassingsModel(controller)
    log = PassingsLogView(model)
    qtbot.addWidget(log)
    log.resize(420, 300)
    log.show()
    qtbot.waitExposed(log)
    cars = [str(n) for n in range(1, 21)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(
        merged_in_time(*(laps_at(c, 100 * i, 14_000 + 10 * i, 30) for i, c in enumerate(cars)))
    )
    model.flush()
    bar = log.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 500 and _on_screen(log) == log.grab().toImage())
    painted = _PaintedRegions()
    bar.installEventFilter(painted)
    _settle(qtbot, painted)
    controller.submit([Passing(time_ms=500_000, car="1")])  # one row more, the handle stays
    model.flush()
    qtbot.waitUntil(lambda: model.rowCount() == bar.maximum() + log.verticalScrollBar().pageStep())
    qtbot.wait(50)
    assert painted.regions == []
    assert _on_screen(log) == log.grab().toImage()
    bar.setValue(bar.maximum() // 2)  # scrolled: the handle moves, the bar repaints
    qtbot.waitUntil(lambda: bool(painted.regions))
    qtbot.waitUntil(lambda: _on_screen(log) == log.grab().toImage())


def test_a_board_too_narrow_for_its_columns_measures_only_the_changed_cells_at_a_fit(
    make_controller, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    view = LeaderboardView(model)
    qtbot.addWidget(view)
    view.resize(180, 400)  # narrower than the columns left after the optional ones gave way
    view.show()
    qtbot.waitExposed(view)
    cars = [str(n) for n in range(1, 21)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(
        merged_in_time(*(laps_at(c, 100 * i, 14_000 + 10 * i, 3) for i, c in enumerate(cars)))
    )
    model.flush()
    view._fit_columns()
    shown = [c for c in Column if not view.isColumnHidden(c) and c != Column.DRIVER]
    room = view.viewport().width() - view._driver_needs  # what the columns but Driver may take
    assert view.given_way() and sum(view.columnWidth(c) for c in shown) > room
    widths = [view.columnWidth(c) for c in Column]
    asked: list[tuple[int, int]] = []
    real = model.column_texts

    def counting(column, rows=None):  # the texts measured (read in bulk), the Driver's aside
        if column != Column.DRIVER:
            asked.extend((r, column) for r in (range(model.rowCount()) if rows is None else rows))
        return real(column, rows)

    with mock.patch.object(model, "column_texts", counting):
        controller.submit([Passing(time_ms=56_000, car="1")])  # the leader's next lap
        model.flush()
        view._fit_columns()
    measured = [(r, c) for r, c in asked if c != Column.DRIVER]  # (names: read, not measured)
    assert measured and len(measured) <= 2 * len(Column)  # the changed cells, not the board's
    assert [view.columnWidth(c) for c in Column if c != Column.DRIVER] == [
        w for c, w in zip(Column, widths, strict=True) if c != Column.DRIVER
    ]  # and the columns as wide as a whole measure makes them


def _ten_car_board(make_controller, qtbot, monkeypatch):
    """Cars 1 to 8 through lap 3 in the order they ran; 9 and 10 not yet (car 10 the
    slowest by 4 s a lap); the board shown wide enough for every text."""
    monkeypatch.setattr(leaderboard_model, "CROSSED_HIGHLIGHT_MS", 0)  # no row lit: no fading
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    view = LeaderboardView(model)
    qtbot.addWidget(view)
    view.resize(1900, 500)
    view.show()
    qtbot.waitExposed(view)
    cars = [str(n) for n in range(1, 11)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(
        merged_in_time(*(laps_at(c, 100 * i, 14_000 + 400 * i, 2) for i, c in enumerate(cars)))
    )
    third = [Passing(time_ms=100 * i + 3 * (14_000 + 400 * i), car=c) for i, c in enumerate(cars)]
    controller.submit(third[:8])
    model.flush()
    for column in (Column.GAP, Column.INTERVAL, Column.GAINED):  # room for "+1 lap", "▲1"
        view.setColumnWidth(column, 150)  # (a column widened repaints its height: not this)
    qtbot.waitUntil(lambda: _on_screen(view) == view.grab().toImage())
    assert (model.row_of("9"), model.row_of("10")) == (8, 9)
    return controller, model, view, third


def test_cars_changing_places_repaint_the_rows_between_them_and_the_board_shows_it(
    make_controller, qtbot, monkeypatch
) -> None:
    controller, model, view, third = _ten_car_board(make_controller, qtbot, monkeypatch)
    painted = _PaintedRegions()
    view.viewport().installEventFilter(painted)
    _settle(qtbot, painted)
    emitted: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles: emitted.append((a.row(), a.column(), b.row(), b.column()))
    )
    moved: list[int] = []
    model.rowsMoved.connect(lambda *_args: moved.append(1))
    controller.submit([third[9]])  # car 9 in the pit: car 10 passes it, one place, no more
    model.flush()
    assert (model.row_of("10"), model.row_of("9")) == (8, 9)
    assert moved == []  # told as the two rows' cells, one change each, every column
    assert sorted(emitted) == [(8, 0, 8, len(Column) - 1), (9, 0, 9, len(Column) - 1)]
    assert model.index(8, Column.CAR).data() == "10"
    assert model.index(8, Column.CAR).data(leaderboard_model.Role.KEY) == "10"
    qtbot.waitUntil(lambda: bool(painted.regions))
    qtbot.wait(50)  # every paint the change brings
    tall = max(r.height() for r in painted.regions)
    assert tall < view.viewport().height() // 2  # the rows that changed, not the board
    assert _on_screen(view) == view.grab().toImage()  # and what shows is the board as it is


def test_a_picked_car_between_cars_changing_places_moves_with_its_car(
    make_controller, qtbot, monkeypatch
) -> None:
    controller, model, view, third = _ten_car_board(make_controller, qtbot, monkeypatch)
    picked: list[list[str]] = []
    view.cars_picked.connect(picked.append)
    view.selectionModel().select(
        model.index(9, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert view.picked_cars() == ["10"]
    moved: list[int] = []
    model.rowsMoved.connect(lambda *_args: moved.append(1))
    controller.submit([third[9]])  # car 10 passes car 9: the picked car's row is crossed
    model.flush()
    assert moved  # a persistent index (the selection) among the rows: moved, as ever
    assert view.picked_cars() == ["10"]
    assert model.row_of("10") == 8
    qtbot.waitUntil(lambda: _on_screen(view) == view.grab().toImage())


def test_the_rows_cars_crossed_tell_only_the_cells_that_differ_unless_lit(
    make_controller, qtbot, monkeypatch
) -> None:
    monkeypatch.setattr(leaderboard_model, "CROSSED_HIGHLIGHT_MS", 0)
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    cars = [str(n) for n in range(1, 11)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(
        merged_in_time(*(laps_at(c, 100 * i, 14_000 + 400 * i, 2) for i, c in enumerate(cars)))
    )
    third = [Passing(time_ms=100 * i + 3 * (14_000 + 400 * i), car=c) for i, c in enumerate(cars)]
    controller.submit(third[:7])  # cars 1 to 7 complete lap 3; 8, 9 and 10 not yet
    model.flush()
    qtbot.waitUntil(lambda: not model._crossed, timeout=3000)  # no row lit, none to fade
    emitted: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, _roles: emitted.append((a.row(), a.column(), b.row(), b.column()))
    )
    controller.submit([third[9]])  # car 10 (8 and 9 in the pit) passes them both
    model.flush()
    assert [model.key_at(r) for r in (7, 8, 9)] == ["10", "8", "9"]
    rows = sorted(emitted)
    assert [r[0] for r in rows] == [7, 8, 9]  # one change a row
    whole = (0, len(Column) - 1)
    assert rows[0][1::2] == whole and rows[2][1::2] == whole  # where car 10 was and is: lit
    assert rows[1][1] > Column.POSITION  # car 8 for car 9, 9th as 9 was: from Car on, only
    assert model.index(8, Column.CAR).data() == "8"
