"""What the board says of a passing typed by hand: the number read, then what it counted as.

The operator types a car number and Enter as the car crosses; the entry panel says at once
whether it was a lap, a start, or not counted and why (a double read says how soon after the
car's last crossing it came), and says it again if a later correction changes that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from timingboard.engine.car import PassingStatus
from timingboard.engine.engine import TimingEngine
from timingboard.text.session_text import moment_text

MAX_CAR_NUMBER = 8
TOO_LONG_SHOWN = 12  # of a number typed too long, the first characters said back
REPLAY_TYPED = (  # a number typed in a replay (on its board, its timeline, …): said, not dropped
    "Replay: nothing is timed here — a replay never changes its file; "
    "use File ▸ Branch a copy to correct it"  # as the replay's flag keys say
)
NOT_COUNTED = {
    PassingStatus.DOUBLE_READ: "double read — not counted",
    PassingStatus.BEFORE_START: "before the green — not counted",
    PassingStatus.AFTER_FINISH: "after the finish — not counted",
    PassingStatus.AFTER_END: "after the session's end — not counted",
    PassingStatus.DELETED: "not counted",
}


class EntryOutcome(StrEnum):
    RECORDED = "recorded"
    IGNORED = "ignored"  # logged, but the engine does not count it (a double read, say)
    AMENDED = "amended"  # counted, after the results were declared official: an amendment
    UNKNOWN = "unknown"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class EntryResult:
    outcome: EntryOutcome
    car: str
    message: str
    time_ms: int | None = None
    loud: bool = False  # an unknown number in a session with an entry list: likely a typo
    note: str = ""  # why it is not counted, for the list of recent entries ("deleted by Sam")


def too_long_text(car: str, nothing: str = "Nothing logged") -> str | None:
    """Why ``car`` (typed) is too long for a car number, or None: the Entry panel's and the
    entry list's one rule. Never cut to its first characters: that is another car."""
    if len(car) <= MAX_CAR_NUMBER:
        return None
    shown = car if len(car) <= TOO_LONG_SHOWN else car[:TOO_LONG_SHOWN] + "…"
    return (
        f"{shown} is too long: a car number has at most {MAX_CAR_NUMBER} digits or letters "
        f"({len(car)} typed). {nothing}; retype it."
    )


def check_car_number(car: str) -> EntryResult | None:
    """Why ``car`` (as typed, stripped) is not a car number, or None if it is one."""
    if not car:
        return EntryResult(EntryOutcome.INVALID, car, "Type a car number, then Enter.")
    too_long = too_long_text(car)
    if too_long is not None:
        return EntryResult(EntryOutcome.INVALID, car, too_long)
    if not car.isalnum():
        return EntryResult(
            EntryOutcome.INVALID, car, f"{car!r} is not a car number (letters and digits)."
        )
    return None


def judge_typed(
    engine: TimingEngine, passing_id: int, car: str, time_ms: int, typed_key: str
) -> EntryResult:
    """What the engine made of a typed passing: a lap, a start, or not counted and why.

    ``typed_key``: the registration the number was typed for (a deleted passing has no owner)."""
    status = engine.passing_status(passing_id)
    key = engine.passing_owner(passing_id) or typed_key
    if status is PassingStatus.DELETED:  # a correction took it away: who did, not only "not"
        operator = engine.deleted_by(passing_id)
        note = f"deleted by {operator}" if operator else "deleted by a correction"
        text = f"Car {car}: {note} — not counted"
        return EntryResult(EntryOutcome.IGNORED, car, text, time_ms, note=note)
    if status in NOT_COUNTED:
        text = f"Car {car}: {NOT_COUNTED[status]}"
        if status is PassingStatus.DOUBLE_READ:
            text += after_last_crossing(engine, key, passing_id, time_ms)
        return EntryResult(EntryOutcome.IGNORED, car, text, time_ms)
    if status is PassingStatus.START:
        text = f"Car {car}: start of lap {engine.lap_count(key) + 1}"
    else:
        text = f"Car {car}: lap {engine.standing(key).laps}"
        if engine.has_finished(key):
            text += " — finished"
    declared = engine.first_declaration()
    if declared is not None and passing_id > declared[0]:
        text += " — an amendment to the official results"
        return EntryResult(EntryOutcome.AMENDED, car, text, time_ms)
    return EntryResult(EntryOutcome.RECORDED, car, text, time_ms)


def after_last_crossing(engine: TimingEngine, key: str, passing_id: int, time_ms: int) -> str:
    """`` (0.356 s after its last crossing)``: why it is taken for the same crossing."""
    if not engine.has_car(key):
        return ""
    before = [
        crossed_ms
        for crossed_ms, pid in engine.crossings(key)
        if pid != passing_id
        and crossed_ms <= time_ms
        and engine.passing_status(pid) not in NOT_COUNTED
    ]
    if not before:
        return ""
    return f" ({(time_ms - max(before)) / 1000:.3f} s after its last crossing)"


def recent_line(result: EntryResult, start_ms: int | None) -> str:
    """What was typed and when, on the header's clock (:func:`moment_text`; the session started
    at ``start_ms``, the green): not its lap, which a later correction (an inserted lap, a
    deleted double read) changes; the passings log has that, in session time."""
    ms = result.time_ms or 0
    line = f"{moment_text(start_ms, ms)}  Car {result.car}"
    if result.outcome is not EntryOutcome.IGNORED:
        return line
    return f"{line}  ({result.note or 'not counted'})"


HELD_HOW = " — type the number again and Enter to add it, Esc to retype it."


def held_parts(
    held: list[tuple[str, int]], retyping: tuple[str, int] | None, start_ms: int | None
) -> tuple[list[str], str]:
    """What :func:`held_text` says, in pieces: the words naming the held crossings, each
    crossing one piece never to be broken or cut (``Held: 33 at 0:01:23.456,``), and what to do
    with them (:data:`HELD_HOW`, "" with none held), which a narrow panel may cut: cutting the
    whole line had dropped the second held number and its time. Times on the header's clock
    (:func:`moment_text`), the clock named once for the crossings in a row on it (four held
    crossings each with "since green" took more lines than the panel has)."""
    pieces: list[str] = []
    if retyping is not None:
        car, ms = retyping
        at = moment_text(start_ms, ms)
        pieces += f"Retyping the crossing at {at} (typed as {car}).".split()
    crossings: list[str] = []
    named = ""  # the clock named last: said once for the crossings on it, not after each
    for car, ms in held:
        at = moment_text(start_ms, ms)
        time, clock = at.split(" ", 1)
        crossings.append(f"{car} at {time if clock == named else at}")
        named = clock
    if crossings:
        crossings[0] = f"Held: {crossings[0]}"
        pieces += [f"{c}," for c in crossings[:-1]] + crossings[-1:]
    return pieces, HELD_HOW if held else ""


def held_text(
    held: list[tuple[str, int]], retyping: tuple[str, int] | None, start_ms: int | None
) -> str:
    """What the entry panel keeps saying while crossings wait for a number: ``Held: 33 at
    0:01:23.456 since green — type a number again and Enter to add it, Esc to retype it``; ""
    if none."""
    pieces, how = held_parts(held, retyping, start_ms)
    return " ".join(pieces) + how


def held_on_leaving(held: list[tuple[str, int]], start_ms: int | None) -> tuple[str, str]:
    """The question put when the session is left with crossings held for numbers not on the
    entry list (they were lost without a word on Ctrl+Q): the question, and what each answer
    does."""
    crossings = ", ".join(f"{car} at {moment_text(start_ms, ms)}" for car, ms in held)
    return (
        f"{len(held)} crossing(s) typed for numbers not on the entry list are held: {crossings}.",
        "Add them: each number becomes a car and its crossing is logged at the time it was "
        "typed. Discard them: nothing is logged. Cancel: back to the session.",
    )
