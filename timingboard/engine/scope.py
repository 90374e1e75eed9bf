"""Which passings and cars a correction reaches, following reverts down to what they take back."""

from __future__ import annotations

from timingboard.engine.events import (
    AssignTransponder,
    Correction,
    DeletePassing,
    Disqualify,
    EditEntry,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    PitMark,
    ReassignPassing,
    Retire,
    Revert,
    TimePenalty,
)


def correction_scope(seq: int, corrections: dict[int, Correction]) -> tuple[set[int], set[str]]:
    """The passing ids and competitor keys that correction ``seq`` (or its undoing) affects."""
    passings: set[int] = set()
    keys: set[str] = set()
    stack, seen = [seq], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        match corrections.get(current):
            case DeletePassing(passing_id=pid) | InvalidateLap(passing_id=pid):
                passings.add(pid)
            case ReassignPassing(passing_id=pid, key=key):
                passings.add(pid)
                keys.add(key)
            case InsertPassing():
                passings.add(current)
            case (
                TimePenalty(key=key)
                | LapPenalty(key=key)
                | Disqualify(key=key)
                | Retire(key=key)
                | PitMark(key=key)
                | AssignTransponder(key=key)
                | EditEntry(key=key)
            ):
                keys.add(key)
            case Revert(correction_id=target):
                stack.append(target)
    return passings, keys


def reaches_transponders(seq: int, corrections: dict[int, Correction]) -> bool:
    """Whether correction ``seq`` assigns a transponder, or takes back one that does: then every
    passing may change hands."""
    seen: set[int] = set()
    while seq not in seen:
        seen.add(seq)
        match corrections.get(seq):
            case AssignTransponder():
                return True
            case Revert(correction_id=target):
                seq = target
            case _:
                return False
    return False
