"""The engine against the plain reference scorer in ``oracle.py``, over random sessions.

The property tests in ``test_engine_properties.py`` compare the incremental engine with its own
from-scratch path; both share ranking, gaps and the folding of corrections. These compare it
with a scorer that shares none of that, so a wrong rule in the engine shows here.
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import RefBoard, RefRow, score
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE

from timingboard.engine import (
    BestReported,
    CompetitorSet,
    DeletePassing,
    Disqualify,
    Event,
    Flag,
    FlagChanged,
    InsertPassing,
    InvalidateLap,
    InvalidEvent,
    LapPenalty,
    LogEntry,
    Passing,
    ReassignPassing,
    Retire,
    Revert,
    SessionEnded,
    SessionKind,
    SessionSettings,
    SettingsChanged,
    TimePenalty,
    TimingEngine,
)

CARS = ["1", "2", "3", "01", "4"]


def _event(rng: random.Random, engine: TimingEngine) -> Event:
    kind = rng.choices(
        ["passing", "flag", "competitor", "correction", "revert", "settings", "best", "end"],
        [62, 7, 5, 18, 6, 2, 4, 1],
    )[0]
    # On a coarse grid most of the time, so that laps tie and crossings fall exactly one
    # minimum lap apart: the boundaries are where rules go wrong.
    t = rng.randrange(0, 90) * 1000 if rng.random() < 0.7 else rng.randrange(0, 90_000)
    if kind == "passing":
        ref = rng.choice(["car", "car", "transponder", "key"])
        car = rng.choice([*CARS, "88"])
        return Passing(time_ms=t, **{ref: car if ref != "transponder" else "T" + car})
    if kind == "flag":
        return FlagChanged(time_ms=t, flag=rng.choice(list(Flag)))
    if kind == "end":  # the timing system's end of session; what comes after still counts
        return SessionEnded(time_ms=t)
    if kind == "competitor":
        car = rng.choice([*CARS, "88"])
        return CompetitorSet(
            key="K" + car,
            car=car,
            transponders=("T" + car,),
            grid=rng.choice([None, 1, 2, 3]),
        )
    if kind == "settings":
        return SettingsChanged(
            settings=dataclasses.replace(
                engine.settings,
                kind=rng.choice([SessionKind.RACE, SessionKind.QUALIFYING]),
                min_lap_ms=rng.choice([0, 3000, 5000]),
                track_length=rng.choice([0.0, 0.25, 2.5]),
            )
        )
    if kind == "best" and engine.competitors:  # what the timing system says a car's best is
        return BestReported(
            key=rng.choice(sorted(engine.competitors)),
            lap_ms=rng.choice([3000, 5000, 9000, 12_000, 20_000]),
            lap=rng.choice([None, 1, 4]),
        )
    if kind == "revert" and engine.corrections:
        return Revert(correction_id=rng.choice(sorted(engine.corrections)))
    keys = sorted(engine.entries) or ["none"]
    pid = rng.choice(sorted(engine.passings)) if engine.passings else 0
    key = rng.choice(keys)
    return rng.choice(
        [
            DeletePassing(passing_id=pid),
            InsertPassing(time_ms=t, key=key),
            ReassignPassing(passing_id=pid, key=key),
            InvalidateLap(passing_id=pid),
            TimePenalty(key=key, ms=rng.choice([-500, 1000, 5000])),
            LapPenalty(key=key, laps=rng.choice([1, 2])),
            Disqualify(key=key),
            Retire(key=key),
        ]
    )


def _after_the_finish(rng: random.Random, engine: TimingEngine) -> Event:
    """The flags of a race taken on past its finish: a green after it (the race goes on; at
    its very moment, the finish stands), and a checkered some time after the last green."""
    finish = engine.finish_ms
    if finish is not None:
        return FlagChanged(time_ms=finish + rng.choice([0, 0, 1, 1000, 5000]), flag=Flag.GREEN)
    greens = [t for t, _, flag in engine.flag_changes() if flag is Flag.GREEN]
    return FlagChanged(time_ms=max(greens, default=0) + rng.choice([1, 4000]), flag=Flag.CHECKERED)


def _session(
    seed: int, count: int, reopen: bool = False
) -> tuple[SessionSettings, list[LogEntry], TimingEngine]:
    """``reopen``: one event in ten is a flag past the finish (:func:`_after_the_finish`)."""
    rng = random.Random(seed)
    initial = dataclasses.replace(
        rng.choice([QUARTER_MILE_RACE, QUARTER_MILE_QUALIFYING]),
        min_lap_ms=rng.choice([0, 3000, 5000]),
        first_crossing_completes_lap=rng.random() < 0.5,
        race_laps=rng.choice([None, 3, 6]),
        race_duration_ms=rng.choice([None, 40_000]),
    )
    engine = TimingEngine(initial)
    seq = 0
    while seq < count:
        batch: list[LogEntry] = []
        for _ in range(rng.choice([1, 1, 2, 5])):
            if reopen and rng.random() < 0.1:
                event = _after_the_finish(rng, engine)
            else:
                event = _event(rng, engine)
            try:
                engine.validate(event)
            except InvalidEvent:
                continue
            seq += 1
            batch.append(LogEntry(seq, event))
        if batch:
            engine.apply(batch)
    return initial, list(engine.log), engine


def _engine_board(engine: TimingEngine) -> RefBoard:
    rows = [
        RefRow(
            key=s.key,
            position=s.position,
            laps=s.laps,
            last_lap_ms=s.last_lap_ms,
            last_lap_personal_best=s.last_lap_personal_best,
            best_lap_ms=s.best_lap_ms,
            best_lap_number=s.best_lap_number,
            holds_session_best=s.holds_session_best,
            reported_best_ms=s.reported_best_ms,
            reported_best_number=s.reported_best_number,
            gap=(s.gap.laps, s.gap.ms) if s.gap else None,
            interval=(s.interval.laps, s.interval.ms) if s.interval else None,
            total_ms=s.total_ms,
            laps_led=s.laps_led,
            status=str(s.status),
            time_penalty_ms=s.time_penalty_ms,
            lap_penalty=s.lap_penalty,
            last_speed=s.last_speed,
            best_speed=s.best_speed,
        )
        for s in engine.standings()
    ]
    statuses = {pid: str(engine.passing_status(pid)) for pid in engine.passings}
    best = engine.session_best
    return RefBoard(
        rows, statuses, engine.finish_ms, (best[0], best[1].duration_ms) if best else None
    )


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(1, 80))
def test_engine_agrees_with_the_reference_scorer(seed: int, count: int) -> None:
    _agrees(*_session(seed, count))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(1, 80))
def test_a_green_after_the_finish_agrees_with_the_reference_scorer(seed: int, count: int) -> None:
    """Races taken on past their finish by a green (by the laps, the time or a checkered), and
    finished again by a checkered."""
    _agrees(*_session(seed, count, reopen=True))


def _agrees(initial: SessionSettings, log: list[LogEntry], engine: TimingEngine) -> None:
    expected = score(initial, log)
    got = _engine_board(engine)
    assert got.finish_ms == expected.finish_ms
    assert got.statuses == expected.statuses
    assert got.session_best == expected.session_best
    assert [r.key for r in got.rows] == [r.key for r in expected.rows]
    for mine, theirs in zip(got.rows, expected.rows, strict=True):
        assert _speeds(mine) == pytest.approx(_speeds(theirs), rel=1e-12)
        assert dataclasses.replace(mine, last_speed=None, best_speed=None) == dataclasses.replace(
            theirs, last_speed=None, best_speed=None
        )


def _speeds(row: RefRow) -> tuple[float, float]:
    """Speeds, with "none" as NaN-free -1 so that approx can compare them."""
    return (
        -1.0 if row.last_speed is None else row.last_speed,
        -1.0 if row.best_speed is None else row.best_speed,
    )


def _board_of(settings: SessionSettings, events: list[Event]) -> tuple[RefBoard, RefBoard]:
    """The engine's board and the reference scorer's, of one log."""
    log = [LogEntry(seq, event) for seq, event in enumerate(events, start=1)]
    return _engine_board(TimingEngine.from_log(settings, log)), score(settings, log)


def _laps(car: str, *times: int) -> list[Event]:
    return [Passing(time_ms=t, car=car) for t in times]


@pytest.mark.parametrize(
    ("reported_ms", "shown", "ranked_first"),
    [
        (13_998, 13_998, "1"),  # faster than every lap seen here: shown apart, ranks car 1
        (13_999, 13_999, "1"),  # a tie with car 2's: the reported one counts as set first
        (14_000, None, "2"),  # no faster than its own lap seen here: not shown at all
    ],
)
def test_a_reported_best_is_never_a_best_here_the_oracle_agrees(
    reported_ms: int, shown: int | None, ranked_first: str
) -> None:
    field = [CompetitorSet(key=c, car=c) for c in ("1", "2")]
    events: list[Event] = [
        *field,
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        *_laps("1", 1000, 15_000),  # car 1: a 14.000 lap seen here
        *_laps("2", 1500, 15_499),  # car 2: a 13.999 lap, the session's best
        BestReported(key="1", lap_ms=reported_ms, lap=2),
    ]
    engine, oracle = _board_of(QUARTER_MILE_QUALIFYING, events)
    assert engine == oracle
    rows = {r.key: r for r in engine.rows}
    assert rows["1"].best_lap_ms == 14_000 and rows["1"].reported_best_ms == shown
    assert rows["2"].holds_session_best and not rows["1"].holds_session_best  # seen laps only
    assert engine.session_best == ("2", 13_999)
    assert engine.rows[0].key == ranked_first
    assert all(r.gap is None or r.gap[1] >= 0 for r in engine.rows)
    race, race_oracle = _board_of(QUARTER_MILE_RACE, events)
    assert race == race_oracle
    assert [r.key for r in race.rows] == ["1", "2"]  # a race ranks by laps: no reported best


def test_a_car_with_only_a_reported_best_has_no_best_here_the_oracle_agrees() -> None:
    events: list[Event] = [
        CompetitorSet(key="1", car="1"),
        CompetitorSet(key="2", car="2"),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        *_laps("2", 1000, 16_000),
        BestReported(key="1", lap_ms=12_000, lap=None),  # set before this board joined
    ]
    engine, oracle = _board_of(QUARTER_MILE_QUALIFYING, events)
    assert engine == oracle
    first, second = engine.rows
    assert (first.key, first.best_lap_ms, first.reported_best_ms) == ("1", None, 12_000)
    assert not first.holds_session_best and second.holds_session_best
    assert first.reported_best_number is None and second.gap == (0, 3000)
