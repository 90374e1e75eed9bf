"""Sector times from sector-line crossings: a lap split at the ends of its sectors.

A track with sector lines 1 … N-1 has N sectors: sector k ends at sector line k, the last one
at the finish line. A sector's time is from the crossing that began it (the lap's start, or the
line before) to the one that ended it; a sector whose line was missed has no time, and neither
has the one after it.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import NamedTuple

from timingboard.engine.car import Lap

MAX_SECTORS = 9
MAX_SEQ = 1 << 62


class CarSectors(NamedTuple):
    """A car's sectors: those of its latest lap that has any, and its best of each."""

    latest: tuple[int | None, ...]
    best: tuple[int | None, ...]


def _split(
    start: int, end: int | None, crossings: Sequence[tuple[int, int, int]], count: int
) -> list[int | None]:
    """Sector times of one lap from ``start`` to ``end`` (None: the lap is still going on)."""
    first = bisect.bisect_right(crossings, (start, MAX_SEQ, MAX_SECTORS))
    ends: dict[int, int] = {}
    for t, _, sector in crossings[first:]:
        if end is not None and t >= end:
            break
        ends.setdefault(sector, t)
    boundaries: list[int | None] = [start, *(ends.get(k) for k in range(1, count)), end]
    return [
        b - a if a is not None and b is not None else None
        for a, b in itertools.pairwise(boundaries)
    ]


def car_sectors(
    laps: Sequence[Lap],
    current_from: int | None,
    crossings: Sequence[tuple[int, int, int]],
    count: int,
) -> CarSectors:
    """``crossings``: (time, seq, sector line) in time order; ``current_from``: the start of
    the lap in progress. Invalid laps count for what is shown, not for bests."""
    best: list[int | None] = [None] * count
    latest: list[int | None] = [None] * count

    def take(times: list[int | None], valid: bool) -> None:
        for k, ms in enumerate(times):
            if ms is not None and valid and (best[k] is None or ms < best[k]):  # type: ignore[operator]
                best[k] = ms

    for lap in laps:
        times = _split(lap.time_ms - lap.duration_ms, lap.time_ms, crossings, count)
        take(times, lap.valid)
        if any(t is not None for t in times):
            latest = times
    if current_from is not None:
        times = _split(current_from, None, crossings, count)
        if any(t is not None for t in times):
            take(times, True)
            latest = times
    return CarSectors(tuple(latest), tuple(best))


def session_bests(cars: dict[str, CarSectors], count: int) -> tuple[tuple[int, str] | None, ...]:
    """The best time of each sector and who set it (the first, by key order, on a tie)."""
    bests: list[tuple[int, str] | None] = [None] * count
    for key in sorted(cars):
        for k, ms in enumerate(cars[key].best[:count]):
            current = bests[k]
            if ms is not None and (current is None or ms < current[0]):
                bests[k] = (ms, key)
    return tuple(bests)


def sector_marks(
    key: str, car: CarSectors, bests: tuple[tuple[int, str] | None, ...]
) -> tuple[str, ...]:
    """For each latest sector: "session" (purple), "personal" (green) or ""."""
    marks = []
    for k, ms in enumerate(car.latest):
        best = bests[k] if k < len(bests) else None
        if ms is not None and best is not None and best == (ms, key):
            marks.append("session")
        elif ms is not None and car.best[k] == ms:
            marks.append("personal")
        else:
            marks.append("")
    return tuple(marks)
