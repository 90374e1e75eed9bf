"""What to send next: passings not yet sent as ``$J``, positions that changed as ``$G``/``$H``.

Every ``$J`` sent is kept (one line each, ~40 bytes a passing), so a scoreboard that joins
late is sent the same lines from the start without anything being built again: a 24-hour
session's welcome is the cars and the order, then those lines as the socket takes them.
"""

from __future__ import annotations

from timingboard.engine.car import PassingStatus
from timingboard.engine.engine import TimingEngine
from timingboard.feeds.rmonitor_writer import full_refresh, passing, positions

SENT_STATUSES = (PassingStatus.LAP, PassingStatus.START)


class RMonitorPublisher:
    """Pure bookkeeping of one session's stream; the server only moves the bytes."""

    def __init__(self, run_number: int = 1) -> None:
        self.run_number = run_number
        self.lines: list[str] = []  # every $J so far, in the order sent
        self._sent_seq = 0
        self._sent_rows: dict[str, tuple] = {}

    def caught_up(self, engine: TimingEngine) -> bool:
        """Every event of the engine has been looked at."""
        return self._sent_seq >= engine.seq

    def advance(self, engine: TimingEngine, most: int | None = None) -> list[str]:
        """``$J`` for the passings after the last call (at most ``most`` events' worth)."""
        last = engine.seq if most is None else min(engine.seq, self._sent_seq + most)
        lines = []
        for pid in range(self._sent_seq + 1, last + 1):
            if not engine.has_passing(pid):
                continue
            record = engine.passing(pid)
            owner = engine.passing_owner(pid)
            if owner is None or not engine.is_entered(owner):
                continue
            if engine.passing_status(pid) not in SENT_STATUSES:
                continue
            lap = engine.lap_of_passing(pid)
            lines.append(passing(engine, owner, record.time_ms, lap))
        self._sent_seq = last
        self.lines += lines
        return lines

    def header(self, engine: TimingEngine) -> str:
        """For a scoreboard that just connected: the session, its cars and the order."""
        return full_refresh(engine, self.run_number)

    def welcome(self, engine: TimingEngine) -> str:
        """The whole welcome at once (small sessions, tests): header, then every ``$J``."""
        self.advance(engine)
        return self.header(engine) + "".join(self.lines)

    def changed_positions(self, engine: TimingEngine) -> str:
        """``$G``/``$H`` of the cars whose row changed since the last call."""
        changed = []
        for key in engine.order():
            row = engine.standing(key)
            shown = (row.position, row.laps, row.best_lap_ms, row.last_crossing_ms)
            if self._sent_rows.get(key) != shown:
                self._sent_rows[key] = shown
                changed.append(key)
        return "".join(positions(engine, changed))

    def updates(self, engine: TimingEngine) -> str:
        """New crossings and changed positions since the last call."""
        return "".join(self.advance(engine)) + self.changed_positions(engine)
