"""The recorded streams in ../shared/feeds: our board ends as the timing system's own order.

Sessions where the capture has a ``$J`` for every lap of every car must agree with the final
``$G`` (races) or ``$H`` (practice, qualifying). Captures that start in the middle of a session
lack passings; for them the test says what was compared (joining mid-session is another issue).
"""

from __future__ import annotations

import random

import pytest
from conftest import SHARED_FEEDS

from timingboard.engine import LogEntry, PitLane, TimingEngine
from timingboard.feeds.official_order import agree_with_timing_system, check_order
from timingboard.feeds.rmonitor_parser import parse_bytes
from timingboard.feeds.rmonitor_session import RMonitorMapper

CAPTURES = sorted(SHARED_FEEDS.glob("*")) if SHARED_FEEDS.is_dir() else []
pytestmark = pytest.mark.feeds


def _sessions(path):
    yield from _sessions_of(path.read_bytes())


def _sessions_of(data: bytes):
    mapper = RMonitorMapper()
    mapper.take(parse_bytes(data))
    mapper.skip_held()
    for session in mapper.sessions:
        engine = TimingEngine.from_log(
            session.settings, [LogEntry(i + 1, e) for i, e in enumerate(session.events)]
        )
        while fixes := agree_with_timing_system(engine, session):
            engine.apply([LogEntry(engine.seq + 1 + i, c) for i, c in enumerate(fixes)])
        yield session, engine


@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
@pytest.mark.parametrize("path", CAPTURES, ids=[p.name for p in CAPTURES])
def test_complete_sessions_end_in_the_official_order(path, record_property) -> None:
    compared = 0
    for session, engine in _sessions(path):
        check = check_order(engine, session)
        record_property(session.settings.name, check.summary())
        print(check.summary())
        compared += len(check.compared)
        assert check.agrees, check.summary()
    assert compared > 0


@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
def test_the_orbits_race_matches_to_the_lap() -> None:
    path = SHARED_FEEDS / "orbits_mock_session_brandshatch.txt"
    [(_session, engine)] = list(_sessions(path))
    assert [(s.car, s.laps) for s in engine.standings()] == [
        ("3", 8),
        ("4", 8),
        ("1", 8),
        ("5", 8),
        ("6", 7),
        ("2", 7),
    ]
    assert engine.settings.track_name == "Brands Hatch"
    assert engine.standing("3").driver == "Morgan Freeman"
    assert engine.standing("3").best_lap_ms == 33271


@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
def test_sebring_session_4_has_its_24_entries_and_87_its_pit_out() -> None:
    """Its line 2135, a pit-out by "Tx4667026" after the $A giving #87 that transponder, made a
    25th car: the pit-out is #87's."""
    path = SHARED_FEEDS / "sebring2009_alms_test_session4.txt"
    [(session, engine)] = list(_sessions(path))
    cars = {s.car for s in engine.standings()}
    assert len(cars) == 24 and not any(car.startswith("Tx") for car in cars)
    pit_out = 26 * 60_000 + 20_322  # 08:26:19.322 by the heartbeats' time of day
    pits = [(e.key, e.time_ms, e.entered) for e in session.events if isinstance(e, PitLane)]
    assert ("87", pit_out, False) in pits


def _cut_points(data: bytes, count: int, seed: int) -> list[int]:
    """Line starts at random places in the stream: a board joining there."""
    rng = random.Random(seed)
    starts = [i + 1 for i in range(len(data) - 1) if data[i] == 0x0A]
    return sorted(rng.sample(starts, min(count, len(starts))))


@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
@pytest.mark.parametrize("path", CAPTURES, ids=[p.name for p in CAPTURES])
def test_joining_at_any_point_ends_in_the_official_order(path) -> None:
    data = path.read_bytes()
    for cut in _cut_points(data, 4, seed=len(data)):
        for session, engine in _sessions_of(data[cut:]):
            check = check_order(engine, session)
            assert check.agrees, f"joined at byte {cut}: {check.summary()}"
