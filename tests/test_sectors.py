"""Sector times from sector-line crossings: S1/S2/S3, bests in purple and green, from P3 loops."""

from __future__ import annotations

from timingboard.engine import TimingEngine
from timingboard.engine.events import (
    CompetitorSet,
    Flag,
    FlagChanged,
    InvalidateLap,
    LogEntry,
    Passing,
    SectorCrossing,
)
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.feeds.p3_parser import passing
from timingboard.feeds.p3_session import LineKind, P3Mapper, TimingLine

SETTINGS = SessionSettings(name="Practice", kind=SessionKind.PRACTICE, min_lap_ms=5000)


def _engine(*events) -> TimingEngine:
    base = [
        CompetitorSet(key="31", car="31", driver="Justin Haley"),
        CompetitorSet(key="8", car="8", driver="Kyle Busch"),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
    ]
    log = [LogEntry(i + 1, e) for i, e in enumerate([*base, *events])]
    engine = TimingEngine(SETTINGS)
    for entry in log:  # one event at a time, as they come live
        engine.apply([entry])
    assert engine.standings() == TimingEngine.from_log(SETTINGS, log).standings()
    return engine


def _lap(key: str, start: int, s1: int, s2: int, s3: int) -> list:
    return [
        SectorCrossing(key=key, time_ms=start + s1, sector=1),
        SectorCrossing(key=key, time_ms=start + s1 + s2, sector=2),
        Passing(time_ms=start + s1 + s2 + s3, key=key),
    ]


def test_a_lap_is_split_at_its_sector_lines() -> None:
    engine = _engine(Passing(time_ms=1000, key="31"), *_lap("31", 1000, 4100, 4200, 5100))
    row = engine.standing("31")
    assert row.sectors == (4100, 4200, 5100)
    assert row.last_lap_ms == 13400
    assert row.sector_marks == ("session", "session", "session")


def test_sectors_of_the_lap_in_progress_replace_the_last_laps_as_they_come() -> None:
    engine = _engine(
        Passing(time_ms=1000, key="31"),
        *_lap("31", 1000, 4100, 4200, 5100),
        SectorCrossing(key="31", time_ms=14400 + 4300, sector=1),
    )
    assert engine.standing("31").sectors == (4300, None, None)
    assert engine.standing("31").sector_marks == ("", "", "")  # slower than its best S1


def test_a_missed_sector_line_leaves_that_sector_and_the_next_without_a_time() -> None:
    engine = _engine(
        Passing(time_ms=1000, key="31"),
        *_lap("31", 1000, 4100, 4200, 5100),
        SectorCrossing(key="31", time_ms=14400 + 4000, sector=1),
        Passing(time_ms=14400 + 13500, key="31"),  # sector line 2 missed
    )
    assert engine.sector_count == 3
    assert engine.standing("31").sectors == (4000, None, None)
    assert engine.car_sectors["31"].best == (4000, 4200, 5100)


def test_a_track_with_one_sector_line_has_two_sectors() -> None:
    engine = _engine(
        Passing(time_ms=1000, key="31"),
        SectorCrossing(key="31", time_ms=5100, sector=1),
        Passing(time_ms=14400, key="31"),
    )
    assert engine.sector_count == 2
    assert engine.standing("31").sectors == (4100, 9300)


def test_personal_bests_are_green_and_the_session_best_purple_and_it_changes_hands() -> None:
    engine = _engine(
        Passing(time_ms=1000, key="31"),
        Passing(time_ms=1500, key="8"),
        *_lap("31", 1000, 4100, 4200, 5100),
        *_lap("8", 1500, 4000, 4300, 5200),
    )
    assert engine.standing("8").sector_marks == ("session", "personal", "personal")
    assert engine.standing("31").sector_marks == ("personal", "session", "session")
    assert engine.sector_bests[0] == (4000, "8")


def test_an_invalid_lap_shows_its_sectors_but_sets_no_best() -> None:
    engine = _engine(
        Passing(time_ms=1000, key="31"),
        *_lap("31", 1000, 4100, 4200, 5100),
        *_lap("31", 14400, 3900, 4250, 5150),
    )
    pid = engine.entries["31"].timing.crossings[-1][1]
    engine.apply([LogEntry(engine.seq + 1, InvalidateLap(passing_id=pid))])
    row = engine.standing("31")
    assert row.sectors == (3900, 4250, 5150)
    assert engine.car_sectors["31"].best == (4100, 4200, 5100)
    assert row.sector_marks == ("", "", "")


def test_p3_sector_loops_time_the_sectors_on_the_board(make_controller, show_window) -> None:
    from PySide6.QtCore import Qt

    from timingboard.qt.leaderboard_model import Column

    entries = [CompetitorSet(key="31", car="31", driver="Justin Haley", transponders=("1031",))]
    lines = {1: TimingLine(), 2: TimingLine(LineKind.SECTOR, 1), 3: TimingLine(LineKind.SECTOR, 2)}
    controller = make_controller(P3Mapper().session.settings)
    mapper = P3Mapper(lines=lines, entries=entries, key_of=controller.engine.transponder_owner)
    zero = 1_700_000_000_000_000
    records = [passing(1, 1031, zero, decoder_id=1)]
    for lap, (s1, s2, s3) in enumerate([(4.1, 4.2, 5.1), (4.0, 4.4, 5.0)]):
        start = zero + lap * 13_400_000
        records += [
            passing(10 + lap, 1031, start + int(s1 * 1e6), decoder_id=2),
            passing(20 + lap, 1031, start + int((s1 + s2) * 1e6), decoder_id=3),
            passing(2 + lap, 1031, start + int((s1 + s2 + s3) * 1e6), decoder_id=1),
        ]
    window = show_window(controller)
    for group in mapper.take_in_turn(records):
        assert controller.submit(group)
    assert mapper.skipped == []
    window.board_model.flush()
    assert not window.board.isColumnHidden(Column.S1)  # offered once a sector line is seen
    row = window.board_model.row_of("31")
    cells = [window.board_model.index(row, c).data() for c in (Column.S1, Column.S2, Column.S3)]
    assert cells == ["4.000", "4.400", "5.000"]
    assert window.board_model.headerData(Column.S2, Qt.Orientation.Horizontal) == "S2"
    purple = window.board_model.index(row, Column.S1).data(Qt.ItemDataRole.ForegroundRole)
    assert purple is not None  # the session's best S1
    assert window.board_model.index(row, Column.S2).data(Qt.ItemDataRole.ForegroundRole) is None
    window.close()


def test_a_sector_line_read_at_the_moment_of_the_finish_line_times_no_sector() -> None:
    """Sector line 2 read at the very millisecond car 31 crossed the line: no sector of
    0.000 s; that lap's sector 2 and 3 have no time, as with a line missed."""
    engine = _engine(
        Passing(time_ms=1000, key="31"),
        SectorCrossing(key="31", time_ms=1000 + 4100, sector=1),
        SectorCrossing(key="31", time_ms=14_400, sector=2),
        Passing(time_ms=14_400, key="31"),
    )
    assert engine.standing("31").last_lap_ms == 13_400
    assert engine.standing("31").sectors == (4100, None, None)
