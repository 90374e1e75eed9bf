"""Engine rules the window tests reached only through Qt, stated here on the engine itself.

Where a missed passing may go and when its time is refused, what a correction would change,
when a session is over, the board at a moment, the replay's timeline: each at its boundary.
"""

from __future__ import annotations

import dataclasses

import pytest
from race_scripts import (
    QUARTER_MILE_RACE,
    entries,
    field,
    laps_at,
    merged_in_time,
    run,
    three_car_race,
)

from timingboard.engine import (
    AssignTransponder,
    CompetitorSet,
    DeletePassing,
    Disqualify,
    Flag,
    FlagChanged,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LapsReported,
    Passing,
    PassingStatus,
    PitMark,
    ReassignPassing,
    Retire,
    Revert,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.audit import PlacedPassing, PositionChange, describe, preview, preview_all
from timingboard.engine.classes import class_names
from timingboard.engine.formatting import format_clock, format_lap
from timingboard.engine.history import corrected_log_at
from timingboard.engine.lap_marks import session_best_laps
from timingboard.engine.lineups import (
    LineupRequest,
    LineupRule,
    build,
    invert_top,
    split_heats,
    straight_up,
    transfers,
)
from timingboard.engine.missed_passing import (
    FALLBACK_FLOOR_MS,
    LapSlot,
    floor_ms,
    insert_problem,
    lap_slots,
    likely_slot,
    outside_slot,
)
from timingboard.engine.race_trace import caution_laps, lap_gaps
from timingboard.engine.replay import ReplayTimeline
from timingboard.engine.session_end import over_at
from timingboard.engine.stages import stage_results
from timingboard.engine.standings import CarStatus
from timingboard.engine.validation import InvalidEvent, validate_event

GREEN = FlagChanged(time_ms=0, flag=Flag.GREEN)
NO_MINIMUM = dataclasses.replace(QUARTER_MILE_RACE, min_lap_ms=0)
LATER = 3_600_000  # the session clock, well after the crossings asked about


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
        "Completes lap 5: after its last crossing (lap 4 at 0:00:50.000)",
    ]


def test_a_missed_passing_belongs_inside_the_stretch_chosen_for_it() -> None:
    """From the crossing a slot starts from (there, a lap too short: insert_problem says so) to
    just before the one that ended it; the stretch after the last crossing has no end."""
    lap3, after = lap_slots(missed_third_lap(), "31")[2::2]
    assert [outside_slot(lap3, t) for t in (20_000, 30_000, 39_999)] == [None] * 3
    assert outside_slot(lap3, 19_999) == (
        "0:00:19.999 is before lap 2's crossing at 0:00:20.000: the passing missed there comes "
        "after it (or pick the lap it was missed in)"
    )
    assert outside_slot(lap3, 40_000) == (
        "lap 3 ended at 0:00:40.000: 0:00:40.000 is not before that crossing (pick the lap it "
        "was missed in)"
    )
    assert outside_slot(lap3, 40_000, "20.000") == (
        "lap 3 ended at 0:00:40.000: a lap time of 20.000 puts the passing after it"
    )
    assert outside_slot(after, 50_000) is None and outside_slot(after, 10**9) is None
    assert outside_slot(after, 40_000) == (  # the walk: @0:00:40 "after its last crossing"
        "0:00:40.000 is before lap 4's crossing at 0:00:50.000: the passing missed there comes "
        "after it (or pick the lap it was missed in)"
    )
    first = lap_slots(missed_third_lap(), "31")[0]
    assert outside_slot(dataclasses.replace(first, number=1, start_ms=5000), 4000) == (
        "0:00:04.000 is before its start at 0:00:05.000: the passing missed there comes after "
        "it (or pick the lap it was missed in)"
    )


def test_a_lap_looks_like_two_from_1_75_to_2_3_times_the_usual_one() -> None:
    def suspect(last_lap_ms: int) -> bool:
        return lap_slots(steady_then(last_lap_ms), "7")[3].suspect

    assert not suspect(17_499)
    assert suspect(17_500)
    assert suspect(23_000)
    assert not suspect(23_001)


def test_a_lap_of_two_among_few_laps_and_a_slow_first_one_still_looks_like_two() -> None:
    # laps of 20, 6.7, 6.7 and 13.5 s: the plain median (10.1 s) hid the lap of two
    times = [0, 20_000, 26_700, 33_400, 46_900]
    engine = run(NO_MINIMUM, [*field(["7"]), GREEN, *(Passing(time_ms=t, car="7") for t in times)])
    slots = lap_slots(engine, "7")
    assert [s.suspect for s in slots] == [False, False, False, True, False]
    assert slots[likely_slot(slots)].text == "Lap 4: 13.500 — looks like two laps"


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
    assert insert_problem(engine, "31", 28_000, LATER) is None
    assert insert_problem(engine, "31", 32_000, LATER) is None
    assert insert_problem(engine, "31", 27_999, LATER) == (
        "that makes a lap of 7.999 s after the passing at 0:00:20.000: "
        "shorter than the session's minimum lap (8.000)"
    )
    assert insert_problem(engine, "31", 32_001, LATER) == (
        "that leaves 7.999 s to the passing at 0:00:40.000: "
        "shorter than the session's minimum lap (8.000)"
    )


def test_a_missed_passing_on_a_passing_already_there_is_refused() -> None:
    assert insert_problem(missed_third_lap(), "31", 40_000, LATER) is not None


def test_a_missed_passing_after_the_last_one_is_checked_against_it_alone() -> None:
    engine = missed_third_lap()
    assert insert_problem(engine, "31", 58_000, LATER) is None
    assert insert_problem(engine, "31", 57_999, LATER) is not None


def test_double_reads_do_not_count_as_neighbours_of_a_missed_passing() -> None:
    engine = missed_third_lap()
    engine.apply(entries([Passing(time_ms=21_000, car="31")], first_seq=engine.seq + 1))
    assert engine.standing("31").laps == 4  # a double read: no lap
    assert insert_problem(engine, "31", 29_000, LATER) is None


def test_a_missed_passing_before_the_green_or_for_a_car_gone_is_refused() -> None:
    late_green = FlagChanged(time_ms=5000, flag=Flag.GREEN)
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), late_green, *laps_at("31", 6000, 10_000, 2)])
    assert insert_problem(engine, "31", 4999, LATER) == (
        "0:00:04.999 is before the green flag (0:00:05.000)"
    )
    assert insert_problem(engine, "99", 30_000, LATER) == "car 99 is no longer in this session"


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


def three_lap_race(*more: object) -> TimingEngine:
    crossings = {
        "1": [0, 10_000, 20_000, 30_000],
        "2": [500, 10_500, 20_500, 30_500],
        "3": [1000, 11_000, 21_000],
    }
    passings = sorted(
        (Passing(time_ms=t, car=car) for car, times in crossings.items() for t in times),
        key=lambda p: p.time_ms,
    )
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=3)
    events = [*field(["1", "2", "3", "4"]), GREEN, *passings, *more]
    return run(settings, events)  # type: ignore[arg-type]


def test_a_passing_put_after_the_cars_finish_is_previewed_as_not_counted() -> None:
    engine = three_lap_race()  # car 2 took the flag at 30_500; car 3 is still out
    after_finish = preview_all(engine, [InsertPassing(time_ms=40_500, key="2")])
    assert after_finish.changes == []
    assert after_finish.placed == [PlacedPassing("2", "2", 40_500, PassingStatus.AFTER_FINISH)]
    counted = preview_all(engine, [InsertPassing(time_ms=31_000, key="3")])
    assert counted.placed == [PlacedPassing("3", "3", 31_000, PassingStatus.LAP)]
    slots = lap_slots(engine, "2")
    assert [s.after_finish for s in slots] == [False, False, False, True]
    assert slots[-1].text == "After its finish (lap 3 at 0:00:30.500): not counted"
    assert likely_slot(slots) == 2  # its last lap, not the stretch after its finish
    assert not lap_slots(engine, "3")[-1].after_finish  # its lap 3 would be its finish


def test_a_correction_that_moves_the_finish_reports_the_passings_it_timed_again() -> None:
    # car 1 wins at 30_000; car 2, its 20_500 crossing not read, takes the flag at 30_500
    crossings = {"1": [0, 10_000, 20_000, 30_000], "2": [500, 10_500, 30_500, 40_500]}
    passings = sorted(
        (Passing(time_ms=t, car=car) for car, times in crossings.items() for t in times),
        key=lambda p: p.time_ms,
    )
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=3)
    engine = run(settings, [*field(["1", "2"]), GREEN, *passings])
    late = max(engine.passings)
    assert engine.passing_status(late) is PassingStatus.AFTER_FINISH
    first = next(p for p, r in engine.passings.items() if r.time_ms == 10_000)
    # car 1 loses a lap: car 2 is first to three laps, at 40_500, which now counts
    change = engine.apply(entries([DeletePassing(passing_id=first)], engine.seq + 1))
    assert engine.finish_ms == 40_500
    assert engine.passing_status(late) is PassingStatus.LAP
    assert late in change.passings_touched  # car 2 was only timed again, not rebuilt


def test_a_session_is_not_over_before_the_finish() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert engine.finish_ms is None
    assert over_at(engine) is None


def test_a_session_is_over_when_the_last_car_still_out_takes_the_flag() -> None:
    assert three_lap_race().finish_ms == 30_000
    assert over_at(three_lap_race()) is None  # car 3 is still out; car 4 never crossed
    assert over_at(three_lap_race(Passing(time_ms=31_000, car="3"))) == 31_000


def test_a_retired_or_disqualified_car_waits_for_no_flag() -> None:
    assert over_at(three_lap_race(Retire(key="3"))) == 30_500
    assert over_at(three_lap_race(Disqualify(key="3"))) == 30_500


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
    kept = [entry.seq for entry in corrected_log_at(log, 2000)]
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


# --- stages ---------------------------------------------------------------------------------------


def test_a_car_not_yet_across_since_the_stage_ended_is_ranked_by_its_last_crossing() -> None:
    crossings = {
        "1": [0, 10_000, 20_000, 30_000],  # ends stage 1 (lap 3) at 30 s
        "2": [100, 10_500, 20_500],  # two laps, not across since
        "3": [200, 10_400, 20_600],  # two laps, across after car 2
        "4": [300, 10_300, 20_300],  # disqualified
    }
    passings = [Passing(time_ms=t, car=car) for car, times in crossings.items() for t in times]
    settings = dataclasses.replace(QUARTER_MILE_RACE, stage_laps=(3,))
    events = [*field(["1", "2", "3", "4", "5"]), GREEN, *sorted(passings, key=lambda p: p.time_ms)]
    engine = run(settings, [*events, Disqualify(key="4")])
    (stage,) = stage_results(engine)
    assert (stage.end_lap, stage.ended_ms) == (3, 30_000)
    assert stage.order == [("1", 3), ("2", 2), ("3", 2)]  # car 5 never crossed


# --- joining late ---------------------------------------------------------------------------------


def test_laps_not_seen_are_placed_at_the_crossing_that_ended_the_last_of_them() -> None:
    events = [
        *field(["31", "8"]),
        GREEN,
        Passing(time_ms=600_000, car="31"),  # the first crossing this board sees
        LapsReported(key="31", time_ms=600_000, laps=40),  # the timing system's count
    ]
    timing = run(QUARTER_MILE_RACE, events).entries["31"].timing
    assert timing.unseen == [(1, 40)]
    assert [lap.number for lap in timing.laps] == list(range(1, 41))
    assert {lap.time_ms for lap in timing.laps} == {600_000}
    assert set(timing.lap_times) == {600_000} and len(timing.lap_times) == 40


# --- how times read -------------------------------------------------------------------------------


def test_times_read_in_hours_minutes_and_seconds() -> None:
    assert format_clock(3_660_000) == "1:01:00"
    assert format_clock(3_599_999) == "0:59:59"
    assert format_lap(3_723_456) == "1:02:03.456"
    assert format_lap(-1500) == "-1.500"


# --- small rules ----------------------------------------------------------------------------------


def test_classes_are_listed_once_each_in_the_order_they_first_appear() -> None:
    assert class_names(["GT", "", "Pro", "GT", "Am", "Pro"]) == ["GT", "Pro", "Am"]


def test_a_straight_up_grid_is_the_order_as_it_stands() -> None:
    order = ["3", "1", "2"]
    grid = straight_up(order)
    assert grid == ["3", "1", "2"] and grid is not order


# --- line-ups -------------------------------------------------------------------------------------


def test_each_line_up_rule_says_what_it_does() -> None:
    assert [LineupRequest(rule, 4).describe() for rule in LineupRule] == [
        "straight-up",
        "split across 4 heats in order",
        "top 4 inverted",
        "top 4 of each heat transfer",
    ]


def test_a_line_up_is_built_from_the_first_order_unless_heats_transfer() -> None:
    heats = [["1", "2", "3"], ["4", "5", "6"]]
    assert build(LineupRequest(LineupRule.STRAIGHT), heats) == [["1", "2", "3"]]
    assert build(LineupRequest(LineupRule.INVERT, 2), heats) == [["2", "1", "3"]]
    assert build(LineupRequest(LineupRule.SPLIT, 2), heats) == [["1", "3"], ["2"]]
    assert build(LineupRequest(LineupRule.TRANSFER, 1), heats) == [["1", "4"]]
    with pytest.raises(ValueError, match=r"^no finished session to build a line-up from$"):
        build(LineupRequest(LineupRule.STRAIGHT), [])


def test_line_ups_at_their_smallest_counts() -> None:
    order = ["1", "2", "3"]
    assert invert_top(order, 0) == order
    assert invert_top(order, 5) == ["3", "2", "1"]
    assert split_heats(order, 1) == [order]
    assert transfers([order, ["4"]], 1) == ["1", "4"]
    assert transfers([order, ["4"]], 2) == ["1", "4", "2"]  # a short heat gives what it has
    assert transfers([["1", "2"], ["2", "3"]], 2) == ["1", "2", "3"]  # a car listed once


def test_line_ups_refuse_counts_that_make_no_sense() -> None:
    with pytest.raises(ValueError, match=r"^cannot invert a negative number of cars$"):
        invert_top(["1"], -1)
    with pytest.raises(ValueError, match=r"^there must be at least one heat$"):
        split_heats(["1"], 0)
    with pytest.raises(ValueError, match=r"^at least one car must transfer from each heat$"):
        transfers([["1"]], 0)


# --- the race charts' caution laps and gaps -------------------------------------------------------


def cautions(*flags: FlagChanged, green_ms: int = 0) -> list[tuple[int, int, Flag]]:
    """Caution runs of a car lapping in 10 s from the green, under these extra flags."""
    start = FlagChanged(time_ms=green_ms, flag=Flag.GREEN)
    events = [*field(["1"]), start, *flags, *laps_at("1", green_ms, 10_000, 4)]
    engine = run(QUARTER_MILE_RACE, events)
    return caution_laps(engine.leaders, engine.flags, engine.start_ms)


def test_a_yellow_out_at_the_moment_the_leader_completes_a_lap_makes_it_a_caution_lap() -> None:
    yellow = FlagChanged(time_ms=20_000, flag=Flag.YELLOW)
    green = FlagChanged(time_ms=25_000, flag=Flag.GREEN)
    assert cautions(yellow, green) == [(2, 2, Flag.YELLOW)]  # lap 3 starts under it: no


def test_flags_at_the_start_do_not_make_the_first_lap_a_caution_lap() -> None:
    yellow = FlagChanged(time_ms=500, flag=Flag.YELLOW)
    again = FlagChanged(time_ms=500, flag=Flag.GREEN)
    assert cautions(yellow, again, green_ms=500) == []
    yellow_at_zero = FlagChanged(time_ms=0, flag=Flag.YELLOW)
    assert cautions(yellow_at_zero, FlagChanged(time_ms=0, flag=Flag.GREEN)) == []


def test_a_yellow_thrown_just_after_the_start_makes_the_first_lap_a_caution_lap() -> None:
    flags = FlagChanged(time_ms=1, flag=Flag.YELLOW), FlagChanged(time_ms=2, flag=Flag.GREEN)
    assert cautions(*flags) == [(1, 1, Flag.YELLOW)]


def test_cautions_in_laps_apart_are_runs_apart() -> None:
    flags = [
        FlagChanged(time_ms=12_000, flag=Flag.YELLOW),  # lap 2
        FlagChanged(time_ms=13_000, flag=Flag.GREEN),
        FlagChanged(time_ms=32_000, flag=Flag.RED),  # lap 4
        FlagChanged(time_ms=33_000, flag=Flag.GREEN),
    ]
    assert cautions(*flags) == [(2, 2, Flag.YELLOW), (4, 4, Flag.RED)]


def test_a_lap_nobody_has_completed_has_no_times_and_no_gap() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert engine.leaders.times_of_lap(99) == {}
    assert lap_gaps(engine.leaders, [(99, 5000)]) == [0]


def test_a_lap_equal_to_the_session_best_does_not_take_it() -> None:
    events = [*field(["1", "2"]), GREEN, *merged_in_time(laps_at("1", 0, 12_000, 2))]
    events += [*laps_at("2", 500, 12_000, 2), Passing(time_ms=30_000, car="2")]
    engine = run(QUARTER_MILE_RACE, events)
    first_best = engine.entries["1"].timing.laps[0].passing_id
    assert session_best_laps(engine) == {first_best}


# --- words for the audit --------------------------------------------------------------------------


def test_an_entry_edit_says_the_entry_it_makes() -> None:
    from timingboard.engine.events import EditEntry

    engine = run(QUARTER_MILE_RACE, [CompetitorSet(key="31", car="31", driver="J Haley")])
    edit = EditEntry(key="31", car="31", driver="Justin Haley", car_class="Pro", grid=1)
    assert describe(engine, edit) == "Entry of car 31: Justin Haley, class Pro, grid 1"
    renumbered = EditEntry(key="31", car="13", transponders=("1031",))
    assert describe(engine, renumbered) == (
        "Entry of car 31: number 13, no driver, transponder 1031"
    )


def transponder_session() -> TimingEngine:
    events = [
        CompetitorSet(key="31", car="31", driver="Justin Haley", transponders=("1001",)),
        CompetitorSet(key="8", car="8", driver="Kyle Busch"),
        GREEN,
        Passing(time_ms=1000, transponder="1001"),
        Passing(time_ms=1500, transponder="2002"),  # not in the entry list
        Passing(time_ms=2000, car="77"),  # a number not in it
    ]
    return run(QUARTER_MILE_RACE, events)


def test_a_transponders_passings_go_to_its_car_else_to_an_unknown_car_of_its_own() -> None:
    engine = transponder_session()
    assert list(engine.entries) == ["31", "8", "?T2002", "?77"]
    assert engine.transponder_owner("1001") == "31"
    assert engine.transponder_owner("2002") == "?T2002"
    assert engine.transponder_owner("3003") is None
    assert [engine.unknown_transponder(key) for key in engine.entries] == [None, None, "2002", None]
    assert engine.unknown_transponder("nobody") is None
    engine.apply(entries([AssignTransponder(transponder="2002", key="8")], engine.seq + 1))
    assert engine.transponder_owner("2002") == "8"
    assert "?T2002" not in engine.entries


def test_a_transponder_given_to_a_car_not_in_the_session_stays_where_it_was() -> None:
    engine = transponder_session()
    engine.apply(entries([AssignTransponder(transponder="1001", key="99")], engine.seq + 1))
    assert engine.transponder_owner("1001") == "31"


def test_each_correction_in_words() -> None:
    engine = transponder_session()
    words = [
        (DeletePassing(passing_id=6), "Delete the passing of car 77 at 0:00:02.000"),
        (DeletePassing(passing_id=999), "Delete a passing not in the log"),
        (InsertPassing(time_ms=61_234, key="31"), "Insert a passing for car 31 at 0:01:01.234"),
        (
            ReassignPassing(passing_id=6, key="8"),
            "Reassign the passing of car 77 at 0:00:02.000 to car 8",
        ),
        (
            InvalidateLap(passing_id=6),
            "Invalidate the lap completed by the passing of car 77 at 0:00:02.000",
        ),
        (TimePenalty(key="31", ms=5000), "Time penalty +5.000 s for car 31"),
        (TimePenalty(key="31", ms=-2500), "Time penalty -2.500 s for car 31"),
        (LapPenalty(key="8", laps=1), "Lap penalty 1 lap for car 8"),
        (LapPenalty(key="8", laps=-1), "Lap penalty -1 lap for car 8"),
        (LapPenalty(key="8", laps=2), "Lap penalty 2 laps for car 8"),
        (Disqualify(key="8"), "Disqualify car 8"),
        (Retire(key="31"), "Retire car 31 (DNF)"),
        (AssignTransponder(transponder="2002", key="8"), "Transponder 2002 is car 8's"),
        (PitMark(key="31", time_ms=5000, entered=True), "Car 31 into the pit lane at 0:00:05.000"),
        (
            PitMark(key="31", time_ms=6000, entered=False),
            "Car 31 out of the pit lane at 0:00:06.000",
        ),
        (Revert(correction_id=99), "Undo #99: #99"),
        (Disqualify(key="?77"), "Disqualify car 77"),
    ]
    assert [describe(engine, c) for c, _ in words] == [text for _, text in words]
    engine.apply(entries([Retire(key="8")], engine.seq + 1))
    assert engine.seq > 1  # the retirement is event 7 of the log, and the first correction:
    assert describe(engine, Revert(correction_id=engine.seq)) == (
        "Undo #1: Retire car 8 (DNF)"  # numbered as the Corrections list numbers it (was #7)
    )


# --- what the engine refuses ----------------------------------------------------------------------


def test_flags_and_reported_laps_outside_the_session_or_for_nobody_are_refused() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    refused = [
        (FlagChanged(time_ms=-1, flag=Flag.YELLOW), "time -1 ms is outside the session"),
        (
            FlagChanged(time_ms=864_000_001, flag=Flag.RED),
            "time 864000001 ms is outside the session",
        ),
        (LapsReported(key="1", time_ms=-1, laps=3), "time -1 ms is outside the session"),
        (
            LapsReported(key="x", time_ms=1, laps=3),
            "the timing system reported 'x', who is not entered",
        ),
        (LapsReported(key="1", time_ms=1, laps=-1), "-1 laps?"),
        (LapsReported(key="1", time_ms=1, laps=100_001), "100001 laps?"),
        (LapPenalty(key="1", laps=0), "a lap penalty needs a non-zero number of laps"),
    ]
    for event, message in refused:
        with pytest.raises(InvalidEvent) as caught:
            validate_event(engine, event)
        assert str(caught.value) == message
    validate_event(engine, FlagChanged(time_ms=864_000_000, flag=Flag.RED))
    validate_event(engine, LapsReported(key="1", time_ms=0, laps=100_000))


def test_an_event_is_applied_once_only() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    last = engine.seq
    with pytest.raises(ValueError, match=f"^event {last} is not after event {last}$"):
        engine.apply(entries([Passing(time_ms=70_000, car="1")], first_seq=last))
    assert engine.seq == last


def test_deletions_are_counted_by_whom_made_them_while_in_force() -> None:
    """The header tells the timing system's re-timings from an operator's deletions: a
    deletion taken back is neither."""
    events = [*field(["7"]), *laps_at("7", 0, 60_000, 4)]
    engine = run(QUARTER_MILE_RACE, events)
    first, second, third = (pid for _, pid in engine.crossings("7")[1:4])
    engine.apply(
        entries(
            [
                DeletePassing(passing_id=first, operator="timing system", reason="re-timed"),
                DeletePassing(passing_id=second, operator="timing system", reason="re-timed"),
                DeletePassing(passing_id=third, operator="Sam", reason="double read"),
            ],
            engine.seq + 1,
        )
    )
    assert engine.deleted_passing_count() == 3
    assert engine.deleted_passing_count_by("timing system") == 2
    engine.apply(entries([Revert(correction_id=engine.seq - 1)], engine.seq + 1))
    assert engine.deleted_passing_count_by("timing system") == 1
    assert engine.deleted_passing_count_by("Sam") == 1
    assert engine.deleted_passing_count_by("nobody") == 0
