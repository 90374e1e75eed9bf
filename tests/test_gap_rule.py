"""The gap rule (issue 15): a finished car a lap down reads "+N laps" on the board as on the
results sheet; a running car's gap is taken at its own last crossing; and gaps are the same after
corrections and a change of leader whether the board was kept up incrementally, rebuilt from the
log, or scored plainly."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import score
from race_scripts import TEN_LAPS, entries, field, run, ten_lap_race
from test_engine_oracle import _engine_board

from timingboard.engine import (
    DeletePassing,
    Event,
    Flag,
    FlagChanged,
    InsertPassing,
    InvalidEvent,
    LapPenalty,
    LogEntry,
    Passing,
    Revert,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.formatting import format_gap
from timingboard.reports.sheet import build_sheet


def _board_and_sheet(engine: TimingEngine) -> tuple[list[tuple[str, str, str]], list]:
    board = [
        (s.car, format_gap(s.gap) if s.position > 1 else "", format_gap(s.interval))
        for s in engine.standings()
    ]
    rows = build_sheet(engine).section("classification").rows
    sheet = [(r["car"], r["gap"], r["interval"]) for r in rows]
    return board, sheet


def _walk_race() -> TimingEngine:
    """The walk's race typed by hand: 16, 31 and 8 over 10 laps, 8 close behind."""
    return run(TEN_LAPS, ten_lap_race())


def test_a_car_a_lap_down_after_a_deleted_passing_reads_plus_one_lap_as_on_the_sheet() -> None:
    engine = _walk_race()
    engine.apply(entries([TimePenalty(key="31", ms=5000, operator="Pat")], engine.seq + 1))
    lap9 = dict(engine.entries["8"].timing.crossings)[91_600]  # its crossing ending lap 9
    engine.apply(entries([DeletePassing(passing_id=lap9, operator="Pat")], engine.seq + 1))
    board, sheet = _board_and_sheet(engine)
    assert board == sheet
    assert board[2][0] == "8" and engine.standing("8").laps == 9
    assert board[2][1:] == ("+1 lap", "+1 lap")  # was +6.622 / +2.534 against 10 laps
    fresh = TimingEngine.from_log(engine.settings, engine.log)
    assert fresh.standings() == engine.standings()


def test_the_leader_crossing_first_puts_no_one_a_lap_down() -> None:
    """A gap is taken at the car's own last crossing: when the leader completes a lap, a car
    0.1 s behind it on track still reads +0.100, not "+1 lap" until it crosses too."""
    events: list[Event] = [*field(["42", "31", "34"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for lap in range(0, 4):
        base = 1000 + lap * 11_000
        events += [
            Passing(time_ms=base, car="42"),
            Passing(time_ms=base + 100, car="31"),
            Passing(time_ms=base + 105, car="34"),
        ]
    engine = run(TEN_LAPS, events)
    engine.apply(entries([Passing(time_ms=45_000, car="42")], engine.seq + 1))
    board = [(s.car, format_gap(s.gap), format_gap(s.interval)) for s in engine.standings()]
    assert board == [("42", "", ""), ("31", "+0.100", "+0.100"), ("34", "+0.105", "+0.005")]
    rows = build_sheet(engine).section("classification").rows
    assert [r["gap"] for r in rows[1:]] == ["+1 lap", "+1 lap"]  # a sheet counts laps now


def _race_event(rng: random.Random, engine: TimingEngine, clock: list[int]) -> Event:
    """Mostly crossings in time order (cars of different pace, so the lead changes), with
    corrections and their reverts among them."""
    kind = rng.choices(["passing", "correction", "revert"], [80, 15, 5])[0]
    if kind == "revert" and engine.corrections:
        return Revert(correction_id=rng.choice(sorted(engine.corrections)), operator="Pat")
    if kind == "correction" and engine.passings:
        pid = rng.choice(sorted(engine.passings))
        key = rng.choice(sorted(engine.entries))
        return rng.choice(
            [
                DeletePassing(passing_id=pid, operator="Pat"),
                InsertPassing(time_ms=rng.randrange(0, clock[0] + 1), key=key, operator="Pat"),
                TimePenalty(key=key, ms=rng.choice([1000, 5000]), operator="Pat"),
                LapPenalty(key=key, laps=1, operator="Pat"),
            ]
        )
    clock[0] += rng.choice([0, 5, 300, 2000, 4000])
    return Passing(time_ms=clock[0], car=rng.choice(["1", "2", "3", "4"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(5, 90))
def test_gaps_after_corrections_and_leader_changes_agree_three_ways(seed: int, count: int) -> None:
    """After every batch: the incremental board, one rebuilt from the log, and the plain
    reference scorer have the same gaps and intervals."""
    rng = random.Random(seed)
    settings_ = dataclasses.replace(TEN_LAPS, race_laps=rng.choice([None, 6]), min_lap_ms=3000)
    engine = TimingEngine(settings_)
    start = [*field(["1", "2", "3", "4"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    engine.apply(entries(start))
    clock = [0]
    while engine.seq < count:
        batch: list[LogEntry] = []
        for _ in range(rng.choice([1, 1, 2, 4])):
            event = _race_event(rng, engine, clock)
            try:
                engine.validate(event)
            except InvalidEvent:
                continue
            batch.append(LogEntry(engine.seq + len(batch) + 1, event))
        if not batch:
            continue
        engine.apply(batch)
        log = list(engine.log)
        fresh = TimingEngine.from_log(settings_, log)
        mine = [(s.key, s.gap, s.interval) for s in engine.standings()]
        assert mine == [(s.key, s.gap, s.interval) for s in fresh.standings()]
        plain = [(r.key, r.gap, r.interval) for r in score(settings_, log).rows]
        assert [(r.key, r.gap, r.interval) for r in _engine_board(engine).rows] == plain


def test_a_car_finished_on_the_leaders_lap_reads_a_lap_down_once_the_leader_completes_another():
    """The board read after every event (as a window reads it) is the board from scratch: a
    finished car's row built while the leader was on its lap is worked out again when the
    leader completes the next (it read "+7.000" on the replay, "+1 lap" opened)."""
    from test_replay_matches_open import EARLY_CHECKERED, early_checkered_events

    log = entries(early_checkered_events())
    engine = TimingEngine(EARLY_CHECKERED)
    for count, entry in enumerate(log, start=1):
        engine.apply([entry])
        fresh = TimingEngine.from_log(EARLY_CHECKERED, log[:count])
        assert engine.standings() == fresh.standings(), f"after {entry.event}"
    assert format_gap(engine.standing("2").gap) == "+1 lap"
    board, sheet = _board_and_sheet(engine)
    assert board == sheet


# --- a lap penalty: no crossing of the car was made at the laps it is scored at now ---------------


def _penalty_walk() -> TimingEngine:
    """The walk: 8, 31, 16 take the start and complete lap 1; 31 and 16 lap 2; 8's lap 2 was
    missed (inserted at 0:00:13.800, after 31's lap 2), then 31 gets a lap penalty."""
    events: list[Event] = [*field(["8", "31", "16"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for t, car in [(1000, "8"), (1300, "31"), (1600, "16"), (6700, "31"), (6900, "8")]:
        events.append(Passing(time_ms=t, car=car))
    for t, car in [(7200, "16"), (12_700, "31"), (13_100, "16"), (19_100, "8")]:
        events.append(Passing(time_ms=t, car=car))
    events += [InsertPassing(time_ms=13_800, key="8", operator="Pat")]
    events += [LapPenalty(key="31", laps=1, operator="Pat")]
    return run(TEN_LAPS, events)


def test_a_car_a_lap_penalty_cut_reads_the_laps_it_is_down_as_on_the_sheet() -> None:
    engine = _penalty_walk()
    board, sheet = _board_and_sheet(engine)
    # 31's lap 2 (its lap 1 now) was read against the others' lap 1: "+5.800", "+5.500"
    assert board == [("8", "", ""), ("16", "+1 lap", "+1 lap"), ("31", "+2 laps", "+1 lap")]
    assert board == sheet
    fresh = TimingEngine.from_log(engine.settings, engine.log)
    assert fresh.standings() == engine.standings()


def test_a_car_a_lap_penalty_left_on_the_lap_of_the_car_ahead_reads_the_time_between() -> None:
    """The boundary: 31 completes lap 3 (lap 2 now), as many as 16: the time between their
    last crossings, the board and the sheet alike."""
    engine = _penalty_walk()
    engine.apply(entries([Passing(time_ms=18_700, car="31")], engine.seq + 1))
    board, sheet = _board_and_sheet(engine)
    assert board == [("8", "", ""), ("16", "+1 lap", "+1 lap"), ("31", "+1 lap", "+5.600")]
    assert board == sheet


def test_behind_a_leader_a_lap_penalty_cut_a_car_reads_the_laps_it_is_down_now() -> None:
    """Leader 1 (3 laps, 2 after its penalty) crossed its lap 2 just before 2 crossed its lap
    1: 2 read "+0.200" from 1's lap 2 crossing, scored as its lap 1; it is a lap down now, and
    two once 1 completes another (worked out again then, as from scratch)."""
    events: list[Event] = [*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=t, car="1") for t in (1000, 7000, 13_000, 19_000)]
    events += [Passing(time_ms=t, car="2") for t in (1200, 13_200)]
    events += [LapPenalty(key="1", laps=1, operator="Pat")]
    engine = run(TEN_LAPS, events)
    board, sheet = _board_and_sheet(engine)
    assert board == [("1", "", ""), ("2", "+1 lap", "+1 lap")] == sheet
    engine.apply(entries([Passing(time_ms=25_000, car="1")], engine.seq + 1))
    assert _board_and_sheet(engine)[0] == [("1", "", ""), ("2", "+2 laps", "+2 laps")]
    assert engine.standings() == TimingEngine.from_log(engine.settings, engine.log).standings()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(8, 70))
def test_with_lap_penalties_the_board_agrees_with_the_oracle_and_the_sheet(
    seed: int, count: int
) -> None:
    """After every event: the board's gaps are the plain scorer's and the rebuilt board's; and
    a car whose laps a penalty cut, or whose leader's or car ahead's were, reads what the
    sheet reads."""
    rng = random.Random(seed)
    engine = TimingEngine(TEN_LAPS)
    engine.apply(entries([*field(["1", "2", "3", "4"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]))
    clock = 0
    while engine.seq < count:
        roll = rng.random()
        event: Event
        if roll < 0.15:
            event = LapPenalty(key=rng.choice("1234"), laps=rng.choice([1, 1, 2]), operator="P")
        elif roll < 0.2 and engine.corrections:
            event = Revert(correction_id=rng.choice(sorted(engine.corrections)), operator="P")
        else:
            clock += rng.choice([5, 300, 1500, 5000, 6000])
            event = Passing(time_ms=clock, car=rng.choice("1234"))
        try:
            engine.validate(event)
        except InvalidEvent:
            continue
        engine.apply(entries([event], engine.seq + 1))
        log = list(engine.log)
        plain = [(r.key, r.gap, r.interval) for r in score(TEN_LAPS, log).rows]
        assert [(r.key, r.gap, r.interval) for r in _engine_board(engine).rows] == plain
        fresh = TimingEngine.from_log(TEN_LAPS, log)
        assert engine.standings() == fresh.standings()
        board, sheet = _board_and_sheet(engine)
        standings = engine.standings()
        penalised = {s.key for s in standings if s.lap_penalty}
        on_sheet = {row[0]: row for row in sheet}
        for place, s in enumerate(standings):
            if s.laps <= 0 or s.car not in on_sheet or place == 0:
                continue
            if {s.key, standings[0].key} & penalised:
                assert board[place][1] == on_sheet[s.car][1], (s.car, board, sheet)
            if {s.key, standings[place - 1].key} & penalised:
                assert board[place][2] == on_sheet[s.car][2], (s.car, board, sheet)
