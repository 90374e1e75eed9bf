"""Classes run together on one track: each car's place in its class and the class's best lap.

Worked out in one pass over the board order, so it costs nothing when the session has no classes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClassPlace:
    """Where a car stands in its class: position, the class leader, and who holds the best lap."""

    position: int
    leader: str
    best_holder: str | None


def class_places(
    order: Iterable[str],
    class_of: Callable[[str], str],
    best_of: Callable[[str], tuple[int, int] | None],
) -> dict[str, ClassPlace]:
    """Every classed car's place; ``best_of`` gives (best lap ms, when it was set) or None."""
    counts: dict[str, int] = {}
    leaders: dict[str, str] = {}
    bests: dict[str, tuple[tuple[int, int], str]] = {}
    members: list[tuple[str, str, int]] = []
    for key in order:
        name = class_of(key)
        if not name:
            continue
        counts[name] = counts.get(name, 0) + 1
        leaders.setdefault(name, key)
        members.append((key, name, counts[name]))
        best = best_of(key)
        if best is not None and (name not in bests or best < bests[name][0]):
            bests[name] = (best, key)
    return {
        key: ClassPlace(position, leaders[name], bests[name][1] if name in bests else None)
        for key, name, position in members
    }


def class_names(classes: Iterable[str]) -> list[str]:
    """The session's classes, in the order they first appear."""
    return list(dict.fromkeys(name for name in classes if name))
