"""Who completed each lap first: laps led, and the finish of a race run to laps or to time.

Each car's completion times are kept once, as its registered lap times (lap n at index n - 1);
the times of one lap are read across the cars from them. They were kept a second time, a dict
of each car's time for every lap (2,000 of 60 cars at 24 h: 4 MB a board), and every replay
checkpoint copied the dicts of the laps its stretch wrote (some 30: lapped cars are on other
laps), ~50 kB a checkpoint.

The first of each lap is a list by lap number (lap n at index n - 1), which only grows as the
race goes on: replay checkpoints share it as they share each car's laps (a dict of its own
each was 43 kB a checkpoint at 24 h).
"""

from __future__ import annotations

import bisect
from array import array
from collections import Counter


class LapLeaders:
    """For every lap number, each car's completion time and the first to complete it."""

    def __init__(self) -> None:
        self._first: list[tuple[int, str] | None] = []  # lap n at n - 1; None: no one yet
        # packed, as a car's lap times are (a replay seek copies them: one memcpy each)
        self._registered: dict[str, array[int]] = {}
        self.laps_led: Counter[str] = Counter()

    def clone(self, long_lists: bool = True) -> LapLeaders:
        """An independent copy; ``long_lists=False`` leaves each car's registered lap times and
        the firsts empty, to be put back with :meth:`set_registered` and :meth:`set_firsts`
        (replay checkpoints share them)."""
        twin = LapLeaders()
        twin._first = self._first[:] if long_lists else []
        twin._registered = {
            key: times[:] if long_lists else array("q") for key, times in self._registered.items()
        }
        twin.laps_led = Counter(self.laps_led)
        return twin

    def registered(self) -> dict[str, array[int]]:
        """Each car's lap completion times as last synced (read only)."""
        return self._registered

    def set_registered(self, key: str, lap_times: array[int]) -> None:
        """Put back a car's registered lap times left out by ``clone(long_lists=False)``."""
        self._registered[key] = lap_times

    def firsts(self) -> list[tuple[int, str] | None]:
        """The first (time, car) of each lap by lap number, from lap 1 (read only)."""
        return self._first

    def set_firsts(self, firsts: list[tuple[int, str] | None]) -> None:
        """Put back the firsts left out by ``clone(long_lists=False)``."""
        self._first = firsts

    def sync(self, key: str, lap_times: array[int], appended: bool) -> set[str]:
        """Bring ``key``'s laps up to date; returns the cars whose laps led changed.

        Only cars with a lap are registered, and only cars that led one counted in
        ``laps_led``: what is held depends on the laps alone, not on which cars were synced on
        the way (a board rebuilt from the log syncs every car; one built batch by batch, the
        cars that crossed).
        """
        registered = self._registered.get(key)
        if registered is None:
            if not lap_times:
                return set()
            registered = self._registered[key] = array("q")
        start = len(registered) if appended else _common_prefix(registered, lap_times)
        touched: set[str] = set()
        had = len(registered)
        if start < had:
            del registered[start:]  # first: the new first of each lap is one of the others
            for number in range(had, start, -1):
                self._remove(number, key, touched)
        # the new laps at once (one copy in C), then each weighed as _add weighs it, inline:
        # one a lap of every car (120k at 24 h), nearly always not the first of its lap
        new = lap_times[start:]
        registered.extend(new)
        # a lap later than its first (nearly always) is told by its time alone, no pair made
        firsts = self._first
        count = len(firsts)  # changed only by _set_first
        for index, time_ms in enumerate(new, start):
            old = firsts[index] if index < count else None
            if old is None or (time_ms <= old[0] and (time_ms, key) < old):
                self._set_first(index + 1, old, (time_ms, key), touched)
                count = len(firsts)
        if not registered:
            del self._registered[key]
        return touched

    def forget(self, key: str) -> set[str]:
        touched = self.sync(key, array("q"), appended=False)
        self._registered.pop(key, None)
        return touched

    def leaders(self) -> list[tuple[int, str]]:
        """Each lap number and who completed it first, in lap order."""
        return [(at + 1, first[1]) for at, first in enumerate(self._first) if first is not None]

    def first_time(self, lap: int) -> int | None:
        first = self._first[lap - 1] if 0 < lap <= len(self._first) else None
        return first[0] if first else None

    def times_of_lap(self, lap: int) -> dict[str, int]:
        """Each car's completion time of lap ``lap`` (a dict of its own)."""
        index = lap - 1
        return {
            key: times[index] for key, times in self._registered.items() if len(times) > index >= 0
        }

    def completed_before(self, lap: int, time_ms: int) -> int:
        """How many cars completed lap ``lap`` before ``time_ms``."""
        index = lap - 1
        if index < 0:
            return 0
        return sum(
            1
            for times in self._registered.values()
            if len(times) > index and times[index] < time_ms
        )

    def first_completion_at_or_after(self, time_ms: int) -> int | None:
        """The first moment a lap was led to completion at or after ``time_ms``."""
        count = len(self._first)
        firsts = self._first  # every lap up to the last has a first: laps are run in turn
        index = bisect.bisect_left(firsts, time_ms, key=lambda first: first[0])  # type: ignore[index]
        first = firsts[index] if index < count else None
        return first[0] if first else None

    def _add(self, lap: int, key: str, time_ms: int, touched: set[str]) -> None:
        firsts, index = self._first, lap - 1  # one a lap of every car: kept to the bone
        old = firsts[index] if index < len(firsts) else None
        if old is None or (time_ms, key) < old:
            self._set_first(lap, old, (time_ms, key), touched)

    def _remove(self, lap: int, key: str, touched: set[str]) -> None:
        """``key``'s time of ``lap`` is gone (its registered times no longer reach it)."""
        old = self._first[lap - 1]
        if old is not None and old[1] == key:
            index = lap - 1
            new = min(
                (
                    (times[index], other)
                    for other, times in self._registered.items()
                    if len(times) > index
                ),
                default=None,
            )
            self._set_first(lap, old, new, touched)

    def _set_first(
        self,
        lap: int,
        old: tuple[int, str] | None,
        new: tuple[int, str] | None,
        touched: set[str],
    ) -> None:
        if old is not None:
            led = self.laps_led[old[1]] - 1
            if led:
                self.laps_led[old[1]] = led
            else:
                del self.laps_led[old[1]]
            touched.add(old[1])
        firsts, index = self._first, lap - 1
        if new is None:
            firsts[index] = None
            while firsts and firsts[-1] is None:  # no one has run so far now
                firsts.pop()
        else:
            if index >= len(firsts):
                firsts.extend([None] * (index + 1 - len(firsts)))
            firsts[index] = new
            self.laps_led[new[1]] += 1
            touched.add(new[1])


def _common_prefix(a: array[int], b: array[int]) -> int:
    """How many leading items ``a`` and ``b`` share: halving, each half compared at C speed
    (a finish that moves compares every car's 2,000 laps of a 24-hour race)."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    same, differs = 0, n  # a[:same] == b[:same]; the first difference is before ``differs``
    while differs - same > 1:
        middle = (same + differs) // 2
        if a[same:middle] == b[same:middle]:
            same = middle
        else:
            differs = middle
    return same
