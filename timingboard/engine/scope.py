"""Which passings and cars a correction reaches, following reverts down to what they take back."""

from __future__ import annotations

from timingboard.engine.correction_kinds import KINDS
from timingboard.engine.events import AssignTransponder, Correction, Revert


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
        correction = corrections.get(current)
        kind = KINDS.get(type(correction)) if correction is not None else None
        if kind is None:
            continue
        reach = kind.reach(current, correction)
        passings.update(reach.passings)
        keys.update(reach.keys)
        if reach.follows is not None:
            stack.append(reach.follows)
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
