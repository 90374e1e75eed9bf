"""Classes and pit stops as the engine works them out, from race scripts."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, run, two_class_race

from timingboard.engine import Gap, PitLane


def test_each_car_has_its_place_gap_and_best_in_its_class() -> None:
    engine = run(QUARTER_MILE_RACE, two_class_race())
    rows = {s.car: s for s in engine.standings()}
    assert [(s.car, s.class_position) for s in engine.standings()] == [
        ("2", 1),
        ("1", 2),
        ("3", 1),
        ("4", 2),
    ]
    assert rows["2"].class_gap is None
    assert rows["1"].class_gap == Gap(ms=(300 + 6 * 14_200) - (100 + 6 * 14_000))
    assert rows["4"].class_gap == Gap(laps=1)
    assert [s.car for s in engine.standings() if s.holds_class_best] == ["2", "3"]


def test_pit_stops_count_with_their_lap_and_time_in_the_lane() -> None:
    events = [
        *two_class_race(),
        PitLane(key="3", time_ms=31_000, entered=True),
        PitLane(key="3", time_ms=52_500, entered=False),
        PitLane(key="3", time_ms=70_000, entered=True),
    ]
    row = run(QUARTER_MILE_RACE, events).standing("3")
    assert (row.pit_stops, row.last_pit_lap, row.in_pit) == (2, 5, True)
    assert row.last_pit_ms is None  # still in the lane
    row = run(QUARTER_MILE_RACE, events[:-1]).standing("3")
    assert (row.pit_stops, row.last_pit_lap, row.last_pit_ms, row.in_pit) == (1, 3, 21_500, False)
