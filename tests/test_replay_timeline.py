"""Replay: the board at time T equals the board computed from the log up to T, in any seek order."""

from __future__ import annotations

import copy
import gc
import itertools
import operator
import pickle
import random
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, entries, three_car_race
from test_engine_properties import _board, _random_session

from timingboard.engine import (
    DeletePassing,
    Flag,
    FlagChanged,
    LogEntry,
    Passing,
    TimingEngine,
    replay,
)
from timingboard.engine.chunked import LOG_BLOCK, SharedLog
from timingboard.engine.replay import ReplayTimeline, checkpoint_starts, stamps_of


def test_stamps_never_go_back_and_late_passings_take_the_time_reached() -> None:
    log = entries(
        [
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            Passing(time_ms=5000, car="1"),
            Passing(time_ms=4950, car="2"),  # arrived late
            DeletePassing(passing_id=2),
            Passing(time_ms=9000, car="1"),
        ]
    )
    assert stamps_of(log) == [0, 5000, 5000, 5000, 9000]


def _beyond_board(engine: TimingEngine) -> tuple:
    """What a seek restores besides the rows: each car's passing ids, the lap leaders, the log."""
    ids = {key: list(entry.passing_ids) for key, entry in engine.entries.items()}
    led = {key: n for key, n in engine.leaders.laps_led.items() if n}
    return ids, engine.leaders.leaders(), led, engine.log, engine.seq


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), count=st.integers(5, 120), interval=st.integers(1, 25))
def test_board_at_any_moment_in_any_seek_order(seed: int, count: int, interval: int) -> None:
    sessions = list(_random_session(seed, count))
    engine = sessions[-1][0]
    timeline = ReplayTimeline(engine.settings, engine.log, interval=interval)
    rng = random.Random(seed)
    moments = [rng.randint(-5, timeline.duration_ms + 5) for _ in range(8)]
    for moment in moments:  # forwards and backwards, as they come
        n = timeline.prefix_at(moment)
        at = timeline.engine_at(n)
        expected = TimingEngine.from_log(engine.settings, engine.log[:n])
        assert _board(at) == _board(expected)
        assert _beyond_board(at) == _beyond_board(expected)
        at.apply(engine.log[n:])  # played on: a checkpoint it came from must not move
        for _ in range(rng.randint(0, 3)):  # idle time between seeks, or none
            timeline.build_next()
    assert _board(timeline.final()) == _board(engine)


def test_a_seek_copies_its_checkpoint_and_keeps_it() -> None:
    log = entries(three_car_race())
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log, interval=3)
    while not timeline.build_next():
        pass
    kept = timeline.checkpoints()
    first = timeline.engine_at(7)
    first.apply(log[7:])  # the board shown played on: the checkpoint it came from stays
    second = timeline.engine_at(7)
    assert first is not second and _board(second) == _board(
        TimingEngine.from_log(QUARTER_MILE_RACE, log[:7])
    )
    assert timeline.build_next()  # none missing: nothing to make again
    assert all(map(operator.is_, timeline.checkpoints(), kept))
    assert _board(timeline.engine_at(6)) == _board(
        TimingEngine.from_log(QUARTER_MILE_RACE, log[:6])
    )


def test_a_seek_leaves_the_lists_it_made_out_of_the_collectors_walks() -> None:
    """A seek's long lists are frozen with it (each young collection walked them: 8.5 ms of a
    20 ms seek at 24 h), and the engine is still freed once no board shows it."""
    log = entries(three_car_race())
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log, interval=3)
    while not timeline.build_next():
        pass
    try:
        engine = timeline.engine_at(6)  # a checkpoint as it was kept: every list is its own
        made = [engine.log, *(e.timing.laps for e in engine.entries.values())]
        walked = {id(o) for o in gc.get_objects()}
        assert not [items for items in made if id(items) in walked]
        shown = weakref.ref(engine)
        del engine, made
        assert shown() is None  # no cycles: reference counting frees it, frozen or not
    finally:
        gc.unfreeze()


def test_playing_on_from_a_seek_keeps_the_board_right() -> None:
    log = entries(three_car_race())
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log, interval=3)
    engine = timeline.engine_at(timeline.prefix_at(30_000))
    position = engine.seq
    engine.apply(log[position:])
    assert engine.standings() == TimingEngine.from_log(QUARTER_MILE_RACE, log).standings()


def test_a_clone_is_independent() -> None:
    log = entries(three_car_race())
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, log[:10])
    twin = engine.clone()
    before = engine.standings()
    twin.apply(log[10:])
    assert engine.standings() == before
    assert twin.standings() != before
    assert [LogEntry] and twin.log is not engine.log


def test_checkpoint_stretches_shorten_along_a_long_log_and_no_more_are_kept() -> None:
    assert checkpoint_starts(10, interval=4) == [0, 4, 8]
    assert checkpoint_starts(300) == [0]  # shorter than the smallest stretch: one, at 0
    for length in (1_000, 24_000, 121_334, 500_000):
        starts = checkpoint_starts(length)
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert starts[0] == 0 and len(starts) <= replay.CHECKPOINTS
        assert all(g >= replay.SMALLEST_INTERVAL for g in gaps)
        assert gaps == sorted(gaps, reverse=True)  # later checkpoints cost more to take back
        assert length - starts[-1] <= max(gaps[-1], replay.SMALLEST_INTERVAL)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps[0] > 1.5 * gaps[-1]


def test_a_seek_is_right_with_stretches_that_shorten(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spacing of a long log, on a short one: every moment, any order, from scratch."""
    monkeypatch.setattr(replay, "SMALLEST_INTERVAL", 2)
    monkeypatch.setattr(replay, "CHECKPOINTS", 5)
    monkeypatch.setattr(replay, "TAKE_PER_EVENT", 0.2)
    log = entries(three_car_race())
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log)
    gaps = [b - a for a, b in itertools.pairwise(timeline.starts)]
    assert len(timeline.starts) == 5 and gaps[0] > gaps[-1]
    counts = list(range(len(log) + 1))
    random.Random(3).shuffle(counts)
    for n in counts:
        assert _board(timeline.engine_at(n)) == _board(
            TimingEngine.from_log(QUARTER_MILE_RACE, log[:n])
        )
        timeline.build_next()
    assert _board(timeline.final()) == _board(TimingEngine.from_log(QUARTER_MILE_RACE, log))


def test_copies_of_the_log_share_its_blocks_and_go_their_own_ways() -> None:
    items = list(range(2 * LOG_BLOCK + 7))
    log: SharedLog[int] = SharedLog()
    for item in items:
        log.append(item)
    twin = log.copy()
    assert list(twin) == list(log) == items and twin == items and len(twin) == len(items)
    log.append(-1)
    twin.append(-2)
    twin.extend([-3])
    assert list(log) == [*items, -1] and list(twin) == [*items, -2, -3]
    assert log[0] == 0 and log[LOG_BLOCK] == LOG_BLOCK and log[-1] == -1 and twin[-2] == -2
    assert log[LOG_BLOCK - 2 : LOG_BLOCK + 2] == items[LOG_BLOCK - 2 : LOG_BLOCK + 2]
    with pytest.raises(IndexError):
        log[len(log)]
    with pytest.raises(IndexError):
        log[-len(log) - 1]
    for again in (pickle.loads(pickle.dumps(twin)), copy.deepcopy(twin), copy.copy(twin)):
        again.append(-4)  # its own tail, not the one it was copied from
        assert list(again) == [*items, -2, -3, -4] and list(twin) == [*items, -2, -3]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(5, 120),
    interval=st.integers(1, 25),
    slice_events=st.integers(1, 30),
)
def test_checkpoints_built_in_slices_hold_the_board_at_any_moment(
    seed: int, count: int, interval: int, slice_events: int
) -> None:
    """The window builds each checkpoint a slice of events at a time (a whole stretch held its
    thread 40-90 ms at 24 h); seeks between the slices, taking checkpoints, change nothing."""
    sessions = list(_random_session(seed, count))
    engine = sessions[-1][0]
    timeline = ReplayTimeline(engine.settings, engine.log, interval=interval)
    rng = random.Random(seed)
    for _ in range(6):
        n = timeline.prefix_at(rng.randint(-5, timeline.duration_ms + 5))
        expected = TimingEngine.from_log(engine.settings, engine.log[:n])
        assert _board(timeline.engine_at(n)) == _board(expected)
        for _ in range(rng.randint(0, 4)):
            timeline.build_next(slice_events)
    steps = 0
    while not timeline.build_next(slice_events):
        steps += 1
        assert steps < 10 * len(engine.log) + 10
    assert timeline.built and len(timeline.checkpoints()) == len(timeline.starts)
    for start, checkpoint in zip(timeline.starts, timeline.checkpoints(), strict=True):
        assert checkpoint.seq == start
    assert _board(timeline.final()) == _board(engine)
