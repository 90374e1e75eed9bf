"""The classic charts of a race, from the laps: position and gap to the leader at every lap,
and the laps run under caution or red.

Position at lap n: a car's place among the cars that completed lap n, by when they did (the
lap chart race control keeps by hand). Gap at lap n: how long after the first car it did.
"""

from __future__ import annotations

from collections.abc import Sequence

from timingboard.engine.events import Flag
from timingboard.engine.lap_leaders import LapLeaders

CAUTION_RANK = (Flag.RED, Flag.FULL_COURSE_YELLOW, Flag.YELLOW)  # what a lap is shaded as


def lap_positions(leaders: LapLeaders, laps: Sequence[tuple[int, int]]) -> list[int]:
    """Positions for a car's (lap number, completion time) pairs."""
    positions = []
    for number, time_ms in laps:
        positions.append(1 + leaders.completed_before(number, time_ms))
    return positions


def lap_gaps(leaders: LapLeaders, laps: Sequence[tuple[int, int]]) -> list[int]:
    """Milliseconds behind the first car to complete each of a car's laps."""
    gaps = []
    for number, time_ms in laps:
        first = leaders.first_time(number)
        gaps.append(time_ms - first if first is not None else 0)
    return gaps


def caution_laps(
    leaders: LapLeaders, flags: Sequence[tuple[int, int, Flag]], start_ms: int | None
) -> list[tuple[int, int, Flag]]:
    """Runs of the leader's laps (first, last, flag) run under yellow, full-course yellow or red.

    A lap is the leader's, from its completion of the lap before (or the start) to its
    completion of this one. It is a caution lap when it was completed under one of those, or
    when one was thrown during it; a red outranks a full-course yellow, which outranks a yellow.
    """
    runs: list[tuple[int, int, Flag]] = []
    index = 0  # flags[:index] were shown at or before the start of the lap looked at
    while index < len(flags) and flags[index][0] <= (start_ms or 0):
        index += 1
    number = 1
    while (end := leaders.first_time(number)) is not None:
        shown: set[Flag] = set()  # thrown during the lap, and the one out at its end
        while index < len(flags) and flags[index][0] <= end:
            shown.add(flags[index][2])
            index += 1
        if index:
            shown.add(flags[index - 1][2])
        flag = next((f for f in CAUTION_RANK if f in shown), None)
        if flag is not None:
            if runs and runs[-1][1] == number - 1 and runs[-1][2] is flag:
                runs[-1] = (runs[-1][0], number, flag)
            else:
                runs.append((number, number, flag))
        number += 1
    return runs
