"""Every way of reaching a point of the log goes on from there the same.

A board is reached four ways: built event by event (live), rebuilt from the log (opening a
session), read from the file's snapshot (opening a session closed cleanly), and taken from a
replay checkpoint (seeking). Equal boards are not enough: state the board does not show (a
car's arrival, the lap leaders' records, what a batch remembers of the last) decides what the
next events do to it. So each way is taken to a random point of a random session, the rest of
the log is fed to all, and their boards and results must agree after every batch.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_properties import _random_session, start_of
from test_session_snapshot import board

from timingboard.engine import LogEntry, TimingEngine
from timingboard.engine.chunked import ChunkedMap
from timingboard.engine.replay import ReplayTimeline
from timingboard.reports.results import result_rows
from timingboard.store import snapshot


def _seen(engine: TimingEngine) -> tuple[Any, ...]:
    """What a view, a report or the command reads of a board (results rows included)."""
    return (*board(engine), engine.cars(), result_rows(engine))


def _held(engine: TimingEngine) -> dict[str, Any]:
    """Everything the engine holds, as plain values, its board read first (a row is built when
    first read: until then a rebuilt board holds none).

    Compared as they are read: dicts that are only looked up, as dicts (their order is not
    read); the entries as a list (the board lists its cars in their order). Left out: the log
    (compared with the board) and ``_led_cache``, a cache of ``known_laps_led`` for one
    ``seq`` (the laps led are compared with the board).
    """
    engine.standings()
    held: dict[str, Any] = {}
    for name, value in vars(engine).items():
        if name in ("log", "_led_cache"):
            continue
        if name == "entries":
            value = [
                (
                    key,
                    e.arrival,
                    e.competitor,
                    e.label,
                    {f.name: getattr(e.timing, f.name) for f in dataclasses.fields(e.timing)},
                    list(e.passing_ids),
                )
                for key, e in value.items()
            ]
        elif name == "leaders":
            value = (value.registered(), value.leaders(), dict(value.laps_led))
        elif isinstance(value, ChunkedMap):
            value = dict(value.items())
        held[name] = value
    return held


def _differences(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (a[name], b.get(name)) for name in a if a[name] != b.get(name)}


def _split(batches: list[list[LogEntry]], count: int) -> tuple[list[list[LogEntry]], list]:
    """The batches up to event ``count`` (the one it falls in cut there) and those after."""
    before = [[e for e in batch if e.seq <= count] for batch in batches]
    after = [[e for e in batch if e.seq > count] for batch in batches]
    return [b for b in before if b], [b for b in after if b]


def _ways(seed: int, batches: list[list[LogEntry]], interval: int) -> dict[str, TimingEngine]:
    """The engine at the end of ``batches``, reached each way."""
    start = start_of(seed)
    live = TimingEngine(start)
    for batch in batches:
        live.apply(batch)
    log = list(live.log)
    rebuilt = TimingEngine.from_log(start, log)
    ways = {"live": live, "rebuilt": rebuilt}
    for name, engine in (("live", live), ("rebuilt", rebuilt)):
        restored = snapshot.restore(snapshot.engine_data(engine), engine.seq, log)
        assert restored is not None
        ways[f"snapshot of {name}"] = restored
    ways["checkpoint"] = ReplayTimeline(start, log, interval=interval).engine_at(len(log))
    return ways


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    count=st.integers(2, 70),
    cut=st.floats(0, 1),
    one_by_one=st.booleans(),
    interval=st.integers(1, 9),
)
def test_each_way_to_a_point_of_the_log_goes_on_to_the_same_board(
    seed: int, count: int, cut: float, one_by_one: bool, interval: int
) -> None:
    sessions = list(_random_session(seed, count))
    if not sessions:
        return
    batches = [batch for _engine, batch in sessions]
    last = batches[-1][-1].seq
    before, after = _split(batches, round(cut * last))
    if one_by_one:  # after every event, as a feed gives them
        after = [[entry] for batch in after for entry in batch]
    ways = _ways(seed, before, interval)
    expected, held = _seen(ways["live"]), _held(ways["live"])
    for name, engine in ways.items():
        assert _seen(engine) == expected, name
        assert not (differ := _differences(_held(engine), held)), (name, differ)
    for batch in after:
        for engine in ways.values():
            engine.apply(batch)
        expected = _seen(ways["live"])
        for name, engine in ways.items():
            assert _seen(engine) == expected, (name, batch)
    final = TimingEngine.from_log(start_of(seed), ways["live"].log)
    assert _seen(final) == expected
    held = _held(final)
    for name, engine in ways.items():
        assert not (differ := _differences(_held(engine), held)), (name, differ)
