"""What to send next: passings not yet sent as ``$J``, positions that changed as ``$G``/``$H``,
and ``$B`` run 95 once the session is ended.

Every ``$J`` sent is kept (one line each, ~40 bytes a passing), so a scoreboard that joins
late is sent the same lines from the start without anything being built again: a 24-hour
session's welcome is the cars and the order, then those lines as the socket takes them.
"""

from __future__ import annotations

from timingboard.engine.car import PassingStatus
from timingboard.engine.engine import TimingEngine
from timingboard.feeds.rmonitor_writer import end_of_session, full_refresh, passing, positions

SENT_STATUSES = (PassingStatus.LAP, PassingStatus.START)


class RMonitorPublisher:
    """Pure bookkeeping of one session's stream; the server only moves the bytes."""

    def __init__(self, run_number: int = 1) -> None:
        self.run_number = run_number
        self.lines: list[str] = []  # every $J so far, in the order sent
        self._sent_seq = 0
        self._sent_rows: dict[str, tuple] = {}
        self.end_sent = False  # $B run 95 went out: scoreboards hold the session as over

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

    def welcome(self, engine: TimingEngine, time_of_day: str = "") -> str:
        """The whole welcome at once (small sessions, tests): header, then every ``$J``, and
        ``$B`` run 95 when the session is over."""
        self.advance(engine)
        end = end_of_session(engine, time_of_day) if engine.ended_ms is not None else ""
        return self.header(engine) + "".join(self.lines) + end

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

    def end(self, engine: TimingEngine, time_of_day: str) -> str:
        """``$B`` run 95 the first time the session reads as ended ("" else, and again after):
        what a scoreboard (or a board of ours following) takes as the session's end."""
        if self.end_sent or engine.ended_ms is None:
            return ""
        self.end_sent = True
        return end_of_session(engine, time_of_day)

    def taken_back(self, engine: TimingEngine) -> bool:
        """The end sent was taken back (an operator's end undone): RMonitor cannot say so, so
        the session is sent again from its start, as a new run (whoever follows begins it
        afresh, not ended)."""
        return self.end_sent and engine.ended_ms is None

    def updates(self, engine: TimingEngine, time_of_day: str = "") -> str:
        """New crossings and changed positions since the last call, and the end once it came."""
        lines = "".join(self.advance(engine)) + self.changed_positions(engine)
        return lines + self.end(engine, time_of_day)
