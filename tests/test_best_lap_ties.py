"""Ties of best laps: a lap as fast as the car's best is its personal best (green), and purple
is only for the car holding the session best, the first to set it (issue: the walk saw #31
Haley's 13.827, equal to his best, white, and his 14.128 white beside #42 Gragson's green).

The rule's homes: ``engine.rows.is_personal_best`` and ``engine.standings.last_lap_mark``
(``text.board_text.time_mark`` reads it by column).
"""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import Flag, FlagChanged, InvalidateLap, Passing, TimingEngine
from timingboard.text.board_columns import Column
from timingboard.text.board_text import PERSONAL_BEST, SESSION_BEST, time_mark, tooltip_text


def _race(*crossings: tuple[int, str]) -> TimingEngine:
    """Cars 1 and 2, a green at 0, then each (time, car) crossing, one at a time as a feed
    sends them (the log's sequence numbers: 1-3, then 4 on)."""
    events: list = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=t, car=c) for t, c in crossings]
    return run(QUARTER_MILE_RACE, events)


def _marks(engine: TimingEngine, car: str) -> tuple[str, str]:
    row = engine.standing(car)
    return time_mark(row, Column.LAST_LAP), time_mark(row, Column.BEST_LAP)


def test_a_lap_equal_to_the_cars_best_is_its_personal_best() -> None:
    """Car 1: 14.000, 14.100, then 14.000 again (car 2 holds the session best)."""
    engine = _race(
        (1000, "1"), (1200, "2"), (15_000, "1"), (14_700, "2"),
        (29_100, "1"), (43_100, "1"),
    )  # fmt: skip
    row = engine.standing("1")
    assert row.last_lap_ms == 14_000 and row.best_lap_ms == 14_000
    assert row.last_lap_personal_best  # was False: only a lap that improved the best was one
    assert row.best_lap_number == 1  # the best lap stays the first to set it
    assert _marks(engine, "1") == (PERSONAL_BEST, "")
    assert tooltip_text(row, Column.LAST_LAP) == "Personal best"


def test_a_lap_a_thousandth_slower_than_the_best_is_not() -> None:
    engine = _race((1000, "1"), (15_000, "1"), (29_000, "1"), (43_001, "1"))
    row = engine.standing("1")
    assert (row.last_lap_ms, row.best_lap_ms) == (14_001, 14_000)
    assert not row.last_lap_personal_best
    assert _marks(engine, "1") == ("", SESSION_BEST)


def test_a_lap_improving_the_best_by_a_thousandth_is() -> None:
    engine = _race((1000, "1"), (15_000, "1"), (28_999, "1"))
    assert engine.standing("1").last_lap_personal_best
    assert _marks(engine, "1") == (SESSION_BEST, SESSION_BEST)


def test_the_holder_equalling_its_own_session_best_is_purple() -> None:
    engine = _race((1000, "1"), (1500, "2"), (15_000, "1"), (15_600, "2"), (29_000, "1"))
    row = engine.standing("1")
    assert row.holds_session_best and row.last_lap_ms == 14_000
    assert _marks(engine, "1") == (SESSION_BEST, SESSION_BEST)
    assert tooltip_text(row, Column.LAST_LAP) == "Session best"


def test_another_car_equalling_the_session_best_is_green_and_the_first_keeps_purple() -> None:
    """Car 1 sets 14.128 first; car 2 then does 14.128 too: the session best stays car 1's."""
    engine = _race((400, "1"), (2300, "2"), (14_528, "1"), (16_428, "2"))
    assert engine.standing("1").holds_session_best
    assert not engine.standing("2").holds_session_best
    assert _marks(engine, "1") == (SESSION_BEST, SESSION_BEST)
    assert _marks(engine, "2") == (PERSONAL_BEST, "")


def test_a_lap_taken_out_is_no_best_even_as_fast_as_one() -> None:
    engine = _race((1000, "1"), (15_000, "1"), (29_000, "1"))  # passings 4, 5 and 6
    engine.apply(entries([InvalidateLap(passing_id=6)], engine.seq + 1))
    row = engine.standing("1")
    assert row.last_lap_ms == 14_000 and row.best_lap_number == 1
    assert not row.last_lap_personal_best
    assert _marks(engine, "1") == ("", SESSION_BEST)


def test_ties_read_the_same_built_live_and_from_the_log() -> None:
    events: list = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=t, car=c) for t, c in ((400, "1"), (2300, "2"), (14_528, "1"))]
    events += [Passing(time_ms=t, car=c) for t, c in ((16_428, "2"), (28_528, "1"))]
    live = run(QUARTER_MILE_RACE, events)
    built = TimingEngine.from_log(QUARTER_MILE_RACE, entries(events))
    for car in ("1", "2"):
        assert live.standing(car) == built.standing(car)
        assert _marks(live, car) == _marks(built, car)
