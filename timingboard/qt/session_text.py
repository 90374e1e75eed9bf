"""What the header and the wall scoreboard say about the session: its clock and what remains."""

from __future__ import annotations

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Flag
from timingboard.engine.formatting import format_clock

FLAG_TEXT = {
    None: "NO FLAG",
    Flag.GREEN: "GREEN",
    Flag.YELLOW: "YELLOW",
    Flag.FULL_COURSE_YELLOW: "FULL-COURSE YELLOW",
    Flag.RED: "RED",
    Flag.WHITE: "WHITE",
    Flag.CHECKERED: "CHECKERED",
}


def clock_text(engine: TimingEngine, now_ms: int) -> str:
    """The session clock, from the start (or from time zero before it); race time stands at
    the finish."""
    if engine.finish_ms is not None:
        now_ms = min(now_ms, engine.finish_ms)
    return format_clock(now_ms - (engine.start_ms or 0))


def laps_to_go(laps: int) -> str:
    return "1 lap to go" if laps == 1 else f"{laps} laps to go"


def remaining_text(engine: TimingEngine, now_ms: int, told: int | None = None) -> str:
    """What remains: "6 laps to go · stage 2 ends in 3", "0:12:00 to go", "Finished" or "".

    ``told``: the laps to go the timing system sends, shown when the session has no laps of
    its own (a feed followed)."""
    settings = engine.settings
    start = engine.start_ms or 0
    leader = engine.standing(engine.board_order[0]) if engine.board_order else None
    if engine.finish_ms is not None:
        return "Finished"
    if told is not None and not settings.race_laps:
        return f"{laps_to_go(told)} (timing system)"
    if settings.race_laps and settings.is_race:
        done = leader.laps if leader else 0
        text = laps_to_go(max(0, settings.race_laps - done))
        stage = next((lap for lap in settings.stage_laps if lap > done), None)
        if stage is not None:
            number = settings.stage_laps.index(stage) + 1
            text += f" · stage {number} ends in {stage - done}"
        return text
    if settings.race_duration_ms and engine.start_ms is not None:
        return f"{format_clock(start + settings.race_duration_ms - now_ms)} to go"
    return ""
