"""When a session is over: the finish has come and every car still out has taken the flag."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine


def over_at(engine: TimingEngine) -> int | None:
    """The time the last running car was classified, once all were; None while one is out.

    Cars that never crossed, retired or were disqualified wait for no flag. Before the finish
    (a checkered flag, the race laps or the race time) nothing is over.
    """
    finish = engine.finish_ms
    if finish is None:
        return None
    tables = engine.tables
    last = finish
    for key, entry in engine.entries.items():
        timing = entry.timing
        if not timing.passings or key in tables.retired or key in tables.disqualified:
            continue
        if not timing.finished:
            return None
        if timing.laps:
            last = max(last, timing.laps[-1].time_ms)
    return last
