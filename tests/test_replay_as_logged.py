"""A replay shows each correction from the moment it was made, not from the crossing it names.

A new-user walk typed a few crossings, then a minute or so in inserted a missed lap for car 20
(logged at about 1:08) and gave car 2 a 5 s time penalty (1:18); ``timingboard replay FILE
--at 1:00`` showed both: each event was stamped with the session time reached (the last
crossing, 0:57), not when it was logged. The file keeps the wall clock each event was written
at; a replay runs the session clock on from the crossing before (never past the next one).
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt
from race_scripts import QUARTER_MILE_RACE, entries, field

from timingboard.app.run import build_replay_window
from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.engine.events import DeletePassing, InsertPassing, TimePenalty
from timingboard.engine.replay import ReplayTimeline, stamps_of
from timingboard.store import SessionRecorder
from timingboard.store.replay_source import ReplaySource
from timingboard.text.board_columns import Column

CROSSINGS = [
    (14_000, "1"),
    (14_500, "2"),
    (15_000, "20"),
    (28_000, "1"),
    (28_600, "2"),
    (42_000, "1"),
    (43_000, "2"),
    (44_000, "20"),
    (56_000, "1"),
    (57_000, "2"),
]
INSERT_LOGGED_S, PENALTY_LOGGED_S = 68.0, 78.0
INSERT = InsertPassing(time_ms=29_500, key="20", operator="Sam", reason="missed", at="")
PENALTY = TimePenalty(key="2", ms=5000, operator="Sam", reason="jumped the start", at="")


@pytest.fixture
def walk_file(tmp_path: Path) -> Path:
    """The session as the walk left it: each crossing typed as the car crossed (the file's
    clock), the corrections made later, each written at its own moment of the wall clock."""
    path = tmp_path / "walk-race.tbs"
    zero = time.time() - 3600
    now = [zero]
    with mock.patch("timingboard.store.session_file.time.time", side_effect=lambda: now[0]):
        recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
        recorder.submit([*field(["1", "2", "20"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
        for time_ms, car in CROSSINGS:
            now[0] = zero + time_ms / 1000
            recorder.submit([Passing(time_ms=time_ms, car=car)])
        now[0] = zero + INSERT_LOGGED_S
        recorder.submit([INSERT])
        now[0] = zero + PENALTY_LOGGED_S
        recorder.submit([PENALTY])
        recorder.close()
    return path


def board(window) -> list[tuple[str, ...]]:
    model = window.board_model
    model.flush()
    shown = (Column.POSITION, Column.CAR, Column.LAPS, Column.GAP, Column.STATUS)
    return [
        tuple(str(model.index(row, c).data() or "") for c in shown)
        for row in range(model.rowCount())
    ]


def replayed_at(path: Path, at_ms: int, tmp_path: Path, qtbot) -> list[tuple[str, ...]]:
    """``timingboard replay FILE --at T``: the window as the command builds it."""
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = build_replay_window(ReplaySource.open(path), at_ms, False, settings)
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    try:
        return board(window)
    finally:
        window.replay.driver.close()
        window.close()
        window.controller.close()


NEITHER = [
    ("1", "1", "3", "", ""),
    ("2", "2", "3", "+1.000", ""),
    ("3", "20", "1", "+1 lap", ""),
]
INSERTED = [*NEITHER[:2], ("3", "20", "2", "+2.000", "")]
# car 2, ahead by its 3 laps, passed 20 since 20's last crossing: a lap down now, as on the sheet
BOTH = [NEITHER[0], ("2", "2", "3", "+6.000", "+5.000 s"), ("3", "20", "2", "+1 lap", "")]


def test_replay_at_a_moment_shows_no_correction_made_after_it(walk_file, tmp_path, qtbot) -> None:
    assert replayed_at(walk_file, 60_000, tmp_path, qtbot) == NEITHER  # --at 1:00
    assert replayed_at(walk_file, 67_999, tmp_path, qtbot) == NEITHER
    assert replayed_at(walk_file, 68_000, tmp_path, qtbot) == INSERTED
    assert replayed_at(walk_file, 77_999, tmp_path, qtbot) == INSERTED
    assert replayed_at(walk_file, 78_000, tmp_path, qtbot) == BOTH


def test_the_replay_lasts_until_the_last_correction_and_ends_as_the_file_stands(walk_file):
    timeline = ReplaySource.open(walk_file).timeline
    assert timeline.duration_ms == 78_000
    assert timeline.passing_times()[-1] == 68_000  # → steps to when the lap was inserted
    end = timeline.engine_at(timeline.prefix_at(timeline.duration_ms))
    assert end.standings() == timeline.final().standings()


# --- the stamps, at the boundary --------------------------------------------------------------


def _stamped(events: list, logged_s: list[float]) -> list[int]:
    log = entries(events)
    return stamps_of(log, logged_s)


def test_a_correction_is_stamped_when_it_was_logged() -> None:
    events = [FlagChanged(time_ms=0, flag=Flag.GREEN), Passing(time_ms=10_000, car="1"), PENALTY]
    assert _stamped(events, [100.0, 110.0, 125.5]) == [0, 10_000, 25_500]
    timeline = ReplayTimeline(QUARTER_MILE_RACE, entries(events), logged_at=[100, 110, 125.5])
    assert timeline.prefix_at(25_499) == 2  # just before it was made: not there
    assert timeline.prefix_at(25_500) == 3


def test_an_inserted_passing_shows_when_it_was_inserted_not_at_its_crossing() -> None:
    events = [Passing(time_ms=0, car="1"), Passing(time_ms=40_000, car="1"), INSERT]
    assert _stamped(events, [0.0, 40.0, 68.0]) == [0, 40_000, 68_000]


def test_a_correction_is_never_stamped_past_the_crossing_logged_after_it() -> None:
    """A timing system's clock need not keep pace with the wall (a feed's own time, a demo
    sped up): what it said next is the clock, and the passings keep their times."""
    events = [
        Passing(time_ms=0, car="1"),
        PENALTY,
        DeletePassing(passing_id=1),
        Passing(time_ms=5_000, car="1"),
        Passing(time_ms=9_000, car="1"),
    ]
    assert _stamped(events, [0.0, 4.0, 30.0, 31.0, 32.0]) == [0, 4_000, 5_000, 5_000, 9_000]


def test_without_the_times_logged_or_written_at_once_stamps_are_the_time_reached() -> None:
    """A recorded stream keeps no wall clock; an import writes all its events at once."""
    events = [Passing(time_ms=0, car="1"), Passing(time_ms=50_000, car="1"), PENALTY]
    assert stamps_of(entries(events)) == [0, 50_000, 50_000]
    assert _stamped(events, [7.0, 7.0, 7.0]) == [0, 50_000, 50_000]


def test_a_late_passing_does_not_move_the_clock_a_correction_runs_from() -> None:
    events = [Passing(time_ms=20_000, car="1"), Passing(time_ms=19_000, car="2"), PENALTY]
    assert _stamped(events, [20.0, 26.0, 27.0]) == [20_000, 20_000, 27_000]


def test_stamps_never_go_back_though_the_wall_clock_did() -> None:
    events = [Passing(time_ms=0, car="1"), PENALTY, PENALTY, Passing(time_ms=9_000, car="1")]
    assert _stamped(events, [0.0, 5.0, 3.0, 9.0]) == [0, 5_000, 5_000, 9_000]


def test_corrections_after_the_race_stand_just_after_its_end() -> None:
    """The clock stands once the cars are in under the checkered flag (the window shows the
    finish): a penalty given later, or the next day, is a millisecond after the last crossing,
    not a day of empty timeline; the board at the finish is still as it stood then."""
    events = [
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=50_000, car="1"),
        FlagChanged(time_ms=55_000, flag=Flag.CHECKERED),
        Passing(time_ms=60_000, car="1"),
        PENALTY,
        PENALTY,
    ]
    logged = [0.0, 50.0, 55.0, 60.0, 60.0 + 600, 60.0 + 86_400]
    assert _stamped(events, logged) == [0, 50_000, 55_000, 60_000, 60_001, 60_002]
    at_once = [0, 50_000, 55_000, 60_000, 60_000]  # written with the crossing: at it, as ever
    assert _stamped([*events[:4], PENALTY], [*logged[:4], 60.0]) == at_once


def test_a_correction_under_the_checkered_before_the_last_car_is_in_runs_with_the_clock() -> None:
    events = [
        FlagChanged(time_ms=55_000, flag=Flag.CHECKERED),
        Passing(time_ms=60_000, car="1"),
        PENALTY,
        Passing(time_ms=90_000, car="2"),
    ]
    assert _stamped(events, [55.0, 60.0, 70.0, 90.0]) == [55_000, 60_000, 70_000, 90_000]


_EVENT = st.one_of(
    st.builds(lambda t: Passing(time_ms=t, car="1"), st.integers(0, 100_000)),
    st.builds(
        lambda t, c: FlagChanged(time_ms=t, flag=Flag.CHECKERED if c else Flag.GREEN),
        st.integers(0, 100_000),
        st.booleans(),
    ),
    st.just(PENALTY),
    st.builds(lambda t: InsertPassing(time_ms=t, key="1"), st.integers(0, 100_000)),
)


@settings(max_examples=200, deadline=None)
@given(
    events=st.lists(_EVENT, min_size=1, max_size=30),
    gaps=st.lists(st.floats(-5, 600, allow_nan=False), min_size=30, max_size=30),
)
def test_stamps_by_when_logged_never_go_back_nor_move_a_passing(events, gaps) -> None:
    """Whatever the wall clock did: the stamps never go back, a passing or flag keeps the
    stamp it had (the time reached), and no event is stamped before that."""
    logged = list(itertools.accumulate(gaps[: len(events)], initial=1000.0))[1:]
    log = entries(events)
    reached = stamps_of(log)
    stamped = stamps_of(log, logged)
    assert stamped == sorted(stamped)
    assert all(s >= r for s, r in zip(stamped, reached, strict=True))
    for event, s, r in zip(events, stamped, reached, strict=True):
        if isinstance(event, Passing | FlagChanged):
            assert s == r


# --- the walk, through the window -------------------------------------------------------------


@pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")
def test_corrections_made_in_the_window_replay_from_when_they_were_made(
    qtbot, tmp_path, monkeypatch, open_window
) -> None:
    """Crossings typed as the cars cross, then right-click ▸ Insert a missed lap at 1:08 and a
    time penalty at 1:18; ``replay FILE --at`` 1:00, 1:10 and 1:20."""
    from journey import FakeTime, close_session_window
    from test_journeys_corrections import (
        board_row,
        click_item,
        confirm,
        focused,
        open_dialog,
        press,
        right_click,
        type_text,
    )

    from timingboard.store import session_file

    clock = FakeTime().install(monkeypatch)
    monkeypatch.setattr(session_file, "time", SimpleNamespace(time=clock.wall))  # written at
    path = tmp_path / "walk-race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(field(["1", "2", "20"]))
    recorder.close()
    window = open_window(path)
    qtbot.waitUntil(lambda: focused() is window.entry_panel.car_field)
    press(qtbot, Qt.Key.Key_F5)
    at_s = 0.0
    for time_ms, car in CROSSINGS:
        clock.advance(time_ms / 1000 - at_s)
        at_s = time_ms / 1000
        type_text(qtbot, car)
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.header.passings.text() == "10 passings")
    clock.advance(INSERT_LOGGED_S - at_s)
    click_item(right_click(window.board, board_row(window, "20")), "insert")
    dialog = open_dialog(qtbot, window)
    assert focused().currentText().startswith("Completes lap 2: after its last crossing")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "14.500")
    confirm(qtbot, dialog)
    clock.advance(PENALTY_LOGGED_S - INSERT_LOGGED_S)
    click_item(right_click(window.board, board_row(window, "2")), "time_penalty")
    dialog = open_dialog(qtbot, window)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "jumped the start")
    confirm(qtbot, dialog)
    close_session_window(window)

    def laps_and_status(at_ms: int) -> list[tuple[str, str, str]]:
        return [(row[1], row[2], row[4]) for row in replayed_at(path, at_ms, tmp_path, qtbot)]

    neither = [("1", "3", ""), ("2", "3", ""), ("20", "1", "")]
    inserted = [("1", "3", ""), ("2", "3", ""), ("20", "2", "")]
    assert laps_and_status(60_000) == neither  # --at 1:00
    assert laps_and_status(70_000) == inserted
    assert laps_and_status(80_000) == [("1", "3", ""), ("2", "3", "+5.000 s"), ("20", "2", "")]
