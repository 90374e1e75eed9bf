"""The passings log's order kept for a replay: filtered going back, merged in going beyond."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from timingboard.demo.endurance import Workload, generate
from timingboard.engine import TimingEngine
from timingboard.engine.events import LogEntry
from timingboard.engine.replay import ReplayTimeline
from timingboard.qt.passing_order import PassingOrder
from timingboard.qt.passings_model import _order_key

RACE = Workload("order", 8, 30, 60_000, 2.5)


def _fresh(engine: TimingEngine) -> tuple[list[int], list[int]]:
    """The order sorted afresh from the engine's own records."""
    keys = sorted(_order_key(r.time_ms, r.seq) for r in engine.passing_records())
    return keys, sorted(r.seq for r in engine.passing_records())


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_the_order_at_any_moment_in_any_seek_order_is_the_one_sorted_afresh(seed: int) -> None:
    race_settings, events = generate(RACE)
    log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
    timeline = ReplayTimeline(race_settings, log, interval=50)
    order, source = PassingOrder(_order_key), object()
    rng = random.Random(seed)
    for _ in range(10):  # forwards beyond the furthest so far, backwards, as they come
        engine = timeline.engine_at(rng.randint(0, len(log)))
        keys, ids = order.of(source, engine)
        assert (list(keys), sorted(ids.tolist())) == _fresh(engine)


def test_another_session_is_sorted_afresh() -> None:
    race_settings, events = generate(RACE)
    log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
    timeline = ReplayTimeline(race_settings, log, interval=50)
    order = PassingOrder(_order_key)
    order.of(object(), timeline.engine_at(len(log) // 3))
    shorter = TimingEngine.from_log(race_settings, log[: len(log) // 2][::2])  # another log
    keys, ids = order.of(object(), shorter)
    assert (list(keys), sorted(ids.tolist())) == _fresh(shorter)


def test_a_later_state_of_another_log_from_the_same_source_is_sorted_afresh() -> None:
    race_settings, events = generate(RACE)
    log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
    order, source = PassingOrder(_order_key), object()
    order.of(source, TimingEngine.from_log(race_settings, log[: len(log) // 3]))
    thinned = [e for i, e in enumerate(log) if i % 7 or i < 20]  # passings left out, ids kept
    for entries in (thinned, log):
        later = TimingEngine.from_log(race_settings, entries)
        keys, ids = order.of(source, later)
        assert (list(keys), sorted(ids.tolist())) == _fresh(later)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_the_order_of_a_whole_log_filtered_at_any_moment_is_the_one_sorted_afresh(
    seed: int,
) -> None:
    race_settings, events = generate(RACE)
    log = [LogEntry(i + 1, e) for i, e in enumerate(events)]
    timeline = ReplayTimeline(race_settings, log, interval=50)
    order, source = PassingOrder(_order_key), object()
    order.of_log(source, log)  # as a replay's worker sorts it
    rng = random.Random(seed)
    for _ in range(10):
        engine = timeline.engine_at(rng.randint(0, len(log)))
        keys, ids = order.of(source, engine)
        assert (list(keys), sorted(ids.tolist())) == _fresh(engine)
