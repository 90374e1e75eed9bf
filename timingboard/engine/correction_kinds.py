"""Every kind of correction in one table: what it is called, what it does to the corrections in
force, which passings and cars it reaches, and how the audit log words it.

Folding (:mod:`engine.corrections`), the scope of a re-apply (:mod:`engine.scope`), the audit
words (:mod:`engine.audit`) and the correction dialogs' titles and usual reasons read this table,
so a new kind of correction is its event class (:mod:`engine.events`), its checks
(:mod:`engine.validation`) and one entry here; ``tests/test_correction_kinds.py`` fails for a
correction class with no entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from timingboard.engine.events import (
    AssignTransponder,
    Correction,
    DeletePassing,
    Disqualify,
    EditEntry,
    EndSession,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    PitMark,
    ReassignPassing,
    Retire,
    Revert,
    TimePenalty,
)
from timingboard.engine.formatting import format_clock, format_penalty

if TYPE_CHECKING:
    from timingboard.engine.correction_tables import CorrectionTables

C = TypeVar("C", bound=Correction)


class Names(Protocol):
    """How the audit names what a correction is about, as the session knows it now."""

    def car(self, key: str) -> str:
        """The car's number as shown ("31"), or what is left of an unknown key."""

    def passing(self, passing_id: int) -> str:
        """The passing as it was logged: "the passing of car 31 at 0:05:12.345"."""

    def correction(self, seq: int) -> str | None:
        """The words of correction ``seq``, or None: there is none."""

    def number(self, seq: int) -> int | None:
        """Correction ``seq``'s place among the session's corrections (1, 2, 3 in the order
        made, as the Corrections list numbers them), or None: there is none."""


@dataclass(frozen=True, slots=True)
class Reach:
    """What one correction touches: passing ids, competitor keys, and (a revert) the
    correction it takes back, whose reach is its own too."""

    passings: tuple[int, ...] = ()
    keys: tuple[str, ...] = ()
    follows: int | None = None


@dataclass(frozen=True, slots=True)
class CorrectionKind(Generic[C]):
    """One kind of correction.

    ``title``: what the operator's dialog is called. ``default_reason``: the reason its dialog
    offers (the usual one). ``fold``: its effect on the tables of corrections in force (None: it
    has none there). ``reach``: which passings and cars it touches, given its sequence number.
    ``words``: the audit log's line for it.
    """

    event: type[C]
    title: str
    words: Callable[[Names, C], str]
    reach: Callable[[int, C], Reach]
    fold: Callable[[CorrectionTables, int, C], None] | None = None
    default_reason: str = ""


def session_time(ms: int) -> str:
    """A session time to the thousandth, as the audit writes it: "0:05:12.345"."""
    return f"{format_clock(ms)}.{ms % 1000:03d}"


# --- the effect of each kind on the corrections in force -------------------------------------


def _fold_delete(t: CorrectionTables, _seq: int, c: DeletePassing) -> None:
    t.deleted.add(c.passing_id)


def _fold_insert(t: CorrectionTables, seq: int, c: InsertPassing) -> None:
    t.inserted[seq] = c


def _fold_reassign(t: CorrectionTables, _seq: int, c: ReassignPassing) -> None:
    t.reassigned[c.passing_id] = c.key


def _fold_invalidate(t: CorrectionTables, _seq: int, c: InvalidateLap) -> None:
    t.invalid.add(c.passing_id)


def _fold_time_penalty(t: CorrectionTables, _seq: int, c: TimePenalty) -> None:
    t.time_penalty[c.key] += c.ms  # a second penalty adds to the first


def _fold_lap_penalty(t: CorrectionTables, _seq: int, c: LapPenalty) -> None:
    t.lap_penalty[c.key] += c.laps


def _fold_disqualify(t: CorrectionTables, _seq: int, c: Disqualify) -> None:
    t.disqualified.add(c.key)


def _fold_retire(t: CorrectionTables, _seq: int, c: Retire) -> None:
    t.retired.add(c.key)


def _fold_pit_mark(t: CorrectionTables, seq: int, c: PitMark) -> None:
    t.pit_marks.setdefault(c.key, []).append((c.time_ms, seq, c.entered))


def _fold_assign(t: CorrectionTables, _seq: int, c: AssignTransponder) -> None:
    t.transponders[c.transponder] = c.key


def _fold_end(t: CorrectionTables, _seq: int, c: EndSession) -> None:
    t.ended_ms = c.time_ms if t.ended_ms is None else min(t.ended_ms, c.time_ms)


# --- the audit's words -----------------------------------------------------------------------


def _time_penalty_words(n: Names, c: TimePenalty) -> str:
    return f"Time penalty {format_penalty(c.ms)} for car {n.car(c.key)}"


def _lap_penalty_words(n: Names, c: LapPenalty) -> str:
    unit = "lap" if abs(c.laps) == 1 else "laps"
    return f"Lap penalty {c.laps} {unit} for car {n.car(c.key)}"


def _pit_mark_words(n: Names, c: PitMark) -> str:
    where = "into the pit lane" if c.entered else "out of the pit lane"
    return f"Car {n.car(c.key)} {where} at {session_time(c.time_ms)}"


def _edit_words(n: Names, c: EditEntry) -> str:
    car = n.car(c.key)
    return f"Entry of car {car}: {entry_words(c, car)}"


def entry_words(edit: EditEntry, shown_as: str) -> str:
    """The entry an edit makes, field by field, as the Entries editor shows it (its number only
    when the car is shown under another one now)."""
    words = [f"number {edit.car}" if edit.car != shown_as else "", edit.driver or "no driver"]
    words += [edit.team, edit.make, f"class {edit.car_class}" if edit.car_class else ""]
    if edit.transponders:
        words.append("transponder " + " ".join(edit.transponders))
    if edit.grid is not None:
        words.append(f"grid {edit.grid}")
    return ", ".join(word for word in words if word)


def _revert_words(n: Names, c: Revert) -> str:
    target = c.correction_id
    what = n.correction(target)
    if what is not None and what.startswith("Undo #"):  # an undo undone: the correction again
        return what.replace("Undo #", "Redo #", 1)
    number = n.number(target)  # as the Corrections list numbers it (was its event's seq)
    return f"Undo #{target if number is None else number}: {what or f'#{target}'}"


# --- what each kind reaches ------------------------------------------------------------------


def _passing_reach(_seq: int, c: DeletePassing | InvalidateLap) -> Reach:
    return Reach(passings=(c.passing_id,))


def _car_reach(_seq: int, c: Any) -> Reach:
    return Reach(keys=(c.key,))


KINDS: dict[type[Correction], CorrectionKind[Any]] = {
    kind.event: kind
    for kind in (
        CorrectionKind(
            DeletePassing,
            "Delete passing",
            lambda n, c: f"Delete {n.passing(c.passing_id)}",
            _passing_reach,
            _fold_delete,  # no usual reason: only a flagged double read's dialog offers one
        ),
        CorrectionKind(
            InsertPassing,
            "Insert a missed passing",
            lambda n, c: f"Insert a passing for car {n.car(c.key)} at {session_time(c.time_ms)}",
            lambda seq, c: Reach(passings=(seq,)),  # the passing takes the insert's number
            _fold_insert,
            default_reason="missed transponder read",
        ),
        CorrectionKind(
            ReassignPassing,
            "Reassign passing",
            lambda n, c: f"Reassign {n.passing(c.passing_id)} to car {n.car(c.key)}",
            lambda _seq, c: Reach(passings=(c.passing_id,), keys=(c.key,)),
            _fold_reassign,
            default_reason="wrong transponder",
        ),
        CorrectionKind(
            InvalidateLap,
            "Invalidate lap",
            lambda n, c: f"Invalidate the lap completed by {n.passing(c.passing_id)}",
            _passing_reach,
            _fold_invalidate,
            default_reason="track limits",
        ),
        CorrectionKind(
            TimePenalty, "Time penalty", _time_penalty_words, _car_reach, _fold_time_penalty
        ),
        CorrectionKind(
            LapPenalty, "Lap penalty", _lap_penalty_words, _car_reach, _fold_lap_penalty
        ),
        CorrectionKind(
            Disqualify,
            "Disqualify",
            lambda n, c: f"Disqualify car {n.car(c.key)}",
            _car_reach,
            _fold_disqualify,
        ),
        CorrectionKind(
            Retire,
            "Retire (DNF)",
            lambda n, c: f"Retire car {n.car(c.key)} (DNF)",
            _car_reach,
            _fold_retire,
            default_reason="mechanical",
        ),
        CorrectionKind(
            PitMark,
            "Pit lane",
            _pit_mark_words,
            _car_reach,
            _fold_pit_mark,
            default_reason="marked by the operator",
        ),
        CorrectionKind(
            AssignTransponder,
            "Assign transponder",
            lambda n, c: f"Transponder {c.transponder} is car {n.car(c.key)}'s",
            _car_reach,
            _fold_assign,
            default_reason="transponder not in the entry list",
        ),
        CorrectionKind(EditEntry, "Edit entry", _edit_words, _car_reach),  # the entries fold it
        CorrectionKind(
            EndSession,
            "End session",
            lambda n, c: f"End the session at {session_time(c.time_ms)}",
            lambda _seq, _c: Reach(),  # no passing or car: every row is read again anyway
            _fold_end,
            default_reason="session over",
        ),
        CorrectionKind(
            Revert,
            "Undo",
            _revert_words,
            lambda _seq, c: Reach(follows=c.correction_id),
        ),  # in force or not: engine.corrections.in_force
    )
}


def kind_of(correction: Correction) -> CorrectionKind[Any]:
    """The kind of ``correction``; KeyError for a class with no entry in :data:`KINDS`."""
    return KINDS[type(correction)]
