"""Every passing of the session, newest first, with what the engine made of it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from timingboard.engine.car import Lap, PassingStatus
from timingboard.engine.engine import TimingEngine
from timingboard.engine.formatting import format_clock, format_lap
from timingboard.engine.standings import BoardChange
from timingboard.qt.frame_throttle import FrameThrottle
from timingboard.qt.session_controller import SessionController

_DR = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex


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


class PassingRole(IntEnum):
    PASSING_ID = _DR.UserRole + 1
    OWNER = _DR.UserRole + 2
    ROW = _DR.UserRole + 3


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
    PassingStatus.DELETED: "deleted",
}


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
    record = engine.passings[pid]
    owner = engine.passing_owner(pid)
    entry = engine.entries.get(owner) if owner else None
    lap = lap_completed_by(engine, owner, pid, record.time_ms) if owner else None
    notes = []
    if record.inserted:
        notes.append("inserted")
    if pid in engine.tables.reassigned:
        notes.append("reassigned")
    if pid in engine.tables.invalid:
        notes.append("lap invalidated")
    if pid in engine.tables.deleted:
        notes.append("deleted")
    if entry is None:  # a deleted passing has no owner: name the car it was read for
        entry = engine.entries.get(record.key) or next(
            (e for e in engine.entries.values() if record.car and e.label == record.car), None
        )
    car = entry.label if entry else (record.car or record.key or f"T{record.transponder}")
    return PassingRow(
        passing_id=pid,
        time_ms=record.time_ms,
        owner=owner,
        car=car,
        driver=(entry.competitor.driver if entry and entry.competitor else "unknown car"),
        lap=lap.number if lap else None,
        lap_ms=lap.duration_ms if lap else None,
        source="manual" if record.inserted else record.source,
        status=engine.passing_status(pid),
        note=", ".join(notes),
    )


class PassingsModel(QAbstractTableModel):
    """The passings log; rows are inserted where their time puts them and refreshed precisely.

    Signals
    -------
    log_updated()
        After pending changes reached the rows (once a frame at most).
    """

    log_updated = Signal()

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._order: list[int] = []  # order keys (see _order_key): newest first
        self._rows: dict[int, PassingRow] = {}  # the rows the view has asked for
        self._listed: set[int] = set()
        self._pending: set[int] = set()
        self._frame = FrameThrottle(self.flush, self)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._load()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PassingColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DR.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DR.DisplayRole:
            return HEADERS[PassingColumn(section)]
        if orientation == Qt.Orientation.Horizontal and role == _DR.ToolTipRole:
            return HEADER_TIPS.get(PassingColumn(section))
        return None

    def data(self, index: Index, role: int = _DR.DisplayRole) -> Any:
        if role not in _SERVED_ROLES:
            return None  # most of what a view asks of each cell (decoration, colours, size)
        if role == _DR.TextAlignmentRole:  # asked of every cell painted or measured
            return _RIGHT if index.column() in _RIGHT_ALIGNED else None
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        row = self._row(_passing_of(self._order[index.row()]))
        if role == _DR.DisplayRole:
            return _cell(row, PASSING_COLUMNS[index.column()])
        if role == _DR.FontRole:
            return _struck_font() if row.status is PassingStatus.DELETED else None
        if role == PassingRole.PASSING_ID:
            return row.passing_id
        if role == PassingRole.OWNER:
            return row.owner
        if role == PassingRole.ROW:
            return row
        return None

    def row_of(self, passing_id: int) -> int:
        record = self._controller.engine.passings[passing_id]
        key = _order_key(record.time_ms, passing_id)
        row = bisect.bisect_left(self._order, key)
        return row if row < len(self._order) and self._order[row] == key else -1

    def flush(self) -> None:
        """New passings get their rows; rows the view has shown are refreshed if they changed."""
        self._frame.ran()
        engine = self._controller.engine
        pending, self._pending = self._pending, set()
        new = [pid for pid in pending if pid in engine.passings and pid not in self._listed]
        self._insert(sorted(_order_key(engine.passings[pid].time_ms, pid) for pid in new))
        for pid in sorted(pending):
            if pid in self._rows and pid in engine.passings:
                self._refresh(pid, passing_row(engine, pid))
        self.log_updated.emit()

    def _row(self, pid: int) -> PassingRow:
        """Rows are made when the view first asks for them: a 24 h log has 120k."""
        row = self._rows.get(pid)
        if row is None:
            row = self._rows[pid] = passing_row(self._controller.engine, pid)
        return row

    def _insert(self, keys: list[int]) -> None:
        """New rows, by sorted order keys: each run that lands in one place goes in at once
        (a replay seek forward brings a thousand at the top of a 120k-row log)."""
        runs: list[tuple[int, list[int]]] = []
        for key in keys:
            position = bisect.bisect_left(self._order, key)
            if runs and runs[-1][0] == position:
                runs[-1][1].append(key)
            else:
                runs.append((position, [key]))
        inserted = 0
        for position, run in runs:
            first = position + inserted
            self.beginInsertRows(QModelIndex(), first, first + len(run) - 1)
            self._order[first:first] = run
            self._listed.update(_passing_of(key) for key in run)
            self.endInsertRows()
            inserted += len(run)

    def _refresh(self, pid: int, row: PassingRow) -> None:
        old = self._rows[pid]
        if old == row:
            return
        self._rows[pid] = row
        position = self.row_of(pid)
        changed = [c for c in PassingColumn if _cell(old, c) != _cell(row, c)]
        struck = (old.status is PassingStatus.DELETED) != (row.status is PassingStatus.DELETED)
        if struck or not changed:  # struck through or no more: the font of every cell
            first, last = 0, len(PassingColumn) - 1
        else:
            first, last = min(changed), max(changed)
        roles = [_DR.DisplayRole, _DR.FontRole, PassingRole.OWNER, PassingRole.ROW]
        self.dataChanged.emit(self.index(position, first), self.index(position, last), roles)

    def _on_controller_board_changed(self, change: BoardChange) -> None:
        if change.competitors_changed:  # a name imported, fixed or undone: rows shown say it
            self._pending |= set(self._rows)
        if change.passings_touched or change.competitors_changed:
            self._pending |= change.passings_touched
            self._frame.request()

    def _on_controller_session_reset(self) -> None:
        self.beginResetModel()
        self._frame.cancel()
        self._pending.clear()
        self._load()
        self.endResetModel()

    def _load(self) -> None:
        passings = self._controller.engine.passings
        self._rows = {}
        self._listed = set(passings)
        self._order = sorted(
            [_order_key(record.time_ms, record.seq) for record in passings.values()]
        )


_SERVED_ROLES = frozenset({_DR.DisplayRole, _DR.FontRole, _DR.TextAlignmentRole, *PassingRole})
_RIGHT_ALIGNED = frozenset({PassingColumn.LAP, PassingColumn.LAP_TIME})
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _struck_font() -> QFont:
    font = QFont()
    font.setStrikeOut(True)
    return font


_ID_SPAN = 1 << 32  # passing ids are sequence numbers, far below this


def _order_key(time_ms: int, passing_id: int) -> int:
    """Where a passing sorts: latest time first, then the later id. A plain int rather than a
    tuple: a 24 h log has 120k of them, and ints are not tracked by the garbage collector
    (building the tuples set off full collections of ~50 ms on a replay seek)."""
    return -(time_ms * _ID_SPAN + passing_id)


def _passing_of(key: int) -> int:
    return -key % _ID_SPAN


def lap_completed_by(engine: TimingEngine, owner: str, pid: int, time_ms: int) -> Lap | None:
    """The lap a passing completed, found by its time among the owner's laps."""
    entry = engine.entries.get(owner)
    if entry is None:
        return None
    timing = entry.timing
    index = bisect.bisect_left(timing.lap_times, time_ms)
    while index < len(timing.laps) and timing.lap_times[index] == time_ms:
        if timing.laps[index].passing_id == pid:
            return timing.laps[index]
        index += 1
    return None


def _cell(row: PassingRow, column: PassingColumn) -> str:
    match column:
        case PassingColumn.TIME:
            return f"{format_clock(row.time_ms)}.{row.time_ms % 1000:03d}"
        case PassingColumn.CAR:
            return row.car
        case PassingColumn.DRIVER:
            return row.driver
        case PassingColumn.LAP:
            return "" if row.lap is None else str(row.lap)
        case PassingColumn.LAP_TIME:
            return format_lap(row.lap_ms)
        case PassingColumn.SOURCE:
            return row.source
        case PassingColumn.STATUS:
            return STATUS_TEXT[row.status]
        case PassingColumn.NOTE:
            return row.note
