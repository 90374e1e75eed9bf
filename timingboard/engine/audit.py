"""The corrections of a session in words, and what a correction would do before it is made."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from timingboard.engine.car import PassingStatus
from timingboard.engine.correction_kinds import KINDS, Names, session_time
from timingboard.engine.corrections import in_force
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import (
    Correction,
    Event,
    InsertPassing,
    LogEntry,
    ReassignPassing,
)
from timingboard.engine.standings import CarStatus


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One correction (an undo is one too). ``seq``: its event's place in the log (the machine
    fields of the results' JSON say it); ``number``: its place among the session's corrections,
    1, 2, 3 in the order made, as the Corrections list and "Undo #2" name it."""

    seq: int
    at: str
    operator: str
    action: str
    reason: str
    in_force: bool
    number: int = 0


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
    names = _Names(engine)
    return [
        AuditRecord(seq, c.at, c.operator, kind_words(names, c), c.reason, seq in standing, n)
        for n, (seq, c) in enumerate(sorted(engine.corrections.items()), start=1)
    ]


def describe(engine: TimingEngine, event: Correction) -> str:
    """One line an operator or steward understands (the words of each kind are in
    :data:`engine.correction_kinds.KINDS`)."""
    return kind_words(_Names(engine), event)


def kind_words(names: Names, event: Correction) -> str:
    kind = KINDS.get(type(event))
    return kind.words(names, event) if kind else type(event).__name__


def correction_number(engine: TimingEngine, seq: int) -> int | None:
    """Correction ``seq``'s place among the session's corrections, 1, 2, 3 in the order made
    (None: there is none): what the operator sees it numbered by, never its event's seq."""
    return _Names(engine).number(seq)


class _Names:
    """The cars, passings and corrections of ``engine`` as the audit names them."""

    __slots__ = ("_engine", "_order")

    def __init__(self, engine: TimingEngine) -> None:
        self._engine = engine
        self._order: list[int] | None = None  # the corrections' seqs, in log order (once)

    def car(self, key: str) -> str:
        return _car(self._engine, key)

    def passing(self, passing_id: int) -> str:
        return _passing(self._engine, passing_id)

    def correction(self, seq: int) -> str | None:
        original = self._engine.corrections.get(seq)
        return kind_words(self, original) if original else None

    def number(self, seq: int) -> int | None:
        if seq not in self._engine.corrections:
            return None
        if self._order is None:
            self._order = sorted(self._engine.corrections)
        return bisect_left(self._order, seq) + 1


@dataclass(frozen=True, slots=True)
class PlacedPassing:
    """A passing a correction would put on a car (inserted, or reassigned to it), and what it
    would count as there."""

    key: str
    car: str
    time_ms: int
    status: PassingStatus


@dataclass(frozen=True, slots=True)
class Preview:
    """What a correction would do: the cars whose place, laps or status change, and the
    passings it puts on a car (one after that car's finish is not counted: said, not left to
    a "No position changes.")."""

    changes: list[PositionChange]
    placed: list[PlacedPassing]


def preview(engine: TimingEngine, events: Sequence[Event]) -> list[PositionChange]:
    """What the board would look like after ``events``: the cars whose place, laps or status
    change (:func:`preview_all`)."""
    return preview_all(engine, events).changes


def preview_all(engine: TimingEngine, events: Sequence[Event]) -> Preview:
    """What ``events`` would do (:class:`Preview`).

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
    return Preview(changes, _placed(after, extra))


def _placed(after: TimingEngine, extra: Sequence[LogEntry]) -> list[PlacedPassing]:
    """The passings ``extra`` puts on a car, as ``after`` (the engine they went into) counts
    them: an inserted one (its id is its entry's seq) or one reassigned."""
    placed = []
    for entry in extra:
        event = entry.event
        if isinstance(event, InsertPassing):
            pid = entry.seq
        elif isinstance(event, ReassignPassing):
            pid = event.passing_id
        else:
            continue
        key = after.passing_owner(pid) if after.has_passing(pid) else None
        if key is not None and after.has_car(key):
            status = after.passing_status(pid)
            placed.append(
                PlacedPassing(key, after.car_label(key), after.passing(pid).time_ms, status)
            )
    return placed


def _zip(before: tuple, after: tuple) -> tuple:
    return before[0], after[0], before[1], after[1], before[2], after[2]


def _car(engine: TimingEngine, key: str) -> str:
    entry = engine.entries.get(key)
    return entry.label if entry else key.lstrip("?")


def _passing(engine: TimingEngine, pid: int) -> str:
    """The passing as it was logged, so the words do not change with later corrections."""
    record = engine.passings.get(pid)
    if record is None:  # its number in the log is no name the operator knows it by
        return "a passing not in the log"
    if record.car:
        car = record.car
    elif record.key:
        car = _car(engine, record.key)
    else:
        car = f"transponder {record.transponder}"
    return f"the passing of car {car} at {session_time(record.time_ms)}"
