"""What remains of a session: the laps to go of a race run to laps, the time to go of one run
to time. One rule for the header, the wall scoreboard, the live page and the RMonitor heartbeat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine


def leader_laps(engine: TimingEngine) -> int:
    """The laps the car at the top of the board has completed (0 on an empty board)."""
    order = engine.board_order
    return engine.standing(order[0]).laps if order else 0


def laps_to_go(engine: TimingEngine) -> int | None:
    """The distance less the leader's laps (never below 0); None when the session is not a race
    run to laps."""
    settings = engine.settings
    if not (settings.is_race and settings.race_laps):
        return None
    return max(0, settings.race_laps - leader_laps(engine))


def time_to_go_ms(engine: TimingEngine, now_ms: int) -> int | None:
    """The session's duration less the time since the start (never below 0); None when it has
    no duration or has not started."""
    duration, start = engine.settings.race_duration_ms, engine.start_ms
    if not duration or start is None:
        return None
    return max(0, start + duration - now_ms)
