"""When a session opened with nothing timing it is a record of the past, not one to time on.

The rule: its last timed event (a passing, a flag) is more than :data:`LONG_PAST_MS` before now
on the wall clock. Its clock then stands at that event ("stopped at 1:33:54"): run from the
file's time zero it read "since green 67989:14:47" for a 2019 decoder capture, and a crossing
typed there is refused (it would be stamped years after the session's start).

Why a gap and not the day: a 24-hour race crosses midnight, and an operator who closes the board
for ten minutes (or an hour of red flag) must come back to the clock running as before. Twelve
hours of nothing timed is more than any stop in a race. A session made ahead of its day (its
entries loaded the evening before, nothing timed yet) runs from its file's time zero as a new
one's does, unless that is past the most session time a log takes (ten days: a crossing typed
there was refused as "outside the session"). Replay, the demo, a feed or a decoder keep their own
clocks: the rule is only for a session the operator has opened.
"""

from __future__ import annotations

from timingboard.engine.validation import MAX_TIME_MS

LONG_PAST_MS = 12 * 3_600_000  # twelve hours with nothing timed


def long_past(origin_s: float, last_ms: int, now_s: float, timed: bool) -> bool:
    """Whether a session whose time zero is ``origin_s`` (epoch seconds), last timed at
    ``last_ms`` of session time, is a record of the past at ``now_s``. ``timed``: it has a
    passing or a flag (a session with neither is one made ahead, to be timed)."""
    since_ms = (now_s - origin_s) * 1000
    if not timed:
        return since_ms > MAX_TIME_MS
    return since_ms - last_ms > LONG_PAST_MS
