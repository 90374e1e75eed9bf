"""The order of the board: who is ahead of whom.

Races rank by laps, then by who completed that lap first; practice and qualifying by best valid
lap (the timing system's reported best where it is better than any lap seen here: it saw them
all), a tie going to who set it first. Cars without a lap or a time keep their grid (or arrival)
order below, and disqualified cars go to the bottom.

In a race, a car at 0 laps that has crossed the line (its start: "lap 0" completed) ranks by when
it crossed, above the cars not yet seen (the board of a hand-timed start read 1, 2, 3, 4 by car
number while 31, 8, 20 and 24 had taken the start); those keep their grid order.
"""

from __future__ import annotations

from collections.abc import Iterable

from timingboard.engine.car import CarTiming, Lap

RankKey = tuple[int, int, int, int, tuple[int, int]]
NO_GRID = 1_000_000


def race_key(
    timing: CarTiming, lap_penalty: int, time_penalty_ms: int, dsq: bool, grid: tuple[int, int]
) -> RankKey:
    laps = max(0, timing.lap_count - lap_penalty)
    last = timing.last_lap
    if laps == 0 or last is None:
        crossed = last.time_ms if last is not None else timing.last_seen
        if crossed is None:
            return (int(dsq), 1, 0, 0, grid)  # not seen yet: its grid slot
        return (int(dsq), 0, crossed + time_penalty_ms, 0, grid)
    return (int(dsq), -laps, last.time_ms + time_penalty_ms, 0, grid)


def best_lap_key(timing: CarTiming, dsq: bool, grid: tuple[int, int]) -> RankKey:
    best = timing.ranking_best
    if best is None:
        return (int(dsq), 1, 0, 0, grid)
    return (int(dsq), 0, best.duration_ms, best.time_ms, grid)


def fastest_lap(
    held: tuple[str, Lap] | None, bests: Iterable[tuple[str, Lap | None]]
) -> tuple[str, Lap] | None:
    """The session's best lap: the fastest of the cars' ``bests`` and ``held`` (the session
    best still standing, or None), a tie going to the lap set first, then to the key.

    Given only the cars whose best changed and the best that stands, it is the same as over
    every car (the others' bests were no faster): with 200 cars, every crossing that set a
    personal best walked them all.
    """
    fastest = None if held is None else (held[1].duration_ms, held[1].time_ms, held[0], held[1])
    for key, lap in bests:
        if lap is not None and (
            fastest is None or (lap.duration_ms, lap.time_ms, key) < fastest[:3]
        ):
            fastest = (lap.duration_ms, lap.time_ms, key, lap)
    return None if fastest is None else (fastest[2], fastest[3])
