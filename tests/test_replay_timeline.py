"""Replay: the board at time T equals the board computed from the log up to T, in any seek order."""

from __future__ import annotations

import gc
import random
import weakref

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
)
from timingboard.engine.replay import ReplayTimeline, stamps_of


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


def test_a_seek_takes_a_checkpoint_and_idle_time_fills_it_again() -> None:
    log = entries(three_car_race())
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log, interval=3)
    while not timeline.build_next():
        pass
    first = timeline.engine_at(7)
    second = timeline.engine_at(7)  # the checkpoint is gone: made from the one before
    assert first is not second and _board(first) == _board(second)
    assert timeline.build_next()  # filled again: none missing
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
