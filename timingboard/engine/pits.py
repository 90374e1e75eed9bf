"""Pit stops from pit-lane events: how many, on which lap the last began, how long it took."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PitSummary:
    """A car's stops. ``in_pit_since`` is set while it is in the pit lane."""

    stops: int = 0
    last_in_ms: int | None = None
    last_stop_ms: int | None = None
    total_ms: int = 0
    in_pit_since: int | None = None


def pit_summary(events: Sequence[tuple[int, int, bool]]) -> PitSummary:
    """From (time, seq, entered) in time order; a second "in" without an "out" is the same stop.

    An "out" with no "in" before it (a car starting from the pit lane, or a missed pit-in
    loop) counts as a stop whose time in the lane is not known.
    """
    stops, total = 0, 0
    last_in: int | None = None
    last_stop: int | None = None
    inside: int | None = None
    for time_ms, _, entered in events:
        if entered:
            if inside is None:
                stops += 1
                inside = last_in = time_ms
                last_stop = None
            continue
        if inside is None:
            stops += 1
            last_in, last_stop = time_ms, None
        else:
            last_stop = time_ms - inside
            total += last_stop
        inside = None
    return PitSummary(stops, last_in, last_stop, total, inside)
