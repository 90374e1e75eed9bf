"""What Flag ▸ End session… asks before it ends a session, and says after: the operator is told
what happens to the cars still out, since it cannot be seen on the board until it is done."""

from __future__ import annotations

from timingboard.engine.engine import TimingEngine
from timingboard.engine.standings import CarStatus
from timingboard.text.session_text import board_moment_text

ENDED_REASON = "ended by the operator"  # the reason logged with the operator's end


def still_out(engine: TimingEngine) -> list[str]:
    """The numbers of the cars that started and have not taken the flag (nor retired, nor been
    disqualified), in board order: those the end makes final where they stand (one with no lap
    or no time is DNF or DNS, said apart)."""
    race = engine.settings.is_race
    out = []
    for row in engine.standings():
        started = row.laps > 0 if race else row.best_lap_ms is not None
        if row.status is CarStatus.RUNNING and started:
            out.append(row.car)
    return out


def end_question(engine: TimingEngine, at_ms: int) -> tuple[str, str]:
    """The confirmation's question and what it explains (plain text)."""
    name = engine.settings.name or "the session"
    question = f"End {name} now, at {board_moment_text(engine, at_ms)}?"  # the header's clock
    out = still_out(engine)
    one = len(out) == 1
    if engine.settings.is_race:
        short = "it is" if one else "they are"
        what = f"running, as many laps down as {short} short"
        none = "that took the start and completed no lap is DNF (out), one never seen"
    else:
        what = "finished on its best lap" if one else "finished on their best laps"
        none = "that set no time"
    cars = ", ".join(out[:12]) + (" …" if len(out) > 12 else "")
    if out:
        word = "car" if one else "cars"
        lines = [f"{len(out)} {word} still out ({cars}) will not take the flag: {what}."]
    else:
        lines = ["No car is still out."]
    lines.append(
        f"A car {none} is DNS. Every result is final, on the board and the results sheet, and"
        " the title reads FINISHED."
    )
    lines.append(
        "Edit ▸ Undo correction (Ctrl+Z) takes it back; it is listed with the corrections."
    )
    return question, "\n".join(lines)


def ended_message(engine: TimingEngine, at_ms: int) -> str:
    """Said in the status bar once ended, on the header's clock as the question said it."""
    at = board_moment_text(engine, at_ms)
    return f"Session ended at {at}: every result is final (Ctrl+Z takes it back)"
