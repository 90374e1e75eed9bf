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

A copy branched from a replay to correct it (File ▸ Branch a copy to correct…) is a record
whatever its day: it is the session as it stood, to be corrected, never timed on (its race, if
it still runs, is timed in the original).

It is also the rule of a record's results (:func:`settle_record`): a practice or qualifying of
an earlier day finished with no end logged reads as ended, as it did before an operator could
end a session. One timed by a P3 decoder reads so finished or not: a decoder has no flags, so
its capture never holds a checkered (an imported 2019 practice read every car "running", the
sheet "the session is not over").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timingboard.engine.validation import MAX_TIME_MS

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine

LONG_PAST_MS = 12 * 3_600_000  # twelve hours with nothing timed


def long_past(origin_s: float, last_ms: int, now_s: float, timed: bool) -> bool:
    """Whether a session whose time zero is ``origin_s`` (epoch seconds), last timed at
    ``last_ms`` of session time, is a record of the past at ``now_s``. ``timed``: it has a
    passing or a flag (a session with neither is one made ahead, to be timed)."""
    since_ms = (now_s - origin_s) * 1000
    if not timed:
        return since_ms > MAX_TIME_MS
    return since_ms - last_ms > LONG_PAST_MS


def settle_record(
    engine: TimingEngine,
    origin_s: float | None,
    now_s: float,
    branched: bool = False,
    flagless: bool = False,
) -> bool:
    """Whether the session ``engine`` holds is a record of the past (:func:`long_past`, or
    ``branched``: a copy made to correct a session, whatever its day), kept in
    ``engine.past_record`` (every row read again when that changes); ``origin_s`` None: it has
    no file, it is timed now.

    Why the engine is told: a practice or qualifying finished with no end logged (before an
    operator could end one, a hand-timed one never was) read every car that went out as
    finished; a car still out at the checkered now runs until it takes the flag or the session
    is ended. Such a record is never timed again, so it reads as ended, as it always did.
    ``flagless``: its timing system gives no checkered (a P3 decoder's session): a practice or
    qualifying of it reads as ended without one (:attr:`EngineState.record_over`)."""
    record = False
    if origin_s is not None:
        timed = bool(engine.passing_count() or engine.flag_changes())
        record = branched or long_past(origin_s, engine.clock_ms, now_s, timed)
    unflagged = record and flagless
    if record != engine.past_record or unflagged != engine.past_unflagged:
        engine.past_record, engine.past_unflagged = record, unflagged
        engine.read_rows_again()
    return record
