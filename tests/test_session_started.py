"""When a session began (issue 15): the green, else its first crossing; the Event view's
Started column says it for a session that never had a green (a feed's, a practice)."""

from __future__ import annotations

import time
from pathlib import Path

from race_scripts import QUARTER_MILE_QUALIFYING, field, run

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.store.event_folder import summarise_engine


def test_a_session_began_at_the_green_else_at_its_first_crossing() -> None:
    assert run(QUARTER_MILE_QUALIFYING, field(["1"])).started_ms() is None
    no_green = run(QUARTER_MILE_QUALIFYING, [*field(["1"]), Passing(time_ms=61_000, car="1")])
    assert no_green.started_ms() == 61_000
    green = run(
        QUARTER_MILE_QUALIFYING,
        [
            *field(["1"]),
            FlagChanged(time_ms=5000, flag=Flag.GREEN),
            Passing(time_ms=61_000, car="1"),
        ],
    )
    assert green.started_ms() == 5000


def test_the_event_view_says_when_a_session_without_a_green_started() -> None:
    engine = run(QUARTER_MILE_QUALIFYING, [*field(["1"]), Passing(time_ms=60_000, car="1")])
    origin = time.mktime((2026, 12, 2, 13, 0, 0, 0, 0, -1))
    summary = summarise_engine(engine, Path("q.tbs"), origin)
    assert summary.started == "13:01"  # it was blank
