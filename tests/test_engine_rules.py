"""Engine rules the window tests reached only through Qt, stated here on the engine itself.

Where a missed passing may go and when its time is refused, what a correction would change,
when a session is over, the board at a moment, the replay's timeline: each at its boundary.
"""

from __future__ import annotations

import dataclasses

from race_scripts import QUARTER_MILE_RACE, entries, field, laps_at, run, three_car_race

from timingboard.engine import (
    CompetitorSet,
    Disqualify,
    Flag,
    FlagChanged,
    InsertPassing,
    LapPenalty,
    Passing,
    Retire,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.audit import PositionChange, preview
from timingboard.engine.classes import class_names
from timingboard.engine.history import entries_until
from timingboard.engine.lineups import straight_up
from timingboard.engine.missed_passing import (
    FALLBACK_FLOOR_MS,
    LapSlot,
    floor_ms,
    insert_problem,
    lap_slots,
    likely_slot,
)
from timingboard.engine.replay import ReplayTimeline
from timingboard.engine.session_end import over_at
from timingboard.engine.standings import CarStatus

GREEN = FlagChanged(time_ms=0, flag=Flag.GREEN)
NO_MINIMUM = dataclasses.replace(QUARTER_MILE_RACE, min_lap_ms=0)


def missed_third_lap() -> TimingEngine:
    """Car 31 lapping in 10 s; the crossing that ended lap 3 was not read (a 20 s lap)."""
    crossings = [0, 10_000, 20_000, 40_000, 50_000]
    return run(
        QUARTER_MILE_RACE,
        [*field(["31"]), GREEN, *(Passing(time_ms=t, car="31") for t in crossings)],
    )


def steady_then(last_lap_ms: int) -> TimingEngine:
    """Three 10 s laps, then one of ``last_lap_ms``."""
    times = [0, 10_000, 20_000, 30_000, 30_000 + last_lap_ms]
    return run(NO_MINIMUM, [*field(["7"]), GREEN, *(Passing(time_ms=t, car="7") for t in times)])


# --- where a missed passing goes --------------------------------------------------------------


def test_the_slots_are_the_laps_seen_then_the_stretch_after_the_last_passing() -> None:
    slots = lap_slots(missed_third_lap(), "31")
    assert slots == [
        LapSlot(1, 0, 10_000),
        LapSlot(2, 10_000, 20_000),
        LapSlot(3, 20_000, 40_000, suspect=True),
        LapSlot(4, 40_000, 50_000),
        LapSlot(5, 50_000, None),
    ]
    assert [s.text for s in slots[2:]] == [
        "Lap 3: 20.000 — looks like two laps",
        "Lap 4: 10.000",
        "After its last passing (lap 5, from 0:00:50.000)",
    ]


def test_a_lap_looks_like_two_from_1_75_to_2_3_times_the_usual_one() -> None:
    def suspect(last_lap_ms: int) -> bool:
        return lap_slots(steady_then(last_lap_ms), "7")[3].suspect

    assert not suspect(17_499)
    assert suspect(17_500)
    assert suspect(23_000)
    assert not suspect(23_001)


def test_a_single_lap_never_looks_like_two() -> None:
    engine = run(NO_MINIMUM, [*field(["7"]), GREEN, *laps_at("7", 0, 25_000, 1)])
    assert [s.suspect for s in lap_slots(engine, "7")] == [False, False]


def test_a_car_with_no_passing_has_no_slot() -> None:
    assert lap_slots(run(QUARTER_MILE_RACE, [*field(["7"]), GREEN]), "7") == []


def test_the_likely_slot_is_the_last_lap_that_looks_like_two_else_the_open_stretch() -> None:
    plain = [LapSlot(1, 0, 10), LapSlot(2, 10, None)]
    assert likely_slot(plain) == 1
    two = [LapSlot(1, 0, 20, True), LapSlot(2, 20, 30), LapSlot(3, 30, 50, True)]
    assert likely_slot([*two, LapSlot(4, 50, 60), LapSlot(5, 60, None)]) == 2


def test_the_floor_is_the_minimum_lap_else_half_the_best_else_a_second() -> None:
    assert floor_ms(missed_third_lap()) == (8000, "the session's minimum lap")
    assert floor_ms(steady_then(9_001)) == (4500, "half the session's best lap")
    assert floor_ms(run(NO_MINIMUM, [*field(["7"]), GREEN])) == (FALLBACK_FLOOR_MS, "a second")
    assert FALLBACK_FLOOR_MS == 1000


def test_a_missed_passing_may_make_laps_of_exactly_the_minimum() -> None:
    engine = missed_third_lap()
    assert insert_problem(engine, "31", 28_000) is None
    assert insert_problem(engine, "31", 32_000) is None
    assert insert_problem(engine, "31", 27_999) == (
        "that makes a lap of 7.999 s after the passing at 0:00:20.000: "
        "shorter than the session's minimum lap (8.000)"
    )
    assert insert_problem(engine, "31", 32_001) == (
        "that leaves 7.999 s to the passing at 0:00:40.000: "
        "shorter than the session's minimum lap (8.000)"
    )


def test_a_missed_passing_on_a_passing_already_there_is_refused() -> None:
    assert insert_problem(missed_third_lap(), "31", 40_000) is not None


def test_a_missed_passing_after_the_last_one_is_checked_against_it_alone() -> None:
    engine = missed_third_lap()
    assert insert_problem(engine, "31", 58_000) is None
    assert insert_problem(engine, "31", 57_999) is not None


def test_double_reads_do_not_count_as_neighbours_of_a_missed_passing() -> None:
    engine = missed_third_lap()
    engine.apply(entries([Passing(time_ms=21_000, car="31")], first_seq=engine.seq + 1))
    assert engine.standing("31").laps == 4  # a double read: no lap
    assert insert_problem(engine, "31", 29_000) is None


def test_a_missed_passing_before_the_green_or_for_a_car_gone_is_refused() -> None:
    late_green = FlagChanged(time_ms=5000, flag=Flag.GREEN)
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), late_green, *laps_at("31", 6000, 10_000, 2)])
    assert insert_problem(engine, "31", 4999) == (
        "0:00:04.999 is before the green flag (0:00:05.000)"
    )
    assert insert_problem(engine, "99", 30_000) == "car 99 is no longer in this session"


# --- what a correction would change -------------------------------------------------------------


def test_a_preview_lists_every_car_whose_place_laps_or_status_change_and_only_those() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert engine.order() == ["2", "1", "3"]
    changes = preview(engine, [LapPenalty(key="2", laps=1)])
    running = CarStatus.RUNNING
    assert changes == [
        PositionChange("2", "2", 1, 3, 4, 3, running, running),
        PositionChange("1", "1", 2, 1, 4, 4, running, running),
        PositionChange("3", "3", 3, 2, 4, 4, running, running),
    ]
    assert engine.order() == ["2", "1", "3"]  # the session itself is not touched
    assert engine.standing("2").laps == 4


def test_a_preview_of_a_change_that_moves_nobody_is_empty() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert preview(engine, [TimePenalty(key="3", ms=1000)]) == []


def test_a_preview_shows_a_status_change_in_place() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    (change,) = [c for c in preview(engine, [Disqualify(key="1")]) if c.key == "1"]
    assert (change.status_before, change.status_after) == (CarStatus.RUNNING, CarStatus.DSQ)
    assert (change.before, change.laps_before, change.laps_after) == (2, 4, 4)


def test_a_preview_of_a_new_car_lists_it_as_not_there_before() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    new = CompetitorSet(key="9", car="9", driver="Driver 9")
    (change,) = preview(engine, [new, Passing(time_ms=70_000, car="9")])
    assert (change.key, change.car, change.before, change.laps_before) == ("9", "9", None, 0)
    assert (change.after, change.laps_after, change.status_before) == (4, 0, None)


# --- when a session is over ---------------------------------------------------------------------


def two_lap_race(*more: object) -> TimingEngine:
    crossings = {"1": [0, 10_000, 20_000], "2": [500, 10_500, 20_500], "3": [1000, 11_000]}
    passings = sorted(
        (Passing(time_ms=t, car=car) for car, times in crossings.items() for t in times),
        key=lambda p: p.time_ms,
    )
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=2)
    return run(settings, [*field(["1", "2", "3", "4"]), GREEN, *passings, *more])  # type: ignore[list-item]


def test_a_session_is_not_over_before_the_finish() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert engine.finish_ms is None
    assert over_at(engine) is None


def test_a_session_is_over_when_the_last_car_still_out_takes_the_flag() -> None:
    assert two_lap_race().finish_ms == 20_000
    assert over_at(two_lap_race()) is None  # car 3 is still out; car 4 never crossed
    assert over_at(two_lap_race(Passing(time_ms=21_000, car="3"))) == 21_000


def test_a_retired_or_disqualified_car_waits_for_no_flag() -> None:
    assert over_at(two_lap_race(Retire(key="3"))) == 20_500
    assert over_at(two_lap_race(Disqualify(key="3"))) == 20_500


# --- the board at a moment ----------------------------------------------------------------------


def test_the_board_at_t_has_what_happened_up_to_t_and_every_correction() -> None:
    log = entries(
        [
            *field(["1"]),
            GREEN,
            Passing(time_ms=1000, car="1"),
            Passing(time_ms=2000, car="1"),
            InsertPassing(time_ms=2000, key="1"),
            InsertPassing(time_ms=2001, key="1"),
            FlagChanged(time_ms=2001, flag=Flag.YELLOW),
            Passing(time_ms=2001, car="1"),
            TimePenalty(key="1", ms=5000),  # made later: it still counts for the laps run by then
        ]
    )
    kept = [entry.seq for entry in entries_until(log, 2000)]
    assert kept == [1, 2, 3, 4, 5, 9]


def test_the_replay_timeline_has_a_period_for_each_flag_to_the_next_or_the_end() -> None:
    events = [
        *field(["1"]),
        GREEN,
        *laps_at("1", 0, 10_000, 6),
        FlagChanged(time_ms=30_000, flag=Flag.YELLOW),
        FlagChanged(time_ms=45_000, flag=Flag.GREEN),
    ]
    timeline = ReplayTimeline(QUARTER_MILE_RACE, entries(events))
    assert timeline.flag_periods() == [
        (0, 30_000, Flag.GREEN),
        (30_000, 45_000, Flag.YELLOW),
        (45_000, timeline.duration_ms, Flag.GREEN),
    ]
    assert timeline.duration_ms == 60_000
    assert ReplayTimeline(QUARTER_MILE_RACE, entries(field(["1"]))).flag_periods() == []


def test_the_replay_steps_through_passings_and_inserted_ones_only() -> None:
    events = [
        *field(["1"]),
        GREEN,
        Passing(time_ms=1000, car="1"),
        FlagChanged(time_ms=5000, flag=Flag.YELLOW),
        InsertPassing(time_ms=11_000, key="1"),
        Passing(time_ms=21_000, car="1"),
    ]
    timeline = ReplayTimeline(QUARTER_MILE_RACE, entries(events))
    assert timeline.passing_times() == [1000, 11_000, 21_000]


# --- small rules ----------------------------------------------------------------------------------


def test_classes_are_listed_once_each_in_the_order_they_first_appear() -> None:
    assert class_names(["GT", "", "Pro", "GT", "Am", "Pro"]) == ["GT", "Pro", "Am"]


def test_a_straight_up_grid_is_the_order_as_it_stands() -> None:
    order = ["3", "1", "2"]
    grid = straight_up(order)
    assert grid == ["3", "1", "2"] and grid is not order
