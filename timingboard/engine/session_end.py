"""When a session is over: it was ended (the timing system's end of session), or the finish has
come and every car still out has taken the flag."""

from __future__ import annotations

from typing import TYPE_CHECKING

from timingboard.engine.formatting import format_clock, format_distance_left

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine


def over_at(engine: TimingEngine) -> int | None:
    """The time the last running car was classified, once all were; None while one is out.

    Cars that never crossed, retired or were disqualified wait for no flag. Before the finish
    (a checkered flag, the race laps or the race time) nothing is over, unless the session was
    ended: then it is over by then at the latest.
    """
    ended = engine.ended_ms
    finish = engine.finish_ms
    if finish is None:
        return ended
    tables = engine.tables
    last = finish
    for key, entry in engine.entries.items():
        timing = entry.timing
        if not timing.passings or key in tables.retired or key in tables.disqualified:
            continue
        if not timing.finished:
            return ended
        if timing.laps:
            last = max(last, timing.laps[-1].time_ms)
    return last if ended is None else min(last, ended)


def board_clock_ms(engine: TimingEngine, now_ms: int) -> int:
    """The board's clock at ``now_ms``: from the start (the green; from time zero before it),
    standing at the finish. The one home of that rule for the header, the wall scoreboard, the
    live page and its snapshot, and the results' JSON (the page ran on past the finish: the
    board stood at 0:00:04 while the page read 0:00:43)."""
    if engine.finish_ms is not None:
        now_ms = min(now_ms, engine.finish_ms)
    return max(0, now_ms - (engine.start_ms or 0))


def board_moment_ms(engine: TimingEngine) -> int:
    """The moment a saved session is read at when nothing says another: its latest event, or
    its end when the operator ended it later (what the board shows once the file is done)."""
    ended = engine.ended_ms
    return engine.clock_ms if ended is None else max(engine.clock_ms, ended)


# said after :func:`unfinished`'s reason wherever results are about to be declared official
# (File ▸ Declare results official…, ``results --declare-official``)
DECLARE_ONLY_STOPPED = "Declare only a session that was stopped for good."


def unfinished(engine: TimingEngine, now_ms: int | None = None) -> str:
    """Why the session is not finished, in words ("" once it is: a checkered flag or the
    finish reached): the flag shown, and the laps or the time still to go at ``now_ms``.
    A standing checkered is the finish (:attr:`~timingboard.engine.state.EngineState.over`;
    :mod:`~timingboard.engine.checkered` says which finish stands, a checkered or the
    distance, no green after it), so ``over`` is the one test of it here."""
    if engine.over:
        return ""
    flag = engine.flags[-1][2] if engine.flags else None
    parts = [f"the flag is {flag.value.upper()}" if flag else "no flag was shown"]
    settings = engine.settings
    now = engine.clock_ms if now_ms is None else now_ms
    if settings.race_laps and settings.is_race:
        done = engine.standing(engine.board_order[0]).laps if engine.board_order else 0
        laps = format_distance_left(settings.race_laps, done)  # "distance run" mid-sentence
        parts.append(laps[:1].lower() + laps[1:])
    elif settings.race_duration_ms and engine.start_ms is not None:
        left = engine.start_ms + settings.race_duration_ms - now
        parts.append(f"{format_clock(max(0, left))} to go")
    return f"{settings.name} is not finished: {', '.join(parts)}"
