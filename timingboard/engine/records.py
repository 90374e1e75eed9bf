"""What the engine keeps per passing and per car: the records the board is worked out from."""

from __future__ import annotations

from dataclasses import dataclass, field

from timingboard.engine.car import CarTiming
from timingboard.engine.chunked import ChunkedSet
from timingboard.engine.events import CompetitorSet
from timingboard.engine.ranking import NO_GRID

UNKNOWN_PREFIX = "?"  # the key of a car seen in passings but not on the entry list starts so


@dataclass(slots=True)
class PassingRecord:
    """A passing as logged, and (for the passings log) where it went."""

    seq: int
    time_ms: int
    key: str = ""
    car: str = ""
    transponder: str = ""
    source: str = ""
    inserted: bool = False


@dataclass(slots=True)
class Entry:
    """A row of the board: a registered competitor, or an unknown car seen in passings.

    ``arrival``: the seq of the car's first registration (0 for a car not entered). What an
    entry holds must not depend on how the board got there (event by event, or rebuilt from
    the log, where every unknown car's row is made at the end), so nothing records when the
    row was made.
    """

    key: str
    arrival: int
    competitor: CompetitorSet | None = None
    label: str = ""
    timing: CarTiming = field(default_factory=CarTiming)
    passing_ids: ChunkedSet = field(default_factory=ChunkedSet)

    def clone(self, long_lists: bool = True) -> Entry:
        return Entry(
            self.key,
            self.arrival,
            self.competitor,
            self.label,
            self.timing.clone(long_lists),
            self.passing_ids.copy(),
        )

    @property
    def came(self) -> int:
        """The seq of the event that brought the car to the board: its registration, or, for a
        car not entered, its first passing (the order the board lists its cars in)."""
        if self.competitor is None:
            return next(iter(self.passing_ids), 0)  # iterated in ascending order
        return self.arrival

    @property
    def grid(self) -> tuple[int, int]:
        """Starting order: the grid slot, then registration order; unknown cars by first passing."""
        if self.competitor is None:
            return (NO_GRID, self.came)
        grid = self.competitor.grid
        return (grid if grid is not None else NO_GRID, self.arrival)
