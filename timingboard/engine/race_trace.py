"""The classic charts of a race, from the laps: position and gap to the leader at every lap,
and the laps run under caution or red.

Position at lap n: a car's place among the cars that completed lap n, by when they did (the
lap chart race control keeps by hand). Gap at lap n: how long after the first car it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Caution:
    """One caution as a box score counts it: its laps, whether it went full course."""

    first: int
    last: int
    full_course: bool

    @property
    def laps(self) -> int:
        return self.last - self.first + 1


def cautions(runs: Sequence[tuple[int, int, Flag]]) -> list[Caution]:
    """The cautions in ``runs`` (from :func:`caution_laps`): yellow and full-course-yellow laps
    in a row, with no green lap between, are one caution (a yellow that became full course is
    still the one). A red flag is no caution (counted apart); its laps end one."""
    out: list[Caution] = []
    for first, last, flag in runs:
        if flag is Flag.RED:
            continue
        full = flag is Flag.FULL_COURSE_YELLOW
        if out and out[-1].last == first - 1:  # no green lap between: the same caution
            before = out.pop()
            out.append(Caution(before.first, last, before.full_course or full))
        else:
            out.append(Caution(first, last, full))
    return out
