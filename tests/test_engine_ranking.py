"""The board's order and figures after scripted sessions (no Qt)."""

from __future__ import annotations

import dataclasses

from race_scripts import (
    QUARTER_MILE_QUALIFYING,
    QUARTER_MILE_RACE,
    clash_qualifying,
    entries,
    field,
    laps_at,
    merged_in_time,
    run,
    three_car_race,
)

from timingboard.engine import (
    CarStatus,
    CompetitorSet,
    EndSession,
    Flag,
    FlagChanged,
    Gap,
    Passing,
    PassingStatus,
    TimingEngine,
)
from timingboard.engine.formatting import format_gap, format_lap, format_speed
from timingboard.engine.long_past import settle_record
from timingboard.engine.standings import changed_fields


def test_haley_pole_speed_is_67_099_mph() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, clash_qualifying())
    haley = engine.standing("31")
    assert haley.best_lap_ms == 13413
    assert format_speed(haley.best_speed) == "67.099"
    assert format_lap(haley.best_lap_ms) == "13.413"


def test_qualifying_ranks_by_best_lap_like_the_clash() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, clash_qualifying())
    assert [(s.position, s.driver) for s in engine.standings()] == [
        (1, "Justin Haley"),
        (2, "Kyle Busch"),
        (3, "Christopher Bell"),
        (4, "William Byron"),
    ]
    assert [format_gap(s.gap) for s in engine.standings()] == ["", "+0.140", "+0.156", "+0.183"]
    assert [format_gap(s.interval) for s in engine.standings()] == [
        "",
        "+0.140",
        "+0.016",
        "+0.027",
    ]
    assert engine.standing("31").holds_session_best
    assert not engine.standing("8").holds_session_best


def test_qualifying_tie_goes_to_who_set_it_first() -> None:
    events = [*field(["A", "B", "C"], grid=False), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(laps_at("B", 1000, 14000, 1), laps_at("A", 5000, 14000, 1))
    engine = run(QUARTER_MILE_QUALIFYING, events)
    assert engine.order() == ["B", "A", "C"]  # C has no time: below, in registration order


def test_cars_without_time_keep_registration_order() -> None:
    events = [*field(["7", "3", "5"], grid=False), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += laps_at("5", 1000, 14000, 1)
    assert run(QUARTER_MILE_QUALIFYING, events).order() == ["5", "7", "3"]


def test_race_ranks_by_laps_then_who_crossed_first() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert engine.order() == ["2", "1", "3"]
    two, one, three = engine.standings()
    assert (two.laps, one.laps, three.laps) == (4, 4, 4)
    assert one.gap == Gap(ms=57200 - 56600)
    assert three.interval == Gap(ms=62500 - 57200)
    assert two.gained == 1 and one.gained == -1 and three.gained == 0
    assert engine.standing("1").laps_led == 2 and engine.standing("2").laps_led == 2


def test_lapped_car_shows_laps_down() -> None:
    events = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(laps_at("1", 0, 10000, 5), laps_at("2", 500, 20000, 2))
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.standing("2").gap == Gap(laps=2)
    assert format_gap(engine.standing("2").gap) == "+2 laps"


def test_cars_with_no_lap_stay_in_grid_order() -> None:
    events = [*field(["9", "4", "6"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += laps_at("6", 0, 14000, 1)
    assert run(QUARTER_MILE_RACE, events).order() == ["6", "9", "4"]


def test_first_crossing_completes_a_lap_from_the_green_when_set() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, first_crossing_completes_lap=True)
    events = [*field(["1"]), FlagChanged(time_ms=5000, flag=Flag.GREEN)]
    events += [Passing(time_ms=19000, car="1"), Passing(time_ms=33000, car="1")]
    engine = run(settings, events)
    assert engine.laps("1")[0].duration_ms == 14000
    assert engine.standing("1").laps == 2
    assert run(QUARTER_MILE_RACE, events).standing("1").laps == 1


def test_double_read_is_kept_but_ignored() -> None:
    events = [*field(["1"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=t, car="1") for t in (1000, 15000, 15300, 29000)]
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.standing("1").laps == 2
    assert [lap.duration_ms for lap in engine.laps("1")] == [14000, 14000]
    double = next(pid for pid, rec in engine.passings.items() if rec.time_ms == 15300)
    assert engine.passing_status(double) is PassingStatus.DOUBLE_READ


def test_passing_for_unknown_car_is_shown_not_dropped() -> None:
    events = [*field(["1"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=1000, car="88"), Passing(time_ms=15000, car="88")]
    engine = run(QUARTER_MILE_RACE, events)
    unknown = engine.standing("?88")
    assert unknown.car == "88" and not unknown.known and unknown.laps == 1
    assert engine.order() == ["?88", "1"]


def test_unknown_car_joins_its_competitor_once_registered() -> None:
    events = [FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=1000, transponder="555"), Passing(time_ms=15000, transponder="555")]
    events.append(CompetitorSet(key="K1", car="31", driver="Haley", transponders=("555",)))
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.order() == ["K1"]
    assert engine.standing("K1").laps == 1 and engine.standing("K1").car == "31"


def test_car_numbers_are_strings_01_is_not_1() -> None:
    events = [*field(["1", "01"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=1000, car="01"), Passing(time_ms=15000, car="01")]
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.standing("01").laps == 1 and engine.standing("1").laps == 0


def test_after_checkered_each_car_is_classified_at_its_next_crossing() -> None:
    events = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(laps_at("1", 0, 14000, 3), laps_at("2", 100, 14050, 2))
    events.append(FlagChanged(time_ms=42000, flag=Flag.CHECKERED))
    events += [Passing(time_ms=42250, car="2"), Passing(time_ms=56000, car="1")]
    events += [Passing(time_ms=56400, car="2")]
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.order() == ["1", "2"]
    assert engine.standing("1").laps == 3 and engine.standing("1").status is CarStatus.FINISHED
    assert engine.standing("2").laps == 3 and engine.standing("2").status is CarStatus.FINISHED


def test_a_qualifyings_cars_in_before_the_flag_are_finished_once_it_is_ended() -> None:
    """Cars 1 and 2 run their laps and come in; car 3 never goes out. Before the checkered all
    run; after it the two that went out still run (neither took the flag: the board cannot tell
    a car in the pit lane from one on its lap), car 3 is DNS (it set no time). Once the session
    is ended (the operator's end, or the timing system's) they are finished on their best laps,
    as the sheet has it; so they are in a record of an earlier day finished with no end logged
    (engine.long_past: such a file read so before an operator could end a session). In a race a
    car that stopped is not finished."""
    events = [*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(laps_at("1", 0, 14000, 3), laps_at("2", 100, 14050, 2))
    engine = run(QUARTER_MILE_QUALIFYING, events)
    assert {engine.standing(k).status for k in "123"} == {CarStatus.RUNNING}
    flag = FlagChanged(time_ms=60_000, flag=Flag.CHECKERED)
    engine.apply(entries([flag], engine.seq + 1))
    statuses = [engine.standing(k).status for k in "123"]
    assert statuses == [CarStatus.RUNNING, CarStatus.RUNNING, CarStatus.DNS]
    record = run(QUARTER_MILE_QUALIFYING, [*events, flag])
    assert settle_record(record, origin_s=0.0, now_s=3 * 86_400.0)
    assert [record.standing(k).status for k in "123"] == [CarStatus.FINISHED] * 2 + [CarStatus.DNS]
    engine.apply(entries([EndSession(time_ms=70_000)], engine.seq + 1))
    statuses = [engine.standing(k).status for k in "123"]
    assert statuses == [CarStatus.FINISHED, CarStatus.FINISHED, CarStatus.DNS]
    race = run(QUARTER_MILE_RACE, [*events, flag])
    assert race.standing("2").status is CarStatus.RUNNING  # its last lap short of the flag


def test_race_to_laps_finishes_when_the_leader_completes_them() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=2)
    events = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(laps_at("1", 0, 14000, 4), laps_at("2", 100, 14300, 4))
    engine = run(settings, events)
    assert engine.finish_ms == 28000
    assert [engine.standing(k).laps for k in ("1", "2")] == [2, 2]


def test_race_to_time_finishes_at_the_leaders_first_crossing_after_time() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, race_duration_ms=30000)
    events = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(laps_at("1", 0, 14000, 5), laps_at("2", 100, 14300, 5))
    engine = run(settings, events)
    assert engine.finish_ms == 42000
    assert engine.standing("1").laps == 3 and engine.standing("2").laps == 3


def test_each_event_reports_only_rows_it_changed() -> None:
    events = [*field(["1", "2", "3", "4"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(*(laps_at(c, 100 * i, 14000, 2) for i, c in enumerate("1234")))
    engine = run(QUARTER_MILE_RACE, events)
    before = {row.key: row for row in engine.standings()}
    change = engine.apply(entries([Passing(time_ms=42100, car="1")], engine.seq + 1))
    assert not change.ops
    assert change.changed == {"1", "2"}  # the car that crossed, and the interval behind it
    after = {row.key: row for row in engine.standings()}
    assert [key for key in after if after[key] != before[key]] == ["1"]
    fields = changed_fields(before["1"], after["1"])
    assert {"laps", "last_lap_ms", "total_ms", "last_crossing_ms"} <= fields
    assert "driver" not in fields


def test_from_scratch_equals_incremental_on_the_demo_heat() -> None:
    from timingboard.demo.clash import FIELD, heat_race

    heat = heat_race([row[0] for row in FIELD[:9]])
    events = [*heat.competitors, *(event for _, event in heat.events)]
    engine = run(heat.settings, events)
    assert TimingEngine.from_log(heat.settings, engine.log).standings() == engine.standings()
    assert engine.standings()[0].laps == 25


def test_laps_carry_personal_and_session_best_marks() -> None:
    from timingboard.engine.lap_marks import session_best_laps

    events = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    one = [Passing(time_ms=t, car="1") for t in (0, 14000, 27900, 42000)]  # 14.0, 13.9, 14.1
    two = [Passing(time_ms=t, car="2") for t in (100, 14200, 28000, 41700)]  # 14.1, 13.8, 13.7
    engine = run(QUARTER_MILE_RACE, [*events, *merged_in_time(one, two)])
    assert [lap.personal_best for lap in engine.laps("1")] == [True, True, False]
    assert [lap.personal_best for lap in engine.laps("2")] == [True, True, True]
    marked = session_best_laps(engine)
    flags = {key: [lap.passing_id in marked for lap in engine.laps(key)] for key in ("1", "2")}
    assert flags == {"1": [True, True, False], "2": [False, True, True]}
