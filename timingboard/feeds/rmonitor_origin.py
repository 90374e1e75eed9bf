"""When a recorded session's time zero was, from what the capture itself says.

Session time is race time (the mapper puts the first green at zero and each ``$J`` at its
total time), so a heartbeat that pairs a running race time with a time of day, or with a
recorder's receive time, places time zero on the wall clock. ``import`` stores it as the
session file's origin; a live board keeps its own clock (it is now).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True, slots=True)
class ClockClue:
    """From the first heartbeat of a session whose race clock ran (race time above zero).

    ``zero_of_day_ms``: the time of day at race time zero (time of day less race time, may
    fall outside 0..24 h across midnight). ``received_zero``: the same moment in epoch seconds,
    from the recorder's receive time of that heartbeat, when the capture has one.
    """

    zero_of_day_ms: int | None
    received_zero: float | None


@dataclass(frozen=True, slots=True)
class DayMark:
    """A ``$I`` that named its day: the moment it was sent (local wall clock, no zone)."""

    day: date
    time_of_day_ms: int


def session_origin(
    clock: ClockClue | None, mark: DayMark | None, began_received: float | None = None
) -> float | None:
    """Epoch seconds of session time zero, or None when the capture does not say.

    Best from the receive time. Else the ``$I`` day with the heartbeat's time of day: the
    moment with that time of day nearest the ``$I`` (a session across midnight, a ``$I``
    sent after the session, as Orbits does at its end). RMonitor names no time zone: the
    time of day is read in the local time zone of this computer. A session whose race clock
    never ran (an untimed run) begins when the recorder received its first record.
    """
    if clock is not None and clock.received_zero is not None:
        return clock.received_zero
    if clock is None or mark is None or clock.zero_of_day_ms is None:
        return began_received
    try:
        midnight = datetime(mark.day.year, mark.day.month, mark.day.day)
        sent = midnight + timedelta(milliseconds=mark.time_of_day_ms)
        zero = midnight + timedelta(milliseconds=clock.zero_of_day_ms % DAY_MS)
        nearest = min((zero + timedelta(days=d) for d in (-1, 0, 1)), key=lambda z: abs(z - sent))
        return nearest.timestamp()  # no zone: the local one
    except (ValueError, OverflowError, OSError):  # a day at the very ends of the calendar
        return None
