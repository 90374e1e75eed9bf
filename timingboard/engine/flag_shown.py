"""The flag a board shows: the one thrown, or white and checkered from the race distance.

Nobody throws the white and checkered flags on a board timed by hand or fed by a timing system
that has no white (RMonitor's ``$F`` knows green, yellow, red and finish only), yet race control
reads them from the band. So a race with a distance shows:

- WHITE from the moment the leader starts the last lap (a race to laps: the leader completed
  one lap fewer than the distance; a race to time: the time has run out), while the flag
  thrown is GREEN;
- CHECKERED from the moment the leader takes the finish (the engine's finish: the distance
  completed, or the first completion after the time ran out), unless the flag thrown is RED;
  a finish under yellow is still the finish.

A flag thrown after that moment wins, whoever threw it: the timing system's own ``$F`` (a feed
that says "Green" after the distance knows the race goes on) or the operator's keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from timingboard.engine.events import Flag

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine


def shown_flag(engine: TimingEngine, now_ms: int, laps_to_go: int | None = None) -> Flag | None:
    """The flag out at ``now_ms`` by the rule above.

    ``laps_to_go``: what the timing system says remains, used when the session has no laps of
    its own (a feed followed): one lap to go is the last lap.
    """
    thrown = engine.flags[-1] if engine.flags else None
    flag = thrown[2] if thrown else None
    thrown_at = thrown[0] if thrown else None
    if not engine.settings.is_race or flag is Flag.CHECKERED:
        return flag
    finish = engine.finish_ms
    if finish is not None:
        if thrown_at is None or (
            thrown_at <= finish
            and flag is not Flag.RED
            and not _thrown_after(engine, Flag.CHECKERED)
        ):
            return Flag.CHECKERED
        return flag
    if flag is not Flag.GREEN or _thrown_after(engine, Flag.WHITE):
        return flag
    white = last_lap_from(engine, now_ms, laps_to_go)
    if white is not None and thrown_at is not None and thrown_at <= white:
        return Flag.WHITE
    return flag


def _thrown_after(engine: TimingEngine, flag: Flag) -> bool:
    """Whether the flag out was thrown after ``flag`` was (at the same moment on a clock that
    stands still, as an operator's keys are, still after it)."""
    return any(f is flag for _, _, f in engine.flags[:-1])


def last_lap_from(engine: TimingEngine, now_ms: int, laps_to_go: int | None = None) -> int | None:
    """When the leader started the last lap, if it has by ``now_ms``; None before."""
    settings, start = engine.settings, engine.start_ms
    if settings.race_laps:
        if settings.race_laps == 1:
            return start
        return engine.leaders.first_time(settings.race_laps - 1)
    if settings.race_duration_ms and start is not None:
        ends = start + settings.race_duration_ms
        return ends if now_ms >= ends else None
    if laps_to_go == 1:
        return engine.clock_ms
    return None
