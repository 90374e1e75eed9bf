"""The leaderboard model: rows, precise signals, persistent indexes across overtakes."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, Qt
from race_scripts import (
    QUARTER_MILE_QUALIFYING,
    QUARTER_MILE_RACE,
    clash_qualifying,
    field,
    laps_at,
    merged_in_time,
    three_car_race,
)

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.qt.leaderboard_model import CROSSED_HIGHLIGHT_MS, Column, LeaderboardModel, Role


def _texts(model: LeaderboardModel, *columns: Column) -> list[tuple[str, ...]]:
    return [tuple(model.index(row, c).data() for c in columns) for row in range(model.rowCount())]


def test_rows_after_clash_qualifying(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_QUALIFYING)
    model = LeaderboardModel(controller)
    with qtbot.waitSignal(model.board_updated, timeout=1000):
        controller.submit(clash_qualifying())
    assert _texts(model, Column.POSITION, Column.CAR, Column.DRIVER, Column.BEST_LAP) == [
        ("1", "31", "Justin Haley", "13.413"),
        ("2", "8", "Kyle Busch", "13.553"),
        ("3", "20", "Christopher Bell", "13.569"),
        ("4", "24", "William Byron", "13.596"),
    ]
    assert model.index(0, Column.SPEED).data() == "67.099"
    assert model.index(1, Column.GAP).data() == "+0.140"
    best = model.index(0, Column.BEST_LAP).data(Qt.ItemDataRole.ForegroundRole)
    assert best is not None and best.name() == "#c77dff"  # session best, dark theme
    assert model.index(1, Column.BEST_LAP).data(Qt.ItemDataRole.ForegroundRole) is None


def test_model_passes_the_item_model_tester_through_a_race(
    make_controller, qtbot, qtmodeltester
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    qtmodeltester.check(model)
    for event in three_car_race():
        controller.submit([event])
        model.flush()
    controller.submit([Passing(time_ms=70000, car="77")])  # an unknown car appears
    model.flush()
    assert model.rowCount() == 4
    qtmodeltester.check(model)


def test_persistent_indexes_follow_their_cars_across_overtakes(make_controller, qtbot) -> None:
    cars = ["1", "2", "3", "4", "5"]
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    model.flush()
    held = {model.key_at(r): QPersistentModelIndex(model.index(r, Column.CAR)) for r in range(5)}
    # the car at the back is fastest and passes everyone, one car a lap; 2 drops down
    paces = {"1": 14000, "2": 15500, "3": 14100, "4": 14200, "5": 13000}
    streams = [laps_at(car, 100 * i, paces[car], 8) for i, car in enumerate(cars)]
    seen_orders = set()
    for passing in merged_in_time(*streams):
        controller.submit([passing])
        model.flush()
        seen_orders.add(tuple(model.key_at(r) for r in range(model.rowCount())))
        for key, index in held.items():
            assert index.isValid()
            assert index.data(Role.KEY) == key
            assert index.data() == key
    assert len(seen_orders) > 3
    assert [model.key_at(r) for r in range(5)] == controller.engine.order()
    assert model.key_at(0) == "5" and model.key_at(4) == "2"


def test_one_data_changed_per_changed_row_with_exact_columns(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    controller.submit(three_car_race())
    model.flush()
    emitted: list[tuple[int, int, int, int, list]] = []
    model.dataChanged.connect(
        lambda a, b, roles: emitted.append((a.row(), a.column(), b.row(), b.column(), roles))
    )
    controller.submit([Passing(time_ms=71000, car="2")])  # the leader completes lap 5
    model.flush()
    data_emits = [e for e in emitted if Qt.ItemDataRole.DisplayRole in e[4]]
    assert len(data_emits) == 1
    row, first, last_row, last, _ = data_emits[0]
    assert row == last_row == 0
    assert (first, last) == (Column.LAPS, Column.LAPS_LED)  # laps to laps led, not the status
    assert model.index(0, Column.LAPS).data() == "5"


def test_a_burst_of_passings_is_shown_in_one_update(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    cars = [str(n) for n in range(1, 31)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    model.flush()
    updates: list[int] = []
    model.board_updated.connect(lambda: updates.append(1))
    streams = [laps_at(car, 50 * i, 14000 + 37 * i, 10) for i, car in enumerate(cars)]
    burst = merged_in_time(*streams)
    for passing in burst:
        controller.submit([passing])
    assert not updates  # nothing is painted mid-burst
    qtbot.waitUntil(lambda: bool(updates), timeout=1000)
    assert len(updates) == 1
    rows = [model.index(r, Column.STATUS).data(Role.STANDING) for r in range(model.rowCount())]
    assert rows == controller.engine.standings()


def test_a_car_that_just_crossed_is_highlighted(make_controller, qtbot, monkeypatch) -> None:
    from journey import FakeTime

    clock = FakeTime().install(monkeypatch)
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    controller.submit([*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit([Passing(time_ms=500, car="2")])
    controller.run_clock(500)  # live: the session clock runs on
    model.flush()
    row = model.row_of("2")
    lit = lambda: model.index(row, Column.CAR).data(Qt.ItemDataRole.BackgroundRole) is not None  # noqa: E731
    assert lit()
    assert model.index(model.row_of("1"), 0).data(Qt.ItemDataRole.BackgroundRole) is None
    clock.advance(CROSSED_HIGHLIGHT_MS / 1000 - 0.01)
    assert lit()
    clock.advance(0.02)  # 1.5 s after it crossed
    assert not lit()
    with qtbot.waitSignal(  # and the views are told, so the row is painted dark
        model.dataChanged, check_params_cb=lambda first, last, roles: first.row() == row
    ):
        pass
    controller.stop_clock()


def test_rows_are_lit_in_session_time_not_after_a_seek_or_at_ten_times(
    make_controller, qtbot, monkeypatch
) -> None:
    from journey import FakeTime

    clock = FakeTime().install(monkeypatch)
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    controller.hold_clock(0)
    cars = [str(n) for n in range(1, 9)]
    controller.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    # a seek forward: every car crossed in the jump, only car 8 in its last second
    controller.submit([Passing(time_ms=1000 * n, car=car) for n, car in enumerate(cars)])
    controller.hold_clock(7600)
    model.flush()
    lit = [
        model.index(r, 0).data(Role.KEY)
        for r in range(model.rowCount())
        if model.index(r, Column.CAR).data(Qt.ItemDataRole.BackgroundRole) is not None
    ]
    assert lit == ["8"]
    controller.run_clock(7600, speed=10)  # at 10x the row goes dark ten times sooner
    lit = lambda: model.index(model.row_of("8"), 0).data(Qt.ItemDataRole.BackgroundRole)  # noqa: E731
    clock.advance(0.08)  # 0.8 s of the session: 1.4 s since car 8 crossed
    assert lit() is not None
    clock.advance(0.02)
    assert lit() is None
    controller.stop_clock()


def test_a_row_goes_dark_when_the_clock_stands(make_controller, qtbot, monkeypatch) -> None:
    """After the finish the session clock stands: rows stayed lit for ever (walk 2)."""
    from journey import FakeTime

    clock = FakeTime().install(monkeypatch)
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    controller.submit([*field(["31"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.hold_clock(1000)
    controller.submit([Passing(time_ms=1000, car="31")])
    model.flush()
    background = lambda: model.index(0, Column.CAR).data(Qt.ItemDataRole.BackgroundRole)  # noqa: E731
    assert background() is not None
    clock.advance(2.0)  # real time goes on; the session clock stands at 1000
    qtbot.waitUntil(lambda: background() is None, timeout=2000)
    controller.stop_clock()


def test_the_last_lap_of_the_old_session_best_holder_is_repainted(make_controller, qtbot) -> None:
    """Car 5's last lap 13.706 was the session best (purple); car 7's 13.692 took it: car 5's
    row must be told its Last lap colour changed, else the view keeps it purple."""
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    foreground = Qt.ItemDataRole.ForegroundRole
    controller.submit([FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit([Passing(time_ms=t, car=c) for t, c in ((1000, "5"), (1500, "7"))])
    for t, c in ((14_800, "5"), (15_400, "7"), (28_506, "5")):
        controller.submit([Passing(time_ms=t, car=c)])
    model.flush()
    row = [t[0] for t in _texts(model, Column.CAR)].index("5")
    assert model.index(row, Column.LAST_LAP).data(foreground).name() == "#c77dff"
    repainted: list[tuple[int, int, int, list]] = []
    model.dataChanged.connect(
        lambda a, b, roles: repainted.append((a.row(), a.column(), b.column(), roles))
    )
    controller.submit([Passing(time_ms=29_092, car="7")])
    model.flush()
    row = [t[0] for t in _texts(model, Column.CAR)].index("5")
    assert model.index(row, Column.LAST_LAP).data(foreground).name() != "#c77dff"
    assert any(
        r == row and first <= Column.LAST_LAP <= last and foreground in roles
        for r, first, last, roles in repainted
    ), repainted


def test_column_texts_are_the_cells_display_texts(make_controller, qtbot) -> None:
    """What fitting the columns measures, read in bulk, is what each cell shows."""
    controller = make_controller(QUARTER_MILE_RACE)
    model = LeaderboardModel(controller)
    controller.submit(list(three_car_race()))
    model.set_official_positions({"1": 2, "2": 1})
    model.flush()
    for column in Column:
        cells = [model.index(row, column).data() or "" for row in range(model.rowCount())]
        assert model.column_texts(column) == cells, column
        assert model.column_texts(column, [2, 0, 9]) == [cells[2], cells[0]], column
    assert [model.standing_at(row) for row in range(model.rowCount())] == [
        model.index(row, 0).data(Role.STANDING) for row in range(model.rowCount())
    ]
