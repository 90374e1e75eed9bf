"""Line-ups for the next session, built from the order of finished ones.

At a short-track show like the Clash, qualifying sets the heats (P1 leads heat 1, P2 heat 2, ...)
and the heats' finishing order sets the feature grid. Orders are lists of registration keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class LineupRule(StrEnum):
    STRAIGHT = "straight"  # the order as it finished
    SPLIT = "split"  # P1 to heat 1, P2 to heat 2, ... across N heats
    INVERT = "invert"  # the top N reversed, the rest as they finished
    TRANSFER = "transfer"  # the top N of each heat, interleaved by finishing position


@dataclass(frozen=True, slots=True)
class LineupRequest:
    rule: LineupRule
    count: int = 0  # heats for SPLIT, cars for INVERT, spots a heat for TRANSFER

    def __post_init__(self) -> None:
        """The rule as a LineupRule even when given as its text (a combo box's data comes back
        a plain str): "split" is not ``LineupRule.SPLIT`` to ``is``, and the window's split
        made one straight-up session while event.json said "split across 2 heats"."""
        object.__setattr__(self, "rule", LineupRule(self.rule))

    def describe(self) -> str:
        return {
            LineupRule.STRAIGHT: "straight-up",
            LineupRule.SPLIT: f"split across {self.count} heats in order",
            LineupRule.INVERT: f"top {self.count} inverted",
            LineupRule.TRANSFER: f"top {self.count} of each heat transfer",
        }[self.rule]


COUNTED = {
    LineupRule.SPLIT: "heats",
    LineupRule.INVERT: "cars inverted",
    LineupRule.TRANSFER: "cars transferred from each heat",
}  # what the number of a rule counts; STRAIGHT takes none


def misfit(request: LineupRequest, cars: int) -> str:
    """Why ``request`` cannot line up a field of ``cars`` cars, in words ("" when it can): more
    heats than cars leaves a heat empty; more cars inverted or transferred than there are is a
    slip. The window's dialog and the ``lineup`` command refuse with it, before anything."""
    what = COUNTED.get(request.rule)
    if what is None:
        return ""
    if request.count < 1:
        return f"{request.rule} needs a number of 1 or more ({what})"
    if cars < 1:
        return "no registered car is in the results: there is no one to line up"
    if request.count > cars:
        return (
            f"{request.count} {what} asked for but the field has {cars} "
            f"car{'s' if cars != 1 else ''}; "
            f"use a number from 1 to {cars}"
        )
    return ""


def straight_up(order: Sequence[str]) -> list[str]:
    return list(order)


def split_heats(order: Sequence[str], heats: int) -> list[list[str]]:
    """P1 to heat 1, P2 to heat 2, …, P(N+1) back to heat 1: every heat gets a fair share."""
    if heats < 1:
        raise ValueError("there must be at least one heat")
    return [list(order[i::heats]) for i in range(heats)]


def invert_top(order: Sequence[str], count: int) -> list[str]:
    if count < 0:
        raise ValueError("cannot invert a negative number of cars")
    count = min(count, len(order))
    return [*reversed(order[:count]), *order[count:]]


def transfers(heat_orders: Sequence[Sequence[str]], spots: int) -> list[str]:
    """Heat winners first (heat 1's, heat 2's, …), then the seconds, down to ``spots`` deep."""
    if spots < 1:
        raise ValueError("at least one car must transfer from each heat")
    grid: list[str] = []
    for place in range(spots):
        for order in heat_orders:
            if place < len(order) and order[place] not in grid:
                grid.append(order[place])
    return grid


def build(request: LineupRequest, orders: Sequence[Sequence[str]]) -> list[list[str]]:
    """Grids for the next session(s) from the finishing order(s) of the last."""
    if not orders:
        raise ValueError("no finished session to build a line-up from")
    if request.rule is LineupRule.SPLIT:
        return split_heats(orders[0], request.count)
    if request.rule is LineupRule.INVERT:
        return [invert_top(orders[0], request.count)]
    if request.rule is LineupRule.TRANSFER:
        return [transfers(orders, request.count)]
    return [straight_up(orders[0])]
