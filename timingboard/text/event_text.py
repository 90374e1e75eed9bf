"""The sessions of an event as the event's table shows them: kind, status, start, winner."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from timingboard.store.event_folder import SessionSummary, Status


class EventColumn(IntEnum):
    SESSION = 0
    KIND = 1
    STATUS = 2
    STARTED = 3
    LAPS = 4
    WINNER = 5
    MADE_FROM = 6


EVENT_HEADERS = {
    EventColumn.SESSION: "Session",
    EventColumn.KIND: "Kind",
    EventColumn.STATUS: "Status",
    EventColumn.STARTED: "Started",
    EventColumn.LAPS: "Laps",
    EventColumn.WINNER: "Winner / leader",
    EventColumn.MADE_FROM: "Made from",
}


def cell(summary: SessionSummary, column: EventColumn) -> str:
    match column:
        case EventColumn.SESSION:
            return summary.name
        case EventColumn.KIND:
            return "" if summary.status is Status.READING else summary.kind.value.capitalize()
        case EventColumn.STATUS:
            return f"unreadable: {summary.problem}" if summary.problem else summary.status.value
        case EventColumn.STARTED:
            return summary.started
        case EventColumn.LAPS:
            return "" if summary.laps is None else str(summary.laps)
        case EventColumn.WINNER:
            return summary.winner
        case EventColumn.MADE_FROM:
            made = ", ".join(
                Path(name).stem + (" (file gone)" if name in summary.gone else "")
                for name in summary.made_from
            )
            rule = summary.rule if summary.rule not in ("", "new", "entries") else ""
            if made and rule:
                return f"{made} ({rule})"
            return made or ("entries of it" if summary.rule == "entries" else "")


def no_event_reason(replayed: bool, read_from: Path | None) -> str:
    """Why the Event view lists nothing: the session shown has no file, so no event folder
    (the view was a blank table, with no word why)."""
    if replayed and read_from is not None:
        return (
            f"{read_from.name}: a recorded feed replayed, not a session file — no event folder "
            "(timingboard import makes it session files in one)"
        )
    if replayed:
        return "A recorded feed replayed: no event folder"
    return "No event folder: the session shown has no file (a followed board keeps its own)"


def lineup_made_text(made: list[tuple[str, str, int]], folder: Path, how: str) -> str:
    """What Next session from these results made, for the status bar: ``made`` holds each new
    session's name, file name and cars, the first one opened; ``how`` the rule and source
    ("split across 2 heats in order from Qualifying")."""
    sessions = [
        f"{name} ({file}, {cars} car{'s' if cars != 1 else ''})" for name, file, cars in made
    ]
    listed = (
        sessions[0] if len(sessions) == 1 else ", ".join(sessions[:-1]) + f" and {sessions[-1]}"
    )
    said = f"Made {listed} in {folder}: {how}. {made[0][0]} is open"
    if len(made) > 1:
        others = ", ".join(name for name, _, _ in made[1:])
        said += f"; {others} {'wait' if len(made) > 2 else 'waits'} in the Event tab"
    return said + "."
