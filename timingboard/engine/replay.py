"""A saved session as a timeline: the board as it stood at any moment, reached fast.

Each event of the log is stamped with the session time the log had reached when it was
recorded (the running maximum of passing and flag times), so "at time T" is the prefix of
the log stamped up to T: the board exactly as it stood then, late corrections not yet made.
Checkpoints (copies of the engine every ``interval`` events) make a seek replay at most one
stretch, in one batch.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Flag, FlagChanged, InsertPassing, LogEntry, Passing
from timingboard.engine.settings import SessionSettings

CHECKPOINTS = 40
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
        self._checkpoints: list[TimingEngine] = [TimingEngine(settings)]

    @property
    def duration_ms(self) -> int:
        return self.stamps[-1] if self.stamps else 0

    def prefix_at(self, time_ms: int) -> int:
        """How many events of the log had been recorded by session time ``time_ms``."""
        return bisect.bisect_right(self.stamps, time_ms)

    def engine_at(self, count: int) -> TimingEngine:
        """A fresh engine holding the first ``count`` events: nearest checkpoint, then a batch."""
        count = max(0, min(count, len(self.log)))
        index = count // self.interval
        self._build_until(index)
        engine = self._checkpoints[index].clone()
        start = index * self.interval
        if count > start:
            engine.apply(self.log[start:count])
        return engine

    def final(self) -> TimingEngine:
        """The board at the end of the log (kept, so do not change it)."""
        last = len(self.log) // self.interval
        self._build_until(last)
        engine = self._checkpoints[last]
        if engine.seq < len(self.log):
            engine = engine.clone()
            engine.apply(self.log[last * self.interval :])
        return engine

    def flag_periods(self) -> list[tuple[int, int, Flag]]:
        """(from, to, flag) over the session, in session time, for drawing the timeline."""
        flags = sorted(
            (e.event.time_ms, e.seq, e.event.flag)
            for e in self.log
            if isinstance(e.event, FlagChanged)
        )
        periods = []
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
        """Build one more checkpoint; True when all are built."""
        last = len(self.log) // self.interval
        if len(self._checkpoints) > last:
            return True
        self._build_until(len(self._checkpoints))
        return len(self._checkpoints) > last

    def _build_until(self, index: int) -> None:
        while len(self._checkpoints) <= index:
            engine = self._checkpoints[-1].clone()
            start = (len(self._checkpoints) - 1) * self.interval
            engine.apply(self.log[start : start + self.interval])
            self._checkpoints.append(engine)
