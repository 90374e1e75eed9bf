"""A passing as the passings log shows it: its columns, its row and what each cell says.

The row is what the engine made of the passing (its owner, the lap it completed, its status)
and what corrections did to it (the notes); the log's model and its view only show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

from timingboard.engine.audit import PlacedPassing, PositionChange, correction_number, describe
from timingboard.engine.car import PassingStatus
from timingboard.engine.correction_kinds import KINDS
from timingboard.engine.engine import UNKNOWN_DRIVER, TimingEngine
from timingboard.engine.events import Correction, InsertPassing, ReassignPassing
from timingboard.engine.formatting import format_lap, format_session_time
from timingboard.text.board_text import car_text, car_tooltip, transponder_named
from timingboard.text.typed_passing import NOT_COUNTED


class PassingColumn(IntEnum):
    TIME = 0
    CAR = 1
    DRIVER = 2
    LAP = 3
    LAP_TIME = 4
    SOURCE = 5
    STATUS = 6
    NOTE = 7


PASSING_COLUMNS = tuple(PassingColumn)

SESSION_TIME_TIP = (
    "Time since the session began: the time a passing is inserted at (@0:05:12.345), a replay "
    "and results --at count. The header's clock counts from the green flag."
)
HEADER_TIPS = {PassingColumn.TIME: SESSION_TIME_TIP}
HEADERS = {
    PassingColumn.TIME: "Session time",
    PassingColumn.CAR: "Car",
    PassingColumn.DRIVER: "Driver",
    PassingColumn.LAP: "Lap",
    PassingColumn.LAP_TIME: "Lap time",
    PassingColumn.SOURCE: "Source",
    PassingColumn.STATUS: "Status",
    PassingColumn.NOTE: "Correction",
}

STATUS_TEXT = {
    PassingStatus.LAP: "accepted",
    PassingStatus.START: "start",
    PassingStatus.DOUBLE_READ: "double read",
    PassingStatus.BEFORE_START: "before green",
    PassingStatus.AFTER_FINISH: "after finish",
    PassingStatus.AFTER_END: "after the end",
    PassingStatus.DELETED: "deleted",
}

INSERTED, REASSIGNED, INVALIDATED, DELETED = "inserted", "reassigned", "lap invalidated", "deleted"
INSERT_UNDONE = "insert undone"  # an inserted passing whose insert was undone: not "deleted"
NOTES = (INSERTED, INSERT_UNDONE, REASSIGNED, INVALIDATED, DELETED)  # in this order


@dataclass(frozen=True, slots=True)
class PassingRow:
    passing_id: int
    time_ms: int
    owner: str | None
    car: str
    driver: str
    lap: int | None
    lap_ms: int | None
    source: str
    status: PassingStatus
    note: str


def passing_row(engine: TimingEngine, pid: int) -> PassingRow:
    """One passing as the log shows it."""
    record = engine.passing(pid)
    owner = engine.passing_owner(pid)
    shown = owner if owner is not None and engine.has_car(owner) else None
    lap = engine.lap_of_passing(pid)
    notes = []
    corrected = engine.passing_corrected(pid)
    if record.inserted:  # no owner and not deleted: its insert is no longer in force
        notes.append(INSERT_UNDONE if owner is None and not corrected.deleted else INSERTED)
    if corrected.reassigned:
        notes.append(REASSIGNED)
    if corrected.lap_invalidated:
        notes.append(INVALIDATED)
    if corrected.deleted:
        notes.append(DELETED)
    if shown is None:  # a deleted passing has no owner: name the car it was read for
        shown = record.key if engine.has_car(record.key) else None
        shown = shown or next(
            (k for k in engine.cars() if record.car and engine.car_label(k) == record.car), None
        )
    read_as = record.car or record.key or f"T{record.transponder}"
    return PassingRow(
        passing_id=pid,
        time_ms=record.time_ms,
        owner=owner,
        car=engine.car_label(shown) if shown else read_as,
        driver=engine.driver_label(shown) if shown else UNKNOWN_DRIVER,
        lap=lap.number if lap else None,
        lap_ms=lap.duration_ms if lap else None,
        source="manual" if record.inserted else record.source,
        status=engine.passing_status(pid),
        note=", ".join(notes),
    )


def cell_text(row: PassingRow, column: PassingColumn) -> str:
    """The text of one cell of the log."""
    match column:
        case PassingColumn.TIME:
            return format_session_time(row.time_ms)
        case PassingColumn.CAR:
            return car_text(row.car)  # "Tx" as on the board: "Tx4667026" blew the column wide
        case PassingColumn.DRIVER:
            return row.driver or transponder_named(row.car)
        case PassingColumn.LAP:
            return "" if row.lap is None else str(row.lap)
        case PassingColumn.LAP_TIME:
            return format_lap(row.lap_ms)
        case PassingColumn.SOURCE:
            return row.source
        case PassingColumn.STATUS:
            return status_word(row)
        case PassingColumn.NOTE:
            return row.note


def cell_tip(row: PassingRow, column: PassingColumn) -> str | None:
    """A cell's tooltip: the whole transponder of a car its Car cell shows short (on its
    Driver cell too, where no driver is named)."""
    if column is PassingColumn.CAR or (column is PassingColumn.DRIVER and not row.driver):
        return car_tooltip(row.car)
    return None


class CellLook(NamedTuple):
    """What a view shows of a cell: its texts (the model's, and any a delegate draws instead)
    and its tooltip."""

    texts: tuple[str, ...]
    tip: str | None


def cell_look(row: PassingRow, column: PassingColumn) -> CellLook:
    """What a view shows of a cell; in the Status cell also what a correction did
    (:func:`status_shown`, :func:`status_tip`). A cell whose look changed is refreshed: an
    undone "lap invalidated" changed only the hidden Correction column's text, and the Status
    cell kept saying it."""
    text = cell_text(row, column)
    if column is PassingColumn.STATUS:
        return CellLook((text, status_shown(row)), status_tip(row))
    return CellLook((text,), cell_tip(row, column))


NOT_COUNTED_STATUSES = frozenset(
    {
        PassingStatus.DOUBLE_READ,
        PassingStatus.BEFORE_START,
        PassingStatus.AFTER_FINISH,
        PassingStatus.AFTER_END,
    }
)
NOTE_SHORT = {INSERTED: "ins."}  # in a not-counted cell: "after finish (inserted)" took room
# the TS column needs on a 1280 px screen; the tooltip says it whole
SHOWN_WIDEST = [
    "reassigned +1",
    "inserted +2",
    *(f"{STATUS_TEXT[s]} (ins.)" for s in NOT_COUNTED_STATUSES),  # more: cut, in its tip
]


def status_shown(row: PassingRow) -> str:
    """The Status cell: what a correction did to the passing ("inserted", "reassigned +1"),
    else its status; the dock has no room for a Correction column of its own. A passing not
    counted says why first, then its first correction ("after finish (ins.)": an insert
    after the car's finish read "inserted", as if it counted, and then "after finish +1",
    which did not say it was an inserted lap)."""
    notes = [n for n in row.note.split(", ") if n] if row.note else []
    if not notes or row.status is PassingStatus.DELETED:
        return status_word(row)
    more = f" +{len(notes) - 1}" if len(notes) > 1 else ""
    if row.status in NOT_COUNTED_STATUSES:
        return f"{status_word(row)} ({NOTE_SHORT.get(notes[0], notes[0])}{more})"
    return notes[0] + more


def status_tip(row: PassingRow) -> str:
    """The Status cell's tooltip: the status and every correction, in full."""
    word = status_word(row)
    return word + (f" — {row.note}" if row.note and row.note != word else "")


def status_word(row: PassingRow) -> str:
    """The passing's status in a word; an inserted passing whose insert was undone says so
    (it read "deleted", as if a correction had deleted it)."""
    if row.status is PassingStatus.DELETED and INSERT_UNDONE in row.note.split(", "):
        return INSERT_UNDONE
    return STATUS_TEXT[row.status]


def passing_named(engine: TimingEngine, passing_id: int) -> str:
    """A passing as the operator knows it, by car, session time and lap (the log shows the
    same): "the passing of car 2 at 0:00:28.400 (lap 3)", never by its number in the log."""
    if not engine.has_passing(passing_id):
        return "a passing no longer in the log"
    row = passing_row(engine, passing_id)
    what = status_word(row) if row.lap is None else f"lap {row.lap}"
    return f"the passing of car {row.car} at {format_session_time(row.time_ms)} ({what})"


def invalidate_label(engine: TimingEngine, row: PassingRow) -> str | None:
    """The menu's words for invalidating the lap ``row`` completed: the lap and its time,
    "the car's best" only when it is (every lap's item said "(best lap)"); None: it completed
    none."""
    if row.lap is None or row.lap_ms is None or row.owner is None:
        return None
    best = engine.best_lap(row.owner) if engine.has_car(row.owner) else None
    is_best = best is not None and best.number == row.lap and best.duration_ms == row.lap_ms
    whose = ", the car's best" if is_best else ""
    return f"Invalidate lap {row.lap} ({format_lap(row.lap_ms)}{whose})"


class ShownNames:
    """The names a correction dialog gives: cars by number, passings by car, time and lap
    (the audit keeps its own words, which later corrections never change)."""

    __slots__ = ("_engine",)

    def __init__(self, engine: TimingEngine) -> None:
        self._engine = engine

    def car(self, key: str) -> str:
        return self._engine.car_label(key) if self._engine.has_car(key) else key.lstrip("?")

    def passing(self, passing_id: int) -> str:
        return passing_named(self._engine, passing_id)

    def correction(self, seq: int) -> str | None:
        original = self._engine.logged_corrections().get(seq)
        return describe(self._engine, original) if original else None

    def number(self, seq: int) -> int | None:
        return correction_number(self._engine, seq)


def placed_text(placed: PlacedPassing) -> str | None:
    """A correction dialog's word on a passing it would put on a car, where that car would not
    count it ("Car 3, passing at 0:00:55.500: after the finish — not counted", as the Entry
    panel says of a crossing typed then); None where it would count."""
    why = NOT_COUNTED.get(placed.status)
    if why is None:
        return None
    return f"Car {placed.car}, passing at {format_session_time(placed.time_ms)}: {why}"


def change_text(change: PositionChange, gone_to: str = "another car's") -> str:
    """A correction dialog's line on a car whose place, laps or status would change: "Car 7:
    P3 → P2, laps 0 → 14". A car taken off the board (an unknown transponder assigned to a car,
    whose laps go with it) says so and whose they are (``gone_to``, "car 7's"); its line read
    "Car T3292480: P2 → —, laps 14 → 0, None"."""
    before = f"P{change.before}" if change.before else "—"
    if change.status_after is None:  # no row after it
        laps = change.laps_before
        what = f"its {laps} lap{'s' if laps != 1 else ''}" if laps else "its passings"
        return f"Car {change.car}: {before} → off the board, {what} now {gone_to}"
    after = f"P{change.after}" if change.after else "—"
    laps_text = (
        ""
        if change.laps_before == change.laps_after
        else f", laps {change.laps_before} → {change.laps_after}"
    )
    status = "" if change.status_before == change.status_after else f", {change.status_after}"
    return f"Car {change.car}: {before} → {after}{laps_text}{status}"


def placed_note(engine: TimingEngine, correction: Correction, seq: int | None) -> str:
    """What the status bar adds to "Done: Insert a passing for car 3 at 0:00:55.500" (logged
    as ``seq``) where the car does not count the passing it put on it: " (after the finish —
    not counted)"; "" otherwise."""
    if isinstance(correction, InsertPassing):
        pid = seq
    elif isinstance(correction, ReassignPassing):
        pid = correction.passing_id
    else:
        return ""
    if pid is None or not engine.has_passing(pid) or engine.passing_owner(pid) is None:
        return ""
    why = NOT_COUNTED.get(engine.passing_status(pid))
    return f" ({why})" if why else ""


def correction_summary(engine: TimingEngine, correction: Correction) -> str:
    """What a correction dialog says it would do, in the operator's words."""
    kind = KINDS.get(type(correction))
    return kind.words(ShownNames(engine), correction) if kind else describe(engine, correction)
