"""What to send next: passings not yet sent as ``$J``, positions that changed as ``$G``/``$H``."""

from __future__ import annotations

from timingboard.engine.car import Lap, PassingStatus
from timingboard.engine.engine import TimingEngine
from timingboard.feeds.rmonitor_writer import full_refresh, passing, positions

SENT_STATUSES = (PassingStatus.LAP, PassingStatus.START)


class RMonitorPublisher:
    """Pure bookkeeping of one session's stream; the server only moves the bytes."""

    def __init__(self, run_number: int = 1) -> None:
        self.run_number = run_number
        self._sent_seq = 0
        self._sent_rows: dict[str, tuple] = {}

    def welcome(self, engine: TimingEngine) -> str:
        """For a scoreboard that just connected: the session, then every crossing so far."""
        return full_refresh(engine, self.run_number) + self._passings(engine, 0)

    def updates(self, engine: TimingEngine) -> str:
        """New crossings and changed positions since the last call."""
        text = self._passings(engine, self._sent_seq)
        self._sent_seq = engine.seq
        changed = []
        for key in engine.order():
            row = engine.standing(key)
            shown = (row.position, row.laps, row.best_lap_ms, row.last_crossing_ms)
            if self._sent_rows.get(key) != shown:
                self._sent_rows[key] = shown
                changed.append(key)
        return text + "".join(positions(engine, changed))

    def _passings(self, engine: TimingEngine, after_seq: int) -> str:
        lines = []
        for pid in sorted(p for p in engine.passings if p > after_seq):
            owner = engine.passing_owner(pid)
            if owner is None or owner not in engine.competitors:
                continue
            if engine.passing_status(pid) not in SENT_STATUSES:
                continue
            lap = _lap_of(engine, owner, pid)
            lines.append(passing(engine, owner, engine.passings[pid].time_ms, lap))
        return "".join(lines)


def _lap_of(engine: TimingEngine, owner: str, passing_id: int) -> Lap | None:
    """The lap a passing completed; live, it is nearly always one of the last."""
    laps = engine.entries[owner].timing.laps
    for lap in reversed(laps[-3:]):
        if lap.passing_id == passing_id:
            return lap
    return next((lap for lap in laps if lap.passing_id == passing_id), None)
