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


BestOf = Callable[[str], tuple[int, int] | None]


class ClassTable:
    """Places in class kept from batch to batch, worked out again only where they can change.

    Working every place out for every batch walked the whole field each time: a 60-car race
    with classes took in passings one at a time 4x slower than without. A place changes only
    where the board order changed (the span between the first and the last row that moved: the
    same cars, so each class keeps the same place numbers there, dealt out in the new order),
    and a class's best lap only where a car's best changed; anything else (cars that came or
    went, a car's class edited, corrections) works them all out again with :func:`class_places`.
    The result is the same either way (tests/test_engine_classes_pits.py checks it batch by batch).
    """

    def __init__(self) -> None:
        self.places: dict[str, ClassPlace] = {}
        self._order: list[str] | None = None  # the order the places are of
        self._class: dict[str, str] = {}  # each classed car's class
        self._leader: dict[str, str] = {}  # each class's leader

    def __copy__(self) -> ClassTable:
        twin = ClassTable()
        twin.places = dict(self.places)
        twin._order = self._order  # replaced, never changed in place
        twin._class = dict(self._class)
        twin._leader = dict(self._leader)
        return twin

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassTable):
            return NotImplemented
        return (self.places, self._order, self._class, self._leader) == (
            other.places,
            other._order,
            other._class,
            other._leader,
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def leaders(self) -> set[str]:
        """Each class's leader."""
        return set(self._leader.values())

    def update(
        self,
        order: list[str],
        class_of: Callable[[str], str],
        best_of: BestOf,
        changed: set[str],
        full: bool,
    ) -> tuple[dict[str, ClassPlace], set[str]]:
        """The places for ``order``, and the cars whose place, leader or best holder changed
        (or that lost their place). ``changed``: cars whose laps or entry changed; ``full``:
        anything may have (corrections, new timing rules, entries)."""
        old_order, old = self._order, self.places
        span = None if full or old_order is None else _moved_span(old_order, order)
        try:
            same_classes = all(class_of(key) == self._class.get(key, "") for key in changed)
        except KeyError:  # a car no longer on the board
            same_classes = False
        if span is None or not same_classes:
            return self._all(order, class_of, best_of)
        self._order = order
        places = dict(old)
        touched: set[str] = set()  # cars given a new place
        dealt: dict[str, list[str]] = {}  # class -> its cars in the span, in the new order
        for key in order[span[0] : span[1]]:
            name = self._class.get(key)
            if name:
                dealt.setdefault(name, []).append(key)
        new_leaders: dict[str, str] = {}
        for name, keys in dealt.items():
            numbers = sorted(old[key].position for key in keys)
            for key, position in zip(keys, numbers, strict=True):
                place = old[key]
                if place.position != position:
                    places[key] = ClassPlace(position, place.leader, place.best_holder)
                    touched.add(key)
                    if position == 1:
                        new_leaders[name] = key
        classes = set(dealt) | {self._class[key] for key in changed if key in self._class}
        new_holders: dict[str, str | None] = {}
        for name in classes:
            before = places[self._leader[name]].best_holder
            holder = self._holder(name, before, places, changed | touched, best_of)
            if holder != before:
                new_holders[name] = holder
        if new_leaders or new_holders:
            for key, name in self._class.items():
                if name in new_leaders or name in new_holders:
                    place = places[key]
                    places[key] = ClassPlace(
                        place.position,
                        new_leaders.get(name, place.leader),
                        new_holders.get(name, place.best_holder),
                    )
                    touched.add(key)
            self._leader.update(new_leaders)
        self.places = places
        return places, touched

    def _holder(
        self,
        name: str,
        holder: str | None,
        places: dict[str, ClassPlace],
        moved: set[str],
        best_of: BestOf,
    ) -> str | None:
        """Who holds the class's best lap now (the first in the class of those with the
        best), ``holder`` having held it; ``moved``: the cars whose best or place changed."""

        def rank(key: str) -> tuple[tuple[int, int], int] | None:
            best = best_of(key)
            return None if best is None else (best, places[key].position)

        candidates: Iterable[str]
        if holder is not None and holder in moved:
            holder = None  # it may have fallen behind any of its class: look at them all
            candidates = (key for key, its in self._class.items() if its == name)
        else:
            candidates = (key for key in moved if self._class.get(key) == name)
        best = rank(holder) if holder is not None else None
        for key in candidates:
            mine = rank(key)
            if mine is not None and (best is None or mine < best):
                holder, best = key, mine
        return holder

    def _all(
        self, order: list[str], class_of: Callable[[str], str], best_of: BestOf
    ) -> tuple[dict[str, ClassPlace], set[str]]:
        old, new = self.places, class_places(order, class_of, best_of)
        self._order = order
        self.places = new
        self._class = {key: class_of(key) for key in new}
        self._leader = {self._class[place.leader]: place.leader for place in new.values()}
        rows = {key for key, place in new.items() if old.get(key) != place}
        return new, rows | (old.keys() - new.keys())


def _moved_span(old: list[str], new: list[str]) -> tuple[int, int] | None:
    """The rows from the first to the last that differ (none: an empty span); None when the
    two are not the same cars (cars came or went)."""
    if len(old) != len(new):
        return None
    if old is new or old == new:
        return (0, 0)
    lo = 0
    while old[lo] == new[lo]:
        lo += 1
    hi = len(new)
    while old[hi - 1] == new[hi - 1]:
        hi -= 1
    if sorted(old[lo:hi]) != sorted(new[lo:hi]):
        return None
    return (lo, hi)
