"""Which laps were personal or session bests at the moment they were completed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine


def session_best_laps(engine: TimingEngine) -> set[int]:
    """Passing ids of the laps that improved the session best when they were completed.

    Worked out on demand (for the passings log and exports), walking every valid lap in time order.
    """
    laps = [
        (lap.time_ms, lap.passing_id, lap.duration_ms)
        for entry in engine.entries.values()
        for lap in entry.timing.laps
        if lap.valid
    ]
    marked: set[int] = set()
    best: int | None = None
    for _, passing_id, duration in sorted(laps):
        if best is None or duration < best:
            best = duration
            marked.add(passing_id)
    return marked
