"""What the board shows for each car, and what changed between two boards."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Literal


class CarStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    DNF = "DNF"
    DSQ = "DSQ"
    DNS = "DNS"  # never started: no lap completed (no time set) by the end


@dataclass(frozen=True, slots=True)
class Gap:
    """Distance to another car: whole laps down, or milliseconds on the same lap."""

    laps: int = 0
    ms: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Standing:
    """One row of the board."""

    key: str
    position: int
    car: str
    driver: str = ""
    team: str = ""
    make: str = ""
    car_class: str = ""
    known: bool = True
    laps: int = 0
    last_lap_ms: int | None = None
    last_lap_personal_best: bool = False
    best_lap_ms: int | None = None
    best_lap_number: int | None = None
    reported_best_ms: int | None = None  # the timing system's best, when better than ours
    reported_best_number: int | None = None
    holds_session_best: bool = False
    gap: Gap | None = None
    interval: Gap | None = None
    last_speed: float | None = None
    best_speed: float | None = None
    total_ms: int | None = None
    laps_led: int = 0
    gained: int | None = None
    status: CarStatus = CarStatus.RUNNING
    result_final: bool = False  # its laps are final (rows.result_final): "running" is a result
    checkered: bool = False  # the finish came: a car not in yet is said to be running
    time_penalty_ms: int = 0
    lap_penalty: int = 0
    last_crossing_ms: int | None = None
    unseen_laps: tuple[tuple[int, int], ...] = ()  # laps counted by the timing system, not seen
    class_position: int | None = None
    class_gap: Gap | None = None
    holds_class_best: bool = False
    pit_stops: int = 0
    last_pit_lap: int | None = None
    last_pit_ms: int | None = None  # time in the pit lane on the last stop
    in_pit: bool = False
    sectors: tuple[int | None, ...] = ()  # of the latest lap that has any (S1, S2, …)
    sector_marks: tuple[str, ...] = ()  # for each: "session", "personal" or ""

    @property
    def laps_not_seen(self) -> int:
        """How many of its laps the timing system counted that were not seen here."""
        return laps_in_ranges(self.unseen_laps)


SESSION_BEST = "session"  # purple
PERSONAL_BEST = "personal"  # green


def last_lap_mark(row: Standing) -> str:
    """The last lap's mark: :data:`SESSION_BEST`, :data:`PERSONAL_BEST` or "". The one rule of
    the colours of laps, read by the board, the wall and the web page.

    A last lap as fast as the car's best is a personal best (``last_lap_personal_best``, see
    ``rows.is_personal_best``), also when it equals a session best another car set first;
    purple only for the car holding the session best (the first to set it)."""
    if not row.last_lap_personal_best:
        return ""
    return SESSION_BEST if row.holds_session_best else PERSONAL_BEST


def best_lap_mark(row: Standing) -> str:
    """The best lap's mark: purple for the session best's holder only (never green)."""
    return SESSION_BEST if row.holds_session_best and row.best_lap_ms is not None else ""


def laps_in_ranges(ranges: Iterable[tuple[int, int]]) -> int:
    """How many laps (first, last) ranges of lap numbers hold: the count of laps not seen."""
    return sum(last - first + 1 for first, last in ranges)


STANDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Standing))


def changed_fields(old: Standing, new: Standing) -> frozenset[str]:
    """Names of the fields that differ between two rows of the same car."""
    return frozenset(name for name in STANDING_FIELDS if getattr(old, name) != getattr(new, name))


@dataclass(frozen=True, slots=True)
class RowOp:
    """One structural change of the board's order, to be applied in sequence.

    ``move`` takes the row at ``row`` out and puts it back so that it ends at ``dest``.
    """

    kind: Literal["insert", "remove", "move"]
    row: int
    key: str
    dest: int = -1


@dataclass(slots=True)
class BoardChange:
    """What one batch of events did to the board, so a view can update precisely."""

    ops: list[RowOp] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # rows that may differ: read them again
    laps_changed: set[str] = field(default_factory=set)
    crossed: list[str] = field(default_factory=list)
    passings_touched: set[int] = field(default_factory=set)
    session_best_changed: bool = False
    flag_changed: bool = False
    competitors_changed: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.ops
            or self.changed
            or self.laps_changed
            or self.crossed
            or self.passings_touched
            or self.session_best_changed
            or self.flag_changed
            or self.competitors_changed
        )


def order_ops(old: list[str], new: list[str]) -> list[RowOp]:
    """Row operations that turn the order ``old`` into ``new``, one row at a time."""
    if old == new:
        return []
    ops: list[RowOp] = []
    current = list(old)
    wanted = set(new)
    for row in range(len(current) - 1, -1, -1):
        if current[row] not in wanted:
            ops.append(RowOp("remove", row, current.pop(row)))
    present = set(current)
    for key in new:
        if key not in present:
            ops.append(RowOp("insert", len(current), key))
            current.append(key)
    start = 0
    while start < len(new) and current[start] == new[start]:
        start += 1
    for row in range(start, len(new)):
        key = new[row]
        if current[row] != key:
            src = current.index(key, row)
            current.insert(row, current.pop(src))
            ops.append(RowOp("move", src, key, row))
    return ops
