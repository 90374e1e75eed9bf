"""What opening a long session costs in memory and on the window's thread, counted (not timed).

The 24-hour session held ~450 MB resident open in the window: its snapshot read back held
every int and name anew (a rebuilt engine shares one object per passing id, time and car), the
passings log measured every one of its rows before it was shown, and the Event view read and
rebuilt the open session's own file again to list it.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from unittest import mock

from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine import Passing
from timingboard.store import SessionRecorder, event_folder, snapshot
from timingboard.store.positional import passing_at


def _race(path: Path, laps: int = 40) -> SessionRecorder:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    last = recorder.engine.clock_ms
    recorder.submit(
        [Passing(time_ms=last + 20_000 * lap + car, car=str(car)) for lap in range(1, laps)
         for car in (1, 2, 3)]
    )  # fmt: skip
    return recorder


def test_names_read_by_position_are_one_string_each() -> None:
    first = passing_at(
        b'{"time_ms": 1, "key": "7", "car": "7", "transponder": "T7", "source": "feed"}'
    )
    second = passing_at(
        b'{"time_ms": 2, "key": "7", "car": "7", "transponder": "T7", "source": "feed"}'
    )
    assert first is not None and second is not None
    assert first.car is second.car and first.transponder is second.transponder


def test_a_snapshot_read_back_shares_ints_and_names_as_the_rebuilt_engine_does(
    tmp_path: Path,
) -> None:
    recorder = _race(tmp_path / "race.tbs")
    engine = snapshot.restore(snapshot.engine_data(recorder.engine), recorder.engine.seq, None)
    recorder.close()
    assert engine is not None
    records = list(engine.passings.values())
    assert len({id(record.car) for record in records}) == len({r.car for r in records})
    for entry in engine.entries.values():
        timing = entry.timing
        for lap, at in zip(timing.laps, timing.lap_times, strict=True):
            assert lap.time_ms == at
            assert engine.passings[lap.passing_id].seq is lap.passing_id
        for time_ms, pid in timing.crossings:
            assert engine.passings[pid].time_ms == time_ms
        # the lap times and passings are packed: no int object for each at all
        assert isinstance(timing.lap_times, array) and isinstance(timing.passings, array)


def test_the_passings_log_measures_no_row_before_it_is_shown(make_controller, qtbot) -> None:
    from timingboard.app.main_window import MainWindow
    from timingboard.qt.passings_model import PassingsModel

    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    controller.submit([Passing(time_ms=900_000 + i * 9_000, car="1") for i in range(300)])
    asked = []
    real = PassingsModel.data

    def data(self, index, role=0):  # type: ignore[no-untyped-def]
        asked.append(index.row())
        return real(self, index, role)

    from PySide6.QtCore import QSettings

    settings = QSettings(
        str(Path(controller.recorder.file.path).with_suffix(".ini")), QSettings.Format.IniFormat
    )
    with mock.patch.object(PassingsModel, "data", data):
        window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    assert asked == []  # each column's width was worked out over every row, before
    window.close()


def test_a_hidden_passings_log_fits_its_columns_to_a_screenful(make_controller, qtbot) -> None:
    """A dock not shown (restored, or tabbed behind another) asked for its width: Qt measured
    every row for it, and each row was made and kept (a 24 h log's 120k, freed at a switch)."""
    from timingboard.qt.passings_model import PassingsModel
    from timingboard.text.passing_text import PassingColumn
    from timingboard.widgets.passings_log import PassingsLogView

    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    controller.submit([Passing(time_ms=900_000 + i * 9_000, car="1") for i in range(300)])
    model = PassingsModel(controller)
    view = PassingsLogView(model)
    qtbot.addWidget(view)
    asked: set[int] = set()
    real = PassingsModel.data

    def data(self, index, role=0):  # type: ignore[no-untyped-def]
        asked.add(index.row())
        return real(self, index, role)

    with mock.patch.object(PassingsModel, "data", data):
        view.minimumSizeHint()
    assert asked and max(asked) < 60 < model.rowCount()
    assert view.horizontalHeader().sectionSize(PassingColumn.LAP) > 0


def test_the_event_view_lists_the_open_session_from_its_engine(
    make_controller, show_window, qtbot
) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    read = []
    real = event_folder.summarise_session

    def summarise_session(path, *args):  # type: ignore[no-untyped-def]
        read.append(path.name)
        return real(path, *args)

    with mock.patch.object(event_folder, "summarise_session", summarise_session):
        window = show_window(controller)
    rows = window.event_actions.model.rows()
    assert "session.tbs" not in read  # it was read and rebuilt whole on the window's thread
    assert [row.path.name for row in rows] == ["session.tbs"]
    from_file = real(controller.recorder.file.path)
    assert (rows[0].laps, rows[0].winner) == (from_file.laps, from_file.winner)
    window.close()
