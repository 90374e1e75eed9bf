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
def test_sebring_session_4_has_its_11_cars_and_87_its_pit_out() -> None:
    """Its line 2135, a pit-out by "Tx4667026" after the $A giving #87 that transponder, made a
    12th car: the pit-out is #87's. The capture's 24 entries (the feeds README) are the ALMS
    session's 11 and the Lites entry list sent after its end and reset (15, #9 and #21 again)."""
    path = SHARED_FEEDS / "sebring2009_alms_test_session4.txt"
    [(session, engine), (_, lites_engine)] = list(_sessions(path))
    cars = {s.car for s in engine.standings()}
    assert len(cars) == 11 and not any(car.startswith("Tx") for car in cars)
    assert len(cars | {s.car for s in lites_engine.standings()}) == 24
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


@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
def test_sebring_alms_session_4_keeps_its_drivers_after_its_end() -> None:
    """After its $B run 95 and the $I reset, Orbits sent the Lites entry list (15 cars, #9 and
    #21 among them): the next session's, never the ALMS session's cars or drivers."""
    path = SHARED_FEEDS / "sebring2009_alms_test_session4.txt"
    [(alms, engine), (lites, lites_engine)] = list(_sessions(path))
    assert (alms.run, alms.ended, lites.run, lites.ended) == (32, True, None, False)
    assert sorted(s.car for s in engine.standings()) == sorted(
        ["15", "21", "28", "40", "44", "45", "46", "66", "87", "9", "92"]
    )
    assert engine.standing("9").driver == "David Brabham"
    assert engine.standing("21").driver == "Ian James"
    assert check_order(engine, alms).agrees and len(check_order(engine, alms).compared) == 11
    assert len(lites_engine.cars()) == 15 and lites_engine.passing_count() == 0
    assert lites_engine.standing("9").driver == "Jarrett Boon"
    assert lites_engine.standing("21").driver == "Charlie Shears"
    assert lites.settings.name == "Test Session 4"  # the $B run 95 after the reset names it


@pytest.mark.skipif(not CAPTURES, reason="../shared/feeds is not here")
def test_sebring_lites_session_4_keeps_its_15_cars_after_its_end() -> None:
    """The Lites capture ends as the ALMS one: after its end and reset, the ALMS entry list of
    Test Session 5 (11 cars, 9 not Lites ones) is the next session's."""
    path = SHARED_FEEDS / "sebring2009_lites_test_session4.txt"
    [(lites, engine), (alms, alms_engine)] = list(_sessions(path))
    assert (lites.run, lites.ended, alms.run, alms.ended) == (34, True, None, False)
    assert len(engine.cars()) == 15
    assert engine.standing("9").driver == "Jarrett Boon"
    assert engine.standing("21").driver == "Charlie Shears"
    assert check_order(engine, lites).agrees
    assert alms.settings.name == "Test Session 5"
    # its 11 cars; Lites #00 and #14 come in by pit-lane $L after the reset (not $A: kept)
    alms_cars = {"15", "21", "28", "40", "44", "45", "46", "66", "87", "9", "92"}
    assert alms_cars <= set(alms_engine.cars()) and alms_engine.passing_count() == 0
    assert alms_engine.standing("9").driver == "Brabham / Sharp"
    assert len({s.car for s in engine.standings()} | {s.car for s in alms_engine.standings()}) == 24
