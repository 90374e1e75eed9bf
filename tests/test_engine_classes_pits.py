"""Classes and pit stops as the engine works them out, from race scripts."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, entries, run, two_class_race

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


def test_the_sheet_lists_each_cars_stops_and_its_total_time_in_the_lane() -> None:
    """Car 3 stops twice (21.5 s then 9.25 s: 30.750 in all); car 4 leaves the pit lane with
    no "in" seen (a start from the lane): a stop of unknown length, adding nothing."""
    from timingboard.reports.sheet import build_sheet

    events = [
        *two_class_race(),
        PitLane(key="3", time_ms=31_000, entered=True),
        PitLane(key="3", time_ms=52_500, entered=False),
        PitLane(key="3", time_ms=70_000, entered=True),
        PitLane(key="3", time_ms=79_250, entered=False),
        PitLane(key="4", time_ms=40_000, entered=False),
    ]
    pits = build_sheet(run(QUARTER_MILE_RACE, events)).section("pit_stops")
    assert pits is not None
    by_car = {r["car"]: r for r in pits.rows}
    assert (by_car["3"]["stops"], by_car["3"]["last_stop"], by_car["3"]["total"]) == (
        "2",
        "9.250",
        "30.750",
    )
    assert (by_car["4"]["stops"], by_car["4"]["total"]) == ("1", "")


def test_a_new_class_leader_leaves_the_class_best_with_the_car_that_set_it() -> None:
    """GT: car 3 set the class's best lap (9.0 s) and runs third; car 2 then takes the class
    lead from car 1 with no better lap: car 3 still holds the class best."""
    import dataclasses

    from timingboard.engine import CompetitorSet, Flag, FlagChanged, Passing, TimingEngine

    race = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, min_lap_ms=5000)
    classes = {"1": "GT", "2": "GT", "3": "GT", "9": "Pro"}
    crossings = {
        "3": [0, 9000, 29_000],
        "1": [100, 10_100, 20_100, 30_100],
        "2": [200, 10_250, 20_300, 30_000],
        "9": [500, 12_000, 24_000],
    }
    events: list = [CompetitorSet(key=c, car=c, car_class=n) for c, n in classes.items()]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    timed = sorted((t, car) for car, times in crossings.items() for t in times)
    events += [Passing(time_ms=t, car=car) for t, car in timed]
    engine = TimingEngine(race)
    for entry in entries(events):
        engine.apply([entry])
        engine.standings()  # read after each event, as the window reads it
    gt = [(s.car, s.class_position, s.holds_class_best) for s in engine.standings() if s.car != "9"]
    assert gt == [("2", 1, False), ("1", 2, False), ("3", 3, True)]
    assert engine.standings() == TimingEngine.from_log(race, engine.log).standings()
