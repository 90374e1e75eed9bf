"""A missed passing is one the car has already made: none is inserted after now, and one inserted
(standing or undone) never moves the session's clock, so the time typed crossings get is the
clock's. The walk: @2:00:00 inserted at 0:12 stood the board at 2:00:00, undone and reopened too.
"""

from __future__ import annotations

from pathlib import Path

from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import (
    EndSession,
    Flag,
    FlagChanged,
    InsertPassing,
    Passing,
    Revert,
    TimingEngine,
)
from timingboard.engine.missed_passing import example_ms, insert_problem, latest_ms
from timingboard.engine.session_end import board_clock_ms, board_moment_ms
from timingboard.store import SessionRecorder
from timingboard.text.typed import insert_help

TWO_HOURS = 7_200_000


def missed_third_lap() -> TimingEngine:
    """Car 31 lapping in 10 s; the crossing that ended lap 3 was not read (a 20 s lap)."""
    crossings = [0, 10_000, 20_000, 40_000, 50_000]
    return run(
        QUARTER_MILE_RACE,
        [
            *field(["31"]),
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            *(Passing(time_ms=t, car="31") for t in crossings),
        ],
    )


def then(engine: TimingEngine, *events) -> int:
    """Apply ``events`` after the log; the seq of the first."""
    first = engine.seq + 1
    engine.apply(entries(list(events), first_seq=first))
    return first


# --- now is the latest a missed passing can be --------------------------------------------------


def test_a_missed_passing_exactly_now_is_taken_a_millisecond_later_is_refused() -> None:
    engine = missed_third_lap()
    now = 63_456
    assert insert_problem(engine, "31", now, now) is None
    assert insert_problem(engine, "31", now + 1, now) == (
        "0:01:03.457 is after the session clock (0:01:03.456): a missed passing is one the car "
        "has already made"
    )
    assert insert_problem(engine, "31", TWO_HOURS, now).startswith("2:00:00.000 is after")


def test_in_a_record_now_is_its_last_moment_its_end_included() -> None:
    """A record's clock stands at its last event (the time a car typed in it would get): a
    missed passing may go up to that, or up to the operator's end if later, not after."""
    engine = missed_third_lap()
    assert latest_ms(engine, engine.clock_ms) == 50_000
    assert insert_problem(engine, "31", 60_000, engine.clock_ms) is not None
    then(engine, EndSession(time_ms=61_000, operator="Sam", reason="done"))
    assert board_moment_ms(engine) == 61_000
    assert insert_problem(engine, "31", 61_000, engine.clock_ms) is None
    assert insert_problem(engine, "31", 61_001, engine.clock_ms) is not None


# --- an inserted passing never moves the clock ----------------------------------------------------


def test_an_inserted_passing_undone_leaves_the_clock_where_the_timing_had_it() -> None:
    engine = missed_third_lap()
    assert engine.clock_ms == 50_000
    insert = then(engine, InsertPassing(time_ms=TWO_HOURS, key="31", operator="S", reason="r"))
    assert engine.standing("31").laps == 5  # it counts while it stands ...
    assert engine.clock_ms == 50_000  # ... but is not the clock's: nothing reached 2:00:00
    then(engine, Revert(correction_id=insert, operator="S", reason="typed wrong"))
    assert engine.standing("31").laps == 4
    assert engine.clock_ms == 50_000
    assert board_clock_ms(engine, board_moment_ms(engine)) == 50_000
    then(engine, Passing(time_ms=60_000, car="31"))  # the next crossing: a 10 s lap
    assert engine.standing("31").last_lap_ms == 10_000


def test_a_file_with_an_insert_after_now_undone_reopens_at_its_timing(tmp_path: Path) -> None:
    """As the old code logged it: the insert at 2:00:00 and its undo. Reopened (the snapshot
    and the log alike), the session's latest moment is its last crossing."""
    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*field(["31"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    recorder.submit([Passing(time_ms=t, car="31") for t in (0, 10_000, 20_000)])
    recorder.submit([InsertPassing(time_ms=TWO_HOURS, key="31", operator="S", reason="r")])
    recorder.submit([Revert(correction_id=recorder.engine.seq, operator="S", reason="undo")])
    assert recorder.engine.clock_ms == 20_000
    recorder.close()
    for _ in range(2):  # from the log, then from the snapshot the close kept
        reopened = SessionRecorder.open(path)
        assert reopened.engine.clock_ms == 20_000
        assert board_moment_ms(reopened.engine) == 20_000
        reopened.close()


# --- the dialog's example is one it takes ---------------------------------------------------------


def test_the_example_is_halfway_through_a_lap_of_two_else_a_usual_lap_on() -> None:
    engine = missed_third_lap()
    assert example_ms(engine, "31", 20_000, 70_000) == 30_000  # lap 3, 20 s: two laps
    assert example_ms(engine, "31", 50_000, 70_000) == 60_000  # after the last: a lap on
    assert example_ms(engine, "31", 50_000, 55_000) is None  # 5 s on: shorter than a lap
    assert example_ms(engine, "31", 50_000, 58_500) == 58_500  # no later than now
    for start, now in ((20_000, 70_000), (50_000, 70_000), (50_000, 58_500)):
        example = example_ms(engine, "31", start, now)
        assert example is not None and insert_problem(engine, "31", example, now) is None


def test_the_hint_gives_that_example_or_none_never_one_refused() -> None:
    assert insert_help(50_000, 60_000) == (
        "The time of the missed lap, counted from the passing at 0:00:50.000 (e.g. 10.000), or @ "
        "and the session time the car crossed (@0:01:00.000), no later than now."
    )
    assert insert_help(50_000) == (
        "The time of the missed lap, counted from the passing at 0:00:50.000, or @ and the "
        "session time the car crossed: after that passing and no later than now."
    )
    assert "5:12.345" not in insert_help(None) + insert_help(400_000)
