"""The board as snapshot and deltas: a follower that applies them holds the board (no Qt)."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, entries, field

from timingboard.engine import Flag, FlagChanged, Passing, TimingEngine
from timingboard.feeds.live_json import Follower, LiveBoard, row_of

CARS = ["31", "8", "20", "24", "16"]


def _crossings(seed: int, count: int) -> list:
    rng = random.Random(seed)
    clock = {car: rng.randrange(0, 2000) for car in CARS}
    events = []
    for _ in range(count):
        car = rng.choice(CARS)
        clock[car] += rng.randrange(12_000, 16_000)
        events.append(Passing(time_ms=clock[car], car=car))
    return sorted(events, key=lambda p: p.time_ms)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), count=st.integers(0, 60), every=st.integers(1, 7))
def test_a_follower_applying_every_delta_holds_the_board(seed: int, count: int, every: int) -> None:
    engine = TimingEngine(QUARTER_MILE_RACE)
    setup = [*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    log = entries([*setup, *_crossings(seed, count)])
    board, follower, late = LiveBoard("heat-1"), Follower(), None
    assert not follower.apply(board.update(engine, 0, True))  # a delta before any snapshot
    assert follower.apply(board.snapshot())
    for start in range(0, len(log), every):
        engine.apply(log[start : start + every])
        message = json.loads(json.dumps(board.update(engine, engine.clock_ms, True)))
        assert follower.apply(message)
        if late is None and start >= len(log) // 2:
            late = Follower()
            assert late.apply(json.loads(json.dumps(board.snapshot())))
        elif late is not None:
            assert late.apply(message)
        assert follower.board() == [row_of(s) for s in engine.standings()]
    if late is not None:
        assert late.board() == follower.board()
        assert late.seq == follower.seq


def test_a_missed_delta_is_noticed_and_a_snapshot_mends_it() -> None:
    engine = TimingEngine(QUARTER_MILE_RACE)
    log = entries([*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN), *_crossings(3, 12)])
    board, follower = LiveBoard("heat-1"), Follower()
    assert follower.apply(board.snapshot())
    engine.apply(log[:8])
    assert follower.apply(board.update(engine, 0, True))
    engine.apply(log[8:12])
    board.update(engine, 0, True)  # lost on the way
    engine.apply(log[12:])
    third = board.update(engine, 0, True)
    assert not follower.apply(third)
    assert follower.apply(third) is False  # still behind until a snapshot comes
    assert follower.apply(board.snapshot())
    assert follower.board() == [row_of(s) for s in engine.standings()]
    assert follower.apply(third)  # a late copy of one already covered changes nothing
    assert follower.board() == [row_of(s) for s in engine.standings()]


def test_the_status_says_flag_clock_and_laps_to_go() -> None:
    engine = TimingEngine(QUARTER_MILE_RACE)
    engine.apply(
        entries(
            [
                *field(["31", "8"]),
                FlagChanged(time_ms=5000, flag=Flag.GREEN),
                Passing(time_ms=6000, car="31"),
                Passing(time_ms=19_413, car="31"),
            ]
        )
    )
    status = LiveBoard("h").update(engine, 65_000, True)["status"]
    assert status["flag"] == "green"
    assert status["clock_ms"] == 60_000
    assert status["laps_to_go"] == 9
    assert status["remaining"] == "9 laps to go"
    assert status["best"]["lap"] == "13.413"
    assert status["clock_running"] is True
