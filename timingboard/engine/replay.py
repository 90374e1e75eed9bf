"""A saved session as a timeline: the board as it stood at any moment, reached fast.

Each event of the log is stamped with the session time it was recorded at (a passing or a flag
the running maximum of their times; a correction when it was made, by the wall clock the session
file keeps: :func:`stamps_of`), so "at time T" is the prefix of the log stamped up to T: the
board exactly as it stood then, later corrections not yet made
(the other meaning, the laps run by T with every correction, is
:func:`timingboard.engine.history.corrected_log_at`). Checkpoints (the engine at
:attr:`ReplayTimeline.starts`) make a seek replay at most one stretch, in one batch. They share
the lists that grow with the session with one another (:mod:`timingboard.engine.checkpoint`),
so each costs only its small, changing state. A seek copies its checkpoint (the small state,
~0.5-1 ms at 24 h, then the shared lists' prefixes) and keeps it. It once took the checkpoint
itself and idle time made it again by replaying its stretch; made again, it held laps, passing
records and blocks of its own, new objects no longer shared with its neighbours, so a replay
grew with every seek (the window replaying the 24 h session 251 -> 319 MB resident after 120).

Taking a late checkpoint back costs more than an early one (its shared lists' prefixes are
copied: ~1-2.5 ms at the end of a 24-hour session, nearly all of it the laps, as the passings
and lap times are packed; nothing at its start), so the stretches shorten along the log to
even out what the slowest seek of each costs (:func:`checkpoint_starts`): the same number of
checkpoints, the same memory.
"""

from __future__ import annotations

import bisect
import gc
import math
import threading
from collections.abc import Sequence

from timingboard.engine.checkpoint import Checkpoint
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import (
    EndSession,
    Flag,
    FlagChanged,
    InsertPassing,
    LogEntry,
    Passing,
    SessionEnded,
)
from timingboard.engine.settings import SessionSettings

# A 24 h session: stretches of 755 events down to 400 (60 of 2,023 held 70.9 MB with
# tracemalloc; 90 held 71.8 MB; with the passings and lap times packed, 120 held 69.5 MB and
# the window replaying it was 242 MB resident, 237 MB with 90: the goal is 250 MB). With the
# checkpoints ending in one block of ids holding one copy of it, 120 hold 51.3 MB and 240
# 57.7 MB; replaying at most 755 events, not 1,272, a seek's state p99 ~14 -> ~7 ms.
CHECKPOINTS = 240
SMALLEST_INTERVAL = 400
# What taking a checkpoint back costs for each event before it, against replaying one event
# (24 h session, CPU time, load ~3: p99 ~2.5 ms for the 121k events before the last, ~5 us an
# event replayed; it was ~6.5 ms, 0.009, while the passings and lap times were lists).
TAKE_PER_EVENT = 0.004


def checkpoint_starts(length: int, interval: int | None = None) -> list[int]:
    """Where the checkpoints of a log of ``length`` events stand: every ``interval`` events
    when given; else at most :data:`CHECKPOINTS`, each stretch shorter than the one before by
    what taking its checkpoint back costs more (so a seek to the end of any stretch costs about
    the same), none shorter than :data:`SMALLEST_INTERVAL`."""
    if interval:
        return list(range(0, length + 1, interval))

    def spaced(first: int) -> list[int]:
        starts = [0]
        while True:
            gap = max(SMALLEST_INTERVAL, round(first - TAKE_PER_EVENT * starts[-1]))
            if starts[-1] + gap > length:
                return starts
            starts.append(starts[-1] + gap)

    low, high = SMALLEST_INTERVAL, max(SMALLEST_INTERVAL, length + 1)
    while low < high:  # the shortest first stretch that needs no more than CHECKPOINTS
        middle = (low + high) // 2
        if len(spaced(middle)) <= CHECKPOINTS:
            high = middle
        else:
            low = middle + 1
    return spaced(low)


def stamps_of(log: Sequence[LogEntry], logged_at: Sequence[float] | None = None) -> list[int]:
    """The session time each event of the log was recorded at (never going back).

    A passing, a flag or the session's end (the timing system's or the operator's) is stamped
    with the time it carries (the running
    maximum: one that arrived late takes the time reached). Any other event (a correction, an
    inserted passing, which carries the time of a crossing long past) took effect when it was
    logged: given
    ``logged_at`` (the wall clock, epoch s, each event was written at, as a session file keeps
    it), that is the time reached plus the wall time since the passing or flag that reached it
    (the session clock runs at real pace between them), no later than the next passing or flag
    (whatever the timing system's clock said then is the clock). One made after the last
    passing under the checkered flag (a penalty after the race, the file opened the next day)
    is put a millisecond after the last event: the session clock stood at the end, as the
    window shows it, and it was made after the board of the finish. Without it (a recorded
    stream: no corrections), or when all were written at once (an import), it is the time
    reached.
    """
    stamps, reached = [], 0
    if logged_at is None or len(logged_at) != len(log):
        for entry in log:
            event = entry.event
            if isinstance(event, Passing | FlagChanged | SessionEnded | InsertPassing | EndSession):
                reached = max(reached, event.time_ms)
            stamps.append(reached)
        return stamps
    anchor_ms, anchor_at = 0, logged_at[0] if logged_at else 0.0
    checkered = False  # the last flag shown: once the cars are in, the session clock stands
    late: list[int] = []  # events since the last passing or flag, stamped when logged
    for entry, at in zip(log, logged_at, strict=True):
        event = entry.event
        # the operator's end is a correction, but it carries the session time it was made at
        # (after the last crossing: stamped as a correction after the checkered it stood a ms
        # after that crossing, and the timeline stopped short of it)
        if isinstance(event, Passing | FlagChanged | SessionEnded | EndSession):
            if event.time_ms >= reached:
                anchor_ms, anchor_at = event.time_ms, at
            reached = max(reached, event.time_ms)
            if isinstance(event, FlagChanged):
                checkered = event.flag is Flag.CHECKERED
            for index in late:  # logged before this one: not after its time
                stamps[index] = min(stamps[index], reached)
            late.clear()
            stamps.append(reached)
            continue
        if isinstance(event, InsertPassing):
            reached = max(reached, event.time_ms)
        moment = anchor_ms + max(0, round((at - anchor_at) * 1000))
        stamps.append(max(reached, moment, stamps[-1] if stamps else 0))
        late.append(len(stamps) - 1)
    if checkered:  # made once it was over: the clock stood at the end (a ms apart, in order)
        for step, index in enumerate(late, 1):
            stamps[index] = min(stamps[index], reached + step)
    return stamps


def _copied(checkpoint: Checkpoint) -> TimingEngine:
    """An engine of its own as the checkpoint stood, its long lists out of the collector's sight.

    Copying a checkpoint makes each long list anew (the log, every car's passings, laps and lap
    times: up to 600k references at 24 h), and every young-generation collection while the
    stretch after it is replayed walked all of them again: 8.5 ms of a 20 ms seek (CPU time,
    ``gc.callbacks``). They live as long as the board is shown, so they are frozen at once, as
    the driver freezes the checkpoints once built: what was young is collected first, so no
    garbage is frozen with them; the engine holds no reference cycles and is freed by reference
    counting when another board replaces it.
    """
    if threading.current_thread() is not threading.main_thread():
        # a replay opened in a worker: frozen, not collected (a collection here walked the
        # whole log just read, ~0.1 s holding the GIL, and the window stalled as long; it
        # would free the window's garbage off its thread too). What the worker made is alive.
        engine = checkpoint.copy()
        gc.freeze()
        return engine
    gc.collect(1)
    engine = checkpoint.copy()
    gc.freeze()
    return engine


class ReplayTimeline:
    """The log of one session with checkpoints; it never changes the log."""

    def __init__(
        self,
        settings: SessionSettings,
        log: Sequence[LogEntry],
        interval: int | None = None,
        logged_at: Sequence[float] | None = None,
    ) -> None:
        """``logged_at``: the wall clock each event was written at (:func:`stamps_of`)."""
        self.settings = settings
        self.log = list(log)
        self.stamps = stamps_of(self.log, logged_at)
        self.starts = checkpoint_starts(len(self.log), interval)
        # a stretch, on average: how far the replay driver plays on rather than seeks
        count = max(1, math.ceil(len(self.log) / CHECKPOINTS))
        self.interval = interval or max(SMALLEST_INTERVAL, count)
        self._checkpoints: list[Checkpoint] = [Checkpoint(TimingEngine(settings))]
        # the next checkpoint, being built a slice at a time (build_next(events)): its engine
        self._building: TimingEngine | None = None
        self.made = 0  # checkpoints made so far (the window freezes each one)
        self._flag_periods = self._periods()  # here, where it is made (a worker, in the window)

    @property
    def duration_ms(self) -> int:
        return self.stamps[-1] if self.stamps else 0

    def prefix_at(self, time_ms: int) -> int:
        """How many events of the log had been recorded by session time ``time_ms``."""
        return bisect.bisect_right(self.stamps, time_ms)

    def engine_at(self, count: int) -> TimingEngine:
        """An engine of its own holding the first ``count`` events: a checkpoint, then a batch."""
        count = max(0, min(count, len(self.log)))
        index = bisect.bisect_right(self.starts, count) - 1
        self._build_until(index)
        engine = _copied(self._checkpoints[index])  # kept (made again, it shared less)
        start = self.starts[index]
        if count > start:
            engine.apply(self.log[start:count])
        return engine

    def final(self) -> TimingEngine:
        """The board at the end of the log: an engine of its own."""
        last = len(self.starts) - 1
        self._build_until(last)
        engine = self._checkpoints[last].copy()
        if engine.seq < len(self.log):
            engine.apply(self.log[self.starts[last] :])
        return engine

    def flag_periods(self) -> list[tuple[int, int, Flag]]:
        """(from, to, flag) over the session, in session time, for drawing the timeline."""
        return list(self._flag_periods)

    def _periods(self) -> list[tuple[int, int, Flag]]:
        flags = sorted(
            (e.event.time_ms, e.seq, e.event.flag)
            for e in self.log
            if isinstance(e.event, FlagChanged)
        )
        periods: list[tuple[int, int, Flag]] = []
        if not flags:
            return periods  # a session that never had a flag (a practice timed by hand)
        for (start, _, flag), following in zip(flags, [*flags[1:], None], strict=True):
            end = following[0] if following else self.duration_ms
            periods.append((start, max(start, end), flag))
        return periods

    def end_time(self, ended_ms: int) -> int:
        """When the end at ``ended_ms`` (the timing system's or the operator's) was recorded,
        in the timeline's time: where the leader's last lap steps on to."""
        for stamp, entry in zip(self.stamps, self.log, strict=True):
            event = entry.event
            if isinstance(event, SessionEnded | EndSession) and event.time_ms == ended_ms:
                return stamp
        return self.duration_ms

    def passing_times(self) -> list[int]:
        """Every moment a passing was recorded, in order (to step from passing to passing)."""
        return [
            stamp
            for stamp, entry in zip(self.stamps, self.log, strict=True)
            if isinstance(entry.event, Passing | InsertPassing)
        ]

    def checkpoints(self) -> list[Checkpoint]:
        """The checkpoints built so far."""
        return list(self._checkpoints)

    def build_next(self, events: int | None = None) -> bool:
        """Build one more checkpoint; True when all are built.

        ``events``: replay at most that many events of it this time (the window builds them
        between its events: a whole stretch took 40-90 ms of its thread at 24 h); the engine
        so far is kept for the next call.
        """
        if self.built:
            return True
        if events is None:
            self._build_until(len(self._checkpoints))
        else:
            self._build_slice(events)
        return self.built

    @property
    def built(self) -> bool:
        """Whether every checkpoint is built."""
        return len(self._checkpoints) == len(self.starts)

    def _build_slice(self, events: int) -> None:
        """Replay up to ``events`` more of the next checkpoint; made once reached."""
        if self._building is None:
            self._building = self._checkpoints[-1].copy()
        engine, end = self._building, self.starts[len(self._checkpoints)]
        if engine.seq < end:
            engine.apply(self.log[engine.seq : min(end, engine.seq + max(1, events))])
        if engine.seq >= end:
            self._building = None
            self.made += 1
            self._checkpoints.append(Checkpoint(engine, self._checkpoints[-1]))

    def _build_until(self, index: int) -> None:
        while len(self._checkpoints) <= index:
            self._build_slice(len(self.log))  # the whole stretch, or what is left of it
