"""The engine's read-only API, the one the outer layers use: each answer stated on a small race,
at the cases its callers meet (the lap of a passing far back, a double read, a deleted passing;
laps not seen over some cars or all; an unknown car's driver)."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE, entries, field, laps_at, run, three_car_race

from timingboard.engine import (
    CompetitorSet,
    DeletePassing,
    Flag,
    FlagChanged,
    InvalidateLap,
    LapsReported,
    Passing,
    PassingStatus,
    ReassignPassing,
    TimingEngine,
)


def _passings(engine: TimingEngine, key: str) -> list[int]:
    return [pid for _, pid in engine.crossings(key)]


def test_the_lap_of_a_passing_is_found_however_far_back_it_is() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["1"]), *laps_at("1", 0, 14_000, 8)])
    pids = _passings(engine, "1")
    assert engine.lap_of_passing(pids[0]) is None  # the start completes no lap
    for number, pid in enumerate(pids[1:], start=1):
        lap = engine.lap_of_passing(pid)
        assert lap is not None and (lap.number, lap.passing_id) == (number, pid)
    assert engine.lap_of_passing(10_000) is None  # no such passing


def test_a_double_read_and_a_deleted_passing_complete_no_lap() -> None:
    events = [
        *field(["1"]),
        Passing(time_ms=0, car="1"),
        Passing(time_ms=14_000, car="1"),
        Passing(time_ms=14_300, car="1"),  # a second read of the same crossing
        Passing(time_ms=28_000, car="1"),
    ]
    engine = run(QUARTER_MILE_RACE, events)
    _start, lap_one, double, lap_two = _passings(engine, "1")
    assert engine.passing_status(double) is PassingStatus.DOUBLE_READ
    assert engine.lap_of_passing(double) is None
    engine.apply(run_entries(engine, [DeletePassing(passing_id=lap_one, operator="P")]))
    assert engine.lap_of_passing(lap_one) is None
    assert engine.passing_corrected(lap_one).deleted
    lap = engine.lap_of_passing(double)  # the second read is the crossing now
    assert lap is not None and (lap.number, lap.duration_ms) == (1, 14_300)
    lap = engine.lap_of_passing(lap_two)
    assert lap is not None and (lap.number, lap.duration_ms) == (2, 13_700)


def test_what_corrections_did_to_a_passing() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    one, two = _passings(engine, "1")[1:3]
    engine.apply(
        run_entries(
            engine,
            [
                InvalidateLap(passing_id=one, operator="P"),
                ReassignPassing(passing_id=two, key="3", operator="P"),
            ],
        )
    )
    assert engine.passing_corrected(one) == (False, True, False)
    assert engine.passing_corrected(two) == (True, False, False)
    assert engine.passing_owner(two) == "3"


def test_laps_not_seen_are_counted_once_per_car_and_in_total() -> None:
    competitors = [CompetitorSet(key=c, car=c) for c in ("1", "2")]
    engine = run(
        QUARTER_MILE_RACE,
        [
            *competitors,
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            Passing(time_ms=10_000, car="1"),
            Passing(time_ms=24_000, car="1"),
            Passing(time_ms=60_000, car="1"),
            LapsReported(key="1", time_ms=60_000, laps=4),  # laps 2 and 3 missed here
            LapsReported(key="2", time_ms=59_000, laps=3),  # none of car 2's laps seen
        ],
    )
    assert engine.laps_not_seen("1") == ((2, 3),)
    assert engine.laps_not_seen("2") == ((1, 3),)
    assert engine.laps_not_seen_total() == 5
    assert engine.laps_not_seen_total(["1", "gone"]) == 2
    assert engine.standing("1").laps_not_seen == 2  # the row counts as the engine does


def test_an_unknown_car_reads_as_seen_with_no_driver_and_no_class() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["1"]), Passing(time_ms=5_000, car="77")])
    (unknown,) = [key for key in engine.cars() if key != "1"]
    assert engine.car_label(unknown) == "77"
    assert engine.competitor_of(unknown) is None
    assert engine.driver_label(unknown) == "unknown car"
    assert engine.driver_label(unknown, unknown="(unknown car)") == "(unknown car)"
    assert engine.car_class(unknown) == ""
    assert engine.driver_label("1") == "Driver 1"


def test_what_remains_of_a_race_run_to_laps() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    assert engine.laps_to_go() == QUARTER_MILE_RACE.race_laps - engine.standing("2").laps
    assert engine.time_to_go_ms(60_000) is None  # run to laps, not to time
    assert not engine.has_classes() and not engine.has_pit_data()


def run_entries(engine: TimingEngine, events: list) -> list:
    """Events logged after everything the engine has taken."""
    return entries(events, first_seq=engine.seq + 1)


def test_the_gap_by_lap_is_behind_the_first_car_to_complete_each_lap() -> None:
    crossings = [
        Passing(time_ms=t, car=car)
        for one, two in [(0, 100), (14_000, 14_400), (28_100, 28_000)]
        for t, car in ((one, "1"), (two, "2"))
    ]
    crossings.sort(key=lambda p: p.time_ms)
    engine = run(
        QUARTER_MILE_RACE, [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN), *crossings]
    )
    laps_of_2 = [(1, 14_400), (2, 28_000)]
    assert engine.lap_gaps(laps_of_2) == [400, 0]  # 0.4 s behind on lap 1, first on lap 2


def test_what_was_logged_reads_as_views_that_cannot_change_the_board() -> None:
    """The entry list, the corrections, the flags and the declarations read through the
    engine's methods: views or copies, so a caller cannot change the board behind its back."""
    import pytest

    from timingboard.engine import Correction, ResultsDeclared

    engine = run(QUARTER_MILE_RACE, [*three_car_race(), Passing(time_ms=5_000, car="77")])
    assert list(engine.entry_list()) == ["1", "2", "3"]  # the unknown car is not entered
    assert engine.is_entered("2") and not engine.is_entered("?77")
    with pytest.raises(TypeError):
        engine.entry_list()["9"] = CompetitorSet(key="9", car="9")  # type: ignore[index]
    assert engine.passing_count() == len(list(engine.passing_ids())) > 0
    first = next(engine.passing_ids())
    assert engine.has_passing(first) and not engine.has_passing(10_000)
    assert [r.seq for r in engine.passing_records()] == list(engine.passing_ids())
    assert engine.passing(first).seq == first
    assert not engine.results_declared() and engine.first_declaration() is None
    assert engine.logged_corrections() == {}
    best = engine.session_best_lap()
    assert best is not None and best[1] == min(
        (lap for key in engine.cars() for lap in engine.laps(key) if lap.valid),
        key=lambda lap: (lap.duration_ms, lap.time_ms),
    )

    delete = DeletePassing(passing_id=first, operator="P")
    declared = ResultsDeclared(operator="Clerk", at="2026-12-02T08:00:00")
    flag = FlagChanged(time_ms=90_000, flag=Flag.CHECKERED)
    engine.apply(run_entries(engine, [delete, flag, declared, declared]))
    corrections: dict[int, Correction] = dict(engine.logged_corrections())
    assert list(corrections.values()) == [delete]
    with pytest.raises(TypeError):
        del engine.logged_corrections()[next(iter(corrections))]  # type: ignore[attr-defined]
    assert engine.flag_changes()[-1][2] is Flag.CHECKERED
    assert isinstance(engine.flag_changes(), tuple)
    assert engine.results_declared()
    seq, event = engine.first_declaration() or (0, None)
    assert event == declared and seq == engine.seq - 1  # the first of the two


def test_a_passing_read_cannot_be_changed_behind_the_engines_back() -> None:
    """`passing()` gives a copy nothing can change: a caller holding it cannot move a crossing
    or give it to another car, and the next read is still the passing as logged."""
    import pytest

    engine = run(QUARTER_MILE_RACE, [*field(["1", "2"]), *laps_at("1", 0, 14_000, 2)])
    first = _passings(engine, "1")[0]
    read = engine.passing(first)
    assert (read.seq, read.time_ms, read.car, read.inserted) == (first, 0, "1", False)
    with pytest.raises(AttributeError):
        read.time_ms = 5_000  # type: ignore[misc]
    with pytest.raises(AttributeError):
        read.car = "2"  # type: ignore[misc]
    assert engine.passing(first) == read
    assert [lap.duration_ms for lap in engine.laps("1")] == [14_000, 14_000]
    assert engine.laps("2") == []
