"""A race's car seen crossing the line after the green has started (the walk: 77 typed once after
the green, its crossing "start", read DNS "no lap completed" at the checkered). Once the session
is over such a car with no lap is out: DNF, not classified, on the board and the sheet alike;
a car never seen is DNS. Boundary examples, and a property against the plain scorer."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import score
from race_scripts import QUARTER_MILE_QUALIFYING, TEN_LAPS, entries, field, run
from test_engine_oracle import _engine_board

from timingboard.engine import (
    CarStatus,
    DeletePassing,
    Event,
    Flag,
    FlagChanged,
    InvalidEvent,
    LapPenalty,
    Passing,
    Revert,
    SessionEnded,
    TimingEngine,
)
from timingboard.reports.sheet import build_sheet

GREEN = FlagChanged(time_ms=0, flag=Flag.GREEN)
CHECKERED = FlagChanged(time_ms=20_000, flag=Flag.CHECKERED)


def _race(*events: Event) -> TimingEngine:
    """8 and 16 take the start and complete a lap; 31 is on the entry list, never seen."""
    start: list[Event] = [*field(["8", "77", "16", "31"]), GREEN]
    start += [Passing(time_ms=t, car=c) for t, c in ((1000, "8"), (1600, "16"))]
    start += [Passing(time_ms=t, car=c) for t, c in ((7000, "8"), (7400, "16"))]
    return run(TEN_LAPS, [*start, *events])


def _statuses(engine: TimingEngine) -> dict[str, CarStatus]:
    return {s.car: s.status for s in engine.standings()}


def _not_classified(engine: TimingEngine) -> dict[str, tuple[str, str, str]]:
    rows = build_sheet(engine).section("not_classified").rows
    return {r["car"]: (r["laps"], r["status"], r["reason"]) for r in rows}


def test_a_car_that_took_the_start_and_completed_no_lap_is_dnf_once_the_race_is_over() -> None:
    engine = _race(Passing(time_ms=1300, car="77"))
    assert engine.passing_status(max(engine.passings)) == "start"
    assert _statuses(engine)["77"] is CarStatus.RUNNING  # it may still complete its lap
    engine.apply(entries([CHECKERED], engine.seq + 1))
    assert _statuses(engine) == {
        "8": CarStatus.RUNNING,
        "16": CarStatus.RUNNING,
        "77": CarStatus.DNF,  # it started: not DNS
        "31": CarStatus.DNS,  # never seen
    }
    assert _not_classified(engine) == {
        "77": ("0", "DNF", "took the start, no lap completed"),
        "31": ("0", "DNS", "never seen"),
    }
    results = {r["car"]: (r["position"], r["status"]) for r in build_sheet(engine).results}
    assert results["77"] == ("", "DNF") and results["31"] == ("", "DNS")


def test_a_crossing_before_the_green_is_no_start() -> None:
    engine = _race(CHECKERED)
    engine = run(TEN_LAPS, [Passing(time_ms=-500, car="77"), *(e.event for e in engine.log)])
    assert _statuses(engine)["77"] is CarStatus.DNS


def test_its_start_deleted_it_never_started_and_undone_it_did() -> None:
    engine = _race(Passing(time_ms=1300, car="77"), CHECKERED)
    start = next(pid for pid, p in engine.passings.items() if p.car == "77")
    engine.apply(entries([DeletePassing(passing_id=start, operator="Pat")], engine.seq + 1))
    assert _statuses(engine)["77"] is CarStatus.DNS
    engine.apply(entries([Revert(correction_id=engine.seq, operator="Pat")], engine.seq + 1))
    assert _statuses(engine)["77"] is CarStatus.DNF


def test_a_lap_a_penalty_took_off_leaves_a_car_that_started() -> None:
    """77 completed one lap; a lap penalty of one leaves it at 0: out (DNF), not DNS."""
    engine = _race(Passing(time_ms=1300, car="77"), Passing(time_ms=8000, car="77"), CHECKERED)
    assert _statuses(engine)["77"] is CarStatus.RUNNING  # a lap: classified
    engine.apply(entries([LapPenalty(key="77", laps=1, operator="Pat")], engine.seq + 1))
    assert engine.standing("77").laps == 0
    assert _statuses(engine)["77"] is CarStatus.DNF


def test_it_takes_the_flag_by_crossing_after_the_checkered() -> None:
    """The boundary: DNF at the checkered, until its next crossing takes the flag."""
    engine = _race(Passing(time_ms=1300, car="77"), CHECKERED)
    assert _statuses(engine)["77"] is CarStatus.DNF
    engine.apply(entries([Passing(time_ms=21_000, car="77")], engine.seq + 1))
    assert _statuses(engine)["77"] is CarStatus.FINISHED
    assert engine.standing("77").laps == 1


def test_ended_with_no_checkered_it_is_dnf_too() -> None:
    engine = _race(Passing(time_ms=1300, car="77"), SessionEnded(time_ms=30_000))
    assert _statuses(engine)["77"] is CarStatus.DNF
    assert _statuses(engine)["31"] is CarStatus.DNS


def test_in_qualifying_a_car_with_no_time_set_is_dns_as_before() -> None:
    events: list[Event] = [*field(["1", "2"]), GREEN]
    events += [Passing(time_ms=1000, car="1"), Passing(time_ms=15_000, car="1")]
    events += [Passing(time_ms=2000, car="2"), CHECKERED]  # out of the pit lane, no lap
    engine = run(QUARTER_MILE_QUALIFYING, events)
    assert engine.standing("2").status is CarStatus.DNS


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(3, 40))
def test_statuses_agree_with_the_plain_scorer(seed: int, count: int) -> None:
    """Cars that cross once, a few times or never, lap penalties, deletions, the checkered or
    the end at any point: the engine's statuses are the plain scorer's after every event."""
    rng = random.Random(seed)
    engine = TimingEngine(TEN_LAPS)
    engine.apply(entries([*field(["1", "2", "3", "4"]), GREEN]))
    clock = 0
    while engine.seq < count:
        roll = rng.random()
        event: Event
        if roll < 0.06:
            event = FlagChanged(time_ms=clock, flag=Flag.CHECKERED)
        elif roll < 0.08:
            event = SessionEnded(time_ms=clock)
        elif roll < 0.16:
            event = LapPenalty(key=rng.choice("1234"), laps=1, operator="P")
        elif roll < 0.22 and engine.passings:
            event = DeletePassing(passing_id=rng.choice(sorted(engine.passings)), operator="P")
        else:
            clock += rng.choice([300, 3000, 6000])
            event = Passing(time_ms=clock, car=rng.choice("123"))  # 4 is never seen
        try:
            engine.validate(event)
        except InvalidEvent:
            continue
        engine.apply(entries([event], engine.seq + 1))
        plain = {r.key: r.status for r in score(TEN_LAPS, list(engine.log)).rows}
        assert {r.key: r.status for r in _engine_board(engine).rows} == plain
