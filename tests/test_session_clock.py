"""The session clock reads whole milliseconds to the nearest, not truncated float noise."""

from __future__ import annotations

from timingboard.qt import session_clock
from timingboard.qt.session_clock import SessionClock


def test_a_time_that_passed_reads_as_it_passed_whatever_the_clock_stood_at(monkeypatch):
    """12345 s on the monotonic clock plus 44.4 s made of the steps a race takes is 44.3999…
    in floating point: truncated, 0.2 s later read as 0.201 s (the double-read journey's
    message failed about one run in five, by where the real clock stood)."""
    now = [12345.0]
    monkeypatch.setattr(session_clock, "monotonic", lambda: now[0])
    clock = SessionClock()
    clock.run(0)
    steps = [0.4] * 3 + [13.4, 0.5, 0.5] * 3
    for step in steps:
        now[0] += step
    first = clock.read()
    now[0] += 0.2
    assert (first, clock.read()) == (44_400, 44_600)


def test_a_clock_at_speed_and_a_held_one(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(session_clock, "monotonic", lambda: now[0])
    clock = SessionClock()
    clock.run(5_000, speed=10.0)
    now[0] += 1.5
    assert clock.read() == 20_000
    clock.hold(7_000)
    now[0] += 3.0
    assert clock.read() == 7_000 and clock.held
