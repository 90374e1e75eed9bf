"""Replay checkpoints share the session's growing lists, and give back exactly what they kept."""

from __future__ import annotations

import copy
import dataclasses
import gc
import random
import tracemalloc
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, entries, three_car_race
from test_engine_properties import _board, _random_session

from timingboard.engine import (
    CompetitorSet,
    DeletePassing,
    Flag,
    FlagChanged,
    InsertPassing,
    LogEntry,
    Passing,
    TimePenalty,
    TimingEngine,
    chunked,
    intake,
)
from timingboard.engine.checkpoint import Checkpoint
from timingboard.engine.chunked import ChunkedMap
from timingboard.engine.replay import ReplayTimeline


def _state(engine: TimingEngine) -> dict[str, Any]:
    """Everything the engine holds, as plain values."""
    state: dict[str, Any] = {}
    for name, value in vars(engine).items():
        if name == "entries":
            value = {
                key: (
                    e.key,
                    e.arrival,
                    e.competitor,
                    e.label,
                    [getattr(e.timing, f.name) for f in dataclasses.fields(e.timing)],
                    set(e.passing_ids),
                )
                for key, e in value.items()
            }
        elif name == "leaders":
            registered = value.registered()
            laps = range(1, 1 + max((len(t) for t in registered.values()), default=0))
            value = (
                {key: list(times) for key, times in registered.items()},
                value.leaders(),
                {lap: dict(value.times_of_lap(lap)) for lap in laps},
                dict(value.laps_led),
            )
        elif isinstance(value, ChunkedMap):
            value = dict(value.items())
        state[name] = value
    return state


def _lap_identities(engine: TimingEngine) -> dict[str, tuple[list[int], int | None]]:
    """Which lap objects each car holds, and which of them is its best: the engine tells a
    car's best by identity, so a restored engine must hold the very same objects."""
    found = {}
    for key, entry in engine.entries.items():
        timing = entry.timing
        best = next((i for i, lap in enumerate(timing.laps) if lap is timing.own_best), None)
        found[key] = ([id(lap) for lap in timing.laps], best)
    return found


def _batches(seed: int, count: int) -> tuple[Any, list[list[LogEntry]]]:
    sessions = list(_random_session(seed, count))
    return sessions[-1][0].settings, [batch for _engine, batch in sessions]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(2, 70))
def test_a_checkpoint_gives_back_the_engine_it_kept_and_a_rebuild_agrees(
    seed: int, count: int
) -> None:
    session_settings, batches = _batches(seed, count)
    engine = TimingEngine(session_settings)
    kept: list[tuple[Checkpoint, dict[str, Any], dict, int]] = []
    previous = None
    for batch in batches:  # corrections, reverts, reports, settings and flags among them
        engine.apply(batch)
        checkpoint = Checkpoint(engine.clone(), previous)
        state = copy.deepcopy(_state(engine))  # the engine goes on changing
        kept.append((checkpoint, state, _lap_identities(engine), engine.seq))
        previous = checkpoint
    log = engine.log
    final = _board(TimingEngine.from_log(session_settings, log))
    rng = random.Random(seed)
    for checkpoint, state, identities, seq in rng.sample(kept, min(6, len(kept))):  # any order
        for restored in (checkpoint.copy(), checkpoint.take()):
            assert _state(restored) == state
            assert _lap_identities(restored) == identities
            assert _board(restored) == _board(TimingEngine.from_log(session_settings, log[:seq]))
            restored.apply(log[seq:])  # played on from there: checkpoints left must not move
            assert _board(restored) == final
        with pytest.raises(RuntimeError):  # taken: it is the engine shown now, not a checkpoint
            checkpoint.take()


def _corrected_race() -> list[LogEntry]:
    """Three cars over five laps, a fourth registered late, and corrections along the way."""
    log = entries(three_car_race())
    seq = len(log)
    extra = [
        CompetitorSet(key="4", car="4", driver="Late", transponders=("T4",)),
        Passing(time_ms=70_000, car="4"),
        DeletePassing(passing_id=log[-3].seq),
        Passing(time_ms=71_000, car="1"),
        InsertPassing(time_ms=35_000, key="3"),
        TimePenalty(key="2", ms=5_000),
        Passing(time_ms=84_000, car="4"),
        FlagChanged(time_ms=90_000, flag=Flag.CHECKERED),
        Passing(time_ms=86_000, car="2"),
    ]
    return [*log, *entries(extra, first_seq=seq + 1)]


def test_seeks_back_and_forth_then_a_correction_on_the_board_shown() -> None:
    log = _corrected_race()
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log, interval=4)
    while not timeline.build_next():
        pass
    for n in (len(log), 3, len(log) - 2, 9, 17, 0, len(log)):  # forward, back, far, near
        at = timeline.engine_at(n)
        assert _board(at) == _board(TimingEngine.from_log(QUARTER_MILE_RACE, log[:n]))
        timeline.build_next()  # idle time: nothing to make again (a seek kept its checkpoint)
    shown = timeline.engine_at(18)
    correction = LogEntry(len(log) + 1, DeletePassing(passing_id=shown.seq - 1))
    shown.apply([correction])  # the engine shown is corrected: no checkpoint may change
    assert _board(shown) == _board(
        TimingEngine.from_log(QUARTER_MILE_RACE, [*log[:18], correction])
    )
    while not timeline.build_next():
        pass
    for n in range(len(log) + 1):
        assert _board(timeline.engine_at(n)) == _board(
            TimingEngine.from_log(QUARTER_MILE_RACE, log[:n])
        )
    assert _board(timeline.final()) == _board(TimingEngine.from_log(QUARTER_MILE_RACE, log))


def _long_race(laps: int = 60) -> tuple[Any, list[LogEntry]]:
    """Ten cars over sixty laps."""
    cars = [str(n) for n in range(1, 11)]
    events: list = [CompetitorSet(key=c, car=c, driver=f"D{c}", transponders=()) for c in cars]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    events += [
        Passing(time_ms=lap * 10_000 + i * 100, car=c)
        for lap in range(laps)
        for i, c in enumerate(cars)
    ]
    race = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, min_lap_ms=5_000)
    return race, entries(events)


def _held_once(timeline: ReplayTimeline) -> bool:
    """Whether the checkpoints' long lists add up to no more than one copy of the board's."""
    final = timeline.final()
    held = {id(s.base): len(s.base) for c in timeline.checkpoints() for s in c.lists().values()}
    one_copy = (
        len(final.log)
        + sum(len(e.timing.passings) + 2 * len(e.timing.laps) for e in final.entries.values())
        + sum(len(times) for times in final.leaders.registered().values())
    )
    return sum(held.values()) <= one_copy  # copies each would hold ~12 times as much


def test_checkpoints_of_a_long_race_hold_its_lists_about_once() -> None:
    race, log = _long_race()
    timeline = ReplayTimeline(race, log, interval=25)
    while not timeline.build_next():
        pass
    assert len(timeline.checkpoints()) == len(log) // 25 + 1
    assert _held_once(timeline)


def test_seeks_all_over_a_long_race_leave_what_its_checkpoints_hold_as_it_was() -> None:
    """Seeks at moments spread over the race, in any order, with idle time after each, as the
    timeline's are: each board is the race as it stood, and the replay holds no more after
    them. A seek once took its checkpoint and idle time made it again, by replaying its
    stretch: its laps, passing records and blocks were then new objects, its own, not shared
    with its neighbours (a 24-hour replay grew ~0.5 MB a seek, +65 MB resident after 120)."""
    race, log = _long_race()
    timeline = ReplayTimeline(race, log, interval=25)
    while not timeline.build_next():
        pass
    moments = list(range(0, len(log) + 1, 7)) * 2
    random.Random(23).shuffle(moments)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in moments:
            at = timeline.engine_at(n)
            assert _board(at) == _board(TimingEngine.from_log(race, log[:n]))
            del at  # another board shown
            while not timeline.build_next():  # idle time
                pass
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
        gc.unfreeze()
    assert grown < 20_000, f"{grown:,} bytes more after {len(moments)} seeks"
    assert _held_once(timeline)
    assert all(
        c.seq == start for c, start in zip(timeline.checkpoints(), timeline.starts, strict=True)
    )


def test_passing_records_share_one_text_of_their_source() -> None:
    """A 24-hour session has 120k passings from a handful of sources: one string each, not one a
    passing (6.7 MB, kept by the board and every replay checkpoint)."""
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, entries(three_car_race()))
    records = [engine.passings[pid] for pid in engine.passings]
    assert len(records) > 2 and all(r.source == "manual" for r in records)
    assert len({id(r.source) for r in records}) == 1


def _by_id(engine: TimingEngine) -> tuple[list[Any], list[Any], dict[str, list[int]]]:
    """The engine's passing records, their owners and each car's ids, in the order held."""
    return (
        list(engine.passings.items()),
        list(engine._owner.items()),
        {key: list(e.passing_ids) for key, e in engine.entries.items()},
    )


def test_checkpoints_ending_inside_a_block_of_ids_hold_it_once_and_give_back_their_part() -> None:
    """A checkpoint ends inside a block of 1,024 passing ids, and the engine built on from it
    wrote a copy of that block: each checkpoint kept a block of records, of owners and of each
    car's ids of its own (9.8 MB over the 120 of a 24-hour session). It holds the next one's
    longer block instead, cut back to its own when copied: every board is as it stood."""
    race, log = _long_race(laps=250)  # 2,511 events: ids in blocks 0, 1 and 2
    timeline = ReplayTimeline(race, log, interval=700)  # stretches about a block, as at 24 h
    while not timeline.build_next():
        pass
    skeletons = [c._skeleton for c in timeline.checkpoints()]
    records = {id(b) for s in skeletons if s for b in s.passings._blocks if b}
    owners = {id(b) for s in skeletons if s for b in s._owner._blocks if b}
    ids = {
        id(block)
        for c in timeline.checkpoints()
        for (what, _), kept in c.lists().items()
        if what == "ids"
        for block in kept.base[: kept.length]
    }
    assert len(records) == len(owners) == 3  # one a block; it was one a checkpoint and block
    assert len(ids) == 10 * 3  # each car's blocks of ids: one a block too
    for n in [*timeline.starts, 299, 1023, 1024, 1500, 2047, 2048, len(log)]:
        at, fresh = timeline.engine_at(n), TimingEngine.from_log(race, log[:n])
        assert _by_id(at) == _by_id(fresh)
        assert _board(at) == _board(fresh)
        at.apply(log[n:])  # played on from there: the checkpoints' blocks must not move
        assert _by_id(at) == _by_id(TimingEngine.from_log(race, log))
    for n in range(0, len(log) + 1, 97):  # again, in any order, after those
        assert _by_id(timeline.engine_at(n)) == _by_id(TimingEngine.from_log(race, log[:n]))


def test_checkpoints_ending_inside_one_block_all_hold_the_last_ones_copy_of_it() -> None:
    """Several checkpoints end inside each block of 1,024 ids (denser checkpoints): each held
    the next one's copy, and so the one before a copy of its own (a replay of 240 checkpoints
    of a 24-hour session held 7 MB more). Every one holds the last copy, cut back when copied."""
    race, log = _long_race(laps=250)  # 2,511 events: ids in blocks 0, 1 and 2
    timeline = ReplayTimeline(race, log, interval=150)  # about seven checkpoints a block
    while not timeline.build_next():
        pass
    skeletons = [c._skeleton for c in timeline.checkpoints()]
    assert len(skeletons) > 15
    records = {id(b) for s in skeletons if s for b in s.passings._blocks if b}
    owners = {id(b) for s in skeletons if s for b in s._owner._blocks if b}
    assert len(records) == len(owners) == 3  # one a block
    moments = [*timeline.starts, 1023, 1024, 1025, 2047, 2048, len(log)]
    random.Random(3).shuffle(moments)
    for n in moments:
        at, fresh = timeline.engine_at(n), TimingEngine.from_log(race, log[:n])
        assert _by_id(at) == _by_id(fresh)
        assert _board(at) == _board(fresh)
        at.apply(log[n:])  # played on from there: the checkpoints' blocks must not move
        assert _by_id(at) == _by_id(TimingEngine.from_log(race, log))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32), count=st.integers(10, 120), interval=st.integers(1, 9))
def test_checkpoints_ending_inside_small_blocks_give_back_what_they_kept(
    seed: int, count: int, interval: int
) -> None:
    """Blocks of 4 ids, so checkpoints end inside blocks all along a random session (its
    corrections, reverts and inserts among them): each copy holds what its engine held, in the
    order it held it, before and after every later checkpoint is built and seeks ran."""
    session_settings, batches = _batches(seed, count)
    log = [entry for batch in batches for entry in batch]
    with (
        mock.patch.object(chunked, "BLOCK_BITS", 2),
        mock.patch.object(intake, "BLOCK_BITS", 2),
    ):
        timeline = ReplayTimeline(session_settings, log, interval=interval)
        while not timeline.build_next():
            pass
        rng = random.Random(seed)
        moments = [*timeline.starts, *(rng.randint(0, len(log)) for _ in range(10))]
        rng.shuffle(moments)
        for n in moments:
            at, fresh = timeline.engine_at(n), _in_stretches(timeline, log, n)
            assert _by_id(at) == _by_id(fresh)
            assert _state(at) == _state(fresh)
            assert _board(at) == _board(TimingEngine.from_log(session_settings, log[:n]))


def _in_stretches(timeline: ReplayTimeline, log: list[LogEntry], count: int) -> TimingEngine:
    """One engine given the first ``count`` events in the batches the timeline gives them in
    (its stretches, then the rest): what it holds, in the order it holds it, is the same."""
    engine = TimingEngine(timeline.settings)
    starts = [s for s in timeline.starts if s <= count]
    for start, end in zip(starts, [*starts[1:], count], strict=True):
        if end > start:
            engine.apply(log[start:end])
    return engine
