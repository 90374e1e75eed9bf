"""The corrections of a session in words, and what a correction would do before it is made."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from timingboard.engine.corrections import in_force
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import (
    AssignTransponder,
    Correction,
    DeletePassing,
    Disqualify,
    EditEntry,
    Event,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LogEntry,
    PitMark,
    ReassignPassing,
    Retire,
    Revert,
    TimePenalty,
)
from timingboard.engine.formatting import format_clock, format_lap
from timingboard.engine.standings import CarStatus


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: str
    operator: str
    action: str
    reason: str
    in_force: bool


@dataclass(frozen=True, slots=True)
class PositionChange:
    """How one car's place would change."""

    key: str
    car: str
    before: int | None
    after: int | None
    laps_before: int
    laps_after: int
    status_before: CarStatus | None
    status_after: CarStatus | None


def audit_trail(engine: TimingEngine) -> list[AuditRecord]:
    """Every correction in log order, in words, and whether it is still in force."""
    standing = in_force(engine.corrections)
    return [
        AuditRecord(seq, c.at, c.operator, describe(engine, c), c.reason, seq in standing)
        for seq, c in sorted(engine.corrections.items())
    ]


def describe(engine: TimingEngine, event: Correction) -> str:
    """One line an operator or steward understands."""
    match event:
        case DeletePassing(passing_id=pid):
            return f"Delete {_passing(engine, pid)}"
        case InsertPassing(time_ms=t, key=key):
            return f"Insert a passing for car {_car(engine, key)} at {_time(t)}"
        case ReassignPassing(passing_id=pid, key=key):
            return f"Reassign {_passing(engine, pid)} to car {_car(engine, key)}"
        case InvalidateLap(passing_id=pid):
            return f"Invalidate the lap completed by {_passing(engine, pid)}"
        case TimePenalty(key=key, ms=ms):
            sign = "+" if ms > 0 else "-"
            return f"Time penalty {sign}{format_lap(abs(ms))} s for car {_car(engine, key)}"
        case LapPenalty(key=key, laps=laps):
            unit = "lap" if abs(laps) == 1 else "laps"
            return f"Lap penalty {laps} {unit} for car {_car(engine, key)}"
        case Disqualify(key=key):
            return f"Disqualify car {_car(engine, key)}"
        case AssignTransponder(transponder=transponder, key=key):
            return f"Transponder {transponder} is car {_car(engine, key)}'s"
        case Retire(key=key):
            return f"Retire car {_car(engine, key)} (DNF)"
        case PitMark(key=key, time_ms=t, entered=entered):
            where = "into the pit lane" if entered else "out of the pit lane"
            return f"Car {_car(engine, key)} {where} at {_time(t)}"
        case EditEntry():
            car = _car(engine, event.key)
            return f"Entry of car {car}: {_entry_words(event, car)}"
        case Revert(correction_id=target):
            original = engine.corrections.get(target)
            if isinstance(original, Revert):  # an undo undone: the correction again
                return describe(engine, original).replace("Undo #", "Redo #", 1)
            what = describe(engine, original) if original else f"#{target}"
            return f"Undo #{target}: {what}"
    return type(event).__name__


def preview(engine: TimingEngine, events: Sequence[Event]) -> list[PositionChange]:
    """What the board would look like after ``events``: the cars whose place, laps or status change.

    Worked out on a copy of the live engine with the events applied to it, as the live engine
    would apply them (the session itself is not touched): a copy costs references, not the
    rebuild of a whole session from its log.
    """
    extra = [LogEntry(engine.seq + i + 1, e) for i, e in enumerate(events)]
    after = engine.clone()
    after.apply(extra)
    changes = []
    for key in dict.fromkeys([*engine.order(), *after.order()]):
        old = engine.standing(key) if key in engine.entries else None
        new = after.standing(key) if key in after.entries else None
        before_fields = (old.position, old.laps, old.status) if old else (None, 0, None)
        after_fields = (new.position, new.laps, new.status) if new else (None, 0, None)
        if before_fields != after_fields:
            car = (new or old).car  # type: ignore[union-attr]
            changes.append(PositionChange(key, car, *_zip(before_fields, after_fields)))
    return changes


def _entry_words(edit: EditEntry, shown_as: str) -> str:
    """The entry an edit makes, field by field, as the Entries editor shows it (its number only
    when the car is shown under another one now)."""
    words = [f"number {edit.car}" if edit.car != shown_as else "", edit.driver or "no driver"]
    words += [edit.team, edit.make, f"class {edit.car_class}" if edit.car_class else ""]
    if edit.transponders:
        words.append("transponder " + " ".join(edit.transponders))
    if edit.grid is not None:
        words.append(f"grid {edit.grid}")
    return ", ".join(word for word in words if word)


def _zip(before: tuple, after: tuple) -> tuple:
    return before[0], after[0], before[1], after[1], before[2], after[2]


def _car(engine: TimingEngine, key: str) -> str:
    entry = engine.entries.get(key)
    return entry.label if entry else key.lstrip("?")


def _passing(engine: TimingEngine, pid: int) -> str:
    """The passing as it was logged, so the words do not change with later corrections."""
    record = engine.passings.get(pid)
    if record is None:
        return f"passing #{pid}"
    if record.car:
        car = record.car
    elif record.key:
        car = _car(engine, record.key)
    else:
        car = f"transponder {record.transponder}"
    return f"passing #{pid} (car {car} at {_time(record.time_ms)})"


def _time(ms: int) -> str:
    return f"{format_clock(ms)}.{ms % 1000:03d}"
