"""Where a missed passing goes, and whether the time given for it makes sense.

A missed read shows on the board as one lap about twice as long as the car's others; the passing
belongs inside that lap. After a car took the flag, a passing of it is not counted: the stretch
after its finish is offered as that, not as its next lap. A time that would make a lap shorter
than the session's minimum lap (or, with none set, shorter than half the session's best lap)
cannot be a real crossing, and nor can one after now: a missed passing is one the car has
already made (:func:`latest_ms`).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from timingboard.engine.car import PassingStatus
from timingboard.engine.engine import TimingEngine
from timingboard.engine.formatting import format_lap, format_session_time
from timingboard.engine.session_end import board_moment_ms

# a lap this many times the car's usual one is two laps with the crossing between them not read
# (a pit stop or a caution makes a lap 1.3-1.7 times as long)
TWO_LAPS = (1.75, 2.3)
FALLBACK_FLOOR_MS = 1000  # no minimum lap set and no best lap yet: still not a lap
_COUNTED = (PassingStatus.LAP, PassingStatus.START)


@dataclass(frozen=True, slots=True)
class LapSlot:
    """A stretch between two of a car's crossings where a missed one may go.

    ``number``: the lap it completes now (the open slot after the last passing: the next lap,
    the one a passing inserted there completes).
    """

    number: int
    start_ms: int
    end_ms: int | None
    suspect: bool = False
    after_finish: bool = False  # the open slot of a car that took the flag: nothing counts

    @property
    def text(self) -> str:
        if self.after_finish:  # "Completes lap 3" offered past the flag, and counted nothing
            at = format_session_time(self.start_ms)
            return f"After its finish (lap {self.number - 1} at {at}): not counted"
        if self.end_ms is None:
            # "After its last passing (lap 10…)" read as "its lap 10 was the last" for a car
            # with 9 laps: say the lap it completes and the crossing it follows
            at = format_session_time(self.start_ms)
            done = self.number - 1
            after = f"lap {done} at {at}" if done else f"its start at {at}"
            return f"Completes lap {self.number}: after its last crossing ({after})"
        mark = " — looks like two laps" if self.suspect else ""
        return f"Lap {self.number}: {format_lap(self.end_ms - self.start_ms)}{mark}"


def lap_slots(engine: TimingEngine, key: str) -> list[LapSlot]:
    """The car's laps seen here, in order, then the open stretch after its last passing."""
    timing = engine.entries[key].timing
    laps = [lap for lap in timing.laps if lap.seen]
    # the lower median: with an even count the plain median averages in the long lap itself
    # (a slow first lap and one lap of two: 20, 6.7, 6.7, 13.5 s gave 10.1 s, and no suspect)
    usual = statistics.median_low([lap.duration_ms for lap in laps]) if laps else 0
    low, high = TWO_LAPS
    slots = [
        LapSlot(
            lap.number,
            lap.time_ms - lap.duration_ms,
            lap.time_ms,
            suspect=len(laps) > 1 and low * usual <= lap.duration_ms <= high * usual,
        )
        for lap in laps
    ]
    counted = _counted_times(engine, key)
    if counted:
        finished = timing.finished
        slots.append(LapSlot(len(timing.laps) + 1, counted[-1], None, after_finish=finished))
    return slots


def outside_slot(slot: LapSlot, time_ms: int, typed: str = "") -> str | None:
    """Why a passing at ``time_ms`` is not in ``slot`` (from the crossing it starts from and,
    for a lap, before the one that ended it); None when it is (one at that very crossing makes
    a lap too short: :func:`insert_problem` says so). ``typed``: the lap time typed, counted from
    the slot's start, said as typed; else the time is said as a session time. A time outside
    went in elsewhere without a word (the walk: "after its last crossing (lap 2 at
    0:00:48.895)" took @0:00:40, a passing inside lap 2)."""
    at = format_session_time(time_ms)
    pick = "pick the lap it was missed in"
    if time_ms < slot.start_ms:
        done = slot.number - 1
        crossing = f"lap {done}'s crossing" if done else "its start"
        return (
            f"{at} is before {crossing} at {format_session_time(slot.start_ms)}: the passing "
            f"missed there comes after it (or {pick})"
        )
    if slot.end_ms is not None and time_ms >= slot.end_ms:
        ended = f"lap {slot.number} ended at {format_session_time(slot.end_ms)}"
        if typed:
            return f"{ended}: a lap time of {typed} puts the passing after it"
        return f"{ended}: {at} is not before that crossing ({pick})"
    return None


def likely_slot(slots: list[LapSlot]) -> int:
    """The index of the slot most likely to hide the missed passing: the last lap that looks like
    two (the one the operator has just noticed), or with none the stretch after the last passing
    (of a car that took the flag, its last lap: a passing after its finish is not counted)."""
    suspects = [i for i, s in enumerate(slots) if s.suspect]
    if suspects:
        return suspects[-1]
    last = len(slots) - 1
    return last - 1 if last > 0 and slots[last].after_finish else last


def floor_ms(engine: TimingEngine) -> tuple[int, str]:
    """The shortest lap a real crossing can make, and what it is called for the operator."""
    if engine.settings.min_lap_ms > 0:
        return engine.settings.min_lap_ms, "the session's minimum lap"
    if engine.session_best is not None:
        return engine.session_best[1].duration_ms // 2, "half the session's best lap"
    return FALLBACK_FLOOR_MS, "a second"


def latest_ms(engine: TimingEngine, now_ms: int) -> int:
    """The latest a missed passing can be: ``now_ms``, the session clock now (the time a car
    typed now is stamped with); in a record of the past, whose clock stands at its last event,
    that moment or the session's end if later (:func:`board_moment_ms`): after it the session
    knows of nothing, so no crossing."""
    return max(now_ms, board_moment_ms(engine))


def insert_problem(engine: TimingEngine, key: str, time_ms: int, now_ms: int) -> str | None:
    """Why a passing of ``key`` at ``time_ms`` cannot be a missed crossing, ``now_ms`` being the
    session clock now (:func:`latest_ms`); None if it can.

    One later than now was logged (the walk: @2:00:00 typed at 0:12) and stood the board at
    it: its laps of 1:53, "since green 1:53:39"."""
    if key not in engine.entries:
        return f"car {key} is no longer in this session"
    latest = latest_ms(engine, now_ms)
    if time_ms > latest:
        return (
            f"{format_session_time(time_ms)} is after the session clock "
            f"({format_session_time(latest)}): a missed passing is one the car has already made"
        )
    start = engine.start_ms
    if start is not None and time_ms < start:
        green = format_session_time(start)
        return f"{format_session_time(time_ms)} is before the green flag ({green})"
    floor, name = floor_ms(engine)
    counted = _counted_times(engine, key)
    earlier = [t for t in counted if t <= time_ms]
    later = [t for t in counted if t >= time_ms]
    if earlier and time_ms - earlier[-1] < floor:
        return (
            f"that makes a lap of {format_lap(time_ms - earlier[-1])} s after the passing at "
            f"{format_session_time(earlier[-1])}: shorter than {name} ({format_lap(floor)})"
        )
    if later and later[0] - time_ms < floor:
        return (
            f"that leaves {format_lap(later[0] - time_ms)} s to the passing at "
            f"{format_session_time(later[0])}: shorter than {name} ({format_lap(floor)})"
        )
    return None


def example_ms(engine: TimingEngine, key: str, from_ms: int | None, now_ms: int) -> int | None:
    """A time a missed passing of ``key`` after its crossing at ``from_ms`` (None: the car has
    none) could be, for the dialog's hint: halfway to its next counted crossing (a lap that
    looks like two), else its usual lap on, no later than now; None when that one is refused
    too (an example refused misleads: "@0:05:12.345" when the car last crossed at 0:06:44)."""
    if key not in engine.entries:
        return None
    latest = latest_ms(engine, now_ms)
    if from_ms is None:
        candidate = latest
    else:
        later = [t for t in _counted_times(engine, key) if t > from_ms]
        if later:
            candidate = from_ms + (later[0] - from_ms) // 2
        else:
            laps = [lap.duration_ms for lap in engine.entries[key].timing.laps if lap.seen]
            usual = statistics.median_low(laps) if laps else latest - from_ms
            candidate = min(from_ms + usual, latest)
    return candidate if insert_problem(engine, key, candidate, now_ms) is None else None


def lap_time_reference(
    engine: TimingEngine, owner: str, passing_id: int, before: bool
) -> int | None:
    """The crossing a missed passing's lap time is counted from, inserted after (or before) the
    passing ``passing_id`` of car ``owner``: that passing itself, or (before it) the car's last
    crossing that counted (a double read in between is not where its lap began)."""
    passings = engine.entries[owner].timing.crossings
    times = [t for t, pid in passings if pid == passing_id]
    if not before:
        return times[0] if times else None
    ignored = (PassingStatus.DOUBLE_READ, PassingStatus.DELETED)
    earlier = [
        t
        for t, pid in passings
        if times and t < times[0] and engine.passing_status(pid) not in ignored
    ]
    return earlier[-1] if earlier else None


def _counted_times(engine: TimingEngine, key: str) -> list[int]:
    timing = engine.entries[key].timing
    return [
        t for t, pid in timing.crossings if timing.status.get(pid, PassingStatus.LAP) in _COUNTED
    ]
