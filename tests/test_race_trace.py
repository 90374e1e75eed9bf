"""Positions, gaps and caution laps for the race charts, at their boundaries."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, run, three_car_race

from timingboard.engine import Flag, FlagChanged
from timingboard.engine.race_trace import caution_laps, lap_gaps, lap_positions


def _laps(engine, key):
    return [(lap.number, lap.time_ms) for lap in engine.entries[key].timing.laps]


def test_positions_and_gaps_lap_by_lap() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    # car 2 passes car 1 on lap 3 (42300 < 42600); car 3 is last all race
    assert lap_positions(engine.leaders, _laps(engine, "1")) == [1, 1, 2, 2]
    assert lap_positions(engine.leaders, _laps(engine, "2")) == [2, 2, 1, 1]
    assert lap_positions(engine.leaders, _laps(engine, "3")) == [3, 3, 3, 3]
    assert lap_gaps(engine.leaders, _laps(engine, "1")) == [0, 0, 300, 600]
    assert lap_gaps(engine.leaders, _laps(engine, "3")) == [2000, 3500, 4700, 5900]


def test_caution_laps_are_the_leaders_laps_under_yellow_or_red() -> None:
    events = three_car_race()
    events += [
        FlagChanged(time_ms=30_000, flag=Flag.YELLOW),  # during lap 3 (28000..42300)
        FlagChanged(time_ms=43_000, flag=Flag.GREEN),  # lap 4 is completed under green
    ]
    engine = run(QUARTER_MILE_RACE, events)
    assert caution_laps(engine.leaders, engine.flags, engine.start_ms) == [(3, 3, Flag.YELLOW)]
    events.append(FlagChanged(time_ms=50_000, flag=Flag.YELLOW))  # thrown again in lap 4
    engine = run(QUARTER_MILE_RACE, events)
    assert caution_laps(engine.leaders, engine.flags, engine.start_ms) == [(3, 4, Flag.YELLOW)]
    red = run(QUARTER_MILE_RACE, [*three_car_race(), FlagChanged(time_ms=15_000, flag=Flag.RED)])
    assert caution_laps(red.leaders, red.flags, red.start_ms) == [(2, 4, Flag.RED)]
    green = run(QUARTER_MILE_RACE, three_car_race())
    assert caution_laps(green.leaders, green.flags, green.start_ms) == []
