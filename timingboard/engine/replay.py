"""A saved session as a timeline: the board as it stood at any moment, reached fast.

Each event of the log is stamped with the session time the log had reached when it was
recorded (the running maximum of passing and flag times), so "at time T" is the prefix of
the log stamped up to T: the board exactly as it stood then, late corrections not yet made
(the other meaning, the laps run by T with every correction, is
:func:`timingboard.engine.history.corrected_log_at`).
Checkpoints (copies of the engine every ``interval`` events) make a seek replay at most one
stretch, in one batch. A seek hands out the checkpoint itself rather than a copy (copying a
24-hour session's engine takes 15-55 ms); the slot is filled again by :meth:`build_next`
while the window is idle.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import cast

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Flag, FlagChanged, InsertPassing, LogEntry, Passing
from timingboard.engine.settings import SessionSettings

CHECKPOINTS = 60  # a 24 h session: ~2,000 events from one to a seek (state p99 7 ms)
SMALLEST_INTERVAL = 400


def stamps_of(log: Sequence[LogEntry]) -> list[int]:
    """The session time each event of the log was recorded at (never going back)."""
    stamps, reached = [], 0
    for entry in log:
        event = entry.event
        if isinstance(event, Passing | FlagChanged | InsertPassing):
            reached = max(reached, event.time_ms)
        stamps.append(reached)
    return stamps


class ReplayTimeline:
    """The log of one session with checkpoints; it never changes the log."""

    def __init__(
        self, settings: SessionSettings, log: Sequence[LogEntry], interval: int | None = None
    ) -> None:
        self.settings = settings
        self.log = list(log)
        self.stamps = stamps_of(self.log)
        count = max(1, math.ceil(len(self.log) / CHECKPOINTS))
        self.interval = interval or max(SMALLEST_INTERVAL, count)
        self._checkpoints: list[TimingEngine | None] = [TimingEngine(settings)]

    @property
    def duration_ms(self) -> int:
        return self.stamps[-1] if self.stamps else 0

    def prefix_at(self, time_ms: int) -> int:
        """How many events of the log had been recorded by session time ``time_ms``."""
        return bisect.bisect_right(self.stamps, time_ms)

    def engine_at(self, count: int) -> TimingEngine:
        """An engine of its own holding the first ``count`` events: a checkpoint, then a batch."""
        count = max(0, min(count, len(self.log)))
        index = count // self.interval
        self._build_until(index)
        engine = self._checkpoints[index]
        if engine is None:
            engine = self._rebuilt(index)
        else:
            self._checkpoints[index] = None  # handed out: filled again when idle
        start = index * self.interval
        if count > start:
            engine.apply(self.log[start:count])
        return engine

    def final(self) -> TimingEngine:
        """The board at the end of the log, to read at once (it may be handed out later)."""
        last = len(self.log) // self.interval
        self._build_until(last)
        engine = self._checkpoints[last]
        if engine is None or engine.seq < len(self.log):
            engine = self._rebuilt(last) if engine is None else engine.clone()
            engine.apply(self.log[last * self.interval :])
        return engine

    def flag_periods(self) -> list[tuple[int, int, Flag]]:
        """(from, to, flag) over the session, in session time, for drawing the timeline."""
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

    def passing_times(self) -> list[int]:
        """Every moment a passing was recorded, in order (to step from passing to passing)."""
        return [
            stamp
            for stamp, entry in zip(self.stamps, self.log, strict=True)
            if isinstance(entry.event, Passing | InsertPassing)
        ]

    def build_next(self) -> bool:
        """Build one more checkpoint, or fill one a seek handed out; True when none is missing."""
        last = len(self.log) // self.interval
        if len(self._checkpoints) <= last:
            self._build_until(len(self._checkpoints))
        elif None in self._checkpoints:
            index = self._checkpoints.index(None)
            self._checkpoints[index] = self._rebuilt(index)
        return len(self._checkpoints) > last and None not in self._checkpoints

    def _build_until(self, index: int) -> None:
        while len(self._checkpoints) <= index:
            self._checkpoints.append(self._rebuilt(len(self._checkpoints)))

    def _rebuilt(self, index: int) -> TimingEngine:
        """The engine of checkpoint ``index``, from the nearest one before it still held."""
        base = next((i for i in range(index - 1, -1, -1) if self._checkpoints[i] is not None), None)
        if base is None:
            engine, base = TimingEngine(self.settings), 0
        else:
            engine = cast(TimingEngine, self._checkpoints[base]).clone()
        if index > base:
            engine.apply(self.log[base * self.interval : index * self.interval])
        return engine
