"""Classes and pit stops as the engine works them out, from race scripts."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, laps_at, merged_in_time, run

from timingboard.engine import CompetitorSet, Flag, FlagChanged, Gap, PitLane


def _two_class_race() -> list:
    """Cars 1 and 2 in GT (2 the faster), 3 and 4 in Pro (4 a lap down by the end)."""
    field = [
        CompetitorSet(key=car, car=car, driver=f"Driver {car}", car_class=cls)
        for car, cls in (("1", "GT"), ("2", "GT"), ("3", "Pro"), ("4", "Pro"))
    ]
    passings = merged_in_time(
        laps_at("2", 100, 14_000, 6),
        laps_at("1", 300, 14_200, 6),
        laps_at("3", 500, 15_000, 5),
        laps_at("4", 700, 20_000, 3),
    )
    return [*field, FlagChanged(time_ms=0, flag=Flag.GREEN), *passings]


def test_each_car_has_its_place_gap_and_best_in_its_class() -> None:
    engine = run(QUARTER_MILE_RACE, _two_class_race())
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
        *_two_class_race(),
        PitLane(key="3", time_ms=31_000, entered=True),
        PitLane(key="3", time_ms=52_500, entered=False),
        PitLane(key="3", time_ms=70_000, entered=True),
    ]
    row = run(QUARTER_MILE_RACE, events).standing("3")
    assert (row.pit_stops, row.last_pit_lap, row.in_pit) == (2, 5, True)
    assert row.last_pit_ms is None  # still in the lane
    row = run(QUARTER_MILE_RACE, events[:-1]).standing("3")
    assert (row.pit_stops, row.last_pit_lap, row.last_pit_ms, row.in_pit) == (1, 3, 21_500, False)
